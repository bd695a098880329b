"""The realtime tables (chat log, moderation audit) on the shared engine.

Own ``MetaData``, created at start-up on ``keys.DB_ENGINE`` (see
server/storage/__init__.py). Times are stored as UTC.

A message sent while the stage plays a recording also keeps ``media_id`` and
``media_time`` (the stage position then, seconds): a later viewer of the
recording sees it at the same moment (server/storage/chat_timeline.py reads
them for ``GET /api/media/{id}/comments``). Databases made before these columns
get them at start-up (:func:`create_tables`).

Every write here answers a live ack, so each is :func:`~server.storage.retry.retrying`:
a database away for a few seconds (PostgreSQL restarting) delays the ack; past
the retry budget the ack is an ``unavailable`` error, never a success.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from ..storage.retry import retrying

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
    # the recording on the stage when it was sent, and its position then (s)
    Column("media_id", String(20), nullable=True),
    Column("media_time", Float, nullable=True),
)
Index("ix_chat_messages_audience_id", chat_messages.c.audience, chat_messages.c.id)
MEDIA_TIME_INDEX = "ix_chat_messages_media_time"
Index(MEDIA_TIME_INDEX, chat_messages.c.media_id, chat_messages.c.media_time)

# columns added after the first release: (name, DDL) for ALTER TABLE on older databases
_ADDED_CHAT_COLUMNS = [("media_id", "VARCHAR(20)"), ("media_time", "FLOAT")]
_ADDED_ACTION_COLUMNS = [("role", "VARCHAR(16) NOT NULL DEFAULT 'host'")]

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
    # who acted: "host" or "assistant" (an assistant host moderating questions)
    Column("role", String(16), nullable=False, default="host", server_default="host"),
)
Index("ix_moderation_actions_audience", moderation_actions.c.audience)


def iso(moment: datetime) -> str:
    """``2026-11-25T21:30:00.123Z`` (SQLite returns naive UTC datetimes)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _add_missing_chat_columns(sync_conn) -> None:
    """An older database's ``chat_messages`` lacks the media columns: add them
    (nullable, so old rows stay as they were) and their index; its
    ``moderation_actions`` lacks ``role`` (old rows were all hosts'). Safe to rerun."""
    for table, added in (
        ("chat_messages", _ADDED_CHAT_COLUMNS),
        ("moderation_actions", _ADDED_ACTION_COLUMNS),
    ):
        have = {c["name"] for c in inspect(sync_conn).get_columns(table)}
        for name, ddl in added:
            if name not in have:
                sync_conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")
    # create_all makes indexes only with a new table
    sync_conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {MEDIA_TIME_INDEX} ON chat_messages (media_id, media_time)"
    )


async def create_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.run_sync(_add_missing_chat_columns)


def message_view(
    message_id: int,
    member_id: str,
    name: str,
    text: str,
    sent_at: datetime,
    media_id: str | None = None,
    media_time: float | None = None,
) -> dict:
    """The ``ChatMessage`` wire dict; ``media_id``/``media_time`` only when the
    message was sent during a recording (docs/PROTOCOL.md 5.6)."""
    message = {
        "id": message_id,
        "member_id": member_id,
        "name": name,
        "text": text,
        "sent_at": iso(sent_at),
    }
    if media_id is not None and media_time is not None:
        message["media_id"] = media_id
        message["media_time"] = media_time
    return message


def _message(row) -> dict:
    return message_view(
        row.id, row.member_id, row.name, row.text, row.sent_at, row.media_id, row.media_time
    )


@retrying
async def add_message(
    engine: AsyncEngine,
    audience: str,
    member_id: str,
    name: str,
    text: str,
    moment: tuple[str, float] | None = None,
) -> dict:
    """Insert and commit; returns the ``ChatMessage`` wire dict.

    ``moment``: ``(media_id, media_time)`` of the recording on the stage, if any.
    """
    sent_at = datetime.now(UTC)
    media_id, media_time = moment if moment is not None else (None, None)
    async with engine.begin() as conn:
        result = await conn.execute(
            chat_messages.insert().values(
                audience=audience,
                member_id=member_id,
                name=name,
                text=text,
                sent_at=sent_at,
                media_id=media_id,
                media_time=media_time,
            )
        )
        key = result.inserted_primary_key
        assert key is not None  # a single-row insert always has one
        message_id = key[0]
    return message_view(message_id, member_id, name, text, sent_at, media_id, media_time)


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


@retrying
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


@retrying
async def record_action(
    engine: AsyncEngine,
    audience: str,
    host_member_id: str,
    host_name: str,
    action: str,
    target: str | None = None,
    detail: str | None = None,
    role: str = "host",
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
                role=role,
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
