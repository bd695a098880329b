"""The ticker's slices (issue 14): each instance's snapshot in its own slice of the
period, at a steady phase; the period's work once per period; hand-stepped tick()
still delivers everything. Pure: a recording stand-in for the Socket.IO server and
an injectable clock, no sockets."""

from __future__ import annotations

import asyncio

import pytest

from server.realtime import protocol as p
from server.realtime import ticker as ticker_module
from server.realtime.audience import LiveState
from server.realtime.snapshot import decode_snapshot
from server.realtime.ticker import Ticker

SEATS = frozenset({"a/1"})
POSE = [0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """Takes the ticker's broadcasts and emits; remembers (time, event, room)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.sent: list[tuple[float, str, str, object]] = []

    async def broadcast(
        self, event: str, data: object, room: str, namespace: str, local: bool = False
    ) -> None:
        self.sent.append((self.clock(), event, room, data))

    async def emit(self, event: str, data: object, room: str, namespace: str) -> None:
        self.sent.append((self.clock(), event, room, data))

    def rooms(self, event: str = p.SNAP) -> list[str]:
        return [room for _, e, room, _ in self.sent if e == event]


def _setup(instances: int, slices: int, hz: float = 10.0):
    clock = Clock()
    state = LiveState(capacity=1, grace=1.0)
    audience = state.audience("evt", "hall", SEATS)
    members = []
    for i in range(instances):
        m = state.connect(f"sid-{i}", f"P{i}", None, clock())
        state.join(m, audience)
        members.append(m)
    sio = Recorder(clock)
    ticker = Ticker(sio, state, hz, clock, slices=slices)  # type: ignore[arg-type]
    return clock, state, audience, members, sio, ticker


def _move_all(state: LiveState, members, clock: Clock, seq: int) -> None:
    for m in members:
        m.limits.pose.tokens = m.limits.pose.burst  # rate limits are not under test
        assert state.pose(m, seq, POSE, clock())


async def _period(ticker: Ticker, clock: Clock, sio: Recorder) -> list[list[str]]:
    """Run one period slice by slice; the rooms sent in each slice."""
    per_slice = []
    for _ in range(ticker.slices):
        before = len(sio.rooms())
        await ticker.tick_slices()
        per_slice.append(sio.rooms()[before:])
        clock.now += ticker.slice_period
    return per_slice


async def test_each_instance_in_its_own_slice_once_per_period_at_a_steady_phase():
    clock, state, _, members, sio, ticker = _setup(instances=8, slices=4)
    rooms = [m.instance.room for m in members]
    assert [m.instance.seq for m in members] == list(range(8))  # round robin
    first = []
    for seq in (1, 2, 3):
        _move_all(state, members, clock, seq)
        per_slice = await _period(ticker, clock, sio)
        # two instances a slice, each exactly once a period
        assert [len(s) for s in per_slice] == [2, 2, 2, 2]
        assert sorted(r for s in per_slice for r in s) == sorted(rooms)
        for phase, sent in enumerate(per_slice):
            assert sorted(sent) == sorted(rooms[phase::4])
        if not first:
            first = per_slice
        assert per_slice == first  # the same slice every period
    assert ticker.ticks == 3 and ticker.slices_run == 12 and state.tick == 3
    # a snapshot carries its own slice's time: a quarter period apart
    times = sorted({t for t, e, _, _ in sio.sent if e == p.SNAP})
    assert times[1] - times[0] == pytest.approx(ticker.slice_period)


async def test_a_pose_after_its_slice_waits_for_that_slice_next_period():
    clock, state, _, members, sio, ticker = _setup(instances=4, slices=4)
    late = members[0]  # slice 0
    await ticker.tick_slices()  # slice 0 passes with nothing dirty
    _move_all(state, [late], clock, 1)
    for _ in range(3):  # slices 1..3 do not send it
        await ticker.tick_slices()
    assert sio.rooms() == []
    await ticker.tick_slices()  # slice 0 of the next period does
    assert sio.rooms() == [late.instance.room]
    snap = decode_snapshot(sio.sent[-1][3])  # type: ignore[arg-type]
    assert [m.slot for m in snap.changed] == [late.slot] and snap.removed == []


async def test_reactions_expiry_and_listeners_once_per_period_in_slice_zero():
    clock, state, audience, members, sio, ticker = _setup(instances=4, slices=4)
    heard: list[float] = []

    async def listener(now, gone):
        heard.append(now)

    ticker.listeners.append(listener)
    state.detach(members[3].sid, clock())  # grace 1 s
    clock.now += 1.0
    for m in members[:3]:
        assert state.react(m, "applause", clock())
    per_slice_reactions = []
    per_slice_left = []
    for _ in range(4):
        before_r, before_l = len(sio.rooms(p.REACTIONS)), len(sio.rooms(p.MEMBER_LEFT))
        await ticker.tick_slices()
        per_slice_reactions.append(len(sio.rooms(p.REACTIONS)) - before_r)
        per_slice_left.append(len(sio.rooms(p.MEMBER_LEFT)) - before_l)
        # a reaction arriving mid-period waits for the next period's slice 0
        members[1].limits.react.tokens = members[1].limits.react.burst
        assert state.react(members[1], "heart", clock())
    assert per_slice_reactions == [1, 0, 0, 0]
    assert per_slice_left == [1, 0, 0, 0]
    assert len(heard) == 1 and state.tick == 1
    counts = [d for _, e, _, d in sio.sent if e == p.REACTIONS][0]["counts"]  # type: ignore[index]
    assert counts == {"applause": 3}
    await ticker.tick_slices()  # the next period: the hearts
    hearts = [d for _, e, _, d in sio.sent if e == p.REACTIONS][1]["counts"]  # type: ignore[index]
    assert hearts == {"heart": 4}
    assert len(sio.rooms(p.REACTIONS)) == 2 and len(heard) == 2 and state.tick == 2


async def test_hand_stepped_tick_delivers_everything_whatever_the_slices():
    clock, state, audience, members, sio, ticker = _setup(instances=7, slices=5)
    _move_all(state, members, clock, 1)
    assert state.react(members[0], "bravo", clock())
    await ticker.tick()
    assert sorted(sio.rooms()) == sorted(m.instance.room for m in members)
    assert len(sio.rooms(p.REACTIONS)) == 1 and state.tick == 1
    await ticker.tick()  # nothing changed: nothing sent
    assert len(sio.rooms()) == 7


async def test_one_slice_is_the_whole_period_at_once():
    clock, state, _, members, sio, ticker = _setup(instances=6, slices=1)
    _move_all(state, members, clock, 1)
    await ticker.tick_slices()
    assert len(sio.rooms()) == 6 and ticker.slice_period == ticker.period


async def test_run_sleeps_a_slice_between_slices(monkeypatch):
    clock, state, _, members, sio, ticker = _setup(instances=4, slices=4, hz=20.0)
    _move_all(state, members, clock, 1)
    sleeps: list[float] = []

    async def fake_sleep(delay: float) -> None:
        sleeps.append(delay)
        clock.now += delay
        if len(sleeps) == 8:
            raise asyncio.CancelledError

    monkeypatch.setattr(ticker_module.asyncio, "sleep", fake_sleep)
    with pytest.raises(asyncio.CancelledError):
        await ticker.run()
    assert sleeps == [pytest.approx(0.0125)] * 8  # 50 ms period / 4 slices
    snap_times = [t - 100.0 for t, e, _, _ in sio.sent if e == p.SNAP]
    assert snap_times == pytest.approx([0.0, 0.0125, 0.025, 0.0375])
    assert ticker.ticks == 2 and ticker.late_ticks == 0


async def test_a_late_wake_up_runs_every_slice_due_in_one_pass(monkeypatch):
    clock, state, _, members, sio, ticker = _setup(instances=8, slices=4)
    _move_all(state, members, clock, 1)
    passes: list[list[str]] = []
    sleeps: list[float] = []

    async def slow_sleep(delay: float) -> None:
        # the loop wakes 60 ms after it was asked: a busy process
        sleeps.append(delay)
        clock.now += delay + 0.06
        passes.append(sio.rooms()[sum(len(x) for x in passes) :])
        if len(sleeps) == 3:
            raise asyncio.CancelledError

    monkeypatch.setattr(ticker_module.asyncio, "sleep", slow_sleep)
    with pytest.raises(asyncio.CancelledError):
        await ticker.run()
    # on time: slice 0; 60 ms late for slice 1: slices 1, 2, 3 at once (due by
    # then), then 60 ms late again: the next period's slices 0, 1, 2 at once
    rooms = [m.instance.room for m in members]
    assert sorted(passes[0]) == sorted(rooms[0::4])
    assert sorted(passes[1]) == sorted(rooms[1::4] + rooms[2::4] + rooms[3::4])
    assert ticker.late_ticks == 2 and ticker.slices_run == 1 + 3 + 3
    assert ticker.ticks == 2 and state.tick == 2


def test_slices_must_be_positive():
    with pytest.raises(ValueError):
        Ticker(None, LiveState(), 10.0, slices=0)  # type: ignore[arg-type]
