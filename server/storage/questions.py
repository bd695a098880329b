"""Questions for the stage (Q&A, issue 8): the questions, one vote per member, and
each event's Q&A settings.

A question's ``status``: ``pending`` (waiting for a host's approval, seen only by
hosts and its author), ``visible``, ``answered`` (with an optional written
``answer``), ``merged`` (a duplicate: its votes went to ``merged_into``) or
``rejected``. ``member_id`` is the live member who asked (the host always knows who
asked); ``anonymous`` hides the name from the hall. Votes are rows, so a member
votes once per question whatever it sends, and a removed member's votes can be
taken back; ``votes`` on the question is their count, kept in the same
transaction.

Member ids are the live layer's own (server-made, kept across a reconnect), so a
vote survives a dropped connection.

The writes a live ack answers are :func:`~.retry.retrying` (a database that is
away for a few seconds delays them instead of losing them); a write that
recounts votes locks its questions first, so processes sharing a PostgreSQL
database never count past each other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .dialects import insert_for
from .retry import retrying
from .schema import metadata

STATUSES = ("pending", "visible", "answered", "merged", "rejected")
SHOWN = ("visible", "answered")  # what the hall sees

questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("name", String(64), nullable=False),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("votes", Integer, nullable=False, default=0),
    Column("merged_into", Integer, nullable=True),
    Column("answer", Text, nullable=True),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=True),
)
Index("ix_questions_event", questions.c.event_id, questions.c.status)

question_votes = Table(
    "question_votes",
    metadata,
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", String(64), primary_key=True),
)
Index("ix_question_votes_member", question_votes.c.member_id)

qa_sessions = Table(
    "qa_sessions",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("enabled", Boolean, nullable=False, default=False),
    Column("moderated", Boolean, nullable=False, default=False),
    Column("on_stage", Integer, nullable=True),  # the question shown on the board
)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite gives naive datetimes back
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")


def view(row: Any) -> dict[str, Any]:
    """A question as stored (the live layer decides who sees the name)."""
    return {
        "id": row.id,
        "member_id": row.member_id,
        "name": row.name,
        "anonymous": bool(row.anonymous),
        "text": row.text,
        "status": row.status,
        "votes": int(row.votes),
        "merged_into": row.merged_into,
        "answer": row.answer,
        "asked_at": _iso(row.asked_at),
        "answered_at": _iso(row.answered_at),
    }


@retrying  # read before an ask: waits out an outage with the write after it
async def session(engine: AsyncEngine, event_id: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(select(qa_sessions).where(qa_sessions.c.event_id == event_id))
        ).first()
    if row is None:
        return {"enabled": False, "moderated": False, "on_stage": None}
    return {"enabled": row.enabled, "moderated": row.moderated, "on_stage": row.on_stage}


@retrying
async def set_session(engine: AsyncEngine, event_id: str, **values: Any) -> dict[str, Any]:
    """Change some of ``enabled``, ``moderated``, ``on_stage``; the whole session back."""
    async with engine.begin() as conn:
        stmt = insert_for(conn, qa_sessions).values(event_id=event_id, **values)
        if values:
            stmt = stmt.on_conflict_do_update(index_elements=["event_id"], set_=values)
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=["event_id"])
        await conn.execute(stmt)
    return await session(engine, event_id)


@retrying
async def ask(
    engine: AsyncEngine,
    event_id: str,
    member_id: str,
    name: str,
    text: str,
    *,
    anonymous: bool,
    pending: bool,
) -> dict[str, Any]:
    async with engine.begin() as conn:
        result = await conn.execute(
            insert(questions).values(
                event_id=event_id,
                member_id=member_id,
                name=name,
                anonymous=anonymous,
                text=text,
                status="pending" if pending else "visible",
                votes=0,
                asked_at=datetime.now(UTC),
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return await _get(conn, key[0])


async def _get(conn: AsyncConnection, question_id: int) -> dict[str, Any]:
    row = (await conn.execute(select(questions).where(questions.c.id == question_id))).one()
    return view(row)


@retrying  # read before a vote or a host's action, as session()
async def get(engine: AsyncEngine, event_id: str, question_id: int) -> dict[str, Any] | None:
    """The question if it belongs to ``event_id``."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(questions).where(
                    questions.c.id == question_id, questions.c.event_id == event_id
                )
            )
        ).first()
    return view(row) if row else None


async def of_event(engine: AsyncEngine, event_id: str, statuses: tuple[str, ...]) -> list[dict]:
    """Questions in ``statuses``, most votes first, then oldest first."""
    q = (
        select(questions)
        .where(questions.c.event_id == event_id, questions.c.status.in_(statuses))
        .order_by(questions.c.votes.desc(), questions.c.id)
    )
    async with engine.connect() as conn:
        return [view(r) for r in await conn.execute(q)]


async def pending_of(engine: AsyncEngine, event_id: str, member_id: str) -> list[dict]:
    """A member's own questions still waiting for approval."""
    q = select(questions).where(
        questions.c.event_id == event_id,
        questions.c.member_id == member_id,
        questions.c.status == "pending",
    )
    async with engine.connect() as conn:
        return [view(r) for r in await conn.execute(q.order_by(questions.c.id))]


async def votes_of(engine: AsyncEngine, event_id: str, member_id: str) -> list[int]:
    """Ids of the event's questions this member voted for."""
    q = (
        select(question_votes.c.question_id)
        .join(questions, questions.c.id == question_votes.c.question_id)
        .where(questions.c.event_id == event_id, question_votes.c.member_id == member_id)
    )
    async with engine.connect() as conn:
        return sorted(r[0] for r in await conn.execute(q))


async def _lock(conn: AsyncConnection, *question_ids: int) -> None:
    """Hold these questions' rows to the end of the transaction (in id order: no
    deadlock between two writers); SQLite's one writer needs no lock."""
    await conn.execute(
        select(questions.c.id)
        .where(questions.c.id.in_(sorted(set(question_ids))))
        .order_by(questions.c.id)
        .with_for_update()
    )


async def _recount(conn: AsyncConnection, question_id: int) -> int:
    count = (
        await conn.execute(select(func.count()).where(question_votes.c.question_id == question_id))
    ).scalar_one()
    await conn.execute(update(questions).where(questions.c.id == question_id).values(votes=count))
    return int(count)


@retrying
async def vote(engine: AsyncEngine, question_id: int, member_id: str, up: bool) -> int:
    """Add (``up``) or take back this member's vote; the question's count after.
    Voting twice, or taking back a vote never given, changes nothing."""
    async with engine.begin() as conn:
        await _lock(conn, question_id)
        had = (
            await conn.execute(
                select(question_votes.c.member_id).where(
                    question_votes.c.question_id == question_id,
                    question_votes.c.member_id == member_id,
                )
            )
        ).first() is not None
        if up and not had:
            await conn.execute(
                insert(question_votes).values(question_id=question_id, member_id=member_id)
            )
        elif not up and had:
            await conn.execute(
                delete(question_votes).where(
                    question_votes.c.question_id == question_id,
                    question_votes.c.member_id == member_id,
                )
            )
        return await _recount(conn, question_id)


@retrying
async def drop_votes_of(engine: AsyncEngine, event_id: str, member_id: str) -> list[dict]:
    """A removed member's votes go: the questions whose counts changed, after."""
    async with engine.begin() as conn:
        ids = [
            r[0]
            for r in await conn.execute(
                select(question_votes.c.question_id)
                .join(questions, questions.c.id == question_votes.c.question_id)
                .where(questions.c.event_id == event_id, question_votes.c.member_id == member_id)
            )
        ]
        if not ids:
            return []
        await _lock(conn, *ids)
        await conn.execute(
            delete(question_votes).where(
                question_votes.c.member_id == member_id, question_votes.c.question_id.in_(ids)
            )
        )
        for question_id in ids:
            await _recount(conn, question_id)
        return [await _get(conn, i) for i in ids]


@retrying
async def set_status(
    engine: AsyncEngine, question_id: int, status: str, *, answer: str | None = None
) -> dict[str, Any]:
    values: dict[str, Any] = {"status": status}
    if status == "answered":
        values.update(answer=answer, answered_at=datetime.now(UTC))
    async with engine.begin() as conn:
        await conn.execute(update(questions).where(questions.c.id == question_id).values(values))
        return await _get(conn, question_id)


@retrying
async def merge(engine: AsyncEngine, duplicate_id: int, into_id: int) -> tuple[dict, dict]:
    """The duplicate's voters vote for the other question (once each); the
    duplicate becomes ``merged``. Both questions, after."""
    async with engine.begin() as conn:
        await _lock(conn, duplicate_id, into_id)
        voters = {
            r[0]
            for r in await conn.execute(
                select(question_votes.c.member_id).where(
                    question_votes.c.question_id == duplicate_id
                )
            )
        }
        already = {
            r[0]
            for r in await conn.execute(
                select(question_votes.c.member_id).where(question_votes.c.question_id == into_id)
            )
        }
        for member_id in sorted(voters - already):
            await conn.execute(
                insert(question_votes).values(question_id=into_id, member_id=member_id)
            )
        await conn.execute(
            delete(question_votes).where(question_votes.c.question_id == duplicate_id)
        )
        await conn.execute(
            update(questions)
            .where(questions.c.id == duplicate_id)
            .values(status="merged", merged_into=into_id, votes=0)
        )
        await _recount(conn, into_id)
        return await _get(conn, duplicate_id), await _get(conn, into_id)


async def published(engine: AsyncEngine, event_id: str) -> list[dict[str, Any]]:
    """The answered questions with their answers, most votes first: what the event
    page and ``GET /api/events/{id}/questions`` show (names of anonymous askers and
    member ids left out)."""
    out = []
    for q in await of_event(engine, event_id, ("answered",)):
        out.append(
            {
                "id": q["id"],
                "name": None if q["anonymous"] else q["name"],
                "text": q["text"],
                "votes": q["votes"],
                "answer": q["answer"],
                "asked_at": q["asked_at"],
                "answered_at": q["answered_at"],
            }
        )
    return out
