"""Worker processes die with their parent, even when the parent is killed with SIGKILL.

A SIGKILLed server runs no clean-up, and multiprocessing alone does not end its
build pool: every worker holds the fork server's "alive" pipe and the resource
tracker's pipe, so none of them ever sees an EOF, and each stays around holding
100+ MB. So each process of the pool arms Linux's parent-death signal
(``prctl(PR_SET_PDEATHSIG)``) against its own parent: the fork server against the
server, each worker against the fork server, and the resource tracker exits by
itself once no worker holds its pipe. Where ``prctl`` is missing (not Linux) a
daemon thread polls ``os.getppid()`` instead.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_INTERVAL_S = 1.0

# set in the fork server (see :func:`arm_in_fork_server`); workers forked from it inherit it
_fork_server_pid: int | None = None


def parent_death_signal_armed(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent exits."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # no libc symbols in this process, or no prctl
        return False


def _watch_parent(parent_pid: int, interval_s: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(interval_s)
    os._exit(1)


def die_with_parent(parent_pid: int, *, use_prctl: bool = True) -> str:
    """End this process when ``parent_pid`` stops being its parent; returns how
    ("prctl" or "poll"). ``use_prctl=False`` forces the polling fallback (tests)."""
    armed = use_prctl and parent_death_signal_armed()
    # the parent may have died before the signal was armed: then we are an orphan already
    if os.getppid() != parent_pid:
        os._exit(1)
    if armed:
        return "prctl"
    threading.Thread(
        target=_watch_parent, args=(parent_pid, POLL_INTERVAL_S), name="parent-watch", daemon=True
    ).start()
    return "poll"


def arm_in_fork_server() -> None:
    """Called once in the fork server, while it preloads modules, before any fork.

    A server that died before this point is covered too: its end of the fork
    server's alive pipe is closed then, and the fork server exits on that EOF.
    """
    global _fork_server_pid
    _fork_server_pid = os.getpid()
    # a fork clears the parent-death signal, so workers arm their own (arm_in_worker)
    die_with_parent(os.getppid())


def arm_in_worker() -> None:
    """Called in every build worker (the pool's initializer)."""
    parent = _fork_server_pid if _fork_server_pid is not None else os.getppid()
    die_with_parent(parent)
