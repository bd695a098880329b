"""Institutions repository (philharmonic societies, theatres, museums)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from .schema import institutions


async def add(engine: AsyncEngine, id: str, name: str, kind: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            institutions.insert().values(id=id, name=name, kind=kind, created_at=datetime.now(UTC))
        )


async def exists(engine: AsyncEngine, id: str) -> bool:
    async with engine.connect() as conn:
        row = await conn.execute(select(institutions.c.id).where(institutions.c.id == id))
        return row.first() is not None


async def count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return len((await conn.execute(select(institutions.c.id))).all())
