"""Run the upload pipeline (:mod:`.worker`) as a limited subprocess.

``prlimit --cpu`` bounds its CPU time, :func:`server.media.process.run_tool`
adds the address-space limit, the parent-death signal and a wall-time limit;
the event loop only awaits the process. Whatever ends the worker (a limit, a
crash) becomes a refusal with a clear message, never an exception.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ..media.errors import ProcessTimeout
from ..media.process import run_tool
from .budgets import Budgets

WORKER = "server.scene_uploads.worker"


@dataclass(frozen=True)
class WorkerLimits:
    cpu_s: int = 120
    memory_bytes: int = 2 << 30
    wall_s: float = 300.0


def _killed(limits: WorkerLimits, how: str) -> dict:
    return {
        "ok": False,
        "code": "too_complex",
        "message": (
            f"processing the model {how}: an upload may use {limits.cpu_s} s of CPU time "
            f"and {limits.memory_bytes >> 20} MiB of memory; simplify it and try again"
        ),
    }


async def run_worker(
    src: Path, out_dir: Path, budgets: Budgets, options: dict, limits: WorkerLimits
) -> dict:
    """The worker's JSON answer (see :mod:`.worker`)."""
    job = json.dumps({"budgets": budgets.model_dump(), "options": options})
    args = [
        "prlimit",
        f"--cpu={limits.cpu_s}",
        "--",
        sys.executable,
        "-m",
        WORKER,
        str(src),
        str(out_dir),
        job,
    ]
    try:
        done = await run_tool(
            args,
            timeout_s=limits.wall_s,
            memory_bytes=limits.memory_bytes,
            cwd=Path(__file__).resolve().parents[2],
        )
    except ProcessTimeout:
        return _killed(limits, "took too long")
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        return _killed(limits, "went past its limits")
    try:
        answer = json.loads(lines[-1])
    except ValueError:
        return _killed(limits, "went past its limits")
    return answer if isinstance(answer, dict) else _killed(limits, "failed")
