"""Wire models of the JSON API (responses); ``extra="forbid"`` everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from scenes.metadata import VenueMetadata

EventKind = Literal["concert", "performance", "lecture", "masterclass", "qa", "excursion"]
EventStatus = Literal["live", "upcoming", "past"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InstitutionRef(_Wire):
    id: str
    name: str
    kind: str


class VenueSummary(_Wire):
    id: str
    name: str
    kind: str
    institution: InstitutionRef
    seat_count: int
    scene_url: str
    manifest_url: str
    thumbnail_url: str | None


class VenueDetail(VenueSummary):
    metadata: VenueMetadata


class VenueList(_Wire):
    venues: list[VenueSummary]


class Event(_Wire):
    id: str
    title: str
    kind: EventKind
    description: str
    venue_id: str
    venue_name: str
    institution: InstitutionRef
    starts_at: datetime
    ends_at: datetime
    status: EventStatus
    poster_url: str | None


class EventList(_Wire):
    events: list[Event]


class EventQuery(_Wire):
    """Query string of ``GET /api/events``."""

    when: EventStatus | None = None
    venue: str | None = None
