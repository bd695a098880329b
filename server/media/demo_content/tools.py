"""Running fluidsynth and ffmpeg: Debian's binaries as subprocesses, each with a time limit.

The demo content is made once at start-up (then cached), in the build pool, so a
plain blocking ``subprocess.run`` with a timeout is the right tool; the stderr tail
goes into the error, so a failed build says why.
"""

from __future__ import annotations

import logging
import resource
import subprocess
from collections.abc import Sequence

log = logging.getLogger("zal.media.demo_content")

# address space for one tool: ample for x264 on 720p, a stop for a runaway
MEMORY_LIMIT_BYTES = 3 * 1024**3

# how many tools this process started (tests check that a cached build starts none)
runs = 0


class ToolFailed(RuntimeError):
    pass


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def run_tool(args: Sequence[str], timeout_s: float) -> None:
    global runs
    runs += 1
    log.info("running %s", args[0], extra={"args": " ".join(args)})
    try:
        done = subprocess.run(
            list(args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_s,
            # only setrlimit between fork and exec: no lock a thread could hold
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ToolFailed(f"{args[0]} took longer than {timeout_s:.0f} s") from error
    except FileNotFoundError as error:
        raise ToolFailed(f"{args[0]} is not installed") from error
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-1500:]
        raise ToolFailed(f"{args[0]} exited with {done.returncode}: {tail}")
