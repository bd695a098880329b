"""The fixed-rate tick: one snapshot per changed instance, one reactions message per audience.

Each snapshot is encoded once and handed to the room as the same bytes for every
recipient. Only instances and audiences marked dirty since the last tick are
visited, so a still audience costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import socketio

from . import protocol as p
from .audience import Departure, LiveState
from .server import fan_out
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
    def __init__(
        self,
        sio: socketio.AsyncServer,
        state: LiveState,
        hz: float,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.sio = sio
        self.state = state
        self.period = 1.0 / hz
        self.clock = clock
        # called every tick with the time and the members whose grace ended
        # (tour groups drop them, group_events.py)
        self.listeners: list[Callable[[float, list[Departure]], Awaitable[None]]] = []
        # counters for benchmarks and logs (plain ints: read, never reset)
        self.ticks = 0
        self.late_ticks = 0  # ticks that started more than a period late
        self.snapshots = 0
        self.snapshot_bytes = 0  # encoded once; the wire carries it once per recipient
        self.busy_seconds = 0.0  # time spent inside tick()

    async def run(self) -> None:
        next_at = self.clock()
        while True:
            next_at += self.period
            started = self.clock()
            try:
                await self.tick()
            except Exception:  # a bug must not stop the audience's clock
                log.exception("tick failed")
            self.ticks += 1
            self.busy_seconds += self.clock() - started
            delay = next_at - self.clock()
            if delay < 0:
                # overloaded: skip the missed ticks instead of bursting to catch up
                self.late_ticks += 1
                next_at = self.clock()
                delay = 0
            await asyncio.sleep(delay)

    async def tick(self) -> None:
        state = self.state
        state.tick = (state.tick + 1) & 0xFFFF
        now = self.clock()
        sends: list[Awaitable[None]] = []
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
        instances, audiences = state.take_dirty()
        server_ms = int(now * 1000)
        for instance in instances:
            changed, removed = instance.collect()
            if changed or removed:
                data = encode_snapshot(state.tick, server_ms, changed, removed)
                self.snapshots += 1
                self.snapshot_bytes += len(data)
                sends.append(send_snapshot(self.sio, instance.room, data))
        for audience in audiences:
            counts = audience.reactions
            audience.reactions = {}
            if counts:
                message = {"tick": state.tick, "counts": counts}
                sends.append(fan_out(self.sio, p.REACTIONS, message, audience.room))
        sends.extend(listener(now, gone) for listener in self.listeners)
        if sends:
            await asyncio.gather(*sends)
