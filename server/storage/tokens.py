"""Access tokens of people who run institutions (issue 9): admin, editor, host.

A token is shown once when it is made (``zal tokens create``); this table keeps
only its sha256 (``token_hash``), never the token. A token has a short public
``id`` (``tok_`` + 12 hex) that lists and revocation use. ``institution_id`` is
``None`` only for platform admins. Expiry and revocation are checked by
:func:`find_active`; ``last_used_at`` is touched at most once a minute per token
(a write per request would serialise every request on SQLite's one writer).

The table lives on the shared ``schema.metadata`` (schema 4); see
:mod:`server.auth` for how requests are checked against it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from .schema import metadata

Role = Literal["admin", "editor", "host"]
ROLES: tuple[str, ...] = ("admin", "editor", "host")
TOKEN_PREFIX = "zal_"
# how stale last_used_at may get before a request writes it again
TOUCH_EVERY = timedelta(minutes=1)

access_tokens = Table(
    "access_tokens",
    metadata,
    Column("id", String(20), primary_key=True),  # "tok_" + 12 hex, safe to show
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex
    Column("role", String(16), nullable=False),
    Column("institution_id", ForeignKey("institutions.id"), nullable=True, index=True),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)


def utc(moment: datetime) -> datetime:
    """SQLite hands times back naive; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


_TIMES = ("created_at", "expires_at", "revoked_at", "last_used_at")


def hash_secret(secret: str) -> str:
    """sha256 hex: enough for a 256-bit random secret (no salt or slow hash needed,
    nothing to brute-force), and a lookup by equality in an index."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_row(r) -> dict:
    d = dict(r._mapping)
    for key in _TIMES:
        if d.get(key) is not None:
            d[key] = utc(d[key])
    d.pop("token_hash", None)
    return d


async def create(
    engine: AsyncEngine,
    *,
    role: str,
    institution_id: str | None,
    label: str = "",
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[dict, str]:
    """A new token: ``(row, secret)``; the secret exists only in this answer."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    if (role == "admin") != (institution_id is None):
        raise ValueError("an admin token has no institution; editors and hosts have one")
    secret = new_secret()
    values = dict(
        id="tok_" + secrets.token_hex(6),
        token_hash=hash_secret(secret),
        role=role,
        institution_id=institution_id,
        label=label,
        created_at=now or datetime.now(UTC),
        expires_at=expires_at,
    )
    async with engine.begin() as conn:
        await conn.execute(access_tokens.insert().values(values))
    values.pop("token_hash")
    values.update(revoked_at=None, last_used_at=None)
    return values, secret


async def find_active(engine: AsyncEngine, secret: str, now: datetime) -> dict | None:
    """The token row whose secret this is, unless revoked or expired."""
    q = select(access_tokens).where(access_tokens.c.token_hash == hash_secret(secret))
    async with engine.connect() as conn:
        found = (await conn.execute(q)).first()
    row = token_row(found) if found else None
    return row if row is not None and is_active(row, now) else None


def is_active(row: dict, now: datetime) -> bool:
    if row["revoked_at"] is not None:
        return False
    return row["expires_at"] is None or row["expires_at"] > now


async def touch(engine: AsyncEngine, row: dict, now: datetime) -> None:
    """Record a use, unless one was recorded within :data:`TOUCH_EVERY`."""
    last = row.get("last_used_at")
    if last is not None and now - last < TOUCH_EVERY:
        return
    async with engine.begin() as conn:
        await conn.execute(
            access_tokens.update().where(access_tokens.c.id == row["id"]).values(last_used_at=now)
        )


async def get(engine: AsyncEngine, token_id: str) -> dict | None:
    async with engine.connect() as conn:
        found = await conn.execute(select(access_tokens).where(access_tokens.c.id == token_id))
        row = found.first()
    return token_row(row) if row else None


async def list_tokens(engine: AsyncEngine, institution_id: str | None = None) -> list[dict]:
    q = select(access_tokens).order_by(access_tokens.c.created_at, access_tokens.c.id)
    if institution_id is not None:
        q = q.where(access_tokens.c.institution_id == institution_id)
    async with engine.connect() as conn:
        return [token_row(r) for r in await conn.execute(q)]


async def revoke(engine: AsyncEngine, token_id: str, now: datetime | None = None) -> bool:
    """Revoke; False if no such token. Revoking twice keeps the first time."""
    async with engine.begin() as conn:
        found = await conn.execute(
            select(access_tokens.c.revoked_at).where(access_tokens.c.id == token_id)
        )
        row = found.first()
        if row is None:
            return False
        if row[0] is None:
            await conn.execute(
                access_tokens.update()
                .where(access_tokens.c.id == token_id)
                .values(revoked_at=now or datetime.now(UTC))
            )
        return True
