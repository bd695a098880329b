"""HTTP server benchmark: start-up times and request latencies of ``zal serve --demo``.

    .venv/bin/python -m benchmarks.http_server [--requests 200] [--concurrency 8]

Starts the real server as a subprocess on a free loopback port three times: cold
(empty data dir and empty scene cache: every venue is built), fresh data dir with a
warm scene cache (what each test pays), and a restart on the same data dir. Then
fires ``--requests`` GETs per endpoint, ``--concurrency`` at a time, and prints
median and 95th percentile latencies in milliseconds, plus bytes on the wire.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def start(data_dir: Path, cache: Path) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    env = dict(os.environ, ZAL_SCENE_CACHE=str(cache), ZAL_LOG_LEVEL="WARNING")
    began = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
            "--demo",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        while True:
            if proc.poll() is not None:
                raise SystemExit("server exited during start-up")
            try:
                async with session.get(f"{base}/healthz") as r:
                    if r.status == 200:
                        return proc, base, time.perf_counter() - began
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


async def latencies(base: str, path: str, n: int, concurrency: int, headers: dict) -> tuple:
    times: list[float] = []
    sizes: list[int] = []
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(auto_decompress=False) as session:

        async def one() -> None:
            async with gate:
                t = time.perf_counter()
                async with session.get(base + path, headers=headers) as r:
                    body = await r.read()
                times.append((time.perf_counter() - t) * 1000)
                sizes.append(len(body))

        await asyncio.gather(*(one() for _ in range(n)))
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], sizes[0]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        proc, _, cold = await start(Path(tmp) / "a", cache)
        stop(proc)
        proc, _, fresh = await start(Path(tmp) / "b", cache)
        stop(proc)
        proc, base, restart = await start(Path(tmp) / "b", cache)
        emit(
            f"start-up to /healthz: cold {cold:.1f} s, fresh data dir + warm cache "
            f"{fresh:.1f} s, restart {restart:.1f} s"
        )
        try:
            async with aiohttp.ClientSession() as s:
                async with s.get(f"{base}/api/venues/philharmonic") as r:
                    glb = (await r.json())["scene_url"]
            gz = {"Accept-Encoding": "gzip"}
            cases = [
                ("/healthz", {}),
                ("/api/venues", gz),
                ("/api/events?when=live", gz),
                ("/api/venues/philharmonic", gz),
                (glb, gz),
                (glb, {"If-None-Match": f'"{glb[8:72]}"'}),
            ]
            emit(f"{'path':<44} {'median ms':>10} {'p95 ms':>8} {'bytes':>9}")
            for path, headers in cases:
                med, p95, size = await latencies(
                    base, path, args.requests, args.concurrency, headers
                )
                label = (path[:30] + "..." if len(path) > 33 else path) + (
                    " (304)" if "If-None-Match" in headers else ""
                )
                emit(f"{label:<44} {med:>10.1f} {p95:>8.1f} {size:>9}")
        finally:
            stop(proc)


if __name__ == "__main__":
    asyncio.run(main())
