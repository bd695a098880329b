"""Writes that outlast a short database outage: retried on connection errors only.

A realtime ack promises the row is committed (chat, moderation records, Q&A
questions and votes). When PostgreSQL restarts or fails over, the first writes
meet a refused or cut connection; :func:`retry_writes` runs the whole write
again (each attempt its own transaction, on a fresh pooled connection: the
engine pings before use) with a bounded backoff, and raises
:class:`StorageUnavailable` once ``budget_s`` is spent. Anything else (a broken
constraint, bad data) is raised at once: retrying would not help.

The caller decides what a failure means; the realtime layer answers it with the
``unavailable`` error code, so an ack never reports success for a row that is
not committed. A write whose connection died *after* the commit reached the
server cannot tell, and is run again: a rare duplicate rather than a lost row.

Time is injectable (:class:`RetryPolicy`'s ``sleep`` and ``clock``) so unit tests
step through the backoff without waiting.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class StorageUnavailable(RuntimeError):
    """The database stayed unreachable for the whole retry budget; nothing was
    acknowledged (the write may or may not have been committed)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff ``first_delay_s`` doubling up to ``max_delay_s``, for at most
    ``budget_s`` in all (then :class:`StorageUnavailable`)."""

    budget_s: float = 15.0
    first_delay_s: float = 0.1
    max_delay_s: float = 2.0
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic


DEFAULT_POLICY = RetryPolicy()
_policy = DEFAULT_POLICY


def set_default_policy(policy: RetryPolicy) -> RetryPolicy:
    """Replace the policy :func:`retrying` functions use (tests); the old one back."""
    global _policy
    old, _policy = _policy, policy
    return old


def _connection_error(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, (ConnectionError, OSError, asyncio.TimeoutError)):
            return True
        # asyncpg's own: PostgresConnectionError ("terminating connection due to
        # administrator command", "the database system is starting up"), InterfaceError
        if type(error).__module__.startswith("asyncpg") and (
            "Connection" in type(error).__name__ or "CannotConnectNow" in type(error).__name__
        ):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def is_connection_error(error: BaseException) -> bool:
    """True for errors of reaching the database, not of the statement."""
    if not isinstance(error, sa_exc.DBAPIError):
        return _connection_error(error)  # e.g. ConnectionRefusedError on connect
    if error.connection_invalidated:
        return True
    if isinstance(error, (sa_exc.IntegrityError, sa_exc.DataError, sa_exc.ProgrammingError)):
        return False
    if "sqlite" in type(error.orig).__module__:
        # SQLite's OperationalError is also "no such table": only a busy file is passing
        return "locked" in str(error.orig) or "busy" in str(error.orig)
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return True
    return _connection_error(error.orig)


async def retry_writes(
    write: Callable[[], Awaitable[T]], policy: RetryPolicy | None = None, what: str = "write"
) -> T:
    """``await write()``; again after a connection error, until the budget is spent."""
    policy = policy or _policy
    start = policy.clock()
    delay = policy.first_delay_s
    attempt = 1
    while True:
        try:
            return await write()
        except Exception as error:
            if not is_connection_error(error):
                raise
            spent = policy.clock() - start
            if spent + delay > policy.budget_s:
                log.warning(  # the caller answers it; not a bug of ours
                    "database unavailable: gave up",
                    extra={"what": what, "attempts": attempt, "seconds": round(spent, 2)},
                )
                raise StorageUnavailable(f"database unavailable for {spent:.1f} s") from error
            log.warning(
                "database unavailable: retrying",
                extra={"what": what, "attempt": attempt, "error": type(error).__name__},
            )
        await policy.sleep(delay)
        delay = min(delay * 2, policy.max_delay_s)
        attempt += 1


def retrying(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Decorate a write that opens its own transaction: :func:`retry_writes` with
    the current default policy."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return await retry_writes(lambda: fn(*args, **kwargs), what=fn.__qualname__)

    return wrapper
