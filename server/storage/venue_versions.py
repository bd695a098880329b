"""Versions of an uploaded venue (schema 5): every upload or layout edit is a new
row, older ones are kept, and exactly one per venue is current. The ``venues``
row always carries the current version's files, so serving a venue never looks
here; rolling back copies an older version's files into it.

Repository functions take the engine and return plain dicts.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .schema import metadata, venues

venue_versions = Table(
    "venue_versions",
    metadata,
    Column("id", String(20), primary_key=True),  # "ver_" + 12 hex
    Column("venue_id", ForeignKey("venues.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),  # 1, 2, ... per venue
    Column("glb_sha256", ForeignKey("blobs.sha256"), nullable=False),  # desktops
    Column("light_glb_sha256", ForeignKey("blobs.sha256"), nullable=True),  # phones, headsets
    Column("manifest_sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("source_sha256", ForeignKey("blobs.sha256"), nullable=True),  # the upload as sent
    Column("note", String(200), nullable=False, default=""),  # "upload (glb)", "layout edit"
    Column("triangles", Integer, nullable=False, default=0),
    Column("current", Boolean, nullable=False, default=False),
    Column("created_by", String(20), nullable=True),  # the token id, never the token
    Column("created_at", DateTime(timezone=True), nullable=False),
)

_VENUE_FILES = ("glb_sha256", "manifest_sha256")


def _row(r) -> dict:
    d = dict(r._mapping)
    moment = d["created_at"]
    d["created_at"] = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return d


async def _make_current(conn: AsyncConnection, venue_id: str, version: dict) -> None:
    await conn.execute(
        venue_versions.update()
        .where(venue_versions.c.venue_id == venue_id)
        .values(current=venue_versions.c.id == version["id"])
    )
    await conn.execute(
        venues.update()
        .where(venues.c.id == venue_id)
        .values(**{k: version[k] for k in _VENUE_FILES}, updated_at=datetime.now(UTC))
    )


async def add_version(engine: AsyncEngine, venue: dict, version: dict, *, new_venue: bool) -> dict:
    """Insert ``version`` (its files, note, triangles, created_by) as the venue's
    next number and make it current; ``venue`` is the venue row to insert first
    when ``new_venue``. One transaction: never a venue without its version."""
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        if new_venue:
            await conn.execute(venues.insert().values(**venue, updated_at=now))
        else:  # two uploads at once must not take the same number
            await conn.execute(
                select(venues.c.id).where(venues.c.id == venue["id"]).with_for_update()
            )
        last = await conn.execute(
            select(func.max(venue_versions.c.number)).where(
                venue_versions.c.venue_id == venue["id"]
            )
        )
        values = {
            **version,
            "id": "ver_" + secrets.token_hex(6),
            "venue_id": venue["id"],
            "number": (last.scalar() or 0) + 1,
            "created_at": now,
        }
        await conn.execute(venue_versions.insert().values(values))
        await _make_current(conn, venue["id"], values)
        row = (
            await conn.execute(select(venue_versions).where(venue_versions.c.id == values["id"]))
        ).one()
    return _row(row)


async def list_versions(engine: AsyncEngine, venue_id: str) -> list[dict]:
    """Newest first."""
    q = (
        select(venue_versions)
        .where(venue_versions.c.venue_id == venue_id)
        .order_by(venue_versions.c.number.desc())
    )
    async with engine.connect() as conn:
        return [_row(r) for r in await conn.execute(q)]


async def current(engine: AsyncEngine, venue_id: str) -> dict | None:
    q = select(venue_versions).where(
        venue_versions.c.venue_id == venue_id, venue_versions.c.current.is_(True)
    )
    async with engine.connect() as conn:
        row = (await conn.execute(q)).first()
    return _row(row) if row else None


async def roll_back(engine: AsyncEngine, venue_id: str, number: int) -> dict | None:
    """Make version ``number`` current again; None if the venue has no such version."""
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                select(venue_versions).where(
                    venue_versions.c.venue_id == venue_id, venue_versions.c.number == number
                )
            )
        ).first()
        if row is None:
            return None
        version = _row(row)
        await _make_current(conn, venue_id, version)
    version["current"] = True
    return version
