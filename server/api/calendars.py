"""The programme as calendar feeds (docs/api.md#calendar-feeds).

- ``GET /api/calendar.ics``: every event of the city;
- ``GET /api/institutions/{id}/calendar.ics``: one institution's;
- ``GET /api/venues/{id}/calendar.ics``: one venue's;
- ``GET /api/events/{id}/calendar.ics``: one event (the event page's "add to
  calendar"), whenever it is;

each ``text/calendar`` in the language of ``?lang=`` or ``Accept-Language``
(server/calendar/feed.py makes the feed), with the events from 30 days ago on.
404 for an unknown institution, venue or event.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp import web

from .. import keys
from ..calendar.feed import build_feed
from ..errors import NotFound
from ..i18n import localize
from ..storage import events as events_repo
from ..storage import institutions as institutions_repo
from ..storage import venues as venues_repo
from .lang import localized_name, mark_language, part, request_language
from .models import ListQuery
from .params import parse_query

routes = web.RouteTableDef()

KEEP_PAST = timedelta(days=30)  # a feed still shows what was on last month
CITY_FEED = {
    "en": "Zal: the city's programme",
    "ru": "Зал: городская афиша",
    "tt": "Зал: шәһәр афишасы",
}
CACHE = "public, max-age=300"


def _feed_rows(rows: list[dict], lang: str) -> list[dict]:
    out = []
    for row in rows:
        texts = localize(row, ("title", "description"), lang)
        venue, _ = localized_name(part(row, "venue"), lang)
        institution, _ = localized_name(part(row, "institution"), lang)
        updated = row.get("updated_at")
        out.append({
            **row,
            "title": texts["title"],
            "description": texts["description"],
            "location": f"{venue}, {institution}",
            "updated_at": events_repo.utc(updated) if updated is not None else None,
        })  # fmt: skip
    return out


async def _respond(request: web.Request, name: str, rows: list[dict], lang: str) -> web.Response:
    settings = request.app[keys.SETTINGS]
    body = build_feed(
        _feed_rows(rows, lang),
        name=name,
        timezone=settings.timezone,
        base_url=f"{request.scheme}://{request.host}",
        now=datetime.now(UTC),
    )
    response = web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Cache-Control": CACHE, "Content-Disposition": 'inline; filename="zal.ics"'},
    )
    return mark_language(response, lang)


async def _events(request: web.Request) -> list[dict]:
    now = datetime.now(UTC)
    rows = await events_repo.list_events(request.app[keys.DB_ENGINE], now)
    return [r for r in rows if r["ends_at"] > now - KEEP_PAST]


@routes.get("/api/calendar.ics")
async def city_calendar(request: web.Request) -> web.Response:
    lang = request_language(request, parse_query(ListQuery, request).lang)
    return await _respond(
        request, CITY_FEED.get(lang, CITY_FEED["en"]), await _events(request), lang
    )


@routes.get("/api/institutions/{institution_id}/calendar.ics")
async def institution_calendar(request: web.Request) -> web.Response:
    lang = request_language(request, parse_query(ListQuery, request).lang)
    institution_id = request.match_info["institution_id"]
    found = await institutions_repo.get(request.app[keys.DB_ENGINE], institution_id)
    if found is None:
        raise NotFound(key="not_found.institution", params={"id": institution_id[:64]})
    rows = [r for r in await _events(request) if r["institution_id"] == institution_id]
    name, _ = localized_name(found, lang)
    return await _respond(request, name, rows, lang)


@routes.get("/api/venues/{venue_id}/calendar.ics")
async def venue_calendar(request: web.Request) -> web.Response:
    lang = request_language(request, parse_query(ListQuery, request).lang)
    venue_id = request.match_info["venue_id"]
    found = await venues_repo.get(request.app[keys.DB_ENGINE], venue_id)
    if found is None:
        raise NotFound(key="not_found.venue", params={"id": venue_id[:64]})
    rows = [r for r in await _events(request) if r["venue_id"] == venue_id]
    venue, _ = localized_name(found, lang)
    institution, _ = localized_name(part(found, "institution"), lang)
    return await _respond(request, f"{venue}, {institution}", rows, lang)


@routes.get("/api/events/{event_id}/calendar.ics")
async def event_calendar(request: web.Request) -> web.Response:
    lang = request_language(request, parse_query(ListQuery, request).lang)
    event_id = request.match_info["event_id"]
    row = await events_repo.get(request.app[keys.DB_ENGINE], event_id)
    if row is None:
        raise NotFound(key="not_found.event", params={"id": event_id[:64]})
    title = localize(row, ("title",), lang)["title"]
    return await _respond(request, title, [row], lang)
