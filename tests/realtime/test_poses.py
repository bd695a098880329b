"""Poses in, one quantised snapshot per instance per tick out; reactions aggregated."""

from __future__ import annotations

import asyncio

import pytest

from server.realtime.snapshot import HANDS, SEATED, VR, decode_snapshot

from .conftest import SEAT_IDS

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

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
    (data,) = await bob.wait_for("snap", where=lambda d: _member(d, slot) is not None)
    m = _member(data, slot)
    assert m.flags == SEATED | VR | HANDS
    assert m.hands[0][0] == (-0.3, 1.2, -3.3)
    assert m.hands[1][0] == (0.3, 1.2, -3.3)


async def test_only_the_latest_pose_per_tick_is_sent(live, clients):
    _, anna, bob, a, _ = await _pair(live, clients)
    slot = a["member"]["slot"]
    for seq in range(1, 4):  # well inside one tick (100 ms) and inside the burst
        await anna.emit("pose", [seq, 0.0, 1.6, float(seq), 0.0, 0.0, 0.0, 1.0])
    (data,) = await bob.wait_for(
        "snap", where=lambda d: (_member(d, slot) or 0) and _member(d, slot).seq == 3
    )
    seen = [_member(d, slot).seq for d in bob.events["snap"] if _member(d, slot)]
    assert seen[-1] == 3
    assert len(seen) < 3  # intermediate poses were folded into the latest


async def test_poses_over_20_hz_are_dropped_not_queued(live, clients):
    _, anna, _, a, _ = await _pair(live, clients)
    member = live.state.members[a["member"]["id"]]
    for seq in range(40):  # a burst: the bucket holds 5
        await anna.emit("pose", [seq, 0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0])
    await anna.call("stand")  # a round trip: every pose before it has been handled
    assert member.dropped_poses >= 30
    assert "rejected" not in anna.events  # dropping is silent


async def test_snapshot_sent_once_per_tick_and_not_when_still(live, clients):
    _, anna, bob, a, _ = await _pair(live, clients)
    await anna.emit("pose", [1, *HEAD])
    await bob.wait_for("snap", count=2)  # the join full snapshot + the pose
    before = len(bob.events["snap"])
    await asyncio.sleep(0.5)  # 5 ticks with nobody moving
    assert len(bob.events["snap"]) == before


async def test_joiner_gets_a_full_snapshot_of_present_poses(live, clients):
    event_id = await live.make_event()
    anna = await clients("Anna")
    a = await anna.call("join", {"event_id": event_id})
    await anna.emit("pose", [42, *HEAD])
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
    totals: dict[str, int] = {}

    def done(_msg) -> bool:
        totals.clear()
        for msg in bob.events["reactions"]:
            for kind, n in msg["counts"].items():
                totals[kind] = totals.get(kind, 0) + n
        return totals == {"applause": 4, "heart": 1}

    await bob.wait_for("reactions", where=done)
    assert all(set(m) == {"tick", "counts"} for m in bob.events["reactions"])
    assert all(all(n > 0 for n in m["counts"].values()) for m in bob.events["reactions"])


async def test_reactions_over_the_rate_are_dropped(live, clients):
    _, anna, bob, _, _ = await _pair(live, clients)
    for _ in range(30):
        await anna.emit("react", {"kind": "bravo"})
    await anna.call("stand")
    await bob.wait_for("reactions")
    await asyncio.sleep(0.25)
    total = sum(m["counts"].get("bravo", 0) for m in bob.events["reactions"])
    assert 5 <= total <= 7  # the burst of 5 plus what refilled meanwhile


async def test_unknown_reaction_kind_is_rejected(live, clients):
    _, anna, _, _, _ = await _pair(live, clients)
    await anna.emit("react", {"kind": "boo"})
    (rejected,) = await anna.wait_for("rejected")
    assert rejected["event"] == "react" and rejected["code"] == "invalid_payload"


async def test_snapshot_is_encoded_once_per_instance_not_per_recipient(tmp_path):
    from server import keys

    from .conftest import Client, live_server

    async with live_server(tmp_path) as server:
        event_id = await server.make_event()
        crowd = [Client(server.url, f"M{n}") for n in range(4)]
        try:
            for c in crowd:
                await c.connect()
                await c.call("join", {"event_id": event_id})
            await asyncio.sleep(0.25)  # joins settled: nothing pending
            ticker = server.app[keys.TICKER]
            before = ticker.snapshots
            await crowd[0].emit("pose", [99, *HEAD])
            for c in crowd:
                await c.wait_for(
                    "snap", where=lambda d: any(m.seq == 99 for m in decode_snapshot(d).changed)
                )
            await asyncio.sleep(0.25)
            assert ticker.snapshots - before == 1  # four recipients, one encoding
        finally:
            for c in crowd:
                await c.close()
