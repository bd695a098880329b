"""Live-guided tour groups, real clients against the real app (stepped clock): a guide
(a host of the event) makes a group, residents list and join it up to its cap and are
moved into the guide's instance; only the guide gathers, has them follow, points and
moves the tour; the roster shows who lags and who left; the group has its own chat;
whoever leaves the event leaves the group, and the guide's going ends it."""

from __future__ import annotations

import math

import pytest
import pytest_asyncio

from server.realtime.tour_groups import LAGGING_M, gather_spots, pose_of
from server.storage import tours as tours_repo

from .conftest import VENUE_ID, live_server, until

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

TOUR_ID = "test-walk"
STOPS = 3


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("groups")
    # instances of 4: a guide and a group of 2 (the default cap here) leave one place
    async with live_server(path, stepped=True, instance_capacity=4, group_cap=2) as server:
        stops = [
            {"stop_id": f"s{i}", "exhibit_id": None, "seconds": 30, "texts": {},
             "place": {"position": [i * 2.0, 0.0, 0.0], "yaw": 0.0, "pitch": 0.0}}
            for i in range(STOPS)
        ]  # fmt: skip
        await tours_repo.add(
            server.engine, id=TOUR_ID, venue_id=VENUE_ID, title="A walk", description="",
            lang="en", translations={}, stops=stops,
        )  # fmt: skip
        yield server


def pose(x: float, z: float, yaw: float = 0.0, seq: int = 1, y: float = 1.6) -> list:
    """A head pose at (x, y, z) looking at ``yaw`` (0 along -Z, pi/2 along -X)."""
    return [seq, x, y, z, 0.0, math.sin(yaw / 2), 0.0, math.cos(yaw / 2)]


async def _tour(live, clients, cap: int | None = None, tour: bool = True):
    """A guide alone in the event makes a group; then Anna and Bob join the event."""
    event_id = await live.make_event()
    guide = await clients("Guide", token=live.token)
    await guide.call("join", {"event_id": event_id})
    payload: dict = {"name": "Landscapes"}
    if cap is not None:
        payload["cap"] = cap
    if tour:
        payload["tour_id"] = TOUR_ID
    created = await guide.call("group_create", payload)
    assert created["ok"], created
    anna, bob = await clients("Anna"), await clients("Bob")
    joined = [await c.call("join", {"event_id": event_id}) for c in (anna, bob)]
    return event_id, guide, created["group"], anna, bob, joined


async def _grouped(live, clients):
    event_id, guide, group, anna, bob, _ = await _tour(live, clients)
    for c in (anna, bob):
        assert (await c.call("group_join", {"group_id": group["id"]}))["ok"]
    return event_id, guide, group, anna, bob


async def test_a_guide_makes_a_group_members_list_and_join_it_up_to_its_cap(live, clients):
    event_id, guide, group, anna, bob, (a_joined, b_joined) = await _tour(live, clients)
    assert group["role"] == "guide" and group["cap"] == 2 and group["count"] == 0
    assert group["tour_id"] == TOUR_ID and group["stop_count"] == STOPS
    assert group["guide"]["name"] == "Guide" and group["instance"] == f"event:{event_id}/1"
    # the join ack lists the open groups; group_list too
    listed = a_joined["groups"]
    assert [g["id"] for g in listed["groups"]] == [group["id"]] and listed["mine"] is None
    assert (await bob.call("group_list", {}))["groups"] == listed["groups"]
    # the group keeps its places in the guide's instance: Anna fits beside them, Bob not
    assert a_joined["instance"]["index"] == 1 and b_joined["instance"]["index"] == 2
    assert live.state.audiences[f"event:{event_id}"].instances[1].reserved == 2

    ack = await anna.call("group_join", {"group_id": group["id"]})
    assert ack["ok"] and ack["moved"] is False and ack["group"]["role"] == "member"
    assert ack["group"]["count"] == 1 and ack["chat"] == {"history": []}
    await guide.wait_for("group_update", where=lambda u: u["groups"][0]["count"] == 1)

    # Bob joins from instance 2: he is moved into the guide's, with a full snapshot
    ack = await bob.call("group_join", {"group_id": group["id"]})
    assert ack["ok"] and ack["moved"] is True and ack["instance"]["index"] == 1
    (changed,) = await bob.wait_for("instance_changed")
    assert changed["instance"]["index"] == 1 and changed["member"]["name"] == "Bob"
    assert sorted(m["name"] for m in changed["members"]) == ["Anna", "Guide"]
    await bob.wait_for("snap")
    joined = await anna.wait_for("member_joined", where=lambda m: m["name"] == "Bob")
    assert joined[0]["slot"] == changed["member"]["slot"]
    audience = live.state.audiences[f"event:{event_id}"]
    assert sorted(audience.instances) == [1]  # Bob's empty instance is gone
    assert audience.instances[1].count == 3 and audience.instances[1].reserved == 0

    # the group is full at its cap; one group per member; unknown ids are named
    cleo = await clients("Cleo")
    assert (await cleo.call("join", {"event_id": event_id}))["ok"]
    full = await cleo.call("group_join", {"group_id": group["id"]})
    assert full["error"]["code"] == "group_full"
    again = await anna.call("group_join", {"group_id": group["id"]})
    assert again["error"]["code"] == "already_in_group"
    unknown = await cleo.call("group_join", {"group_id": "g_nope"})
    assert unknown["error"] == {"code": "not_found", "message": "no such group in this event"}
    # a group never outgrows an instance (4 here: the guide and 3)
    host2 = await clients("Second guide", token=live.token)
    await host2.call("join", {"event_id": event_id})
    big = await host2.call("group_create", {"name": "Big", "cap": 4})
    assert big["error"]["code"] == "invalid_payload" and "at most 3" in big["error"]["message"]
    # a resident cannot guide
    refused = await cleo.call("group_create", {"name": "Mine"})
    assert refused["error"]["code"] == "forbidden"


async def test_a_guide_without_room_for_its_group_moves_to_an_instance_with_room(live, clients):
    event_id = await live.make_event()
    people = [await clients(n) for n in ("Anna", "Bob")]
    guide = await clients("Guide", token=live.token)
    for c in (*people, guide):
        await c.call("join", {"event_id": event_id})
    # instance 1 holds 3 of 4: no room for a group of 2 beside the guide
    created = await guide.call("group_create", {"name": "Late start", "cap": 2})
    assert created["ok"] and created["instance"]["index"] == 2
    (changed,) = await guide.wait_for("instance_changed")
    assert changed["instance"]["index"] == 2 and changed["members"] == []
    await people[0].wait_for("member_left")
    ack = await people[0].call("group_join", {"group_id": created["group"]["id"]})
    assert ack["moved"] is True and ack["instance"]["index"] == 2


async def test_only_the_guide_moves_the_group(live, clients):
    event_id, guide, group, anna, bob = await _grouped(live, clients)
    other_host = await clients("Other host", token=live.token)
    await other_host.call("join", {"event_id": event_id})
    for who in (anna, other_host):
        for event, payload in (
            ("group_gather", {}),
            ("group_follow", {"on": True}),
            ("group_pointer", {"point": [0, 1, 0]}),
            ("group_pointer", {"point": "anything"}),  # the role is checked first
            ("group_stop", {"index": 1}),
            ("group_end", {}),
            ("group_roster", {}),
        ):
            ack = await who.call(event, payload)
            assert ack["error"]["code"] == "not_guide", (who.name, event, ack)
    await bob.sync()
    for name in ("group_gathered", "group_follow", "group_pointer", "group_stop", "group_ended"):
        assert name not in bob.events


async def test_gather_brings_members_to_the_guide_each_to_a_spot_of_its_own(live, clients):
    _, guide, group, anna, bob = await _grouped(live, clients)
    early = await guide.call("group_gather", {})
    assert early["error"]["code"] == "no_pose"  # the server knows no position yet
    await guide.emit("pose", pose(2.0, 3.0, yaw=math.pi / 2))
    ack = await guide.call("group_gather", {})
    assert ack["ok"] and ack["count"] == 2
    assert ack["guide"]["position"] == [2.0, 1.6, 3.0]
    assert ack["guide"]["yaw"] == pytest.approx(math.pi / 2, abs=0.01)
    spots = []
    for member in (anna, bob):
        (gathered,) = await member.wait_for("group_gathered")
        assert gathered["group_id"] == group["id"] and gathered["guide"] == ack["guide"]
        x, y, z = gathered["spot"]["position"]
        assert y == 1.6 and math.hypot(x - 2.0, z - 3.0) == pytest.approx(1.6, abs=0.01)
        assert x < 2.0  # in front of the guide, who looks along -X
        # each spot looks back at the guide
        yaw = gathered["spot"]["yaw"]
        assert (-math.sin(yaw), -math.cos(yaw)) == pytest.approx(
            ((2.0 - x) / 1.6, (3.0 - z) / 1.6), abs=0.01
        )
        spots.append((x, z))
    assert math.dist(*spots) > 0.7  # not on top of each other
    await guide.sync()
    assert "group_gathered" not in guide.events


async def test_spots_are_distinct_and_stay_inside_the_venue():
    spots = gather_spots((9.5, 1.6, 0.0), -math.pi / 2, 30, ((-10, 0, -10), (10, 8, 10)))
    places = [s[0] for s in spots]
    assert len(set(places)) == 30
    assert all(-9.7 <= x <= 9.7 and -9.7 <= z <= 9.7 for x, _, z in places)


async def test_follow_and_pointer_reach_the_group_only(live, clients):
    event_id, guide, group, anna, bob = await _grouped(live, clients)
    cleo = await clients("Cleo")  # in the event, not in the group
    await cleo.call("join", {"event_id": event_id})
    assert (await guide.call("group_follow", {"on": True})) == {"ok": True, "on": True}
    assert (await guide.call("group_follow", {"on": False}))["on"] is False
    for member in (anna, bob):
        follows = await member.wait_for("group_follow", 2)
        assert [f["on"] for f in follows] == [True, False]
        assert follows[0]["guide"]["member_id"] == group["guide"]["member_id"]
        assert follows[0]["guide"]["slot"] == group["guide"]["slot"]
    assert (await guide.call("group_pointer", {"point": [1.5, 1.2, -4]}))["ok"]
    assert (await guide.call("group_pointer", {"point": None}))["ok"]
    for member in (anna, bob):
        points = await member.wait_for("group_pointer", 2)
        assert [p["point"] for p in points] == [[1.5, 1.2, -4.0], None]
    # outside the test hall (its bounds are -10..10 m), malformed: refused
    for bad in ({"point": [50, 1, 0]}, {"point": [1, 2]}, {"point": [True, 1, 1]}, {}):
        ack = await guide.call("group_pointer", bad)
        assert ack["error"]["code"] == "invalid_payload", bad
    # rate-limited: 10 a second (2 were sent at this very instant)
    codes = [(await guide.call("group_pointer", {"point": [0, 1, 0]}))["ok"] for _ in range(9)]
    assert codes == [True] * 8 + [False]
    live.clock.advance(0.5)
    assert (await guide.call("group_pointer", {"point": [0, 1, 0]}))["ok"]
    for c in (cleo, guide):
        await c.sync()
        assert "group_pointer" not in c.events and "group_follow" not in c.events


async def test_the_guide_moves_the_tour_from_stop_to_stop(live, clients):
    event_id, guide, group, anna, bob = await _grouped(live, clients)
    assert (await guide.call("group_stop", {"index": 2})) == {"ok": True, "stop": 2}
    for member in (anna, bob):
        (stop,) = await member.wait_for("group_stop")
        assert stop == {"group_id": group["id"], "tour_id": TOUR_ID, "index": 2}
    past = await guide.call("group_stop", {"index": STOPS})
    assert past["error"]["code"] == "not_found" and "0..2" in past["error"]["message"]
    assert (await guide.call("group_stop", {"index": -1}))["error"]["code"] == "invalid_payload"
    # a late joiner's ack (a resume's too) carries the group's stop
    state = (await anna.call("group_list", {}))["groups"][0]
    assert state["id"] == group["id"]
    # a group made without a tour has no stops to move to
    host2 = await clients("Second guide", token=live.token)
    await host2.call("join", {"event_id": event_id})
    assert (await host2.call("group_create", {"name": "Free walk"}))["ok"]
    assert (await host2.call("group_stop", {"index": 0}))["error"]["code"] == "no_tour"
    # an unknown tour is refused at creation
    host3 = await clients("Third guide", token=live.token)
    await host3.call("join", {"event_id": event_id})
    unknown = await host3.call("group_create", {"name": "X", "tour_id": "no-such-tour"})
    assert unknown["error"] == {"code": "not_found", "message": "no such tour in this venue"}
    # the test hall hangs no works: it has no default tour either
    default = await host3.call("group_create", {"name": "X", "tour_id": "default"})
    assert default["error"]["code"] == "not_found"


async def test_group_chat_reaches_only_the_group_with_the_halls_rules(live, clients):
    event_id, guide, group, anna, bob = await _grouped(live, clients)
    cleo = await clients("Cleo")
    await cleo.call("join", {"event_id": event_id})
    ack = await anna.call("chat", {"text": "Where next?", "scope": "group"})
    assert ack["ok"]
    for c in (guide, anna, bob):
        (message,) = await c.wait_for("chat_message")
        assert message["text"] == "Where next?" and message["scope"] == "group"
        assert message["group_id"] == group["id"] and message["id"] == ack["id"]
    await cleo.sync()
    assert "chat_message" not in cleo.events
    # the hall's own chat is not the group's, nor its history
    assert (await cleo.call("chat", {"text": "hello hall"}))["ok"]
    await anna.wait_for("chat_message", where=lambda m: m["text"] == "hello hall")
    dora = await clients("Dora")
    history = (await dora.call("join", {"event_id": event_id}))["chat"]["history"]
    assert [m["text"] for m in history] == ["hello hall"]
    # not in a group: no group chat; muted by the host: no group chat either
    lonely = await cleo.call("chat", {"text": "hi", "scope": "group"})
    assert lonely["error"]["code"] == "not_in_group"
    roster = (await guide.call("group_roster", {}))["roster"]["members"]
    anna_id = next(m["member_id"] for m in roster if m["name"] == "Anna")
    assert (await guide.call("mute", {"member_id": anna_id}))["ok"]
    muted = await anna.call("chat", {"text": "again", "scope": "group"})
    assert muted["error"]["code"] == "muted"
    # and the same text rules
    bad = await bob.call("chat", {"text": "   ", "scope": "group"})
    assert bad["error"]["code"] == "invalid_payload"
    assert (await bob.call("chat", {"text": "x", "scope": "room"}))["error"]["code"] == (
        "invalid_payload"
    )


async def test_the_roster_shows_who_lags_and_who_left(live, clients):
    _, guide, group, anna, bob = await _grouped(live, clients)
    await guide.emit("pose", pose(0.0, 0.0))
    await anna.emit("pose", pose(1.0, 0.0))
    await bob.emit("pose", pose(LAGGING_M + 1.0, 0.0))
    for c in (guide, anna, bob):
        await c.sync()
    roster = (await guide.call("group_roster", {}))["roster"]
    assert roster["group_id"] == group["id"] and roster["lagging_m"] == LAGGING_M
    rows = {r["name"]: r for r in roster["members"]}
    assert rows["Anna"]["distance"] == 1.0 and rows["Anna"]["lagging"] is False
    assert rows["Bob"]["distance"] == 9.0 and rows["Bob"]["lagging"] is True
    assert not any(r["left"] for r in rows.values())
    # Bob leaves the group: the guide's roster follows at once, with Bob marked
    assert (await bob.call("group_leave", {}))["ok"]
    pushed = await guide.wait_for("group_roster", where=lambda r: len(r["members"]) == 2 and any(
        m["left"] for m in r["members"]))  # fmt: skip
    bob_row = next(m for m in pushed[-1]["members"] if m["name"] == "Bob")
    assert bob_row["left"] is True and bob_row["distance"] is None
    # the slow tick sends it again, and forgets the one who left after a while
    before = len(guide.events["group_roster"])
    await live.tick(advance=2.5)
    await guide.wait_for("group_roster", before + 1)
    await live.tick(advance=121.0)
    last = await guide.wait_for("group_roster", before + 2)
    assert [m["name"] for m in last[-1]["members"]] == ["Anna"]


async def test_leaving_the_event_leaves_the_group_and_the_guide_going_ends_it(live, clients):
    event_id, guide, group, anna, bob = await _grouped(live, clients)
    assert (await anna.call("leave", {}))["ok"]
    update = await guide.wait_for("group_update", where=lambda u: u["groups"][0]["count"] == 1)
    assert update
    # Bob's connection drops: still in the group through the grace period, then out
    roster = (await guide.call("group_roster", {}))["roster"]["members"]
    bob_id = next(m["member_id"] for m in roster if m["name"] == "Bob")
    await bob.drop()
    await until(lambda: live.state.members[bob_id].sid is None, what="Bob detached")
    await live.tick(advance=2.5)  # the slow tick's roster shows him away
    await guide.wait_for("group_roster", where=lambda r: any(m["away"] for m in r["members"]))
    await live.tick(advance=31.0)
    await guide.wait_for("group_update", where=lambda u: u["groups"][0]["count"] == 0)
    # a newcomer joins; then the guide leaves the event: the group ends
    cleo = await clients("Cleo")
    await cleo.call("join", {"event_id": event_id})
    assert (await cleo.call("group_join", {"group_id": group["id"]}))["ok"]
    assert (await guide.call("leave", {}))["ok"]
    (ended,) = await cleo.wait_for("group_ended")
    assert ended == {"group_id": group["id"], "reason": "guide_left"}
    await cleo.wait_for("group_update", where=lambda u: u["groups"] == [])
    assert (await cleo.call("group_leave", {}))["error"]["code"] == "not_in_group"


async def test_a_guide_ends_the_group(live, clients):
    _, guide, group, anna, bob = await _grouped(live, clients)
    assert (await guide.call("group_end", {}))["ok"]
    for member in (anna, bob):
        (ended,) = await member.wait_for("group_ended")
        assert ended == {"group_id": group["id"], "reason": "ended"}
    # the members are free to join another group; the room is gone
    assert (await guide.call("group_follow", {"on": True}))["error"]["code"] == "not_guide"
    assert (await anna.call("chat", {"text": "hi", "scope": "group"}))["error"]["code"] == (
        "not_in_group"
    )


async def test_malformed_group_payloads_get_clear_errors(live, clients):
    event_id, guide, group, anna, bob, _ = await _tour(live, clients)
    host2 = await clients("Second guide", token=live.token)
    await host2.call("join", {"event_id": event_id})
    for payload in ({"name": ""}, {"name": "x", "cap": 0}, {"name": "x", "extra": 1},
                    {"name": 5}, {"name": "x", "tour_id": "a/b"}, {}):  # fmt: skip
        ack = await host2.call("group_create", payload)
        assert ack["error"]["code"] == "invalid_payload", payload
        live.clock.advance(1.0)  # invalid events are counted: stay under the limit
    for payload in ({"group_id": 5}, {}, {"group_id": "g_x", "more": 1}):
        ack = await anna.call("group_join", payload)
        assert ack["error"]["code"] == "invalid_payload", payload
    assert (await anna.call("group_join", "g_x"))["error"]["message"] == (
        "payload must be a JSON object"
    )
    for event, payload in (("group_follow", {"on": "yes"}), ("group_stop", {"index": 1.5}),
                           ("group_gather", {"now": True})):  # fmt: skip
        ack = await guide.call(event, payload)
        assert ack["error"]["code"] == "invalid_payload", event
    # in a venue without an event there are no groups
    walker = await clients("Walker")
    await walker.call("join", {"venue_id": VENUE_ID})
    assert (await walker.call("group_list", {}))["error"]["code"] == "not_found"


async def test_pose_of_reads_the_servers_quantised_pose():
    from server.realtime.audience import Member

    member = Member("m_x", 1, "X", None, 0.0)
    assert pose_of(member) is None
    from server.realtime.snapshot import pack_pose

    member.head, _ = pack_pose(1, pose(1.25, -2.5, yaw=-2.0)[1:])
    (x, y, z), yaw = pose_of(member)  # type: ignore[misc]
    assert (x, y, z) == (1.25, 1.6, -2.5) and yaw == pytest.approx(-2.0, abs=0.005)


async def test_a_member_who_resumes_is_still_in_the_group(live, clients):
    event_id, guide, group, anna, bob, (a_joined, _) = await _tour(live, clients)
    assert (await anna.call("group_join", {"group_id": group["id"]}))["ok"]
    assert (await guide.call("group_stop", {"index": 1}))["ok"]
    await anna.drop()
    await until(lambda: not any(m.sid for m in live.state.members.values() if m.name == "Anna"))
    back = await clients("Anna", resume=a_joined["resume"])
    (welcome,) = await back.wait_for("joined")
    mine = welcome["groups"]["mine"]
    assert mine["id"] == group["id"] and mine["role"] == "member" and mine["stop"] == 1
    assert (await guide.call("group_follow", {"on": True}))["ok"]
    (follow,) = await back.wait_for("group_follow")  # back in the group's room
    assert follow["on"] is True
