"""Courses (the learning modules, issue 8): an institution's events in an order.

A course belongs to one institution and has a title and description in its own
``lang`` with ``translations`` beside them (like every content table, see
schema.py). Its lessons are ordered references to events of the same institution
(the API checks that; storage keeps what it is given): ``position`` counts from 0,
``texts`` is ``{lang: {"title", "note"}}``, both optional (the event's own title
shows when a lesson has none). A lesson goes with its event (``ondelete``).

Visitors' progress is not stored here: it stays in their browser (no account).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import JSON

from .ordered import insert_row, replace_items, update_row
from .schema import events, institutions, metadata, text_columns, venues


def _utc(moment: datetime) -> datetime:
    # SQLite hands datetimes back naive; they are stored in UTC. (Not imported from
    # .events: schema imports this module, and events imports schema.)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


courses = Table(
    "courses",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("institution_id", ForeignKey("institutions.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    *text_columns(),  # title, description
)

course_lessons = Table(
    "course_lessons",
    metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("texts", JSON, nullable=False, default=dict),  # {lang: {"title", "note"}}
)


def _course_query():
    return select(
        courses,
        institutions.c.name.label("institution_name"),
        institutions.c.kind.label("institution_kind"),
        institutions.c.lang.label("institution_lang"),
        institutions.c.translations.label("institution_translations"),
    ).join(institutions, institutions.c.id == courses.c.institution_id)


async def _lesson_counts(conn: AsyncConnection, ids: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(ids, 0)
    if ids:
        q = select(course_lessons.c.course_id).where(course_lessons.c.course_id.in_(ids))
        for row in await conn.execute(q):
            counts[row.course_id] += 1
    return counts


async def list_courses(engine: AsyncEngine, institution_id: str | None = None) -> list[dict]:
    """Every course (of one institution when asked), by title, with ``lesson_count``."""
    q = _course_query().order_by(courses.c.title, courses.c.id)
    if institution_id is not None:
        q = q.where(courses.c.institution_id == institution_id)
    async with engine.connect() as conn:
        rows = [dict(r._mapping) for r in await conn.execute(q)]
        counts = await _lesson_counts(conn, [r["id"] for r in rows])
    for row in rows:
        row["lesson_count"] = counts[row["id"]]
    return rows


async def get(engine: AsyncEngine, course_id: str) -> dict | None:
    """The course with ``lessons``: in order, each with its event joined (``event``:
    the events repository's columns plus venue and institution names)."""
    async with engine.connect() as conn:
        row = (await conn.execute(_course_query().where(courses.c.id == course_id))).first()
        if row is None:
            return None
        course = dict(row._mapping)
        q = (
            select(
                course_lessons.c.position,
                course_lessons.c.texts,
                events,
                venues.c.name.label("venue_name"),
                venues.c.lang.label("venue_lang"),
                venues.c.translations.label("venue_translations"),
                venues.c.institution_id.label("institution_id"),
            )
            .join(events, events.c.id == course_lessons.c.event_id)
            .join(venues, venues.c.id == events.c.venue_id)
            .where(course_lessons.c.course_id == course_id)
            .order_by(course_lessons.c.position)
        )
        lessons = []
        for r in await conn.execute(q):
            event = dict(r._mapping)
            texts = event.pop("texts") or {}
            position = event.pop("position")
            event["starts_at"], event["ends_at"] = _utc(event["starts_at"]), _utc(event["ends_at"])
            lessons.append({"position": position, "texts": texts, "event": event})
    course["lessons"] = lessons
    course["lesson_count"] = len(lessons)
    return course


async def _write_lessons(conn: AsyncConnection, course_id: str, lessons: list[dict]) -> None:
    items = [{"event_id": x["event_id"], "texts": x.get("texts") or {}} for x in lessons]
    await replace_items(conn, course_lessons.c.course_id, course_id, items)


async def add(
    engine: AsyncEngine,
    *,
    id: str,
    institution_id: str,
    title: str,
    description: str,
    lang: str,
    translations: dict,
    lessons: list[dict],
) -> None:
    """A new course; ``lessons`` is ``[{"event_id", "texts"}]`` in order."""
    values = dict(
        id=id,
        institution_id=institution_id,
        title=title,
        description=description,
        lang=lang,
        translations=translations,
    )
    await insert_row(engine, courses, values, lambda conn: _write_lessons(conn, id, lessons))


async def update(
    engine: AsyncEngine, course_id: str, *, lessons: list[dict] | None = None, **values: object
) -> None:
    """Set texts (``title``, ``description``, ``lang``, ``translations``) and, when
    given, replace the lessons with ``lessons`` in that order, in one transaction."""
    write = None if lessons is None else (lambda conn: _write_lessons(conn, course_id, lessons))
    await update_row(engine, courses, course_id, values, write)


async def delete(engine: AsyncEngine, course_id: str) -> bool:
    """Remove the course and its lessons; False when there was none."""
    async with engine.begin() as conn:
        await conn.execute(course_lessons.delete().where(course_lessons.c.course_id == course_id))
        result = await conn.execute(courses.delete().where(courses.c.id == course_id))
    return result.rowcount > 0
