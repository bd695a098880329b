"""How many came to an event, without keeping who (issue 8).

- ``event_attendance``: the peak number of people in the event's audience at
  once, and when;
- ``event_visitors``: one row per visitor per day, named only by a hash made with
  a salt that lives in the server's memory for one UTC day and is then thrown away
  (server/realtime/attendance.py). Nothing in the row leads back to an address or
  a browser, and the same person on two days is two rows: "unique visitors" is
  the sum of daily uniques;
- chat and question counts are read from their own tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    column,
    func,
    select,
    table,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

# the module, not its table: schema imports this module while questions.py may
# still be importing schema (whichever of them is imported first)
from . import questions as question_tables
from .dialects import insert_for
from .schema import metadata

event_attendance = Table(
    "event_attendance",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("peak", Integer, nullable=False, default=0),
    Column("peak_at", DateTime(timezone=True), nullable=True),
)

event_visitors = Table(
    "event_visitors",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("visitor", String(64), primary_key=True),  # sha256 hex with a day's salt
)

# realtime's table (server/realtime/store.py); storage may not import realtime
_chat = table("chat_messages", column("audience", String), column("deleted", Boolean))
# the events table by name (its module imports schema, as this one does)
_events = table("events", column("id", String), column("ends_at", DateTime(timezone=True)))


async def has_ended(engine: AsyncEngine, event_id: str, now: datetime) -> bool:
    """True once the event is over: later joins (a host opening the console to read
    the figures) no longer change them."""
    async with engine.connect() as conn:
        ends_at = (
            await conn.execute(select(_events.c.ends_at).where(_events.c.id == event_id))
        ).scalar_one_or_none()
    if ends_at is None:
        return False
    ends_at = ends_at.replace(tzinfo=UTC) if ends_at.tzinfo is None else ends_at
    return ends_at <= now


async def record_peak(engine: AsyncEngine, event_id: str, present: int) -> int:
    """Raise the stored peak to ``present`` if it is higher; the peak after."""
    now = datetime.now(UTC)
    this_event = event_attendance.c.event_id == event_id
    async with engine.begin() as conn:
        # atomic in SQL: processes that share the database may record at once
        first = insert_for(conn, event_attendance).values(
            event_id=event_id, peak=present, peak_at=now
        )
        await conn.execute(first.on_conflict_do_nothing(index_elements=["event_id"]))
        await conn.execute(
            update(event_attendance)
            .where(this_event, event_attendance.c.peak < present)
            .values(peak=present, peak_at=now)
        )
        peak = (await conn.execute(select(event_attendance.c.peak).where(this_event))).scalar_one()
    return int(peak)


async def record_visitor(engine: AsyncEngine, event_id: str, visitor: str) -> bool:
    """Count a visitor once (per its day's hash); True if it was new."""
    try:
        async with engine.begin() as conn:
            stmt = insert_for(conn, event_visitors).values(event_id=event_id, visitor=visitor)
            result = await conn.execute(
                stmt.on_conflict_do_nothing(index_elements=["event_id", "visitor"])
            )
        return result.rowcount == 1
    except IntegrityError:  # the event is gone
        return False


async def summary(engine: AsyncEngine, event_id: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        peak = (
            await conn.execute(
                select(event_attendance.c.peak, event_attendance.c.peak_at).where(
                    event_attendance.c.event_id == event_id
                )
            )
        ).first()
        visitors = (
            await conn.execute(select(func.count()).where(event_visitors.c.event_id == event_id))
        ).scalar_one()
        chat = (
            await conn.execute(
                select(func.count()).where(
                    _chat.c.audience == f"event:{event_id}", _chat.c.deleted.is_(False)
                )
            )
        ).scalar_one()
        questions = question_tables.questions
        asked = (
            await conn.execute(
                select(questions.c.status, func.count())
                .where(questions.c.event_id == event_id)
                .group_by(questions.c.status)
            )
        ).all()
    by_status = {status: int(n) for status, n in asked}
    peak_at = None
    if peak is not None and peak.peak_at is not None:
        moment = peak.peak_at
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        peak_at = moment.isoformat().replace("+00:00", "Z")
    return {
        "peak_concurrent": int(peak.peak) if peak is not None else 0,
        "peak_at": peak_at,
        "unique_visitors": int(visitors),
        "chat_messages": int(chat),
        "questions": sum(by_status.values()),
        "questions_answered": by_status.get("answered", 0),
    }
