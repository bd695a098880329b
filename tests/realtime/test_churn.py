"""Churn leaves nothing behind: after many connect/join/leave/disconnect cycles (and
abrupt drops whose grace period the stepped clock ends) every per-member and
per-socket structure of the server is back to its starting size, counted exactly.

RSS under churn is measured, not asserted: benchmarks/churn_memory.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc

import pytest
import pytest_asyncio

from server import keys

from .conftest import Client, live_server, until

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

GRACE = 0.5
CYCLES = 200
POSE = [1, 0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("churn")
    async with live_server(path, stepped=True, resume_grace_s=GRACE) as server:
        yield server


def _sizes(live) -> dict[str, int]:
    """The size of every container keyed by member, socket, room or audience."""
    state = live.state
    sio = live.app[keys.SIO]
    rooms = sio.manager.rooms.get("/live", {})
    namespace = sio.namespace_handlers["/live"]
    instances = [i for a in state.audiences.values() for i in a.instances.values()]
    return {
        "members": len(state.members),
        "by_sid": len(state.by_sid),
        "by_resume": len(state.by_resume),
        "detached": len(state.detached),
        "audiences": len(state.audiences),
        "instances": len(instances),
        "instance members": sum(i.count for i in instances),
        "seats held": sum(len(i.seats) for i in instances),
        "muted": sum(len(a.muted) for a in state.audiences.values()),
        "rooms": len(rooms),
        "room entries": sum(len(r) for r in rooms.values()),
        "eio sockets": len(sio.eio.sockets),
        "sio environ": len(sio.environ),
        "sio binary packets": len(sio._binary_packet),
        "manager eio_to_sid": len(sio.manager.eio_to_sid),
        "manager callbacks": len(sio.manager.callbacks),
        "manager pending_disconnect": len(sio.manager.pending_disconnect),
        "namespace tasks": len(namespace._tasks),
    }


def _tasks() -> int:
    # every task, engine.io's ping waits included: the fast path cancels a closed
    # socket's (the library's would sleep out ping_interval, 25 s, holding the socket)
    return len(asyncio.all_tasks())


async def _quiet(live) -> None:
    """Nobody connected and no grace period running (what earlier tests left ends)."""
    await until(lambda: not live.state.by_sid, what="earlier sockets detached")
    await live.tick(advance=2 * GRACE)
    assert not live.state.members


async def _back_to(live, before: dict[str, int], tasks: int) -> None:
    """Socket teardown ends on the server's own schedule: poll, then compare exactly.

    Tasks are compared as at most (one started before the churn may have ended since)."""
    await until(lambda: _sizes(live)["by_sid"] == before["by_sid"], what="every socket detached")
    await live.tick(advance=2 * GRACE)  # the dropped members' grace periods end
    gc.collect()
    with contextlib.suppress(AssertionError):
        await until(lambda: _sizes(live) == before, what="sizes back where they started")
    assert _sizes(live) == before
    assert _tasks() <= tasks


async def test_churn_leaves_every_structure_where_it_started(live):
    await _quiet(live)
    event_id = await live.make_event()
    anchor = Client(live.url, "Anchor")  # keeps one audience alive across the churn
    await anchor.connect()
    await anchor.call("join", {"event_id": event_id})
    await until(lambda: _sizes(live)["namespace tasks"] == 0, what="the join's tasks ended")
    gc.collect()
    before, tasks = _sizes(live), _tasks()
    try:
        for n in range(CYCLES):
            c = Client(live.url, f"Churn {n}")
            await c.connect()
            kind = n % 4
            if kind:
                joined = await c.call(
                    "join", {"event_id": event_id} if n % 2 else {"venue_id": "test-hall"}
                )
                assert joined["ok"], joined
                await c.emit("pose", POSE)
                await c.emit("react", {"kind": "heart"})
                if n % 8 == 1:
                    assert (await c.call("sit", {"seat_id": "stalls/A/1"}))["ok"]
            if kind == 1:
                assert (await c.call("leave"))["ok"]
                await c.close()
            elif kind == 2:
                await c.drop()  # lost network: waits out the grace period
                await c.close()
            else:
                await c.close()  # a goodbye while joined (or never joined)
            await live.tick(advance=0.1)
        await _back_to(live, before, tasks)
    finally:
        await anchor.close()


async def test_disconnect_while_a_join_is_in_flight_leaves_nothing(live):
    """The server drops a socket (ping timeout, slow consumer, shutdown) while that
    socket's join waits on the database: the member must not be joined afterwards."""
    await _quiet(live)
    event_id = await live.make_event()
    anchor = Client(live.url, "Anchor")
    await anchor.connect()
    await anchor.call("join", {"event_id": event_id})
    # what a join leaves running after its ack (the full snapshot, the attendance
    # count) ends first: "before" is a settled state
    await until(lambda: _sizes(live)["namespace tasks"] == 0, what="the join's tasks ended")
    gc.collect()
    before, tasks = _sizes(live), _tasks()
    sio = live.app[keys.SIO]
    try:
        for n in range(20):
            c = Client(live.url, f"Racer {n}")
            await c.connect()
            sid = c.sio.get_sid("/live")
            member = live.state.by_sid[sid]
            joins = member.limits.join.tokens
            await c.emit("join", {"event_id": event_id})
            # the join bucket is taken just before the first database lookup: from
            # then until the handler resumes, the join is in flight
            while member.limits.join.tokens == joins:
                await asyncio.sleep(0)
            await sio.disconnect(sid, namespace="/live")
            await c.close()
        await _back_to(live, before, tasks)
        # nobody saw a ghost join either
        await anchor.sync()
        assert "member_joined" not in anchor.events
    finally:
        await anchor.close()
