"""The realtime tables (chat log, moderation audit) on the shared engine.

Own ``MetaData``, created at start-up on ``keys.DB_ENGINE`` (see
server/storage/__init__.py). Times are stored as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine

metadata = MetaData()

chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audience", String(80), nullable=False),  # "event:<id>" or "venue:<id>"
    Column("member_id", String(64), nullable=False),
    Column("name", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
)
Index("ix_chat_messages_audience_id", chat_messages.c.audience, chat_messages.c.id)

moderation_actions = Table(
    "moderation_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audience", String(80), nullable=False),
    Column("host_member_id", String(64), nullable=False),
    Column("host_name", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(80), nullable=True),  # member id or message id
    Column("detail", String(200), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_moderation_actions_audience", moderation_actions.c.audience)


def iso(moment: datetime) -> str:
    """``2026-11-25T21:30:00.123Z`` (SQLite returns naive UTC datetimes)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def create_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)


def _message(row) -> dict:
    return {
        "id": row.id,
        "member_id": row.member_id,
        "name": row.name,
        "text": row.text,
        "sent_at": iso(row.sent_at),
    }


async def add_message(
    engine: AsyncEngine, audience: str, member_id: str, name: str, text: str
) -> dict:
    """Insert and commit; returns the ``ChatMessage`` wire dict."""
    sent_at = datetime.now(UTC)
    async with engine.begin() as conn:
        result = await conn.execute(
            chat_messages.insert().values(
                audience=audience, member_id=member_id, name=name, text=text, sent_at=sent_at
            )
        )
        key = result.inserted_primary_key
        assert key is not None  # a single-row insert always has one
        message_id = key[0]
    return {
        "id": message_id,
        "member_id": member_id,
        "name": name,
        "text": text,
        "sent_at": iso(sent_at),
    }


async def history(engine: AsyncEngine, audience: str, limit: int = 100) -> list[dict]:
    """The last ``limit`` non-deleted messages, oldest first."""
    q = (
        select(chat_messages)
        .where(chat_messages.c.audience == audience, chat_messages.c.deleted.is_(False))
        .order_by(chat_messages.c.id.desc())
        .limit(limit)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(q)).all()
    return [_message(r) for r in reversed(rows)]


async def delete_message(engine: AsyncEngine, audience: str, message_id: int) -> bool:
    """Mark deleted; False if no such (undeleted) message in this audience."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(chat_messages)
            .where(
                chat_messages.c.id == message_id,
                chat_messages.c.audience == audience,
                chat_messages.c.deleted.is_(False),
            )
            .values(deleted=True)
        )
    return result.rowcount == 1


async def record_action(
    engine: AsyncEngine,
    audience: str,
    host_member_id: str,
    host_name: str,
    action: str,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            moderation_actions.insert().values(
                audience=audience,
                host_member_id=host_member_id,
                host_name=host_name,
                action=action,
                target=target,
                detail=detail,
                at=datetime.now(UTC),
            )
        )


async def actions(engine: AsyncEngine, audience: str) -> list[dict]:
    q = (
        select(moderation_actions)
        .where(moderation_actions.c.audience == audience)
        .order_by(moderation_actions.c.id)
    )
    async with engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(q)]
