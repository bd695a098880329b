"""Split one load test over several processes (``--processes N``).

Each child runs :func:`runner.run_shard` on every N-th member, prints ``READY``
once its members have joined, and starts sending when the parent writes
``GO <monotonic time>`` (CLOCK_MONOTONIC is system-wide on Linux, so all shards
share one schedule and one measurement window). Children inherit the parent's
CPU affinity, so ``taskset -c 1 zal loadtest --processes 2`` keeps them on core 1.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .runner import LoadConfig, run_shard


async def run_sharded(cfg: LoadConfig, processes: int) -> list[dict[str, Any]]:
    if processes <= 1:
        return [await run_shard(cfg)]
    with tempfile.TemporaryDirectory(prefix="zal-loadtest-") as tmp:
        outs = [Path(tmp) / f"shard{i}.json" for i in range(processes)]
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "server.loadtest.shards",
                json.dumps(asdict(cfg)),
                str(i),
                str(processes),
                str(outs[i]),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            for i in range(processes)
        ]
        try:
            for p in procs:
                assert p.stdout is not None
                line = await asyncio.wait_for(p.stdout.readline(), 600)
                if not line.startswith(b"READY"):
                    raise RuntimeError(f"load shard failed to start: {line!r}")
            go = time.monotonic() + 0.3
            for p in procs:
                assert p.stdin is not None
                p.stdin.write(f"GO {go!r}\n".encode())
                await p.stdin.drain()
            for p in procs:
                if await p.wait() != 0:
                    raise RuntimeError(f"load shard exited with {p.returncode}")
        finally:
            for p in procs:
                if p.returncode is None:
                    p.kill()
                    await p.wait()
        return [json.loads(o.read_text()) for o in outs]


async def _child(cfg: LoadConfig, shard: int, shards: int, out: Path) -> None:
    loop = asyncio.get_running_loop()

    async def wait_for_start() -> float:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        line = await loop.run_in_executor(None, sys.stdin.readline)
        return float(line.split()[1])

    result = await run_shard(cfg, shard, shards, wait_for_start)
    out.write_text(json.dumps(result))


if __name__ == "__main__":
    _cfg = LoadConfig(**json.loads(sys.argv[1]))
    asyncio.run(_child(_cfg, int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])))
