"""Venues repository: rows joined with their institution, as plain dicts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from .dialects import insert_for
from .schema import institutions, venues
from .venue_versions import venue_versions

_COLUMNS = [
    venues,
    # an uploaded venue's lighter GLB for phones and headsets (None: the one GLB fits)
    venue_versions.c.light_glb_sha256,
    institutions.c.name.label("institution_name"),
    institutions.c.kind.label("institution_kind"),
    institutions.c.lang.label("institution_lang"),
    institutions.c.translations.label("institution_translations"),
]


def _query():
    current = (venue_versions.c.venue_id == venues.c.id) & venue_versions.c.current.is_(True)
    return (
        select(*_COLUMNS)
        .join(institutions, institutions.c.id == venues.c.institution_id)
        .outerjoin(venue_versions, current)
    )


async def list_all(engine: AsyncEngine) -> list[dict]:
    async with engine.connect() as conn:
        rows = await conn.execute(_query().order_by(institutions.c.name, venues.c.name))
        return [dict(r._mapping) for r in rows]


async def get(engine: AsyncEngine, venue_id: str) -> dict | None:
    async with engine.connect() as conn:
        row = (await conn.execute(_query().where(venues.c.id == venue_id))).first()
        return dict(row._mapping) if row else None


async def upsert(engine: AsyncEngine, **values: object) -> None:
    """Insert the venue or update its built files (id and institution stay)."""
    values["updated_at"] = datetime.now(UTC)
    changes = {k: v for k, v in values.items() if k not in ("id", "institution_id")}
    async with engine.begin() as conn:
        stmt = insert_for(conn, venues).values(values)
        await conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=changes))
