"""Pure audience state: instances, slots, seats, dirty sets, grace, reactions."""

from __future__ import annotations

import pytest

from server.realtime.audience import LiveState
from server.realtime.protocol import ClientError
from server.realtime.snapshot import SEATED, decode_snapshot, encode_snapshot

SEATS = frozenset({"a/1", "a/2"})
POSE = [0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0]


def _crowd(state: LiveState, n: int, key: str = "evt"):
    audience = state.audience(key, "hall", SEATS)
    members = []
    for i in range(n):
        m = state.connect(f"sid-{key}-{i}", f"P{i}", None, 0.0)
        state.join(m, audience)
        members.append(m)
    return audience, members


def test_instances_fill_in_order_up_to_capacity():
    state = LiveState(capacity=3)
    audience, members = _crowd(state, 7)
    assert [m.instance.index for m in members] == [1, 1, 1, 2, 2, 2, 3]
    assert [m.slot for m in members] == [0, 1, 2, 0, 1, 2, 0]
    # a place freed in instance 1 is taken before instance 3 fills
    state.leave(members[1])
    late = state.connect("sid-late", "Late", None, 0.0)
    assert state.join(late, audience).index == 1


def test_freed_slot_is_reused_only_after_the_next_snapshot():
    state = LiveState(capacity=5)
    audience, (a, b) = _crowd(state, 2)
    instance = a.instance
    state.leave(a)
    c = state.connect("sid-c", "C", None, 0.0)
    state.join(c, audience)
    assert c.slot == 2  # slot 0 still owes its "removed" to the clients
    changed, removed = instance.collect()
    assert removed == [0]
    d = state.connect("sid-d", "D", None, 0.0)
    state.join(d, audience)
    assert d.slot == 0


def test_empty_instances_and_idle_audiences_are_dropped():
    state = LiveState(capacity=2)
    audience, members = _crowd(state, 3)
    for m in members:
        state.leave(m)
    assert audience.instances == {}
    assert state.audiences == {}
    assert state.dirty_instances == set()


def test_audience_with_moderation_state_is_kept():
    state = LiveState(capacity=2)
    audience, (m,) = _crowd(state, 1)
    audience.closed = True
    state.leave(m)
    assert state.audiences["event:evt"] is audience


def test_pose_marks_only_its_instance_dirty_and_collect_is_per_change():
    state = LiveState(capacity=2)
    _, members = _crowd(state, 4)
    assert state.pose(members[3], 1, POSE, 0.0)
    dirty, _ = state.take_dirty()
    assert dirty == {members[3].instance}
    changed, removed = members[3].instance.collect()
    assert [r[0] for r in changed] == [1] and removed == []
    assert members[3].instance.collect() == ([], [])
    assert state.take_dirty() == (set(), set())


def test_pose_rate_is_20_hz_with_a_burst_of_5():
    state = LiveState(capacity=2)
    _, (m,) = _crowd(state, 1)
    accepted = sum(state.pose(m, i, POSE, 0.0) for i in range(20))
    assert accepted == 5 and m.dropped_poses == 15
    # one second later 20 more tokens (capped at the burst of 5)
    assert sum(state.pose(m, i, POSE, 1.0) for i in range(20)) == 5
    # steady 20 Hz is all accepted
    assert all(state.pose(m, i, POSE, 2.0 + i / 20) for i in range(40))


def test_pose_before_join_is_dropped():
    state = LiveState()
    m = state.connect("sid", "Solo", None, 0.0)
    assert state.pose(m, 1, POSE, 0.0) is False


def test_seats_are_per_instance_and_flagged_in_records():
    state = LiveState(capacity=1)
    _, (a, b) = _crowd(state, 2)
    state.sit(a, "a/1")
    state.sit(b, "a/1")  # another instance: its own seats
    with pytest.raises(ClientError) as err:
        state.sit(a, "z/9")
    assert err.value.code == "unknown_seat"
    state.pose(a, 1, POSE, 0.0)
    assert a.record[2] & SEATED
    state.stand(a)
    assert not a.record[2] & SEATED
    assert a.instance.seats == {}


def test_seat_taken_within_an_instance():
    state = LiveState(capacity=5)
    _, (a, b) = _crowd(state, 2)
    state.sit(a, "a/2")
    with pytest.raises(ClientError) as err:
        state.sit(b, "a/2")
    assert err.value.code == "seat_taken"
    state.leave(a)
    state.sit(b, "a/2")


def test_detached_member_keeps_its_place_until_grace_ends():
    state = LiveState(capacity=5, grace=30.0)
    _, (a, b) = _crowd(state, 2)
    state.sit(a, "a/1")
    token = a.resume
    assert state.detach(a.sid, now=100.0) is a
    assert state.expire(now=129.0) == []
    got, old = state.resume(token, "new-sid", now=129.5)
    assert got is a and old is None and a.slot == 0 and a.seat == "a/1"
    state.detach("new-sid", now=200.0)
    (departure,) = state.expire(now=230.0)
    assert departure.member is a and departure.slot == 0
    assert state.resume(token, "x", now=231.0) is None
    assert a.id not in state.members and "a/1" not in b.instance.seats


def test_unjoined_member_is_forgotten_at_disconnect():
    state = LiveState()
    state.connect("sid", "Solo", None, 0.0)
    assert state.detach("sid", 0.0) is None
    assert state.members == {} and state.by_sid == {}


def test_banned_member_cannot_join_again():
    state = LiveState(capacity=5)
    audience, (m,) = _crowd(state, 1)
    audience.banned.add(m.id)
    state.leave(m)
    with pytest.raises(ClientError) as err:
        state.join(m, audience)
    assert err.value.code == "banned"


def test_reactions_accumulate_per_audience_and_respect_the_rate():
    state = LiveState(capacity=2)
    audience, members = _crowd(state, 3)
    for m in members:
        for _ in range(7):
            state.react(m, "applause", 0.0)
    assert state.react(members[0], "boo", 1.0) is False
    _, reacting = state.take_dirty()
    assert reacting == {audience}
    assert audience.reactions == {"applause": 15}  # 3 members x burst of 5


def test_host_role_is_bound_to_the_audience():
    state = LiveState()
    a1 = state.audience("one", "hall", SEATS)
    a2 = state.audience("two", "hall", SEATS)
    m = state.connect("sid", "Host", "tok", 0.0)
    state.join(m, a1, host=True)
    assert m.is_host
    state.leave(m)
    state.join(m, a2, host=False)
    assert not m.is_host


def test_full_snapshot_holds_everyone_with_a_pose():
    state = LiveState(capacity=5)
    _, members = _crowd(state, 3)
    state.pose(members[0], 10, POSE, 0.0)
    state.pose(members[2], 12, POSE, 0.0)
    records = members[0].instance.full()
    snap = decode_snapshot(encode_snapshot(0, 0, records, [], full=True))
    assert [(m.slot, m.seq) for m in snap.changed] == [(0, 10), (2, 12)]
