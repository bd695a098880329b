"""Courses on the wire (docs/courses.md): what editors send and what everyone gets.

Input texts come per language like the programme's (``{"en": ..., "ru": ...}``);
``lang`` names the course's own language, which must have a title. A lesson names
an event of the course's institution and may give it a title and a note of its
own (the event's title shows otherwise). Everything is shown as text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .models import EventKind, EventStatus, InstitutionRef, Translations
from .programme_input import Description, Lang, Title, _clean
from .texts import check_title

MAX_LESSONS = 50
Note = Annotated[str, Field(max_length=1000), AfterValidator(_clean)]
EventId = Annotated[str, Field(min_length=1, max_length=64)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LessonInput(_Input):
    event_id: EventId
    title: dict[Lang, Title] = {}
    note: dict[Lang, Note] = {}

    def texts(self) -> dict[str, dict[str, str]]:
        """``{lang: {"title", "note"}}`` without empty texts (as storage keeps them)."""
        out: dict[str, dict[str, str]] = {}
        for lang in sorted(set(self.title) | set(self.note)):
            found = {"title": self.title.get(lang, ""), "note": self.note.get(lang, "")}
            found = {k: v for k, v in found.items() if v}
            if found:
                out[lang] = found
        return out


def _unique(lessons: list[LessonInput] | None) -> None:
    seen: set[str] = set()
    for lesson in lessons or []:
        if lesson.event_id in seen:
            raise ValueError(f"lessons: event {lesson.event_id} is in the course twice")
        seen.add(lesson.event_id)


class CourseChange(_Input):
    """An edit (``PATCH /api/courses/{id}``): only the fields sent change; ``lessons``,
    when sent, is the whole new list in its order."""

    lang: Lang | None = None
    title: dict[Lang, Title] | None = None
    description: dict[Lang, Description] | None = None
    lessons: list[LessonInput] | None = Field(default=None, max_length=MAX_LESSONS)

    @model_validator(mode="after")
    def _lessons_once(self) -> CourseChange:
        _unique(self.lessons)
        return self


class CourseCreate(CourseChange):
    """A new course (``POST /api/institutions/{id}/courses``)."""

    lang: Lang = "en"
    title: dict[Lang, Title]
    description: dict[Lang, Description] = {}
    lessons: list[LessonInput] = Field(default=[], max_length=MAX_LESSONS)

    @model_validator(mode="after")
    def _titled(self) -> CourseCreate:
        check_title(self.lang, self.title, "course")
        return self


class LessonOrder(_Input):
    """``PUT /api/courses/{id}/order``: every lesson's event id once, in the new order."""

    event_ids: list[EventId] = Field(max_length=MAX_LESSONS)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LessonEvent(_Wire):
    id: str
    title: str
    title_lang: str
    kind: EventKind
    venue_id: str
    venue_name: str
    venue_name_lang: str
    starts_at: datetime
    ends_at: datetime
    status: EventStatus


class Lesson(_Wire):
    number: int  # 1, 2, 3 ... in the course's order
    event_id: str
    title: str  # the lesson's own title, else its event's
    title_lang: str
    note: str
    note_lang: str
    event: LessonEvent
    url: str  # the venue page for the event, opened from this course
    translations: Translations | None = None  # ?translations=1: the lesson's own texts


class CourseSummary(_Wire):
    id: str
    title: str
    title_lang: str
    description: str
    description_lang: str
    institution: InstitutionRef
    lesson_count: int
    url: str  # the course page


class CourseDetail(CourseSummary):
    lessons: list[Lesson]


class CourseDetailWithTranslations(CourseDetail):
    translations: Translations


class CourseList(_Wire):
    courses: list[CourseSummary]
