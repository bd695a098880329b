"""``GET /api/events?when=live|upcoming|past[&venue=id][&lang=]`` and
``GET /api/events/{id}[?lang=][&translations=1]``."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from .. import keys
from ..errors import NotFound
from ..i18n import all_translations, localize
from ..storage import events as events_repo
from .lang import localized_name, mark_language, part, request_language
from .models import (
    DetailQuery,
    Event,
    EventList,
    EventQuery,
    EventStatus,
    EventWithTranslations,
    InstitutionRef,
)
from .params import parse_query
from .venues import json_model

routes = web.RouteTableDef()

TEXT_FIELDS = ("title", "description")


def status_at(row: dict, now: datetime) -> EventStatus:
    if row["starts_at"] > now:
        return "upcoming"
    return "live" if row["ends_at"] > now else "past"


def institution_ref(row: dict, lang: str) -> InstitutionRef:
    name, name_lang = localized_name(part(row, "institution"), lang)
    return InstitutionRef(
        id=row["institution_id"], name=name, name_lang=name_lang, kind=row["institution_kind"]
    )


def to_event(row: dict, now: datetime, lang: str, translations: bool = False) -> Event:
    texts = localize(row, TEXT_FIELDS, lang)
    # the poster has the title drawn in: the one in the language the title is shown in
    poster = row.get("posters", {}).get(texts["title_lang"]) or row["poster_sha256"]
    venue_name, venue_name_lang = localized_name(part(row, "venue"), lang)
    fields = dict(
        id=row["id"],
        **texts,
        kind=row["kind"],
        venue_id=row["venue_id"],
        venue_name=venue_name,
        venue_name_lang=venue_name_lang,
        institution=institution_ref(row, lang),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        status=status_at(row, now),
        poster_url=f"/media/{poster}.png" if poster else None,
    )
    if translations:
        return EventWithTranslations(**fields, translations=all_translations(row, TEXT_FIELDS))
    return Event(**fields)


@routes.get("/api/events")
async def list_events(request: web.Request) -> web.Response:
    query = parse_query(EventQuery, request)
    lang = request_language(request, query.lang)
    now = datetime.now(UTC)
    rows = await events_repo.list_events(
        request.app[keys.DB_ENGINE], now, when=query.when, venue_id=query.venue
    )
    return mark_language(json_model(EventList(events=[to_event(r, now, lang) for r in rows])), lang)


@routes.get("/api/events/{event_id}")
async def get_event(request: web.Request) -> web.Response:
    query = parse_query(DetailQuery, request)
    lang = request_language(request, query.lang)
    event_id = request.match_info["event_id"]
    row = await events_repo.get(request.app[keys.DB_ENGINE], event_id)
    if row is None:
        raise NotFound(key="not_found.event", params={"id": event_id})
    event = to_event(row, datetime.now(UTC), lang, translations=query.translations)
    return mark_language(json_model(event), lang)
