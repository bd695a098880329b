"""Stage media of an event: recordings (HLS packages), streams and slides.

One ``media`` row per item (see /docs/media.md). The table lives on the shared
``schema.metadata`` (``schema.py`` imports this module at its end, so
``migrate()``'s ``create_all`` makes it; no schema version step is needed for a
new table). Slides are blobs listed in order in the ``slides`` JSON column; JSON
is invisible to ``zal storage gc`` (it follows foreign keys), so every slide blob
is also a row of ``media_blobs`` with a real foreign key, kept in step by
:func:`add` and :func:`update`. HLS packages are folders under
``<data_dir>/hls`` named by ``package_id`` (``server.media.store.HlsStore``).

Repository functions take the engine and return plain dicts (``created_at`` in
UTC).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Column, DateTime, Float, ForeignKey, String, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import JSON

from .schema import metadata

Kind = Literal["recording", "stream", "slides"]
Status = Literal["processing", "ready", "failed"]
KINDS: tuple[str, ...] = ("recording", "stream", "slides")
STATUSES: tuple[str, ...] = ("processing", "ready", "failed")

media = Table(
    "media",
    metadata,
    Column("id", String(20), primary_key=True),  # "med_" + 16 hex
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("status", String(16), nullable=False, default="processing"),
    Column("progress", Float, nullable=False, default=0.0),
    Column("error", String(64), nullable=True),  # a stable error code
    Column("package_id", String(64), nullable=True, index=True),
    Column("stream_url", String(2000), nullable=True),
    Column("duration_s", Float, nullable=True),
    Column("slides", JSON, nullable=False, default=list),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# one row per slide blob: the foreign key that keeps `zal storage gc` off it
media_blobs = Table(
    "media_blobs",
    metadata,
    Column("media_id", ForeignKey("media.id", ondelete="CASCADE"), primary_key=True),
    Column("sha256", ForeignKey("blobs.sha256"), primary_key=True),
)


def new_id() -> str:
    return "med_" + secrets.token_hex(8)


def _slides(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise ValueError("slides must be a list of blob sha256")
    return list(value)


def _row(r) -> dict:
    d = dict(r._mapping)
    moment = d["created_at"]
    d["created_at"] = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    d["slides"] = list(d["slides"] or [])
    return d


async def _set_blobs(conn: AsyncConnection, media_id: str, slides: list[str]) -> None:
    await conn.execute(media_blobs.delete().where(media_blobs.c.media_id == media_id))
    unique = list(dict.fromkeys(slides))
    if unique:
        await conn.execute(
            media_blobs.insert(), [{"media_id": media_id, "sha256": s} for s in unique]
        )


async def add(engine: AsyncEngine, **values: object) -> dict:
    """Insert a media row; ``id``, ``created_at``, ``status`` and ``progress``
    default. Returns the stored row."""
    values.setdefault("id", new_id())
    values.setdefault("created_at", datetime.now(UTC))
    values.setdefault("status", "processing")
    values.setdefault("progress", 0.0)
    values.setdefault("slides", [])
    if values["kind"] not in KINDS:
        raise ValueError(f"unknown media kind {values['kind']!r}")
    async with engine.begin() as conn:
        await conn.execute(media.insert().values(values))
        await _set_blobs(conn, str(values["id"]), _slides(values["slides"]))
        row = (await conn.execute(select(media).where(media.c.id == values["id"]))).one()
    return _row(row)


async def get(engine: AsyncEngine, media_id: str) -> dict | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(media).where(media.c.id == media_id))).first()
    return _row(row) if row else None


async def list_for_event(engine: AsyncEngine, event_id: str) -> list[dict]:
    """The event's media, oldest first."""
    q = select(media).where(media.c.event_id == event_id).order_by(media.c.created_at, media.c.id)
    async with engine.connect() as conn:
        return [_row(r) for r in await conn.execute(q)]


async def update(engine: AsyncEngine, media_id: str, **values: object) -> None:
    """Change columns of one row (``slides`` also replaces its ``media_blobs``)."""
    if "status" in values and values["status"] not in STATUSES:
        raise ValueError(f"unknown media status {values['status']!r}")
    async with engine.begin() as conn:
        await conn.execute(media.update().where(media.c.id == media_id).values(values))
        if "slides" in values:
            await _set_blobs(conn, media_id, _slides(values["slides"]))


async def fail_interrupted(engine: AsyncEngine) -> int:
    """At start-up: rows a previous process left ``processing`` (recordings and
    slides; jobs do not survive a restart) become ``failed`` with ``interrupted``."""
    async with engine.begin() as conn:
        result = await conn.execute(
            media.update()
            .where(media.c.status == "processing", media.c.kind != "stream")
            .values(status="failed", error="interrupted")
        )
    return result.rowcount or 0


async def package_ids(engine: AsyncEngine) -> set[str]:
    """Every HLS package a row refers to (what gc of ``<data_dir>/hls`` keeps)."""
    async with engine.connect() as conn:
        q = select(media.c.package_id).where(media.c.package_id.is_not(None)).distinct()
        return set((await conn.execute(q)).scalars())
