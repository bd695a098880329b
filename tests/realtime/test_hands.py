"""Hand raising in a lecture: residents raise and lower, the host sees the queue in
order, calls the next (the hall sees who, with the seat), lowers anyone's; those
behind are told their new place; a resident cannot call or lower others; a member
who left drops out of the line at once."""

from __future__ import annotations

import pytest
import pytest_asyncio

from server.realtime import store
from server.realtime.hand_queue import HandQueue

from .conftest import SEAT_IDS, VENUE_ID, live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(tmp_path_factory.mktemp("hands")) as server:
        yield server


async def _lecture(live, clients):
    event_id = await live.make_event()
    host = await clients("Lecturer", token=live.token)
    await host.call("join", {"event_id": event_id})
    people = []
    for name in ("Anna", "Bob", "Chulpan"):
        c = await clients(name)
        joined = await c.call("join", {"event_id": event_id})
        assert joined["hands"] == {"called": None, "position": None}
        people.append((c, joined["member"]["id"]))
    return event_id, host, people


async def test_the_queue_keeps_order_and_one_place_each():
    q = HandQueue()
    assert q.raise_hand("a", 1.0) and q.raise_hand("b", 2.0) and q.raise_hand("c", 3.0)
    assert not q.raise_hand("a", 4.0)  # already up: keeps its place
    assert q.order() == ["a", "b", "c"] and q.position("c") == 3
    assert q.call_next() == "a" and q.called == "a" and q.order() == ["b", "c"]
    assert q.lower("c") and not q.lower("c") and q.order() == ["b"]
    assert q.lower("a") and q.called is None  # the called one sits down
    assert q.call_next() == "b" and q.call_next() is None and q.idle()


async def test_host_sees_the_line_in_order_and_calls_the_next(live, clients):
    event_id, host, [(anna, anna_id), (bob, bob_id), (chulpan, chulpan_id)] = await _lecture(
        live, clients
    )
    assert (await bob.call("sit", {"seat_id": SEAT_IDS[2]}))["ok"]
    assert (await bob.call("raise_hand", {}))["position"] == 1
    assert (await anna.call("raise_hand", {}))["position"] == 2
    assert (await anna.call("raise_hand", {}))["position"] == 2  # twice: same place
    assert (await chulpan.call("raise_hand", {}))["position"] == 3
    queues = await host.wait_for("hand_queue", where=lambda q: len(q) == 3)
    assert [m["member_id"] for m in queues[-1]] == [bob_id, anna_id, chulpan_id]
    assert all(m["waited_s"] >= 0 for m in queues[-1])  # the host sees how long each waits
    assert "hand_queue" not in anna.events  # the line is the host's to see

    # residents cannot call or lower others
    assert (await anna.call("hand_next", {}))["error"]["code"] == "forbidden"
    lowered = await anna.call("lower_hand", {"member_id": bob_id})
    assert lowered["error"]["code"] == "forbidden"

    called = (await host.call("hand_next", {}))["called"]
    assert called["member_id"] == bob_id and called["name"] == "Bob"
    for c in (anna, bob, chulpan):  # the whole hall sees who speaks (and where they sit)
        (seen,) = await c.wait_for("hand_called")
        assert seen == {"called": called}
    assert called["seat"] == SEAT_IDS[2]  # clients light up this seat
    line = [anna_id, chulpan_id]
    await host.wait_for("hand_queue", where=lambda q: [m["member_id"] for m in q] == line)
    # those behind moved up and are told their new places; Bob (called) is not
    await anna.wait_for("hand_position", where=lambda e: e == {"position": 1})
    await chulpan.wait_for("hand_position", where=lambda e: e == {"position": 2})
    await bob.sync()
    assert "hand_position" not in bob.events
    # Anna thinks better of it (Chulpan is first now); the host lowers Chulpan's hand
    assert (await anna.call("lower_hand", {}))["ok"]
    await chulpan.wait_for("hand_position", where=lambda e: e == {"position": 1})
    assert (await host.call("lower_hand", {"member_id": chulpan_id}))["ok"]
    await chulpan.wait_for("hand_lowered")
    await host.wait_for("hand_queue", where=lambda q: q == [])
    # a newcomer host sees who is called; nobody is in line
    other_host = await clients("Assistant", token=live.token)
    welcome = (await other_host.call("join", {"event_id": event_id}))["hands"]
    assert welcome == {"called": called, "position": None, "queue": []}
    # Bob sits down: the hall is told nobody is called
    assert (await bob.call("lower_hand", {}))["ok"]
    await anna.wait_for("hand_called", 2)
    assert anna.events["hand_called"][-1] == {"called": None}
    actions = [(r["action"], r["target"]) for r in
               await store.actions(live.engine, f"event:{event_id}")]  # fmt: skip
    assert actions == [("hand_next", bob_id), ("hand_lower", chulpan_id)]


async def test_a_member_who_left_drops_out_of_the_line(live, clients):
    _, host, [(anna, anna_id), (bob, bob_id), (chulpan, _)] = await _lecture(live, clients)
    await anna.call("raise_hand", {})
    await bob.call("raise_hand", {})
    await host.wait_for("hand_queue", where=lambda q: len(q) == 2)
    assert (await anna.call("leave", {}))["ok"]
    # the host's line and Bob's place follow at once
    await host.wait_for("hand_queue", where=lambda q: [m["member_id"] for m in q] == [bob_id])
    await bob.wait_for("hand_position", where=lambda e: e == {"position": 1})
    called = (await host.call("hand_next", {}))["called"]
    assert called["member_id"] == bob_id
    assert (await bob.call("leave", {}))["ok"]  # the one called goes: nobody is called
    await chulpan.wait_for("hand_called", where=lambda e: e == {"called": None})


async def test_bad_hand_payloads_are_refused(live, clients):
    _, host, [(anna, _), *_] = await _lecture(live, clients)
    for event, payload in (("raise_hand", {"x": 1}), ("lower_hand", {"member_id": 5}),
                           ("hand_next", {"n": 2})):  # fmt: skip
        target = host if event == "hand_next" else anna
        assert (await target.call(event, payload))["error"]["code"] == "invalid_payload", event
    walker = await clients("Walker")
    assert (await walker.call("join", {"venue_id": VENUE_ID}))["hands"] is None
    assert (await walker.call("raise_hand", {}))["error"]["code"] == "not_found"
