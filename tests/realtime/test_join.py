"""Joining events and venues, instances, seats, leaving."""

from __future__ import annotations

import pytest

from server.realtime.snapshot import FLAG_FULL, decode_snapshot

from .conftest import SEAT_IDS, VENUE_ID

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


async def test_join_event_returns_member_instance_and_chat_state(live, clients):
    event_id = await live.make_event()
    anna = await clients("Anna")
    ack = await anna.call("join", {"event_id": event_id})
    assert ack["ok"] is True
    assert ack["member"]["name"] == "Anna"
    assert ack["member"]["id"].startswith("m_")
    assert ack["member"]["slot"] == 0
    assert ack["member"]["host"] is False
    assert ack["instance"]["index"] == 1
    assert ack["instance"]["capacity"] == 50
    assert ack["audience"] == {"event_id": event_id, "venue_id": VENUE_ID}
    assert ack["members"] == []
    assert ack["chat"] == {"history": [], "slow_mode": 0, "closed": False}
    assert len(ack["resume"]) >= 32
    snap = decode_snapshot((await anna.wait_for("snap"))[0])
    assert snap.full and snap.changed == []
    assert FLAG_FULL == 1


async def test_join_venue_without_event(live, clients):
    bob = await clients("Bob")
    ack = await bob.call("join", {"venue_id": VENUE_ID})
    assert ack["ok"] is True
    assert ack["audience"] == {"event_id": None, "venue_id": VENUE_ID}
    assert ack["instance"]["id"] == f"venue:{VENUE_ID}/1"
    assert (await bob.call("leave"))["ok"] is True


async def test_join_unknown_event_or_venue_is_not_found(live, clients):
    c = await clients()
    assert (await c.call("join", {"event_id": "no-such-event"}))["error"]["code"] == "not_found"
    assert (await c.call("join", {"venue_id": "no-such-venue"}))["error"]["code"] == "not_found"


async def test_join_needs_exactly_one_of_event_and_venue(live, clients):
    c = await clients()
    event_id = await live.make_event()
    both = await c.call("join", {"event_id": event_id, "venue_id": VENUE_ID})
    assert both["error"]["code"] == "invalid_payload"
    assert (await c.call("join", {}))["error"]["code"] == "invalid_payload"


async def test_second_join_without_leave_is_refused(live, clients):
    event_id = await live.make_event()
    c = await clients()
    assert (await c.call("join", {"event_id": event_id}))["ok"]
    again = await c.call("join", {"event_id": event_id})
    assert again["error"]["code"] == "already_joined"


async def test_others_see_member_joined_and_get_member_list(live, clients):
    event_id = await live.make_event()
    anna, bob = await clients("Anna"), await clients("Bob")
    a = await anna.call("join", {"event_id": event_id})
    b = await bob.call("join", {"event_id": event_id})
    assert b["members"] == [a["member"]]
    assert b["member"]["slot"] == 1
    assert b["member"]["colour"] != a["member"]["colour"]
    (joined,) = await anna.wait_for("member_joined")
    assert joined == b["member"]


async def test_leave_tells_the_instance_and_frees_the_slot(live, clients):
    event_id = await live.make_event()
    anna, bob, cleo = await clients("Anna"), await clients("Bob"), await clients("Cleo")
    await anna.call("join", {"event_id": event_id})
    b = await bob.call("join", {"event_id": event_id})
    assert (await bob.call("leave"))["ok"]
    (left,) = await anna.wait_for("member_left")
    assert left == {"id": b["member"]["id"], "slot": 1}
    # the freed slot goes out as removed in a snapshot before anyone reuses it
    await anna.wait_for("snap", where=lambda d: 1 in decode_snapshot(d).removed)
    c = await cleo.call("join", {"event_id": event_id})
    assert c["member"]["slot"] == 1
    assert (await bob.call("leave"))["error"]["code"] == "not_joined"


async def test_sit_claims_a_seat_and_others_see_it(live, clients):
    event_id = await live.make_event()
    anna, bob = await clients("Anna"), await clients("Bob")
    a = await anna.call("join", {"event_id": event_id})
    await bob.call("join", {"event_id": event_id})
    ack = await anna.call("sit", {"seat_id": SEAT_IDS[0]})
    assert ack == {"ok": True, "seat": SEAT_IDS[0]}
    (update,) = await bob.wait_for("member_updated")
    assert update == {"id": a["member"]["id"], "slot": 0, "seat": SEAT_IDS[0]}
    taken = await bob.call("sit", {"seat_id": SEAT_IDS[0]})
    assert taken["error"]["code"] == "seat_taken"
    unknown = await bob.call("sit", {"seat_id": "balcony/Z/99"})
    assert unknown["error"]["code"] == "unknown_seat"
    # moving to another seat frees the first one
    assert (await anna.call("sit", {"seat_id": SEAT_IDS[1]}))["seat"] == SEAT_IDS[1]
    assert (await bob.call("sit", {"seat_id": SEAT_IDS[0]}))["ok"]
    assert (await anna.call("stand"))["seat"] is None
    assert (await bob.call("sit", {"seat_id": SEAT_IDS[1]}))["ok"]


async def test_sit_without_join_is_not_joined(live, clients):
    c = await clients()
    assert (await c.call("sit", {"seat_id": SEAT_IDS[0]}))["error"]["code"] == "not_joined"


async def test_leave_frees_the_seat(live, clients):
    event_id = await live.make_event()
    anna, bob = await clients("Anna"), await clients("Bob")
    await anna.call("join", {"event_id": event_id})
    await bob.call("join", {"event_id": event_id})
    await anna.call("sit", {"seat_id": SEAT_IDS[2]})
    await anna.call("leave")
    assert (await bob.call("sit", {"seat_id": SEAT_IDS[2]}))["ok"]


async def test_host_token_gives_host_role_in_its_event_only(live, clients):
    event_id = await live.make_event()
    host = await clients("Host", token=live.token)
    ack = await host.call("join", {"event_id": event_id})
    assert ack["member"]["host"] is True
    wrong = await clients("Pretender", token="not-the-token")
    assert (await wrong.call("join", {"event_id": event_id}))["member"]["host"] is False
    # a token given in join works too
    late = await clients("Late host")
    assert (await late.call("join", {"event_id": event_id, "token": live.token}))["member"]["host"]
    # a venue audience has no host, whatever the token
    venue_visit = await clients("Visitor", token=live.token)
    assert (await venue_visit.call("join", {"venue_id": VENUE_ID}))["member"]["host"] is False
