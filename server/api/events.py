"""``GET /api/events?when=live|upcoming|past[&venue=id]`` and ``GET /api/events/{id}``."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from .. import keys
from ..errors import NotFound
from ..storage import events as events_repo
from .models import Event, EventList, EventQuery, EventStatus, InstitutionRef
from .params import parse_query
from .venues import json_model

routes = web.RouteTableDef()


def status_at(row: dict, now: datetime) -> EventStatus:
    if row["starts_at"] > now:
        return "upcoming"
    return "live" if row["ends_at"] > now else "past"


def to_event(row: dict, now: datetime) -> Event:
    poster = row["poster_sha256"]
    return Event(
        id=row["id"],
        title=row["title"],
        kind=row["kind"],
        description=row["description"],
        venue_id=row["venue_id"],
        venue_name=row["venue_name"],
        institution=InstitutionRef(
            id=row["institution_id"], name=row["institution_name"], kind=row["institution_kind"]
        ),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        status=status_at(row, now),
        poster_url=f"/media/{poster}.png" if poster else None,
    )


@routes.get("/api/events")
async def list_events(request: web.Request) -> web.Response:
    query = parse_query(EventQuery, request)
    now = datetime.now(UTC)
    rows = await events_repo.list_events(
        request.app[keys.DB_ENGINE], now, when=query.when, venue_id=query.venue
    )
    return json_model(EventList(events=[to_event(r, now) for r in rows]))


@routes.get("/api/events/{event_id}")
async def get_event(request: web.Request) -> web.Response:
    event_id = request.match_info["event_id"]
    row = await events_repo.get(request.app[keys.DB_ENGINE], event_id)
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    return json_model(to_event(row, datetime.now(UTC)))
