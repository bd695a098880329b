"""Reconnect within the grace period keeps member id, slot, seat, instance and limits.

The server is stepped: the grace period passes when the test moves the clock.
"""

from __future__ import annotations

import pytest
import pytest_asyncio
import socketio

from server.realtime.snapshot import decode_snapshot

from .conftest import SEAT_IDS, live_server, until

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

GRACE = 1.0


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(
        tmp_path_factory.mktemp("reconnect"), stepped=True, resume_grace_s=GRACE
    ) as server:
        yield server


async def _seated(live, clients):
    event_id = await live.make_event()
    anna, bob = await clients("Anna"), await clients("Bob")
    a = await anna.call("join", {"event_id": event_id})
    await bob.call("join", {"event_id": event_id})
    await anna.call("sit", {"seat_id": SEAT_IDS[0]})
    return event_id, anna, bob, a


async def _lost(live, a) -> None:
    """Wait until the server noticed the dropped socket (the grace period starts then)."""
    await until(lambda: a["member"]["id"] in live.state.detached, what="the member detached")


async def test_resume_within_grace_keeps_identity_seat_and_instance(live, clients):
    _, anna, bob, a = await _seated(live, clients)
    await anna.drop()
    await _lost(live, a)
    await live.tick(advance=GRACE / 2)
    back = await clients("Anna", resume=a["resume"])
    (joined,) = await back.wait_for("joined")
    assert joined["resumed"] is True
    assert joined["member"] == {**a["member"], "seat": SEAT_IDS[0]}
    assert joined["instance"] == a["instance"]
    assert joined["resume"] == a["resume"]
    assert [m["name"] for m in joined["members"]] == ["Bob"]
    await back.wait_for("snap", where=lambda d: decode_snapshot(d).full)
    # the seat is still held
    assert (await bob.call("sit", {"seat_id": SEAT_IDS[0]}))["error"]["code"] == "seat_taken"
    # past the old grace deadline: nobody saw Anna leave or join again
    await live.tick(advance=GRACE)
    await bob.sync()
    assert "member_left" not in bob.events
    assert "member_joined" not in bob.events
    # and her poses flow again under the same slot
    await back.emit("pose", [5, 0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0])
    await back.sync()
    await live.tick()
    slot = a["member"]["slot"]
    await bob.wait_for(
        "snap", where=lambda d: any(m.slot == slot for m in decode_snapshot(d).changed)
    )


async def test_after_grace_member_left_goes_out_and_seat_is_free(live, clients):
    _, anna, bob, a = await _seated(live, clients)
    await anna.drop()
    await _lost(live, a)
    await live.tick(advance=GRACE * 0.75)
    await bob.sync()
    assert "member_left" not in bob.events
    await live.tick(advance=GRACE * 0.25)  # the grace period is over
    (left,) = await bob.wait_for("member_left")
    assert left == {"id": a["member"]["id"], "slot": a["member"]["slot"]}
    assert (await bob.call("sit", {"seat_id": SEAT_IDS[0]}))["ok"]
    late = await clients("Anna", connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await late.connect(resume=a["resume"])
    assert late.connect_error["data"]["code"] == "resume_failed"


async def test_rate_limits_survive_a_reconnect(live, clients):
    _, anna, _, a = await _seated(live, clients)
    for n in range(5):
        assert (await anna.call("chat", {"text": f"m{n}"}))["ok"]
    await anna.drop()
    back = await clients("Anna", resume=a["resume"])
    await back.wait_for("joined")
    assert (await back.call("chat", {"text": "fresh start?"}))["error"]["code"] == "rate_limited"


async def test_resume_while_old_socket_open_closes_the_old_one(live, clients):
    _, anna, bob, a = await _seated(live, clients)
    second = await clients("Anna", resume=a["resume"])
    (joined,) = await second.wait_for("joined")
    assert joined["member"]["id"] == a["member"]["id"]
    await until(lambda: not anna.sio.connected, what="the old socket closed")
    assert (await second.call("chat", {"text": "still me"}))["ok"]
    await live.tick(advance=GRACE * 2)
    await bob.sync()
    assert "member_left" not in bob.events


async def test_leave_invalidates_the_resume_token(live, clients):
    _, anna, _, a = await _seated(live, clients)
    await anna.call("leave")
    await anna.close()
    again = await clients("Anna", connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await again.connect(resume=a["resume"])


async def test_disconnect_before_join_leaves_nothing_behind(live, clients):
    before = len(live.state.members)
    c = await clients("Passer-by")
    assert len(live.state.members) == before + 1
    await c.close()
    await until(lambda: len(live.state.members) == before, what="the member forgotten")
