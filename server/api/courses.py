"""Courses (issue 8, docs/courses.md): an institution's lessons in an order.

Public:
- ``GET /api/courses[?institution=id][&lang=]`` -> ``{"courses": [...]}``;
- ``GET /api/courses/{id}[?lang=][&translations=1]`` -> the course with its
  lessons in order, each with its event (title, kind, venue, times) and the
  ``url`` that opens it from the course.

Editors of the course's institution (401 / 403 from ``require_role``; another
institution's course or institution id is a 404 like an unknown one,
server/auth/tenant.py):
- ``POST /api/institutions/{id}/courses`` -> 201 ``{"course": ...}``;
- ``PATCH /api/courses/{id}`` -> 200 ``{"course": ...}`` (``lessons``, when sent,
  replaces the list: add, remove and reorder at once);
- ``PUT /api/courses/{id}/order`` ``{"event_ids": [...]}`` -> 200: the same
  lessons in a new order;
- ``DELETE /api/courses/{id}`` -> 204.

A lesson's event must be the institution's own: another's is answered as an
unknown event (404 ``not_found.event``); a bad body is a 400 naming the field.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from aiohttp import web

from .. import keys
from ..auth.tenant import require_own, require_own_row
from ..errors import NotFound
from ..i18n import all_translations, fallback_chain, localize
from ..storage import courses as courses_repo
from ..storage import events as events_repo
from ..storage import institutions as institutions_repo
from .course_models import (
    CourseChange,
    CourseCreate,
    CourseDetail,
    CourseDetailWithTranslations,
    CourseList,
    CourseSummary,
    Lesson,
    LessonEvent,
    LessonInput,
    LessonOrder,
)
from .events import institution_ref, status_at
from .jsonbody import InvalidBody, parse_json
from .lang import localized_name, mark_language, part, request_language
from .models import DetailQuery, ListQuery
from .params import parse_query
from .texts import TEXT_FIELDS, edited_text_columns, text_columns
from .venues import json_model

routes = web.RouteTableDef()

EDITORS = {"editor"}


class CourseQuery(ListQuery):
    institution: str | None = None


def course_url(course_id: str) -> str:
    return f"/course/{course_id}"


def lesson_url(course_id: str, event: dict) -> str:
    # the venue page reads ?course= to count the lesson and offer the next one
    return f"/venue/{event['venue_id']}?event={event['id']}&course={course_id}"


def _summary_fields(row: dict, lang: str) -> dict:
    return dict(
        id=row["id"],
        **localize(row, TEXT_FIELDS, lang),
        institution=institution_ref(row, lang),
        lesson_count=row["lesson_count"],
        url=course_url(row["id"]),
    )


def _pick(texts: dict, field: str, lang: str) -> tuple[str, str]:
    """A lesson's own ``field`` in ``lang`` or the nearest language that has it
    (the fallback order of all content); ``("", lang)`` when it has none."""
    for candidate in fallback_chain(lang, lang):
        found = (texts.get(candidate) or {}).get(field)
        if found:
            return found, candidate
    return "", lang


def _lesson(course: dict, lesson: dict, number: int, lang: str, now, translations: bool):
    event = lesson["event"]
    texts = lesson["texts"] or {}
    title, title_lang = _pick(texts, "title", lang)
    note, note_lang = _pick(texts, "note", lang)
    event_title = localize(event, ("title",), lang)
    venue_name, venue_name_lang = localized_name(part(event, "venue"), lang)
    return Lesson(
        number=number,
        event_id=event["id"],
        title=title or event_title["title"],
        title_lang=title_lang if title else event_title["title_lang"],
        note=note,
        note_lang=note_lang,
        event=LessonEvent(
            id=event["id"],
            **event_title,
            kind=event["kind"],
            venue_id=event["venue_id"],
            venue_name=venue_name,
            venue_name_lang=venue_name_lang,
            starts_at=event["starts_at"],
            ends_at=event["ends_at"],
            status=status_at(event, now),
        ),
        url=lesson_url(course["id"], event),
        translations=texts if translations else None,
    )


def to_detail(course: dict, lang: str, translations: bool = False) -> CourseDetail:
    now = datetime.now(UTC)
    fields = dict(
        **_summary_fields(course, lang),
        lessons=[
            _lesson(course, lesson, i, lang, now, translations)
            for i, lesson in enumerate(course["lessons"], start=1)
        ],
    )
    if translations:
        return CourseDetailWithTranslations(
            **fields, translations=all_translations(course, TEXT_FIELDS)
        )
    return CourseDetail(**fields)


@routes.get("/api/courses")
async def list_courses(request: web.Request) -> web.Response:
    query = parse_query(CourseQuery, request)
    lang = request_language(request, query.lang)
    rows = await courses_repo.list_courses(request.app[keys.DB_ENGINE], query.institution)
    body = CourseList(courses=[CourseSummary(**_summary_fields(r, lang)) for r in rows])
    return mark_language(json_model(body), lang)


def _unknown_course(request: web.Request) -> NotFound:
    return NotFound(key="not_found.course", params={"id": request.match_info["course_id"]})


async def _course(request: web.Request) -> dict:
    course_id = request.match_info["course_id"]
    course = await courses_repo.get(request.app[keys.DB_ENGINE], course_id)
    if course is None:
        raise _unknown_course(request)
    return course


@routes.get("/api/courses/{course_id}")
async def get_course(request: web.Request) -> web.Response:
    query = parse_query(DetailQuery, request)
    lang = request_language(request, query.lang)
    course = await _course(request)
    return mark_language(json_model(to_detail(course, lang, query.translations)), lang)


async def _lessons(request: web.Request, institution_id: str, lessons: list[LessonInput]):
    """The lessons as storage keeps them, once every event is found and the
    institution's own."""
    engine = request.app[keys.DB_ENGINE]
    out = []
    for lesson in lessons:
        event = await events_repo.get(engine, lesson.event_id)
        if event is None or event["institution_id"] != institution_id:
            raise NotFound(key="not_found.event", params={"id": lesson.event_id})
        out.append({"event_id": lesson.event_id, "texts": lesson.texts()})
    return out


async def _answer(request: web.Request, course_id: str, status: int = 200) -> web.Response:
    lang = request_language(request, request.query.get("lang"))
    course = await courses_repo.get(request.app[keys.DB_ENGINE], course_id)
    assert course is not None
    body = {"course": to_detail(course, lang, translations=True).model_dump(mode="json")}
    response = web.json_response(body, status=status)
    response.headers["Cache-Control"] = "no-store"
    return mark_language(response, lang)


@routes.post("/api/institutions/{institution_id}/courses")
async def create_course(request: web.Request) -> web.Response:
    institution_id = request.match_info["institution_id"]
    unknown = NotFound(key="not_found.institution", params={"id": institution_id})
    await require_own(request, institution_id, EDITORS, unknown)
    engine = request.app[keys.DB_ENGINE]
    if not await institutions_repo.exists(engine, institution_id):
        raise unknown  # only an admin gets here
    body = await parse_json(CourseCreate, request)
    lessons = await _lessons(request, institution_id, body.lessons)
    course_id = "course-" + secrets.token_hex(6)
    await courses_repo.add(
        engine,
        id=course_id,
        institution_id=institution_id,
        lessons=lessons,
        **text_columns(body.lang, body.title, body.description),
    )
    return await _answer(request, course_id, 201)


async def _owned(request: web.Request) -> dict:
    return await require_own_row(request, await _course(request), EDITORS, _unknown_course(request))


@routes.patch("/api/courses/{course_id}")
async def edit_course(request: web.Request) -> web.Response:
    course = await _owned(request)
    change = await parse_json(CourseChange, request)
    texts = edited_text_columns(course, change, "course")
    lessons = None
    if change.lessons is not None:
        lessons = await _lessons(request, course["institution_id"], change.lessons)
    engine = request.app[keys.DB_ENGINE]
    await courses_repo.update(engine, course["id"], lessons=lessons, **texts)
    return await _answer(request, course["id"])


@routes.put("/api/courses/{course_id}/order")
async def reorder_lessons(request: web.Request) -> web.Response:
    course = await _owned(request)
    order = await parse_json(LessonOrder, request)
    by_event = {lesson["event"]["id"]: lesson for lesson in course["lessons"]}
    if sorted(order.event_ids) != sorted(by_event):
        missing = sorted(set(by_event) - set(order.event_ids))
        unknown = sorted(set(order.event_ids) - set(by_event))
        raise InvalidBody(
            "event_ids: send each lesson's event id once"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not lessons of this course: {', '.join(unknown)}" if unknown else "")
        )
    lessons = [{"event_id": e, "texts": by_event[e]["texts"]} for e in order.event_ids]
    await courses_repo.update(request.app[keys.DB_ENGINE], course["id"], lessons=lessons)
    return await _answer(request, course["id"])


@routes.delete("/api/courses/{course_id}")
async def delete_course(request: web.Request) -> web.Response:
    course = await _owned(request)
    await courses_repo.delete(request.app[keys.DB_ENGINE], course["id"])
    return web.Response(status=204)
