"""What differs between SQLite and PostgreSQL, in one place.

- :func:`insert_for`: an ``INSERT`` with ``ON CONFLICT`` (do nothing / do
  update), which both dialects spell the same way but SQLAlchemy builds per
  dialect; chosen by the connection's ``dialect.name``.
- :func:`column_ddl`: a column type for ``ALTER TABLE ... ADD COLUMN`` in the
  dialect's own words (``DATETIME`` is SQLite's; PostgreSQL has ``TIMESTAMP``).

Everything else in storage is plain SQLAlchemy Core that both run the same:
no PRAGMAs outside engine.py, no ``INSERT OR IGNORE``, no SQLite date functions.
Two rules the code keeps for PostgreSQL: times are stored aware (``DateTime(timezone=True)``,
SQLite hands them back naive, PostgreSQL aware: readers accept both), and a
read-then-write that two processes may race locks its row first
(``with_for_update()``, which SQLite, with its one writer, ignores).
"""

from __future__ import annotations

from sqlalchemy import DateTime, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection


def insert_for(conn: AsyncConnection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """``INSERT`` into ``table`` that takes ``on_conflict_do_nothing`` /
    ``on_conflict_do_update`` for the connection's dialect."""
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {name} dialect (SQLite and PostgreSQL only)")


def column_ddl(dialect: Dialect, ddl: str) -> str:
    """``name TYPE ...`` with SQLite's ``DATETIME`` in the dialect's words."""
    if dialect.name == "sqlite":
        return ddl
    return ddl.replace(" DATETIME", " " + DateTime(timezone=True).compile(dialect=dialect))
