"""Events repository: the programme, filtered by when it happens.

Times are stored as UTC; SQLite hands them back naive, so :func:`utc` reattaches
the zone. Host tokens are checked against ``host_token_hash`` (sha256 hex), an
assistant host's token against ``assistant_token_hash`` (``None``: no link).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from .schema import event_posters, events, institutions, venues

When = Literal["live", "upcoming", "past"]
TokenRole = Literal["host", "assistant"]


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _query():
    return (
        select(
            events,
            venues.c.name.label("venue_name"),
            venues.c.lang.label("venue_lang"),
            venues.c.translations.label("venue_translations"),
            institutions.c.id.label("institution_id"),
            institutions.c.name.label("institution_name"),
            institutions.c.kind.label("institution_kind"),
            institutions.c.lang.label("institution_lang"),
            institutions.c.translations.label("institution_translations"),
        )
        .join(venues, venues.c.id == events.c.venue_id)
        .join(institutions, institutions.c.id == venues.c.institution_id)
    )


def _row(r) -> dict:
    d = dict(r._mapping)
    d["starts_at"], d["ends_at"] = utc(d["starts_at"]), utc(d["ends_at"])
    return d


async def list_events(
    engine: AsyncEngine, now: datetime, when: When | None = None, venue_id: str | None = None
) -> list[dict]:
    now = now.astimezone(UTC)
    q = _query()
    if when == "live":
        q = q.where(events.c.starts_at <= now, events.c.ends_at > now).order_by(events.c.starts_at)
    elif when == "upcoming":
        q = q.where(events.c.starts_at > now).order_by(events.c.starts_at)
    elif when == "past":
        q = q.where(events.c.ends_at <= now).order_by(events.c.ends_at.desc())
    else:
        q = q.order_by(events.c.starts_at)
    if venue_id is not None:
        q = q.where(events.c.venue_id == venue_id)
    async with engine.connect() as conn:
        rows = [_row(r) for r in await conn.execute(q)]
        return await _with_posters(conn, rows)


async def get(engine: AsyncEngine, event_id: str) -> dict | None:
    async with engine.connect() as conn:
        row = (await conn.execute(_query().where(events.c.id == event_id))).first()
        return (await _with_posters(conn, [_row(row)]))[0] if row else None


async def _with_posters(conn, rows: list[dict]) -> list[dict]:
    """Each row gets ``posters``: ``{lang: sha256}`` of its posters in other languages."""
    for row in rows:
        row["posters"] = {}
    if rows:
        by_id = {row["id"]: row for row in rows}
        q = select(event_posters).where(event_posters.c.event_id.in_(list(by_id)))
        for p in await conn.execute(q):
            by_id[p.event_id]["posters"][p.lang] = p.poster_sha256
    return rows


async def set_posters(engine: AsyncEngine, event_id: str, posters: dict[str, str]) -> None:
    """Replace the event's posters in other languages with ``{lang: sha256}``."""
    async with engine.begin() as conn:
        await conn.execute(event_posters.delete().where(event_posters.c.event_id == event_id))
        if posters:
            await conn.execute(
                event_posters.insert(),
                [{"event_id": event_id, "lang": k, "poster_sha256": v} for k, v in posters.items()],
            )


async def add(engine: AsyncEngine, **values: object) -> None:
    values.setdefault("updated_at", datetime.now(UTC))
    async with engine.begin() as conn:
        await conn.execute(events.insert().values(values))


async def set_texts(
    engine: AsyncEngine,
    event_id: str,
    *,
    title: str,
    description: str,
    lang: str,
    translations: dict,
) -> None:
    """Replace title and description in every language."""
    async with engine.begin() as conn:
        await conn.execute(
            events.update()
            .where(events.c.id == event_id)
            .values(title=title, description=description, lang=lang, translations=translations)
        )


async def set_times(engine: AsyncEngine, event_id: str, starts_at: datetime, ends_at: datetime):
    await update(engine, event_id, starts_at=starts_at, ends_at=ends_at)


async def clash(
    engine: AsyncEngine,
    venue_id: str,
    starts_at: datetime,
    ends_at: datetime,
    except_id: str | None = None,
) -> dict | None:
    """The first event of ``venue_id`` whose time overlaps ``[starts_at, ends_at)``
    (one ending as another starts does not), other than ``except_id``."""
    q = (
        select(events.c.id, events.c.title, events.c.starts_at, events.c.ends_at)
        .where(
            events.c.venue_id == venue_id,
            events.c.starts_at < ends_at.astimezone(UTC),
            events.c.ends_at > starts_at.astimezone(UTC),
        )
        .order_by(events.c.starts_at)
    )
    if except_id is not None:
        q = q.where(events.c.id != except_id)
    async with engine.connect() as conn:
        row = (await conn.execute(q.limit(1))).first()
    if row is None:
        return None
    return {"id": row.id, "title": row.title, "starts_at": utc(row.starts_at),
            "ends_at": utc(row.ends_at)}  # fmt: skip


def _same(value: object) -> object:
    """Times compared in UTC (SQLite gives them back without a zone)."""
    return utc(value) if isinstance(value, datetime) else value


# what makes a calendar app move its copy of the event: SEQUENCE goes up
_MOVING = ("starts_at", "ends_at", "venue_id")


async def update(engine: AsyncEngine, event_id: str, **values: object) -> None:
    """Set columns of one event (the portal's edits: texts, times, venue, kind).
    ``updated_at`` is now; ``sequence`` goes up when the time or the place changes."""
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                select(*(events.c[k] for k in _MOVING)).where(events.c.id == event_id)
            )
        ).first()
        if row is None:
            return
        before = dict(row._mapping)
        moved = any(k in values and _same(values[k]) != _same(before[k]) for k in _MOVING)
        changes = {**values, "updated_at": datetime.now(UTC)}
        if moved:
            changes["sequence"] = events.c.sequence + 1
        await conn.execute(events.update().where(events.c.id == event_id).values(changes))


async def verify_host_token(engine: AsyncEngine, event_id: str, token: str) -> bool:
    """True if ``token`` is the host token of ``event_id`` (constant-time compare)."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(select(events.c.host_token_hash).where(events.c.id == event_id))
        ).first()
    return row is not None and hmac.compare_digest(row[0], hash_token(token))


async def token_role(engine: AsyncEngine, event_id: str, token: str) -> TokenRole | None:
    """``"host"`` for the event's host token, ``"assistant"`` for its assistant
    host token (while the link is not revoked), else ``None`` (constant-time)."""
    q = select(events.c.host_token_hash, events.c.assistant_token_hash).where(
        events.c.id == event_id
    )
    async with engine.connect() as conn:
        row = (await conn.execute(q)).first()
    if row is None:
        return None
    given = hash_token(token)
    if hmac.compare_digest(row.host_token_hash, given):
        return "host"
    assistant = row.assistant_token_hash
    if assistant is not None and hmac.compare_digest(assistant, given):
        return "assistant"
    return None


async def set_assistant_token(engine: AsyncEngine, event_id: str, token: str | None) -> None:
    """A new assistant host token (the old one stops working), or none (``None``:
    the link is revoked). Not an edit of the event: ``updated_at`` stays."""
    value = hash_token(token) if token is not None else None
    async with engine.begin() as conn:
        await conn.execute(
            events.update().where(events.c.id == event_id).values(assistant_token_hash=value)
        )
