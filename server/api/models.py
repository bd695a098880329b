"""Wire models of the JSON API (responses); ``extra="forbid"`` everywhere.

Text fields are localized (``server.i18n``): each ``x`` has ``x_lang``, the language
``x`` is actually written in (it differs from ``Content-Language`` when a
translation was missing and the text fell back). ``translations`` (all languages,
for editors) appears on detail answers asked with ``?translations=1``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from scenes.metadata import Exhibit, Room, VenueMetadata

EventKind = Literal["concert", "performance", "lecture", "masterclass", "qa", "excursion"]
EventStatus = Literal["live", "upcoming", "past"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


# {lang: {field: text}}
Translations = dict[str, dict[str, str]]


class InstitutionRef(_Wire):
    id: str
    name: str
    name_lang: str
    kind: str


class InstitutionWithTranslations(InstitutionRef):
    translations: Translations


class LocalizedRoom(Room):
    name_lang: str


class LocalizedExhibit(Exhibit):
    title_lang: str
    description_lang: str | None = None
    medium_lang: str | None = None


class LocalizedMetadata(VenueMetadata):
    """``VenueMetadata`` with ``name``, room names and exhibit titles localized."""

    name_lang: str
    # pydantic narrows a field's type in a subclass; mypy sees list invariance
    rooms: list[LocalizedRoom] = []  # type: ignore[assignment]
    exhibits: list[LocalizedExhibit] = []  # type: ignore[assignment]


class VenueSummary(_Wire):
    id: str
    name: str
    name_lang: str
    kind: str
    institution: InstitutionRef
    seat_count: int
    scene_url: str
    # phones and standalone headsets load this when set (an upload over their budget)
    light_scene_url: str | None = None
    manifest_url: str
    thumbnail_url: str | None


class VenueDetail(VenueSummary):
    metadata: LocalizedMetadata


class VenueDetailWithTranslations(VenueDetail):
    institution: InstitutionWithTranslations
    translations: Translations


class VenueList(_Wire):
    venues: list[VenueSummary]


class Event(_Wire):
    id: str
    title: str
    title_lang: str
    kind: EventKind
    description: str
    description_lang: str
    venue_id: str
    venue_name: str
    venue_name_lang: str
    institution: InstitutionRef
    starts_at: datetime
    ends_at: datetime
    status: EventStatus
    poster_url: str | None


class EventWithTranslations(Event):
    translations: Translations


class EventList(_Wire):
    events: list[Event]


class ListQuery(_Wire):
    """Query string of a list answer: its language (``Accept-Language`` otherwise)."""

    lang: str | None = None


class DetailQuery(ListQuery):
    """Query string of a detail answer: ``?translations=1`` adds every language."""

    translations: bool = False


class EventQuery(ListQuery):
    """Query string of ``GET /api/events``."""

    when: EventStatus | None = None
    venue: str | None = None
