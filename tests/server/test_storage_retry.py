"""server/storage/retry.py on a stepped clock: which errors are retried, the
backoff, the budget, and what is raised at its end (no wall-clock waits)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc as sa_exc

from server.storage.retry import (
    RetryPolicy,
    StorageUnavailable,
    is_connection_error,
    retry_writes,
)


class SteppedTime:
    """``sleep`` moves ``clock`` on at once, and remembers each delay."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def policy(self, budget_s: float = 15.0) -> RetryPolicy:
        return RetryPolicy(budget_s=budget_s, sleep=self.sleep, clock=self.clock)


class Flaky:
    """Fails with ``error`` the first ``failures`` times, then answers."""

    def __init__(self, error: Exception, failures: int) -> None:
        self.error, self.left, self.calls = error, failures, 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.left > 0:
            self.left -= 1
            raise self.error
        return "committed"


def _dbapi(cls: type[sa_exc.DBAPIError], orig: Exception, invalidated: bool = False):
    return cls("INSERT ...", {}, orig, connection_invalidated=invalidated)


class _AsyncpgLike(Exception):
    """Stands for an asyncpg error adapted by SQLAlchemy (module not sqlite)."""


def test_connection_errors_are_told_from_statement_errors():
    assert is_connection_error(ConnectionRefusedError(111, "refused"))
    assert is_connection_error(OSError(113, "no route to host"))
    assert is_connection_error(_dbapi(sa_exc.DBAPIError, _AsyncpgLike("cut"), invalidated=True))
    assert is_connection_error(_dbapi(sa_exc.OperationalError, _AsyncpgLike("starting up")))
    assert is_connection_error(_dbapi(sa_exc.InterfaceError, _AsyncpgLike("closed")))
    wrapped = _dbapi(sa_exc.DBAPIError, _AsyncpgLike("adapted"))
    wrapped.orig.__cause__ = ConnectionResetError()
    assert is_connection_error(wrapped)
    assert not is_connection_error(_dbapi(sa_exc.IntegrityError, _AsyncpgLike("duplicate key")))
    assert not is_connection_error(_dbapi(sa_exc.DataError, _AsyncpgLike("value too long")))
    assert not is_connection_error(_dbapi(sa_exc.ProgrammingError, _AsyncpgLike("syntax")))
    assert not is_connection_error(ValueError("bad input"))
    locked = _dbapi(sa_exc.OperationalError, sqlite3.OperationalError("database is locked"))
    assert is_connection_error(locked)
    missing = _dbapi(sa_exc.OperationalError, sqlite3.OperationalError("no such table: x"))
    assert not is_connection_error(missing)


async def test_a_short_outage_is_outlasted_with_a_doubling_backoff():
    time = SteppedTime()
    write = Flaky(ConnectionRefusedError(111, "refused"), failures=5)
    assert await retry_writes(write, time.policy()) == "committed"
    assert write.calls == 6
    assert time.sleeps == [0.1, 0.2, 0.4, 0.8, 1.6]


async def test_the_backoff_is_capped_and_the_budget_ends_in_storage_unavailable():
    time = SteppedTime()
    write = Flaky(ConnectionRefusedError(111, "refused"), failures=1000)
    with pytest.raises(StorageUnavailable) as raised:
        await retry_writes(write, time.policy(budget_s=15.0))
    assert isinstance(raised.value.__cause__, ConnectionRefusedError)
    assert max(time.sleeps) == 2.0
    assert sum(time.sleeps) <= 15.0
    assert time.now == sum(time.sleeps) > 13.0  # nearly all of the budget was tried
    assert write.calls == len(time.sleeps) + 1


async def test_a_statement_error_is_raised_at_once():
    time = SteppedTime()
    write = Flaky(_dbapi(sa_exc.IntegrityError, _AsyncpgLike("duplicate key")), failures=1)
    with pytest.raises(sa_exc.IntegrityError):
        await retry_writes(write, time.policy())
    assert (write.calls, time.sleeps) == (1, [])
