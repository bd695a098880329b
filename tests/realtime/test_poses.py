"""Poses in, one quantised snapshot per instance per tick out; reactions aggregated.

The server here is stepped (tests/realtime/conftest.py): its clock moves and its
ticker ticks only when a test says so, so counts of snapshots and of what the
rate limits let through are exact.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from server.realtime.snapshot import HANDS, SEATED, VR, decode_snapshot

from .conftest import SEAT_IDS, live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(tmp_path_factory.mktemp("poses"), stepped=True) as server:
        yield server


HEAD = [1.25, 1.6, -3.5, 0.0, 0.38268343, 0.0, 0.92387953]  # 45 degrees about Y


def _member(snap_bytes: bytes, slot: int):
    for m in decode_snapshot(snap_bytes).changed:
        if m.slot == slot:
            return m
    return None


async def _pair(live, clients):
    event_id = await live.make_event()
    anna, bob = await clients("Anna"), await clients("Bob")
    a = await anna.call("join", {"event_id": event_id})
    b = await bob.call("join", {"event_id": event_id})
    return event_id, anna, bob, a, b


async def test_pose_reaches_others_quantised_in_a_snapshot(live, clients):
    _, anna, bob, a, _ = await _pair(live, clients)
    slot = a["member"]["slot"]
    await anna.emit("pose", [7, *HEAD])
    await anna.sync()
    await live.tick()
    (data,) = await bob.wait_for("snap", where=lambda d: _member(d, slot) is not None)
    m = _member(data, slot)
    assert m.seq == 7
    assert m.position == (1.25, 1.6, -3.5)
    assert all(abs(x - y) < 0.001 for x, y in zip(m.rotation, HEAD[3:], strict=True))
    assert m.flags == 0 and m.hands is None
    # the sender gets its own record too (the echoed seq measures latency)
    await anna.wait_for("snap", where=lambda d: _member(d, slot) is not None)


async def test_vr_pose_carries_hands_and_seated_flag(live, clients):
    _, anna, bob, a, _ = await _pair(live, clients)
    slot = a["member"]["slot"]
    await anna.call("sit", {"seat_id": SEAT_IDS[3]})
    left = [-0.3, 1.2, -3.3, 0.0, 0.0, 0.0, 1.0]
    right = [0.3, 1.2, -3.3, 0.0, 0.0, 0.0, 1.0]
    await anna.emit("pose", [8, *HEAD, *left, *right])
    await anna.sync()
    await live.tick()
    (data,) = await bob.wait_for("snap", where=lambda d: _member(d, slot) is not None)
    m = _member(data, slot)
    assert m.flags == SEATED | VR | HANDS
    assert m.hands[0][0] == (-0.3, 1.2, -3.3)
    assert m.hands[1][0] == (0.3, 1.2, -3.3)


async def test_only_the_latest_pose_per_tick_is_sent(live, clients):
    _, anna, bob, a, _ = await _pair(live, clients)
    slot = a["member"]["slot"]
    for seq in range(1, 4):  # within one tick and inside the burst
        await anna.emit("pose", [seq, 0.0, 1.6, float(seq), 0.0, 0.0, 0.0, 1.0])
    await anna.sync()
    await live.tick()
    await bob.sync()
    seen = [_member(d, slot).seq for d in bob.events["snap"] if _member(d, slot)]
    assert seen == [3]  # intermediate poses were folded into the latest


async def test_poses_over_20_hz_are_dropped_not_queued(live, clients):
    _, anna, _, a, _ = await _pair(live, clients)
    member = live.state.members[a["member"]["id"]]
    for seq in range(40):  # a burst at one instant: the bucket holds 5
        await anna.emit("pose", [seq, 0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0])
    await anna.sync()  # a round trip: every pose before it has been handled
    assert member.dropped_poses == 35
    live.clock.advance(0.5)  # refills 10 at 20 Hz, but the bucket holds 5
    for seq in range(40, 50):
        await anna.emit("pose", [seq, 0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0])
    await anna.sync()
    assert member.dropped_poses == 35 + 5
    assert "rejected" not in anna.events  # dropping is silent


async def test_snapshot_sent_once_per_tick_and_not_when_still(live, clients):
    _, anna, bob, a, _ = await _pair(live, clients)
    await anna.emit("pose", [1, *HEAD])
    await anna.sync()
    await live.tick()
    await bob.sync()
    assert len(bob.events["snap"]) == 2  # the join full snapshot + the pose
    await live.tick(5, advance=0.1)  # 5 ticks with nobody moving
    await bob.sync()
    assert len(bob.events["snap"]) == 2


async def test_joiner_gets_a_full_snapshot_of_present_poses(live, clients):
    event_id = await live.make_event()
    anna = await clients("Anna")
    a = await anna.call("join", {"event_id": event_id})
    await anna.emit("pose", [42, *HEAD])
    await anna.sync()
    await live.tick()
    await anna.wait_for("snap", where=lambda d: _member(d, 0) is not None)
    bob = await clients("Bob")
    await bob.call("join", {"event_id": event_id})
    (data,) = await bob.wait_for("snap", where=lambda d: decode_snapshot(d).full)
    m = _member(data, a["member"]["slot"])
    assert m is not None and m.seq == 42


async def test_pose_before_join_is_ignored(live, clients):
    c = await clients()
    await c.emit("pose", [1, *HEAD])
    assert (await c.call("stand"))["error"]["code"] == "not_joined"
    assert "rejected" not in c.events


async def test_reactions_are_counted_per_tick_for_the_whole_event(live, clients):
    _, anna, bob, _, _ = await _pair(live, clients)
    for _ in range(3):
        await anna.emit("react", {"kind": "applause"})
    await bob.emit("react", {"kind": "applause"})
    await bob.emit("react", {"kind": "heart"})
    await anna.sync()
    await live.tick()
    (msg,) = await bob.wait_for("reactions")  # one message for the tick, both senders
    assert msg == {"tick": live.state.tick, "counts": {"applause": 4, "heart": 1}}
    await live.tick(3, advance=0.1)  # nothing new: nothing sent
    await bob.sync()
    assert len(bob.events["reactions"]) == 1


async def test_reactions_over_the_rate_are_dropped(live, clients):
    _, anna, bob, _, _ = await _pair(live, clients)
    for _ in range(30):  # at one instant: the burst of 5 goes through
        await anna.emit("react", {"kind": "bravo"})
    await anna.sync()
    await live.tick()
    (msg,) = await bob.wait_for("reactions")
    assert msg["counts"] == {"bravo": 5}
    live.clock.advance(0.2)  # 5 per second: one more
    for _ in range(3):
        await anna.emit("react", {"kind": "bravo"})
    await anna.sync()
    await live.tick()
    await bob.wait_for("reactions", count=2)
    assert bob.events["reactions"][1]["counts"] == {"bravo": 1}


async def test_unknown_reaction_kind_is_rejected(live, clients):
    _, anna, _, _, _ = await _pair(live, clients)
    await anna.emit("react", {"kind": "boo"})
    (rejected,) = await anna.wait_for("rejected")
    assert rejected["event"] == "react" and rejected["code"] == "invalid_payload"


async def test_snapshot_is_encoded_once_per_instance_not_per_recipient(tmp_path):
    from server import keys

    from .conftest import Client, live_server

    async with live_server(tmp_path, stepped=True) as server:
        event_id = await server.make_event()
        crowd = [Client(server.url, f"M{n}") for n in range(4)]
        try:
            for c in crowd:
                await c.connect()
                await c.call("join", {"event_id": event_id})
            ticker = server.app[keys.TICKER]
            assert ticker.snapshots == 0  # join snapshots go to the joiner, not via the tick
            await crowd[0].emit("pose", [99, *HEAD])
            await crowd[0].sync()
            await server.tick(3, advance=0.1)
            received = []
            for c in crowd:
                (data,) = await c.wait_for(
                    "snap", where=lambda d: any(m.seq == 99 for m in decode_snapshot(d).changed)
                )
                received.append(data)
            assert ticker.snapshots == 1  # four recipients, three ticks, one encoding
            assert all(data == received[0] for data in received)
        finally:
            for c in crowd:
                await c.close()
