"""``zal serve --workers N``: N server processes on one port, one small parent.

Each worker is a whole Zal server (``python -m server serve``) listening with
``SO_REUSEPORT``, so the kernel spreads new connections over them; they share
the data dir and reach each other's audiences through Redis
(``ZAL_REDIS_URL``, required for N > 1: without it a member on one process would
not see the chat of another).

Start-up chores run once. Worker 0 starts first and alone: it migrates the
database, removes what a dead server left (temp blobs, interrupted jobs, a
killed demo stream's folder), makes the demo's data and starts its media
(``--demo``, which also builds the scenes into the scene cache). Only when it
listens do workers 1..N-1 start (``ZAL_WORKER=i``), and they skip those chores:
done already, and the tidying would now remove a live process's files.

The parent restarts nothing. SIGTERM or SIGINT stops every worker (SIGTERM,
then SIGKILL after ``STOP_TIMEOUT_S``) and exits 0; a worker that exits by
itself stops the rest and the parent exits non-zero (a process manager such as
systemd restarts the whole set). Each worker dies with the parent
(``PR_SET_PDEATHSIG``), even a parent killed with SIGKILL.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger("zal.scale")

POLL_S = 0.1
READY_TIMEOUT_S = 1800.0  # a first --demo start builds every scene: minutes
STOP_TIMEOUT_S = 30.0


def _die_with_parent() -> None:
    """Runs in the child between fork and exec: SIGTERM when the parent dies."""
    from ..worker_lifeline import parent_death_signal_armed

    parent_death_signal_armed(signal.SIGTERM)


def listening(host: str, port: int) -> bool:
    """True once something accepts TCP connections on ``host:port``."""
    address = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        socket.create_connection((address, port), timeout=1.0).close()
    except OSError:
        return False
    return True


@dataclass
class Supervisor:
    """Starts ``count`` copies of ``command``; worker ``i`` gets ``ZAL_WORKER=i``
    on top of ``env``. ``ready()`` says worker 0 has finished starting."""

    command: Sequence[str]
    count: int
    ready: Callable[[], bool]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    ready_timeout_s: float = READY_TIMEOUT_S
    stop_timeout_s: float = STOP_TIMEOUT_S
    procs: list[subprocess.Popen] = field(default_factory=list)
    _stop_signal: int | None = None

    def _start(self, index: int) -> None:
        proc = subprocess.Popen(
            list(self.command),
            env={**self.env, "ZAL_WORKER": str(index)},
            preexec_fn=_die_with_parent,  # noqa: PLW1509 (the parent runs no threads)
        )
        self.procs.append(proc)
        log.info("worker started", extra={"worker": index, "pid": proc.pid})

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._stop_signal = signum

    def _dead(self) -> tuple[int, int] | None:
        """(index, exit code) of a worker that has exited, if any."""
        for index, proc in enumerate(self.procs):
            code = proc.poll()
            if code is not None:
                return index, code
        return None

    def run(self) -> int:
        """Start, watch, stop; the parent's exit code."""
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            return self._run()
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _run(self) -> int:
        self._start(0)
        deadline = time.monotonic() + self.ready_timeout_s
        while not self.ready():
            if self._stop_signal is not None:
                return 0
            if (dead := self._dead()) is not None:
                log.error("worker 0 exited while starting", extra={"code": dead[1]})
                return dead[1] or 1
            if time.monotonic() > deadline:
                log.error("worker 0 did not start", extra={"seconds": self.ready_timeout_s})
                return 1
            time.sleep(POLL_S)
        for index in range(1, self.count):
            self._start(index)
        while self._stop_signal is None:
            if (dead := self._dead()) is not None:
                index, code = dead
                log.error(
                    "worker exited, stopping the others",
                    extra={"worker": index, "pid": self.procs[index].pid, "code": code},
                )
                return code or 1
            time.sleep(POLL_S)
        log.info("stopping workers", extra={"signal": signal.Signals(self._stop_signal).name})
        return 0

    def stop(self) -> None:
        """SIGTERM to every live worker, SIGKILL to any still there after the timeout."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout_s
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker did not stop, killing it", extra={"pid": proc.pid})
                proc.kill()
                proc.wait()


def worker_command(extra_args: Sequence[str] = (), log_level: str = "INFO") -> list[str]:
    """``python -m server serve --reuse-port ...``: one worker; its settings come
    from the ``ZAL_*`` environment the parent hands it."""
    return [
        sys.executable, "-m", "server", "--log-level", log_level, "serve", "--reuse-port",
        *extra_args,
    ]  # fmt: skip
