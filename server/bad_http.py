"""Malformed HTTP (an over-long header line, a garbage request line): one line, no traceback.

aiohttp's HTTP parser refuses such a request itself (a plain-text 400, before
any route or middleware) and logs it on ``aiohttp.server`` at ERROR with the
parser's traceback: a client's mistake, and a hostile client can repeat it
thousands of times. :class:`BadHttpFilter` on that logger turns each into one
rate-limited warning (:class:`.client_errors.ClientErrorLog`); other records
(the server's own failures) pass unchanged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp.http_exceptions import HttpProcessingError

from .client_errors import ClientErrorLog

AIOHTTP_SERVER_LOGGER = "aiohttp.server"

log = logging.getLogger("zal.http.clients")


class BadHttpFilter(logging.Filter):
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.client_errors = ClientErrorLog(log, clock=clock)

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, HttpProcessingError) or not 400 <= (exc.code or 0) < 500:
            return True
        self.client_errors.warning(
            "malformed HTTP request refused",
            "bad_http_request",
            error=type(exc).__name__,
            status=exc.code,
        )
        return False


def install(clock: Callable[[], float] | None = None) -> BadHttpFilter:
    """Put a :class:`BadHttpFilter` on aiohttp's server logger (replacing an earlier one)."""
    logger = logging.getLogger(AIOHTTP_SERVER_LOGGER)
    for old in [f for f in logger.filters if isinstance(f, BadHttpFilter)]:
        logger.removeFilter(old)
    bad_http = BadHttpFilter(clock or time.monotonic)
    logger.addFilter(bad_http)
    return bad_http
