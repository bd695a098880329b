"""Run one shard of simulated members in this process and collect raw results.

A shard connects its members (a bounded number at a time), joins them to the
event, then waits for a start time (immediately when alone; from the parent
process when several shards share the load, so all start together). One sender
loop wakes every 10 ms and sends the poses that are due: member ``i`` sending at
``r`` Hz sends on every ``100 / r``-th wake-up, phase-shifted by its index, so
sends are spread evenly and no member needs a timer of its own.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import resource
import socket
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp

from . import frames
from .client import Counters, Member
from .protocols import NAMESPACE, pose_values

log = logging.getLogger(__name__)

SLOT_S = 0.010  # sender loop period
REACTIONS = ("applause", "bravo", "heart", "laugh", "flowers")
CHAT_LINES = ("Bravo!", "What a sound", "Hello from row B", "Encore!", "Beautiful")


@dataclass(frozen=True)
class LoadConfig:
    url: str
    event_id: str
    clients: int
    hz: float = 10.0
    seconds: float = 10.0
    mix: str = "uniform"  # uniform: everyone moves at hz; concert: see member_plan
    chat_rate: float = 0.5  # chat messages per second, whole audience
    react_rate: float = 0.2  # reactions per member per second
    compression: bool = True  # offer permessage-deflate, as browsers do
    observer_every: int = 10  # every n-th member decodes what it receives
    warmup: float = 2.0
    drain: float = 1.5
    connect_concurrency: int = 50
    vr_hz: float = 20.0  # concert mix: the fifth in VR
    seated_move_rate: float = 0.1  # concert mix: movement episodes per second
    seated_move_seconds: float = 1.0


@dataclass(frozen=True, slots=True)
class MemberPlan:
    hz: float
    hands: bool
    always_moving: bool


def member_plan(cfg: LoadConfig, idx: int) -> MemberPlan:
    """``uniform``: all send at ``hz``. ``concert``: one in five is in VR (``vr_hz``,
    with hands, always moving); the rest are seated and send at ``hz`` only during
    short movement episodes (a head turn), about ``seated_move_rate`` per second."""
    if cfg.mix == "concert":
        if idx % 5 == 0:
            return MemberPlan(cfg.vr_hz, True, True)
        return MemberPlan(cfg.hz, False, False)
    return MemberPlan(cfg.hz, False, True)


def is_observer(cfg: LoadConfig, idx: int) -> bool:
    # offset 3 so that in the concert mix observers are not all the VR members
    return idx % cfg.observer_every == 3 % cfg.observer_every


def ws_url(url: str) -> str:
    base = url.rstrip("/")
    if base.startswith("http"):
        base = "ws" + base[4:]
    return f"{base}/socket.io/?EIO=4&transport=websocket"


_TCP_INFO_BYTES = struct.Struct("=QQ")  # tcpi_bytes_acked, tcpi_bytes_received


def tcp_bytes(member: Member) -> tuple[int, int]:
    """(bytes sent and acked, bytes received) on the member's TCP connection.

    Linux ``TCP_INFO`` counts TCP payload, i.e. websocket frames on the wire after
    permessage-deflate, which is what bandwidth figures should use.
    """
    if member.ws is None:
        return 0, 0
    sock = member.ws.get_extra_info("socket")
    if sock is None:
        return 0, 0
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    except OSError:
        return 0, 0
    if len(info) < 136:
        return 0, 0
    return _TCP_INFO_BYTES.unpack_from(info, 120)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_shard(
    cfg: LoadConfig,
    shard: int = 0,
    shards: int = 1,
    wait_for_start: Callable[[], Awaitable[float]] | None = None,
) -> dict[str, Any]:
    """Connect this shard's members, run the load, return raw (mergeable) results."""
    counters = Counters()
    indices = [i for i in range(cfg.clients) if i % shards == shard]
    members = [Member(i, is_observer(cfg, i), counters) for i in indices]
    url = ws_url(cfg.url)
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    session = aiohttp.ClientSession(connector=connector)
    sem = asyncio.Semaphore(cfg.connect_concurrency)
    t_connect = time.monotonic()

    async def connect(m: Member) -> bool:
        async with sem:
            try:
                await m.connect(session, url, {"name": f"sim {m.idx}"}, cfg.compression)
                await m.join(cfg.event_id)
                return True
            except Exception as exc:  # counted and reported, never fatal
                counters.error(f"connect:{type(exc).__name__}")
                log.debug("member %d failed to connect: %r", m.idx, exc)
                await m.close()
                return False

    ok = await asyncio.gather(*(connect(m) for m in members))
    connect_seconds = time.monotonic() - t_connect
    live = [m for m, good in zip(members, ok, strict=True) if good]
    log.info(
        "shard %d: %d/%d members joined in %.1fs", shard, len(live), len(members), connect_seconds
    )

    start = await wait_for_start() if wait_for_start else time.monotonic() + 0.2
    t0 = start + cfg.warmup
    t1 = t0 + cfg.seconds
    loop = asyncio.get_running_loop()
    marks: dict[str, Any] = {}

    def begin() -> None:
        counters.measuring = True
        marks["cpu0"] = _cpu_seconds()
        marks["tcp0"] = [tcp_bytes(m) for m in live]

    def finish() -> None:
        counters.measuring = False
        marks["cpu1"] = _cpu_seconds()
        marks["tcp1"] = [tcp_bytes(m) for m in live]

    # call_at uses the loop clock, which is time.monotonic() on the default loop
    loop.call_at(t0, begin)
    loop.call_at(t1, finish)
    lags = await _send_loop(cfg, live, start, t1, counters)
    await asyncio.sleep(max(0.0, t1 + cfg.drain - time.monotonic()))
    await asyncio.gather(*(m.close() for m in members))
    await session.close()

    wire_in = wire_out = 0
    for (o0, i0), (o1, i1) in zip(marks.get("tcp0", []), marks.get("tcp1", []), strict=False):
        wire_out += o1 - o0
        wire_in += i1 - i0
    lags.sort()
    return {
        "config": asdict(cfg),
        "shard": shard,
        "shards": shards,
        "members": [[m.idx, m.instance, m.slot, m.observer, m in live] for m in members],
        "sends": {str(m.idx): m.sends for m in live},
        "seen": {
            str(m.idx): {str(slot): [s, t] for slot, (s, t) in m.seen.items()}
            for m in live
            if m.observer
        },
        "window": [t0, t1],
        "counters": {
            "messages": counters.messages,
            "frames": counters.frames,
            "payload_bytes": counters.payload_bytes,
            "sent": counters.sent,
            "errors": counters.errors,
            "error_kinds": counters.kinds,
        },
        "wire_in": wire_in,
        "wire_out": wire_out,
        "cpu_seconds": marks.get("cpu1", 0.0) - marks.get("cpu0", 0.0),
        "connect_seconds": connect_seconds,
        "send_lag_p99": lags[int(0.99 * (len(lags) - 1))] if lags else 0.0,
        "send_lag_max": lags[-1] if lags else 0.0,
    }


async def _send_loop(
    cfg: LoadConfig, live: list[Member], start: float, stop: float, counters: Counters
) -> list[float]:
    """Send poses (and some chat and reactions) from ``start`` until ``stop``.

    Returns how late each wake-up was (seconds): if the load process cannot keep
    up, this grows, and the report says so.
    """
    rng = random.Random(12345 + (live[0].idx if live else 0))
    groups: dict[tuple[int, int], list[tuple[Member, MemberPlan]]] = {}
    for m in live:
        plan = member_plan(cfg, m.idx)
        period = max(1, round(1.0 / (plan.hz * SLOT_S)))
        groups.setdefault((period, m.idx % period), []).append((m, plan))
    moving_until: dict[int, float] = {}
    total_members = max(1, cfg.clients)
    chat_per_slot = cfg.chat_rate * SLOT_S * len(live) / total_members
    react_per_slot = cfg.react_rate * SLOT_S * len(live)
    move_p = cfg.seated_move_rate * SLOT_S
    chat_credit = react_credit = 0.0
    lags: list[float] = []
    slot = 0
    now = time.monotonic()
    while True:
        target = start + slot * SLOT_S
        if target >= stop:
            break
        if target > now:
            await asyncio.sleep(target - now)
        now = time.monotonic()
        lags.append(now - target)
        t = now - start
        for (period, phase), group in groups.items():
            if slot % period != phase:
                continue
            for m, plan in group:
                if m.closed:
                    continue
                if not plan.always_moving:
                    # a seated member starts a head turn now and then (checked once a period)
                    until = moving_until.get(m.idx, 0.0)
                    if now >= until:
                        if rng.random() < move_p * period:
                            moving_until[m.idx] = now + cfg.seated_move_seconds
                        else:
                            continue
                seq = len(m.sends)
                m.sends.append(time.monotonic())
                frame = frames.event_frame(
                    NAMESPACE, "pose", pose_values(m.idx, seq, t, plan.hands)
                )
                await m.send_text(frame)
        chat_credit += chat_per_slot
        while chat_credit >= 1.0 and live:
            chat_credit -= 1.0
            m = rng.choice(live)
            if not m.closed:
                m.send_event_nowait_ack("chat", {"text": rng.choice(CHAT_LINES)})
        react_credit += react_per_slot
        while react_credit >= 1.0 and live:
            react_credit -= 1.0
            m = rng.choice(live)
            if not m.closed:
                await m.send_text(
                    frames.event_frame(NAMESPACE, "react", {"kind": rng.choice(REACTIONS)})
                )
        slot += 1
    return lags


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]
