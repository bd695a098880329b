"""Create the async engine: SQLite (the default) or PostgreSQL by URL.

For SQLite: WAL and foreign keys per connection. For PostgreSQL
(``ZAL_DATABASE_URL=postgresql+asyncpg://user:pass@host/db``; a bare
``postgresql://`` or ``postgres://`` gets asyncpg): connections are pinged before
use, so a pool that outlived a database restart reconnects, and a connection
attempt gives up after a few seconds (server/storage/retry.py retries writes).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

CONNECT_TIMEOUT_S = 5


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives a killed process (the WAL is on disk before the
    # commit returns); only an OS crash or power cut may drop the last commits.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def database_url(url: str) -> URL:
    """``url`` parsed; PostgreSQL without a named driver uses asyncpg."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed


def create_engine(url: str) -> AsyncEngine:
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(parsed)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {}
    if parsed.get_driver_name() == "asyncpg" and "timeout" not in parsed.query:
        connect_args["timeout"] = CONNECT_TIMEOUT_S
    return create_async_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
