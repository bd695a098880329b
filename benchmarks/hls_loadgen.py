"""The load generator of benchmarks/hls_serving.py, run as its own process on core 1:

    python -m benchmarks.hls_loadgen --plan plan.json --out result.json

``mode: paced``: ``viewers`` simulated HLS players at the real-time pace (one
keep-alive connection each); ``mode: flat``: ``connections`` loops fetching
``paths`` as fast as the server answers (the fallback when wrk is not installed).
Times are ``loop.time()`` = CLOCK_MONOTONIC, the parent's ``time.monotonic()``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
from pathlib import Path

SEGMENT_S = 4.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def _paced(base: str, viewers: int, seconds: float, segments: list[str]) -> dict:
    """``viewers`` players at the real-time pace; measured after one segment length
    (everyone started), for ``seconds``."""
    import aiohttp

    loop = asyncio.get_running_loop()
    began = loop.time()
    # measured from three segment lengths in: every viewer started, start-up bursts over
    t0, t1 = began + 3 * SEGMENT_S, began + 3 * SEGMENT_S + seconds
    lat: list[float] = []
    counts = {"requests": 0, "segments": 0, "bytes": 0, "errors": 0}
    timeout = aiohttp.ClientTimeout(total=30)

    async def get(session: aiohttp.ClientSession, path: str) -> None:
        start = loop.time()
        try:
            async with session.get(base + path) as resp:
                size = 0
                async for chunk in resp.content.iter_any():
                    size += len(chunk)
                ok = resp.status == 200
        except (aiohttp.ClientError, TimeoutError):
            ok, size = False, 0
        end = loop.time()
        if t0 <= end <= t1:
            counts["requests"] += 1
            counts["bytes"] += size
            counts["errors"] += not ok
            if path.endswith(".m4s"):
                counts["segments"] += 1
                lat.append(end - start)

    async def viewer(n: int) -> None:
        await asyncio.sleep(random.uniform(0, SEGMENT_S))
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            for path in ("master.m3u8", "v0.m3u8", "v0_init.mp4"):
                await get(session, path)
            k = random.randrange(len(segments))
            await get(session, segments[k])
            due = loop.time()
            while loop.time() < t1:
                k = (k + 1) % len(segments)
                await get(session, segments[k])
                due += SEGMENT_S
                await asyncio.sleep(max(0.0, due - loop.time()))

    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(*(viewer(n) for n in range(viewers)))
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    wall = loop.time() - began
    # loop.time() is CLOCK_MONOTONIC: the same clock as time.monotonic() in the parent
    return {
        "window": [t0, t1],
        "requests": counts["requests"],
        "segments": counts["segments"],
        "bytes": counts["bytes"],
        "errors": counts["errors"],
        "seg_p50_ms": 1000 * percentile(lat, 0.5),
        "seg_p99_ms": 1000 * percentile(lat, 0.99),
        "loadgen_cpu_pct": 100 * cpu / wall,
    }


async def _flat(base: str, paths: list[str], connections: int, seconds: float) -> dict:
    """The Python fallback when wrk is not installed."""
    import aiohttp

    loop = asyncio.get_running_loop()
    t0 = loop.time() + 1.0
    t1 = t0 + seconds
    lat: list[float] = []
    counts = {"requests": 0, "bytes": 0, "errors": 0}

    async def worker(n: int) -> None:
        k = n
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:
            while loop.time() < t1:
                k = (k + 1) % len(paths)
                start = loop.time()
                async with session.get(base + paths[k]) as resp:
                    size = 0
                    async for chunk in resp.content.iter_any():
                        size += len(chunk)
                end = loop.time()
                if t0 <= end <= t1:
                    counts["requests"] += 1
                    counts["bytes"] += size
                    counts["errors"] += resp.status != 200
                    lat.append(end - start)

    await asyncio.gather(*(worker(n) for n in range(connections)))
    return {
        "window": [t0, t1],
        **counts,
        "p50_ms": 1000 * percentile(lat, 0.5),
        "p99_ms": 1000 * percentile(lat, 0.99),
    }


def loadgen_main(args: argparse.Namespace) -> int:
    plan = json.loads(Path(args.plan).read_text())
    if plan["mode"] == "paced":
        result = asyncio.run(
            _paced(plan["base"], plan["viewers"], plan["seconds"], plan["segments"])
        )
    else:
        result = asyncio.run(
            _flat(plan["base"], plan["paths"], plan["connections"], plan["seconds"])
        )
    Path(args.out).write_text(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="HLS load generator (benchmarks/hls_serving.py)")
    ap.add_argument("--plan", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a socket per viewer
    return loadgen_main(args)


if __name__ == "__main__":
    sys.exit(main())
