"""Chat: stored before the ack, broadcast to the whole event, history, limits."""

from __future__ import annotations

import pytest
import pytest_asyncio

from server.realtime import store

from .conftest import Client, live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    # stepped: limits and slow mode see the test's clock, so retry_after is exact
    async with live_server(tmp_path_factory.mktemp("chat"), stepped=True) as server:
        yield server


async def _joined(live, clients, *names, event_id=None):
    event_id = event_id or await live.make_event()
    made = []
    for name in names:
        c = await clients(name)
        ack = await c.call("join", {"event_id": event_id})
        made.append((c, ack))
    return event_id, made


async def test_chat_is_stored_then_acked_then_broadcast(live, clients):
    event_id, [(anna, a), (bob, _)] = await _joined(live, clients, "Anna", "Bob")
    ack = await anna.call("chat", {"text": "  Bravo!  "})
    assert ack["ok"] is True and isinstance(ack["id"], int)
    assert ack["sent_at"].endswith("Z")
    # committed: a fresh read from the database sees it
    rows = await store.history(live.engine, f"event:{event_id}")
    assert [(r["id"], r["text"]) for r in rows] == [(ack["id"], "Bravo!")]
    for c in (anna, bob):
        (msg,) = await c.wait_for("chat_message")
        assert msg == {
            "id": ack["id"],
            "member_id": a["member"]["id"],
            "name": "Anna",
            "text": "Bravo!",
            "sent_at": ack["sent_at"],
        }


async def test_chat_history_on_join_holds_the_last_100(live, clients):
    event_id, [(anna, a)] = await _joined(live, clients, "Anna")
    audience = f"event:{event_id}"
    for n in range(105):
        await store.add_message(live.engine, audience, a["member"]["id"], "Anna", f"m{n}")
    _, [(_, b)] = await _joined(live, clients, "Bob", event_id=event_id)
    texts = [m["text"] for m in b["chat"]["history"]]
    assert texts == [f"m{n}" for n in range(5, 105)]  # oldest first


async def test_chat_text_is_checked(live, clients):
    _, [(anna, _)] = await _joined(live, clients, "Anna")
    for bad in [
        "",
        "   ",
        "x" * 501,
        "line\nbreak",
        "bell\x07",
        "c1\x85in the middle",
        42,
        None,
        ["hi"],
    ]:
        ack = await anna.call("chat", {"text": bad})
        assert ack["error"]["code"] == "invalid_payload", bad
    assert (await anna.call("chat", {"text": "x" * 500}))["ok"]
    assert (await anna.call("chat", {"text": "<b>ok</b> ünïcödé 🎻"}))["ok"]


async def test_chat_rate_limit_gives_a_clear_error(live, clients):
    _, [(anna, _)] = await _joined(live, clients, "Anna")
    for n in range(5):
        assert (await anna.call("chat", {"text": f"hi {n}"}))["ok"]
    ack = await anna.call("chat", {"text": "one too many"})
    assert ack["ok"] is False
    assert ack["error"]["code"] == "rate_limited"
    assert ack["error"]["retry_after"] == 2.0  # 5 per 10 s: one more in 2 s
    live.clock.advance(1.5)
    assert (await anna.call("chat", {"text": "too soon"}))["error"]["retry_after"] == 0.5
    live.clock.advance(0.5)
    assert (await anna.call("chat", {"text": "now"}))["ok"]
    assert (await anna.call("chat", {"text": "and again"}))["error"]["code"] == "rate_limited"


async def test_chat_reaches_other_instances_of_the_event(tmp_path, clients):

    async with live_server(tmp_path, instance_capacity=1) as server:
        event_id = await server.make_event()
        anna, bob = Client(server.url, "Anna"), Client(server.url, "Bob")
        try:
            await anna.connect()
            await bob.connect()
            a = await anna.call("join", {"event_id": event_id})
            b = await bob.call("join", {"event_id": event_id})
            assert a["instance"]["index"] == 1 and b["instance"]["index"] == 2
            await anna.call("chat", {"text": "across the halls"})
            (msg,) = await bob.wait_for("chat_message")
            assert msg["text"] == "across the halls"
        finally:
            await anna.close()
            await bob.close()


async def test_chat_before_join_is_not_joined(live, clients):
    c = await clients()
    assert (await c.call("chat", {"text": "hello?"}))["error"]["code"] == "not_joined"
