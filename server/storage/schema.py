"""Core tables of the venue catalogue and programme, and start-up migration.

``SCHEMA_VERSION`` is stored in ``meta``; :func:`migrate` creates missing tables
and runs each numbered step above the stored version, in one transaction.
"""

from __future__ import annotations

from sqlalchemy import (
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
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

SCHEMA_VERSION = 1

metadata = MetaData()

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
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content_type", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("gzip_size", Integer, nullable=True),  # None: not precompressed
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
    Column("demo", Boolean, nullable=False, default=False),
)
Index("ix_events_times", events.c.starts_at, events.c.ends_at)

# version -> steps run after create_all when upgrading from an older version
_STEPS: dict[int, list[str]] = {}


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
            for statement in _STEPS.get(version, []):
                await conn.exec_driver_sql(statement)
        if found == 0:
            await conn.execute(meta.insert().values(key="schema_version", value="0"))
        await conn.execute(
            meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
        )
    return found
