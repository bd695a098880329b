"""PostgreSQL away for a few seconds under a live audience (issue 14's fault test).

A live server stores in a private PostgreSQL cluster; members chat and ask
through real Socket.IO clients. The cluster is stopped (fast shutdown: the
pooled connections are cut), members write, and their acks stay unanswered
while the writes retry: an ack never says ``ok`` before the row is committed.
The cluster starts again: every write is acknowledged, and every acknowledged
message is in the history, each once. A write whose retries run out is refused
with ``unavailable`` (never ``internal``, never a success), and the next one,
the database back, is stored.

The retry policy's ``sleep`` is the test's (server/storage/retry.py): it counts
the retries and waits the real backoff, so the test waits on "every write has
met the outage" instead of a guessed time. Waiting on PostgreSQL's real restart
is the only wait on the wall clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest

from server import keys
from server.realtime import store
from server.storage import questions as qa_repo
from server.storage.retry import RetryPolicy, set_default_policy

from ..engines.postgres import PostgresCluster
from ..realtime.conftest import Client, live_server, until
from .pg_fixtures import started_cluster


class CountingSleep:
    """The retry backoff, really waited, and counted: ``first`` is how many writes
    have met the outage (each write's first retry waits ``first_delay_s``)."""

    def __init__(self, first_delay_s: float) -> None:
        self.first_delay_s = first_delay_s
        self.first = 0
        self.total = 0

    async def __call__(self, seconds: float) -> None:
        self.total += 1
        if seconds == self.first_delay_s:
            self.first += 1
        await asyncio.sleep(seconds)


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    """This test's own cluster: stopping it stops no one else's database."""
    with started_cluster() as cluster:
        yield cluster


@pytest.fixture
def retries() -> Iterator[tuple[CountingSleep, RetryPolicy]]:
    sleep = CountingSleep(0.1)
    policy = RetryPolicy(budget_s=30.0, first_delay_s=0.1, max_delay_s=1.0, sleep=sleep)
    old = set_default_policy(policy)
    yield sleep, policy
    set_default_policy(old)


def _server_errors(caplog) -> list[str]:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    return [f"{r.name}: {r.getMessage()}" for r in bad]


async def _audience(live, names: list[str]) -> tuple[str, Client, list[Client]]:
    event_id = await live.make_event()
    host = Client(live.url, "Host")
    await host.connect(token=live.token)
    assert (await host.call("join", {"event_id": event_id}))["ok"]
    assert (await host.call("qa_settings", {"enabled": True}))["ok"]
    members = []
    for name in names:
        member = Client(live.url, name)
        await member.connect()
        assert (await member.call("join", {"event_id": event_id}))["ok"]
        members.append(member)
    # each join counts its visitor after its ack: let that finish before an outage
    # (one that meets it is dropped with a warning: a count, never a join)
    namespace = live.app[keys.SIO].namespace_handlers["/live"]
    await until(lambda: not namespace._tasks, what="the joins counted")
    return event_id, host, members


async def test_writes_during_a_postgresql_restart_wait_for_it_and_none_is_lost(
    cluster, retries, tmp_path, caplog
):
    caplog.set_level(logging.WARNING)
    counting, _ = retries
    async with live_server(tmp_path, database_url=cluster.url) as live:
        assert live.engine.dialect.name == "postgresql"
        names = ["Anna", "Bob", "Chulpan", "Damir", "Elmira"]
        event_id, host, (*members, asker) = await _audience(live, names)
        try:
            before = [await m.call("chat", {"text": f"before {m.name}"}) for m in members]
            assert all(a["ok"] for a in before), before

            await asyncio.to_thread(cluster.stop)
            chats = [
                asyncio.create_task(m.call("chat", {"text": f"during {m.name}"}, timeout=60))
                for m in members
            ]
            ask = asyncio.create_task(
                asker.call("qa_ask", {"text": "Who wrote the encore?"}, timeout=60)
            )
            writes = [*chats, ask]
            # every write met the outage, and some went round again: none is acked
            # (a connection's events are handled in order: one write per member)
            await until(lambda: counting.first >= len(writes), timeout=20, what="all retrying")
            seen = counting.total
            await until(lambda: counting.total >= seen + 2 * len(writes), timeout=20)
            assert not any(w.done() for w in writes), [w.result() for w in writes if w.done()]

            await asyncio.to_thread(cluster.start)
            acks = await asyncio.gather(*chats)
            asked = await ask
            assert all(a["ok"] for a in acks), acks
            assert asked["ok"], asked

            acked = {a["id"]: f"before {m.name}" for a, m in zip(before, members, strict=True)}
            acked |= {a["id"]: f"during {m.name}" for a, m in zip(acks, members, strict=True)}
            stored = await store.history(live.engine, f"event:{event_id}")
            assert {m["id"]: m["text"] for m in stored} == acked  # all there, each once
            questions = await qa_repo.of_event(live.engine, event_id, qa_repo.SHOWN)
            assert [q["text"] for q in questions] == ["Who wrote the encore?"]
            # everyone saw every message, in the order of its id
            for client in (host, *members, asker):
                got = await client.wait_for("chat_message", count=len(acked))
                assert sorted(m["id"] for m in got) == sorted(acked)
            # a member joining now gets them in its history
            late = Client(live.url, "Late")
            await late.connect()
            joined = await late.call("join", {"event_id": event_id})
            assert {m["id"] for m in joined["chat"]["history"]} == set(acked)
            await late.close()
        finally:
            for client in (host, *members, asker):
                await client.close()
    assert _server_errors(caplog) == []


async def test_a_write_whose_retries_run_out_is_refused_clearly_then_the_next_is_stored(
    cluster, retries, tmp_path, caplog
):
    caplog.set_level(logging.WARNING)
    counting, _ = retries
    # a short budget: the outage outlasts it
    set_default_policy(RetryPolicy(budget_s=0.5, first_delay_s=0.1, sleep=counting))
    async with live_server(tmp_path, database_url=cluster.url) as live:
        event_id, host, (anna,) = await _audience(live, ["Anna"])
        try:
            await asyncio.to_thread(cluster.stop)
            refused = await anna.call("chat", {"text": "into the void"}, timeout=20)
            assert refused["ok"] is False
            assert refused["error"]["code"] == "unavailable" and refused["error"]["retry_after"] > 0
            # a read that finds the database away is refused the same way
            question = await anna.call("qa_ask", {"text": "Anyone there?"}, timeout=20)
            assert question["error"]["code"] == "unavailable"

            await asyncio.to_thread(cluster.start)
            again = await anna.call("chat", {"text": "back again"}, timeout=20)
            assert again["ok"], again
            stored = await store.history(live.engine, f"event:{event_id}")
            assert [m["text"] for m in stored] == ["back again"]
        finally:
            for client in (host, anna):
                await client.close()
    assert _server_errors(caplog) == []
