"""The fixed-rate tick: one snapshot per changed instance, one reactions message per audience.

Each snapshot is encoded once and handed to the room as the same bytes for every
recipient. Only instances and audiences marked dirty since the last tick are
visited, so a still audience costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

import socketio
from redis.exceptions import RedisError

from . import protocol as p
from .audience import Departure, LiveState
from .server import fan_out
from .shared_live import SharedLive
from .snapshot import encode_snapshot

log = logging.getLogger("zal.realtime")


def send_snapshot(sio: socketio.AsyncServer, room: str, data: bytes) -> Awaitable[None]:
    """How a snapshot goes on the wire (docs/PROTOCOL.md section 7).

    Today: a Socket.IO binary event ``snap`` (placeholder frame + attachment),
    encoded once for the room. The one place to change if the benchmark picks
    another framing.
    """
    return fan_out(sio, p.SNAP, data, room)


class Ticker:
    """Runs every ``1 / hz`` seconds, cut into ``slices`` equal slices.

    Each instance is sent in one slice of the period, ``instance.seq % slices``
    (a steady phase: one snapshot per period, the same distance apart), so the
    writes of a large audience are spread over the period instead of leaving in
    one burst. Expiry, reactions and the listeners run once per period, in slice
    0. ``slices=1`` sends every instance at once (the design before issue 14).
    """

    def __init__(
        self,
        sio: socketio.AsyncServer,
        state: LiveState,
        hz: float,
        clock: Callable[[], float] = time.monotonic,
        slices: int = 1,
    ):
        if slices < 1:
            raise ValueError(f"tick slices must be >= 1, got {slices}")
        self.sio = sio
        self.state = state
        self.period = 1.0 / hz
        self.slices = slices
        self.slice_period = self.period / slices
        self.next_slice = 0  # the slice tick_slices() runs next
        self.clock = clock
        # called every period with the time and the members whose grace ended
        # (tour groups drop them, group_events.py)
        self.listeners: list[Callable[[float, list[Departure]], Awaitable[None]]] = []
        # several processes: reactions are summed in Redis (shared_live.py)
        self.shared: SharedLive | None = None
        # counters for benchmarks and logs (plain ints: read, never reset)
        self.ticks = 0  # periods begun
        self.slices_run = 0
        self.late_ticks = 0  # wake-ups that were late and ran more than one slice
        self.snapshots = 0
        self.snapshot_bytes = 0  # encoded once; the wire carries it once per recipient
        self.busy_seconds = 0.0  # time spent inside the slices

    async def run(self) -> None:
        next_at = self.clock()  # when the next slice is due
        while True:
            started = self.clock()
            # every slice due by now, in one pass: when the loop wakes late (a busy
            # process), slices are not starved one wake-up each; under overload
            # this becomes the whole period at once, never less than that
            due = max(1, min(self.slices, int((started - next_at) / self.slice_period) + 1))
            if due > 1:
                self.late_ticks += 1
            try:
                await self.tick_slices(due)
            except Exception:  # a bug must not stop the audience's clock
                log.exception("tick failed")
            self.busy_seconds += self.clock() - started
            next_at += due * self.slice_period
            if self.clock() - next_at > self.period:
                # more than a period behind (overloaded): start the schedule again
                # from now instead of bursting to catch up
                next_at = self.clock()
            await asyncio.sleep(max(0.0, next_at - self.clock()))

    async def tick(self) -> None:
        """One whole period at once: the period's work and every dirty instance.

        Tests step this by hand (the injectable clock): one call delivers
        everything due, whatever the number of slices.
        """
        await self._step(range(1), 1)

    async def _shared_reactions(self, tick: int) -> None:
        """Several processes: the audience's total of a finished window, to this
        process's members (shared_live.exchange_reactions)."""
        assert self.shared is not None
        counts: dict[str, dict[str, int]] = {}
        for audience in self.state.take_reacting():
            if audience.reactions:
                counts[audience.key] = audience.reactions
                audience.reactions = {}
        audiences = {a.key: a for a in self.state.audiences.values() if a.instances}
        try:
            totals = await self.shared.exchange_reactions(counts, list(audiences), self.period)
        except (RedisError, OSError):  # Redis away: this process's own, to its own
            totals = counts
        for key, total in totals.items():
            here = audiences.get(key)
            if here is not None and total:
                message = {"tick": tick, "counts": total}
                await fan_out(self.sio, p.REACTIONS, message, here.room, local=True)

    async def tick_slices(self, count: int = 1) -> None:
        """The next ``count`` slices of the period, in one pass (``run`` calls this)."""
        first = self.next_slice
        phases = [(first + k) % self.slices for k in range(min(count, self.slices))]
        self.next_slice = (first + count) % self.slices
        await self._step(phases, self.slices)

    async def _step(self, phases: Sequence[int], slices: int) -> None:
        state = self.state
        now = self.clock()
        sends: list[Awaitable[None]] = []
        gone: list[Departure] = []
        self.slices_run += len(phases)
        period_starts = 0 in phases
        if period_starts:
            self.ticks += 1
            state.tick = (state.tick + 1) & 0xFFFF
            gone = state.expire(now)
            for departure in gone:
                sends.append(
                    self.sio.emit(
                        p.MEMBER_LEFT,
                        {"id": departure.member.id, "slot": departure.slot},
                        room=departure.instance.room,
                        namespace=p.NAMESPACE,
                    )
                )
        server_ms = int(now * 1000)
        for instance in state.take_dirty_instances(phases, slices):
            changed, removed = instance.collect()
            if changed or removed:
                data = encode_snapshot(state.tick, server_ms, changed, removed)
                self.snapshots += 1
                self.snapshot_bytes += len(data)
                sends.append(send_snapshot(self.sio, instance.room, data))
        if period_starts:
            if self.shared is None:
                for audience in state.take_reacting():
                    counts = audience.reactions
                    audience.reactions = {}
                    if counts:
                        message = {"tick": state.tick, "counts": counts}
                        sends.append(fan_out(self.sio, p.REACTIONS, message, audience.room))
            else:
                sends.append(self._shared_reactions(state.tick))
            sends.extend(listener(now, gone) for listener in self.listeners)
        if sends:
            await asyncio.gather(*sends)
