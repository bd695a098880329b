"""Institutions repository (philharmonic societies, theatres, museums)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from .schema import institutions


async def add(
    engine: AsyncEngine,
    id: str,
    name: str,
    kind: str,
    *,
    lang: str = "en",
    translations: dict | None = None,
) -> None:
    """``name`` is in ``lang``; ``translations`` is ``{lang: {"name": text}}``."""
    async with engine.begin() as conn:
        await conn.execute(
            institutions.insert().values(
                id=id,
                name=name,
                kind=kind,
                created_at=datetime.now(UTC),
                lang=lang,
                translations=translations or {},
            )
        )


async def set_texts(
    engine: AsyncEngine, id: str, *, name: str, lang: str, translations: dict
) -> None:
    """Replace the name in every language (e.g. demo data brought up to date)."""
    async with engine.begin() as conn:
        await conn.execute(
            institutions.update()
            .where(institutions.c.id == id)
            .values(name=name, lang=lang, translations=translations)
        )


async def exists(engine: AsyncEngine, id: str) -> bool:
    async with engine.connect() as conn:
        row = await conn.execute(select(institutions.c.id).where(institutions.c.id == id))
        return row.first() is not None


async def count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return len((await conn.execute(select(institutions.c.id))).all())


async def get(engine: AsyncEngine, id: str) -> dict | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(institutions).where(institutions.c.id == id))).first()
        return dict(row._mapping) if row else None


async def list_all(engine: AsyncEngine) -> list[dict]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(institutions).order_by(institutions.c.name))
        return [dict(r._mapping) for r in rows]
