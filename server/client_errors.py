"""Rate-limited warnings for clients' protocol mistakes.

A client's garbage (a bad frame, a bad handshake request) is worth one concise
warning line, not a traceback; and a hostile client sending thousands must not
fill the log. :class:`ClientErrorLog` lets ``limit`` lines through per window of
``interval`` seconds; the rest are counted and reported as one
``suppressed N client errors`` line when the next window starts (at the next
client error). The clock is injectable so tests are exact.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

DEFAULT_LIMIT = 20
DEFAULT_INTERVAL = 60.0


class ClientErrorLog:
    def __init__(
        self,
        logger: logging.Logger,
        limit: int = DEFAULT_LIMIT,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.limit = limit
        self.interval = interval
        self.clock = clock
        self._window_start: float | None = None
        self._lines = 0  # lines written in this window
        self.suppressed = 0  # client errors not written in this window
        self.total = 0  # every client error seen (for tests and metrics)

    def warning(self, message: str, code: str, **fields: object) -> None:
        """One line ``message`` with ``code`` and ``fields`` (unless rate-limited)."""
        self.total += 1
        now = self.clock()
        if self._window_start is None or now - self._window_start >= self.interval:
            self._new_window(now)
        if self._lines >= self.limit:
            self.suppressed += 1
            return
        self._lines += 1
        self.logger.warning("%s", message, extra={"code": code, **fields})

    def _new_window(self, now: float) -> None:
        if self.suppressed:
            self.logger.warning(
                "suppressed %d client errors in the last %.0f s",
                self.suppressed,
                now - (self._window_start or now),
                extra={"code": "client_errors_suppressed", "suppressed": self.suppressed},
            )
        self._window_start = now
        self._lines = 0
        self.suppressed = 0
