"""Core tables of the venue catalogue and programme, and start-up migration.

``SCHEMA_VERSION`` is stored in ``meta``; :func:`migrate` creates missing tables
and runs each numbered step above the stored version, in one transaction.

Multilingual content (schema 2): an entity's text columns hold its text in its own
language ``lang``; ``translations`` holds ``{lang: {field: text}}`` for the others
(``server.i18n.localize`` chooses). A later content table (tours, courses) adds
the same two columns with :func:`text_columns`. Schema 3 adds ``event_posters``.
Schema 4 adds ``access_tokens`` and ``sessions`` (server/storage/tokens.py and
sessions.py: accounts and roles, issue 9); schema 5 venue versions and jobs;
schema 6 the Q&A tables (server/storage/questions.py, issue 8); schema 7 gives
events a ``sequence`` and ``updated_at`` for the calendar feeds; schema 8 counts
attendance without keeping who (server/storage/attendance.py); schema 9 adds
courses and their ordered lessons (server/storage/courses.py); schema 10 gives
events an optional ``assistant_token_hash`` (the assistant host link, issue 8);
schema 11 adds tours, their stops, recordings and speech clips (server/storage/tours.py).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import JSON

from .dialects import column_ddl

SCHEMA_VERSION = 11

metadata = MetaData()


def text_columns() -> list[Column]:
    """``lang`` (language of the base text columns) and ``translations``."""
    return [
        Column("lang", String(16), nullable=False, default="en", server_default="en"),
        Column("translations", JSON, nullable=False, default=dict, server_default=text("'{}'")),
    ]


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

institutions = Table(
    "institutions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),  # philharmonic | theatre | museum | ...
    Column("created_at", DateTime(timezone=True), nullable=False),
    *text_columns(),  # name
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content_type", String(64), nullable=False),
    # sizes in bytes: 64-bit (PostgreSQL's INTEGER stops at 2 GiB; SQLite's never did)
    Column("size", BigInteger, nullable=False),
    Column("gzip_size", BigInteger, nullable=True),  # None: not precompressed
    Column("created_at", DateTime(timezone=True), nullable=False),
)

venues = Table(
    "venues",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("institution_id", ForeignKey("institutions.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("seat_count", Integer, nullable=False),
    Column("spec_hash", String(64), nullable=False),
    Column("glb_sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("manifest_sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("thumbnail_sha256", ForeignKey("blobs.sha256"), nullable=True),
    Column("builtin", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    *text_columns(),  # name
)

events = Table(
    "events",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("venue_id", ForeignKey("venues.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("poster_sha256", ForeignKey("blobs.sha256"), nullable=True),
    # sha256 hex of the host token; the token itself is never stored
    Column("host_token_hash", String(64), nullable=False),
    # schema 10: sha256 hex of the assistant host token (Q&A moderation only); None: no link
    Column("assistant_token_hash", String(64), nullable=True),
    Column("demo", Boolean, nullable=False, default=False),
    *text_columns(),  # title, description
    # schema 7: calendar apps see a moved event as an update of the same one
    # (iCalendar SEQUENCE and LAST-MODIFIED; server/calendar)
    Column("sequence", Integer, nullable=False, default=0, server_default="0"),
    Column("updated_at", DateTime(timezone=True), nullable=True),
)
Index("ix_events_times", events.c.starts_at, events.c.ends_at)

# schema 3: a poster per language (its words are drawn into the picture);
# events.poster_sha256 stays the poster of the event's own language
event_posters = Table(
    "event_posters",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("poster_sha256", ForeignKey("blobs.sha256"), nullable=False),
)

# version -> (table, column DDL) added when upgrading from an older version. A
# column create_all already made (a new table) is skipped, so steps stay safe to rerun.
_TEXT_COLUMNS_DDL = [
    "lang VARCHAR(16) NOT NULL DEFAULT 'en'",
    "translations JSON NOT NULL DEFAULT '{}'",
]
_STEPS: dict[int, list[tuple[str, str]]] = {
    2: [(t, ddl) for t in ("institutions", "venues", "events") for ddl in _TEXT_COLUMNS_DDL],
    3: [],  # event_posters: a new table, made by create_all
    4: [],  # access_tokens, sessions: new tables (storage/tokens.py, storage/sessions.py)
    5: [],  # venue_versions, jobs: new tables (storage/venue_versions.py, storage/jobs.py)
    6: [],  # questions, question_votes, qa_sessions: new tables (storage/questions.py)
    7: [("events", "sequence INTEGER NOT NULL DEFAULT 0"), ("events", "updated_at DATETIME")],
    8: [],  # event_attendance, event_visitors: new tables (storage/attendance.py)
    9: [],  # courses, course_lessons: new tables (storage/courses.py)
    10: [("events", "assistant_token_hash VARCHAR(64)")],
    11: [],  # tours, tour_stops, tour_recordings, speech_clips: new tables (storage/tours.py)
}


def _column_names(sync_conn, table: str) -> set[str]:
    return {c["name"] for c in inspect(sync_conn).get_columns(table)}


async def _add_column(conn: AsyncConnection, table: str, ddl: str) -> None:
    if ddl.split()[0] not in await conn.run_sync(_column_names, table):
        ddl = column_ddl(conn.dialect, ddl)
        await conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {ddl}")


async def _stored_version(conn: AsyncConnection) -> int:
    row = (await conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))).first()
    return int(row[0]) if row else 0


async def migrate(engine: AsyncEngine) -> int:
    """Bring the database to ``SCHEMA_VERSION``; return the version found before."""
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        found = await _stored_version(conn)
        if found > SCHEMA_VERSION:
            raise RuntimeError(f"database schema {found} is newer than this server's")
        for version in range(found + 1, SCHEMA_VERSION + 1):
            for table, ddl in _STEPS.get(version, []):
                await _add_column(conn, table, ddl)
        if found == 0:
            await conn.execute(meta.insert().values(key="schema_version", value="0"))
        await conn.execute(
            meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
        )
    return found


# stage media (issue 7) declares its tables on `metadata`; imported here so that
# migrate()'s create_all always sees them (a new table needs no version step)
from . import attendance as _attendance  # noqa: E402,F401
from . import courses as _courses  # noqa: E402,F401
from . import jobs as _jobs  # noqa: E402,F401
from . import media as _media  # noqa: E402,F401
from . import questions as _questions  # noqa: E402,F401
from . import sessions as _sessions  # noqa: E402,F401
from . import tokens as _tokens  # noqa: E402,F401
from . import tours as _tours  # noqa: E402,F401
from . import venue_versions as _venue_versions  # noqa: E402,F401
