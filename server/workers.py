"""The build pool: worker processes for CPU work (venue builds, gzip, posters).

Forkserver, not fork: the parent has threads (aiosqlite) and a running loop. The
fork server imports the scene builders once; every worker (of this and any later
pool in the process) starts from it without re-importing trimesh.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor

PRELOAD = ["scenes.cache", "server.posters", "server.storage.blobs", "server.workers"]


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the server shuts its pool down
    # itself, so a worker must not die mid-task with a KeyboardInterrupt trace.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def new_build_pool(workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_ignore_interrupts
    )
