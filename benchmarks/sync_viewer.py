"""A simulated viewer of benchmarks/media_sync.py: a real Socket.IO client of ``/live``
that follows the stage like the browser (web_client/src/stage/sync.js, show.js),
or like hls.js on a live stream, against a simulated playhead. See media_sync.py's
docstring for the model."""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

JOIN_SPREAD_S = 5.0
JITTER_S = (0.020, 0.150)
LIVE_HOLD_S = 6.0  # liveSyncDuration in player.js
SEGMENT_S = 4.0
TOLERANCE_S = 0.3


class Playhead:
    """A <video>'s currentTime: advances with the viewer's clock at playbackRate."""

    def __init__(self) -> None:
        self.ready = False
        self.position = 0.0
        self.rate = 1.0
        self.paused = True
        self.seek_until: float | None = None  # local time the seek finishes
        self.limit = math.inf  # the end of what it has loaded: it stalls there
        self._since = 0.0

    def at(self, local: float) -> float:
        if not self.ready or self.paused or self.seek_until is not None:
            return self.position
        return min(self.limit, self.position + (local - self._since) * self.rate)

    def settle(self, local: float) -> None:
        self.position = self.at(local)
        self._since = local

    def set_rate(self, rate: float, local: float) -> None:
        if abs(self.rate - rate) > 0.002:
            self.settle(local)
            self.rate = rate

    def seek(self, position: float, local: float, rng: random.Random) -> None:
        self.settle(local)
        self.position = position
        self.seek_until = local + rng.uniform(0.15, 0.6)


@dataclass
class Viewer:
    url: str
    event_id: str
    case: str
    rng: random.Random
    sio: Any = None
    skew: float = 0.0
    drift: float = 0.0
    offset: float | None = None
    samples: list[tuple[float, float]] = field(default_factory=list)  # (offset, rtt)
    stage: dict[str, Any] | None = None
    head: Playhead = field(default_factory=Playhead)
    seek_lead: float = 0.25
    seek_started: float | None = None
    seeks: int = 0
    # live, undated: the playlist as this viewer last saw it
    edge: float | None = None
    advanced_at: float = 0.0
    joined: bool = False
    ready_at: float | None = None  # local time its video could play
    settled_in: float | None = None  # seconds from then to its first error <= 0.3 s

    def __post_init__(self) -> None:
        import socketio

        self.sio = socketio.AsyncClient(reconnection=False)
        self.skew = self.rng.uniform(-5.0, 5.0)
        self.drift = self.rng.uniform(-100e-6, 100e-6)

        @self.sio.on("stage", namespace="/live")
        async def _stage(data: dict[str, Any]) -> None:
            await asyncio.sleep(self.jitter())
            self.apply(data)

    def jitter(self) -> float:
        return self.rng.uniform(*JITTER_S)

    def local(self, true_now: float | None = None) -> float:
        t = time.time() if true_now is None else true_now
        return t + self.skew + (t - EPOCH) * self.drift

    def server_now(self) -> float:
        return self.local() + (self.offset or 0.0)

    def apply(self, stage: dict[str, Any]) -> None:
        if self.stage is not None and stage["version"] < self.stage["version"]:
            return
        self.stage = stage
        if self.offset is None:
            self.offset = stage["now"] - self.local()  # ServerClock.hint

    async def call(self, event: str, data: Any) -> Any:
        await asyncio.sleep(self.jitter())
        ack = await self.sio.call(event, data, namespace="/live", timeout=10)
        await asyncio.sleep(self.jitter())
        return ack

    async def sample_clock(self) -> None:
        t0 = self.local()
        ack = await self.call("time", {})
        t1 = self.local()
        if not ack.get("ok"):
            return
        self.samples = [*self.samples[-7:], (ack["now"] - (t0 + t1) / 2, t1 - t0)]
        self.offset = min(self.samples, key=lambda s: s[1])[0]

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.sleep(self.rng.uniform(0, JOIN_SPREAD_S))
        await self.sio.connect(self.url, namespaces=["/live"], transports=["websocket"],
                               auth={"name": "Viewer"}, wait_timeout=10)  # fmt: skip
        ack = await self.call("join", {"event_id": self.event_id})
        self.apply(ack["stage"])
        self.joined = True
        ready_in = self.rng.uniform(0.3, 2.0)
        if self.case == "live, undated":
            await self.reload_playlist()
        burst = asyncio.create_task(self.clock_burst())
        await asyncio.sleep(ready_in)
        self.start_playing()
        next_sample = time.monotonic() + 5.0
        next_playlist = time.monotonic() + SEGMENT_S
        resample: asyncio.Task | None = None
        while not stop.is_set():
            now = time.monotonic()
            if now >= next_sample and burst.done() and (resample is None or resample.done()):
                next_sample = now + 5.0
                resample = asyncio.create_task(self.sample_clock())
            if self.case == "live, undated" and now >= next_playlist:
                advanced = await self.reload_playlist()
                next_playlist = time.monotonic() + (SEGMENT_S if advanced else SEGMENT_S / 2)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.05)
        for task in (burst, resample):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self.sio.disconnect()

    async def clock_burst(self) -> None:
        for i in range(8):
            await self.sample_clock()
            if i < 7:
                await asyncio.sleep(0.25)

    # -- the player ------------------------------------------------------------------
    def target(self) -> float:
        """sync.js targetPosition at our estimate of the server's now."""
        s = self.stage or {}
        position = s["position"] + (self.server_now() - s["at"] if s["playing"] else 0.0)
        if self.case == "live, dated":
            position -= LIVE_HOLD_S
        return max(0.0, position)

    def start_playing(self) -> None:
        local = self.local()
        if self.case == "live, undated":
            start = (self.edge or 0.0) - LIVE_HOLD_S  # liveSyncPosition
        else:
            start = self.target() + self.rng.uniform(-2.0, 2.0)
        self.head.position, self.head._since = max(0.0, start), local
        self.head.ready, self.head.paused = True, False
        self.ready_at = local

    def frame(self) -> None:
        head, local = self.head, self.local()
        if not head.ready:
            return
        if self.case == "live, undated":
            head.limit = self.edge or 0.0  # only what its playlist lists can be loaded
        elif self.case == "live, dated":
            head.limit = published_edge(HOSTS[self.event_id], time.time())
        head.settle(local)
        if head.seek_until is not None:
            if local < head.seek_until:
                return
            head.seek_until, head._since = None, local
            if self.seek_started is not None:  # RateSync.seekDone on "playing"
                took = local - self.seek_started
                self.seek_lead = min(2.0, 0.5 * self.seek_lead + 0.5 * took)
                self.seek_started = None
        if self.case == "live, undated":
            self.hls_latency_control(local)
        else:
            self.rate_sync(local)

    def rate_sync(self, local: float) -> None:
        """RateSync.update (web_client/src/stage/sync.js)."""
        head = self.head
        target = self.target()
        error = head.at(local) - target
        if self.settled_in is None and abs(error) <= TOLERANCE_S and self.ready_at is not None:
            self.settled_in = local - self.ready_at
        if abs(error) > 1.0:
            self.seek_started = local
            self.seeks += 1
            head.seek(target + self.seek_lead, local, self.rng)
            head.set_rate(1.0, local)
            return
        nudge = 0.0 if abs(error) < 0.03 else max(-0.05, min(0.05, -error * 0.5))
        head.set_rate(1.0 + nudge, local)

    def hls_latency_control(self, local: float) -> None:
        """hls.js 1.7 LatencyController.onTimeupdate with the player's config."""
        head = self.head
        if self.edge is None:
            return
        age = max(0.0, local - self.advanced_at)
        latency = self.edge + age - head.at(local)
        if latency > 12.0:  # liveMaxLatencyDuration: back to liveSyncPosition
            self.seeks += 1
            head.seek(self.edge + age - LIVE_HOLD_S, local, self.rng)
            return
        distance = latency - LIVE_HOLD_S
        stalled = max(0.0, age - 3 * SEGMENT_S)
        if 0.05 < distance < SEGMENT_S + LIVE_HOLD_S:
            rate = round(2 / (1 + math.exp(-0.75 * distance - stalled)) * 20) / 20
            head.set_rate(min(1.05, max(1.0, rate)), local)
        else:
            head.set_rate(1.0, local)

    async def reload_playlist(self) -> bool:
        """A live playlist reload: whole 4 s segments up to the edge when it is read."""
        await asyncio.sleep(self.jitter())
        edge = published_edge(HOSTS[self.event_id], time.time())
        await asyncio.sleep(self.jitter())
        if self.edge is None or edge > self.edge:
            self.edge, self.advanced_at = edge, self.local()
            return True
        return False


EPOCH = time.time()
HOSTS: dict[str, dict[str, Any]] = {}  # event id -> the stage as the host's ack says


def true_position(stage: dict[str, Any], now: float) -> float:
    return stage["position"] + (now - stage["at"] if stage["playing"] else 0.0)


def published_edge(stage: dict[str, Any], now: float) -> float:
    """A live stream's playlist ends at the last whole segment before the edge."""
    return SEGMENT_S * math.floor(true_position(stage, now) / SEGMENT_S)
