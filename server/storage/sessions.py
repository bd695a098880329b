"""Browser sessions made from an access token (``POST /api/session``).

The cookie holds a random session id; this table keeps its sha256 only. A
session belongs to a token: revoking the token ends its sessions too (the join
in :func:`find_active` checks the token as well as the session's own expiry).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

# the module, not its names: schema.py imports both at its end, in either order
from . import tokens
from .schema import metadata

sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # sha256 hex of the cookie value
    Column(
        "token_id", ForeignKey("access_tokens.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)


async def create(engine: AsyncEngine, token_id: str, now: datetime, expires_at: datetime) -> str:
    """A new session; returns the cookie value (stored only as its hash)."""
    session_id = secrets.token_urlsafe(32)
    async with engine.begin() as conn:
        await conn.execute(
            sessions.insert().values(
                id_hash=tokens.hash_secret(session_id),
                token_id=token_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
    return session_id


async def find_active(engine: AsyncEngine, session_id: str, now: datetime) -> dict | None:
    """The token row behind a live session (the token itself still active)."""
    q = (
        select(tokens.access_tokens, sessions.c.expires_at.label("session_expires_at"))
        .join(sessions, sessions.c.token_id == tokens.access_tokens.c.id)
        .where(sessions.c.id_hash == tokens.hash_secret(session_id))
    )
    async with engine.connect() as conn:
        found = (await conn.execute(q)).first()
    if found is None:
        return None
    row = tokens.token_row(found)
    if tokens.utc(row.pop("session_expires_at")) <= now or not tokens.is_active(row, now):
        return None
    return row


async def delete(engine: AsyncEngine, session_id: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            sessions.delete().where(sessions.c.id_hash == tokens.hash_secret(session_id))
        )


async def delete_expired(engine: AsyncEngine, now: datetime) -> int:
    async with engine.begin() as conn:
        result = await conn.execute(sessions.delete().where(sessions.c.expires_at <= now))
    return result.rowcount or 0
