"""An advisory lock on a data dir: servers share it, ``zal storage gc`` takes it alone.

A running server may have just stored a blob it is about to reference (a venue
build stores the GLB, then writes the venue row), so a destructive gc must never
run beside one. Every server holds a shared ``flock`` on ``<data_dir>/.lock``
for its lifetime (several servers on one data dir are fine); gc asks for it
exclusively without waiting and refuses if a server holds it. The kernel drops
the lock when its process dies, so a crash leaves nothing stale behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = ".lock"


class DataDirBusy(RuntimeError):
    """Another process holds the data dir in a way that excludes us."""


class DataDirLock:
    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = None

    def _acquire(self, mode: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, mode)
        except BlockingIOError:
            os.close(fd)
            raise DataDirBusy(f"{self.path.parent} is in use by another process") from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def acquire_shared(self) -> None:
        """For a server: waits while a gc runs (gc is short), then shares."""
        self._acquire(fcntl.LOCK_SH)

    def acquire_exclusive_now(self) -> None:
        """For gc: :class:`DataDirBusy` at once if any server holds the dir."""
        self._acquire(fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
