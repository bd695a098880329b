"""A recording's comments on its timeline: chat sent while it was on the stage.

The ``chat_messages`` table belongs to realtime (server/realtime/store.py, which
also adds ``media_id`` and ``media_time`` to older databases); storage may not
import realtime, so this module names the few columns it reads with
``table()``/``column()``. Read-only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, Integer, String, Text, column, select, table
from sqlalchemy.ext.asyncio import AsyncEngine

MAX_COMMENTS = 2000

_chat = table(
    "chat_messages",
    column("id", Integer),
    column("name", String),
    column("text", Text),
    column("sent_at", DateTime(timezone=True)),
    column("deleted", Boolean),
    column("media_id", String),
    column("media_time", Float),
)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite returns naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def comments(engine: AsyncEngine, media_id: str, limit: int = MAX_COMMENTS) -> list[dict]:
    """Non-deleted messages sent during ``media_id``, by media time (then by id),
    at most ``limit`` (the earliest in the recording)."""
    c = _chat.c
    q = (
        select(c.id, c.name, c.text, c.media_time, c.sent_at)
        .where(c.media_id == media_id, c.media_time.is_not(None), c.deleted.is_(False))
        .order_by(c.media_time, c.id)
        .limit(limit)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(q)).all()
    out: list[dict[str, Any]] = []
    for r in rows:
        out.append(
            {
                "id": r.id,
                "name": r.name,
                "text": r.text,
                "media_time": r.media_time,
                "sent_at": _iso(r.sent_at),
            }
        )
    return out
