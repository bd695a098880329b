"""Instances, real clients: avatars stay in their instance; chat and reactions span the event."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio

from server.realtime.snapshot import decode_snapshot

from .conftest import SEAT_IDS, live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

POSE = [0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(tmp_path_factory.mktemp("inst"), instance_capacity=2) as server:
        yield server


async def _event_of_three(live, clients):
    event_id = await live.make_event()
    made = []
    for name in ("Anna", "Bob", "Cleo"):
        c = await clients(name)
        made.append((c, await c.call("join", {"event_id": event_id})))
    return event_id, made


async def test_overflow_goes_to_the_next_instance(live, clients):
    _, [(_, a), (_, b), (_, c)] = await _event_of_three(live, clients)
    assert [x["instance"]["index"] for x in (a, b, c)] == [1, 1, 2]
    assert c["members"] == []  # Cleo's hall is her own
    assert [m["name"] for m in b["members"]] == ["Anna"]


async def test_avatars_stay_within_their_instance(live, clients):
    _, [(anna, _), (bob, _), (cleo, c)] = await _event_of_three(live, clients)
    await cleo.emit("pose", [9, *POSE])
    await cleo.wait_for("snap", where=lambda d: any(m.seq == 9 for m in decode_snapshot(d).changed))
    await anna.emit("pose", [3, *POSE])
    await bob.wait_for("snap", where=lambda d: any(m.seq == 3 for m in decode_snapshot(d).changed))
    await asyncio.sleep(0.25)
    for d in anna.events["snap"] + bob.events["snap"]:
        assert all(m.seq != 9 for m in decode_snapshot(d).changed)
    for d in cleo.events["snap"]:
        assert all(m.seq != 3 for m in decode_snapshot(d).changed)
    assert "member_joined" not in cleo.events


async def test_each_instance_has_its_own_seats(live, clients):
    _, [(anna, _), (bob, _), (cleo, c)] = await _event_of_three(live, clients)
    assert (await anna.call("sit", {"seat_id": SEAT_IDS[0]}))["ok"]
    assert (await cleo.call("sit", {"seat_id": SEAT_IDS[0]}))["ok"]
    assert (await bob.call("sit", {"seat_id": SEAT_IDS[0]}))["error"]["code"] == "seat_taken"
    # Cleo hears only about her own instance
    assert [u["id"] for u in cleo.events["member_updated"]] == [c["member"]["id"]]


async def test_reactions_are_summed_over_instances(live, clients):
    _, [(anna, _), (bob, _), (cleo, _)] = await _event_of_three(live, clients)
    await anna.emit("react", {"kind": "flowers"})
    await cleo.emit("react", {"kind": "flowers"})

    def total(_msg) -> bool:
        return sum(m["counts"].get("flowers", 0) for m in bob.events["reactions"]) == 2

    await bob.wait_for("reactions", where=total)


async def test_one_snapshot_per_tick_whatever_the_pose_rate(live, clients):
    _, [(anna, _), (bob, _), _] = await _event_of_three(live, clients)
    bob.events["snap"].clear()
    loop = asyncio.get_running_loop()
    start = loop.time()
    seq = 0
    while loop.time() - start < 1.0:  # Anna moves at 20 Hz for a second
        seq += 1
        await anna.emit("pose", [seq, 0.0, 1.6, seq / 100, 0.0, 0.0, 0.0, 1.0])
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.15)
    moving = [d for d in bob.events["snap"] if decode_snapshot(d).changed]
    # 10 Hz tick: about 10 snapshots for about 20 poses (never one per pose)
    assert 6 <= len(moving) <= 13
    assert len(moving) < seq * 0.75
