"""``zal serve --workers N`` (server/scale/supervisor.py): the parent's rules with
small stand-in workers, and two real Zal workers sharing one port."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from server.app import create_app, demo_ctx, demo_media_ctx
from server.scale.supervisor import Supervisor, listening
from server.settings import Settings
from tests.server.serverproc import Server, free_port, is_running, poll_until, process_id

from .test_nginx_two_processes import private_redis

# a stand-in worker: writes its ZAL_WORKER into a file, then sleeps until SIGTERM
STAND_IN = (
    "import os, pathlib, signal, sys, time\n"
    "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n"
    "folder = pathlib.Path(sys.argv[1])\n"
    "(folder / os.environ['ZAL_WORKER']).write_text(str(os.getpid()))\n"
    "time.sleep(600)\n"
)


class Watched(Supervisor):
    """Calls ``each_poll`` on every turn of the parent's loop (tests act there)."""

    each_poll = staticmethod(lambda: None)

    def _dead(self):
        self.each_poll()
        return super()._dead()


def _supervisor(folder: Path, count: int) -> Watched:
    seen: list[set[str]] = []

    def ready() -> bool:
        seen.append({p.name for p in folder.iterdir()})
        return (folder / "0").exists()

    supervisor = Watched(
        [sys.executable, "-c", STAND_IN, str(folder)], count, ready=ready, stop_timeout_s=5
    )
    supervisor.seen_before_ready = seen  # type: ignore[attr-defined]
    return supervisor


def test_workers_start_after_the_first_is_ready_and_stop_on_sigterm(tmp_path):
    supervisor = _supervisor(tmp_path, 3)

    def all_running_then_sigterm() -> None:
        if all((tmp_path / str(i)).exists() for i in range(3)):
            os.kill(os.getpid(), signal.SIGTERM)  # the parent's handler, as from outside

    supervisor.each_poll = all_running_then_sigterm  # type: ignore[method-assign]
    assert supervisor.run() == 0
    # while worker 0 was starting, no other worker had been started
    assert all(names <= {"0"} for names in supervisor.seen_before_ready)  # type: ignore[attr-defined]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0", "1", "2"]
    assert [proc.returncode for proc in supervisor.procs] == [0, 0, 0]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the parent's handler undone


def test_a_worker_that_dies_stops_the_others_and_the_parent_fails(tmp_path):
    supervisor = _supervisor(tmp_path, 2)

    def kill_worker_1() -> None:
        if (tmp_path / "1").exists() and supervisor.procs[1].poll() is None:
            supervisor.procs[1].kill()
            supervisor.procs[1].wait()

    supervisor.each_poll = kill_worker_1  # type: ignore[method-assign]
    assert supervisor.run() != 0
    assert supervisor.procs[1].returncode == -signal.SIGKILL
    assert supervisor.procs[0].returncode == 0  # stopped by the parent's SIGTERM


def test_later_workers_make_no_demo_and_tidy_nothing(tmp_path):
    first = create_app(Settings(data_dir=tmp_path, demo=True, worker=0))
    later = create_app(Settings(data_dir=tmp_path, demo=True, worker=1))
    assert demo_ctx in first.cleanup_ctx and demo_media_ctx in first.cleanup_ctx
    assert demo_ctx not in later.cleanup_ctx and demo_media_ctx not in later.cleanup_ctx


def test_more_workers_need_redis_and_a_fixed_port(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ZAL_REDIS_URL"}
    for args, message in (
        (["--workers", "2"], "needs Redis"),
        (["--workers", "2", "--redis-url", "redis://127.0.0.1:1/0", "--port", "0"],
         "fixed --port"),
    ):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "server", "serve", "--data-dir", str(tmp_path), *args],
            capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert message in done.stderr


def _listeners(port: int) -> set[int]:
    """Pids with a listening socket on ``port`` (ss from iproute2)."""
    out = subprocess.run(
        ["ss", "-H", "-ltnp", f"sport = :{port}"], capture_output=True, text=True
    ).stdout
    return {int(pid) for pid in re.findall(r"pid=(\d+)", out)}


needs_redis_and_ss = pytest.mark.skipif(
    shutil.which("redis-server") is None or shutil.which("ss") is None,
    reason="redis-server and ss are needed",
)


def _start_two(tmp_path: Path, redis_url: str) -> tuple[Server, list[int]]:
    """``zal serve --workers 2``, once both workers listen on its port: (parent, worker pids)."""
    port = free_port()
    server = Server(port, tmp_path / "data", tmp_path / "logs", "--workers", "2",
                    "--redis-url", redis_url, ZAL_BUILD_WORKERS="1")  # fmt: skip
    assert b'"ok"' in server.get("/healthz", seconds=60)
    assert poll_until(lambda: server.stdout().count("Zal listening on") == 2, 60), server.stderr()
    found = re.findall(r"worker started worker=(\d) pid=(\d+)", server.stderr())
    pids = [int(pid) for _, pid in sorted(found)]
    assert len(pids) == 2
    # each worker has its own listening socket on the one port (SO_REUSEPORT)
    assert poll_until(lambda: _listeners(port) == set(pids), 30), (_listeners(port), pids)
    assert listening("127.0.0.1", port)
    return server, pids


def _gone(pid: int) -> bool:
    identity = process_id(pid)
    return identity is None or not is_running(identity)


@needs_redis_and_ss
def test_two_real_workers_share_the_port_and_stop_on_sigterm(tmp_path):
    with private_redis(tmp_path / "redis") as redis_url:
        server, pids = _start_two(tmp_path, redis_url)
        try:
            server.proc.send_signal(signal.SIGTERM)
            assert server.proc.wait(timeout=30) == 0, server.stderr()
            assert all(_gone(pid) for pid in pids)
            assert "Traceback" not in server.stderr()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)


@needs_redis_and_ss
def test_a_real_worker_killed_stops_the_set(tmp_path):
    with private_redis(tmp_path / "redis") as redis_url:
        server, pids = _start_two(tmp_path, redis_url)
        try:
            os.kill(pids[1], signal.SIGKILL)
            assert server.proc.wait(timeout=30) != 0
            assert poll_until(lambda: _gone(pids[0]), 10)
            assert "worker exited, stopping the others" in server.stderr()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)


@needs_redis_and_ss
def test_workers_die_with_a_parent_killed_by_sigkill(tmp_path):
    with private_redis(tmp_path / "redis") as redis_url:
        server, pids = _start_two(tmp_path, redis_url)
        try:
            server.proc.kill()  # the parent alone: no chance to stop anything
            server.proc.wait(timeout=10)
            # PR_SET_PDEATHSIG: each worker gets SIGTERM and stops, the port is free
            assert poll_until(lambda: all(_gone(pid) for pid in pids), 30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)
