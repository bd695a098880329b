"""What the portal sends to create or edit an event (``extra="forbid"``).

Texts come per language (``{"en": ..., "ru": ..., "tt": ...}``); ``lang`` names
the language of the event's own text, which must have a title. Control
characters are taken out; the texts are shown as text, never as HTML.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .models import EventKind

Lang = Literal["en", "ru", "tt"]
MAX_HOURS = 14 * 24


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable() or ch == "\n").strip()


Title = Annotated[str, Field(max_length=200), AfterValidator(_clean)]
Description = Annotated[str, Field(max_length=4000), AfterValidator(_clean)]


class EventChange(BaseModel):
    """An edit: only the fields sent change (``PATCH /api/events/{id}``)."""

    model_config = ConfigDict(extra="forbid")

    venue_id: str | None = Field(default=None, max_length=64)
    kind: EventKind | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    lang: Lang | None = None
    title: dict[Lang, Title] | None = None
    description: dict[Lang, Description] | None = None


class EventCreate(EventChange):
    """A new event (``POST /api/institutions/{id}/events``): all but texts required."""

    venue_id: str = Field(max_length=64)
    kind: EventKind = "concert"
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    lang: Lang = "en"
    title: dict[Lang, Title]
    description: dict[Lang, Description] = {}

    @model_validator(mode="after")
    def _complete(self) -> EventCreate:
        check_event(self.lang, self.title, self.starts_at, self.ends_at)
        return self


def check_event(lang: str, title: dict, starts_at, ends_at) -> None:
    """The rules a whole event keeps (after an edit too); ``ValueError`` names the one broken."""
    if not title.get(lang):
        raise ValueError(f"title: the title in {lang} (the event's language) is empty")
    if ends_at <= starts_at:
        raise ValueError("ends_at: the event must end after it starts")
    if (ends_at - starts_at).total_seconds() > MAX_HOURS * 3600:
        raise ValueError(f"ends_at: an event lasts at most {MAX_HOURS // 24} days")
