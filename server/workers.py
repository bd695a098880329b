"""The build pool: worker processes for CPU work (venue builds, gzip, posters).

Forkserver, not fork: the parent has threads (aiosqlite) and a running loop. The
fork server imports the scene builders once; every worker (of this and any later
pool in the process) starts from it without re-importing trimesh.

Every process of the pool dies with the server, even a SIGKILLed one
(:mod:`server.worker_lifeline`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import signal
from concurrent.futures import ProcessPoolExecutor

from .worker_lifeline import arm_in_worker

# server.fork_server_init first: the fork server's lifeline is armed before the long imports
PRELOAD = [
    "server.fork_server_init",
    "scenes.cache",
    "server.posters",
    "server.storage.blobs",
    "server.workers",
]


def _start_worker() -> None:
    # Ctrl-C reaches the whole process group; the server shuts its pool down
    # itself, so a worker must not die mid-task with a KeyboardInterrupt trace.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    arm_in_worker()


def new_build_pool(workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    # Start the fork server now, from the thread that makes the pool (the loop's):
    # the parent-death signal follows the thread that forked, not the process, so a
    # fork server started by a short-lived thread would die with that thread.
    multiprocessing.forkserver.ensure_running()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker)
