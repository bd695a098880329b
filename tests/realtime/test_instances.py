"""Instances, real clients: avatars stay in their instance; chat and reactions span the event."""

from __future__ import annotations

import pytest
import pytest_asyncio

from server.realtime.snapshot import decode_snapshot

from .conftest import SEAT_IDS, live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

POSE = [0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("inst")
    async with live_server(path, stepped=True, instance_capacity=2) as server:
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
    await anna.emit("pose", [3, *POSE])
    await cleo.sync()
    await anna.sync()
    await live.tick()
    for c in (anna, bob, cleo):
        await c.sync()

    def seqs(client) -> list[int]:
        return [m.seq for d in client.events["snap"] for m in decode_snapshot(d).changed]

    assert seqs(anna) == seqs(bob) == [3]
    assert seqs(cleo) == [9]
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
    await anna.sync()
    await cleo.sync()
    await live.tick()
    for c in (anna, bob, cleo):
        (msg,) = await c.wait_for("reactions")
        assert msg["counts"] == {"flowers": 2}


async def test_one_snapshot_per_tick_whatever_the_pose_rate(live, clients):
    _, [(anna, _), (bob, _), _] = await _event_of_three(live, clients)
    bob.events["snap"].clear()
    seq = 0
    for _ in range(10):  # a second of 10 Hz ticks; Anna moves at 20 Hz
        for _ in range(2):
            seq += 1
            await anna.emit("pose", [seq, 0.0, 1.6, seq / 100, 0.0, 0.0, 0.0, 1.0])
            await anna.sync()
            live.clock.advance(0.05)
        await live.tick()
    await bob.sync()
    moving = [decode_snapshot(d).changed for d in bob.events["snap"]]
    # one snapshot per tick carrying the latest of its two poses, never one per pose
    assert [[m.seq for m in changed] for changed in moving] == [[n] for n in range(2, 21, 2)]
