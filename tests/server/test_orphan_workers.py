"""A SIGKILLed server takes its build pool with it: fork server, workers, resource tracker.

A killed server runs no clean-up code, so only the kernel (the parent-death signal)
and the pool's own pipes can end those processes; left behind they would hold
100+ MB each, per crash-restart.
"""

import json
import os
import signal
import subprocess
import sys

import pytest

from .serverproc import (
    Server,
    cmdline,
    descendants,
    free_port,
    is_running,
    poll_until,
    process_id,
    rss_kb,
)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree in /proc")


def _kill_all(identities) -> None:
    for identity in identities:
        if is_running(identity):
            os.kill(identity[0], signal.SIGKILL)


def _pool_of(server: Server) -> list[int]:
    """The server's descendants once the fork server has forked build workers."""
    found: list[int] = []

    def workers_spawned() -> bool:
        found[:] = descendants(server.proc.pid)
        fork_servers = [p for p in found if "multiprocessing.forkserver" in cmdline(p)]
        # a worker is a fork of the fork server: same command line, deeper in the tree
        return len(fork_servers) >= 2

    assert poll_until(workers_spawned, seconds=60), [cmdline(p) for p in found]
    return found


def test_sigkilled_server_leaves_no_workers_and_restarts_healthy(tmp_path, scene_cache):
    data_dir = tmp_path / "data"
    env = {"ZAL_SCENE_CACHE": str(scene_cache), "ZAL_BUILD_WORKERS": "2"}
    # the demo renders its posters in the build pool, so the pool has workers at start-up
    server = Server(free_port(), data_dir, tmp_path / "first", "--demo", **env)
    pool: list[tuple[int, str]] = []
    try:
        assert json.loads(server.get("/healthz")) == {"status": "ok"}
        pool = [i for pid in _pool_of(server) if (i := process_id(pid)) is not None]
        names = [cmdline(pid) for pid, _ in pool]
        assert any("multiprocessing.resource_tracker" in n for n in names), names
        assert sum("multiprocessing.forkserver" in n for n in names) >= 2, names
        assert sum(rss_kb(pid) for pid, _ in pool) > 0

        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=30)
        alive = lambda: [i for i in pool if is_running(i)]  # noqa: E731
        assert poll_until(lambda: not alive(), seconds=30), [
            f"{pid} {rss_kb(pid)} kB {cmdline(pid)[:80]}" for pid, _ in alive()
        ]
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(timeout=30)
        _kill_all(pool)  # after a failure: leave nothing behind on the test machine

    again = Server(free_port(), data_dir, tmp_path / "second", "--demo", **env)
    try:
        assert json.loads(again.get("/healthz")) == {"status": "ok"}
        assert json.loads(again.get("/api/events?when=live"))["events"]
        old = {pid for pid, _ in pool}
        new_pool = descendants(again.proc.pid)
        assert new_pool and not old & set(new_pool)
    finally:
        os.killpg(again.proc.pid, signal.SIGINT)
        try:
            again.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(again.proc.pid, signal.SIGKILL)
            raise
    assert again.proc.returncode == 0
    assert "Traceback" not in again.stderr()
