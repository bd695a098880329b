"""The programme written by institutions (docs/api.md#the-programme): editors only.

- ``POST /api/institutions/{id}/events`` (editor of ``id``) -> 201
  ``{"event": ..., "host_url": "/host/<event>#host=<token>"}``: the new event's
  host link, shown once (only the token's sha256 is kept, as for every event);
- ``PATCH /api/events/{event_id}`` (editor of the institution whose venue the
  event is in) -> 200 ``{"event": ...}``; only the fields sent change;
- ``POST /api/events/{event_id}/host-link`` (editor or host) -> 200
  ``{"host_url"}``: a new host link; the old one stops working. This is how a
  host of the institution gets into the host console of any of its events.

Every check is against the institution that owns the thing: the event's venue,
and the venue it moves to. Another institution's event, venue or institution id
is answered as an unknown one (404, the same code and message: no existence
leak, server/auth/tenant.py); hosts may not create or edit their own
institution's events (403).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from aiohttp import web

from .. import keys
from ..auth.tenant import require_own, require_own_row
from ..errors import ApiError, NotFound
from ..storage import events as events_repo
from ..storage import institutions as institutions_repo
from ..storage import venues as venues_repo
from .events import to_event
from .jsonbody import InvalidBody, parse_json
from .lang import mark_language, request_language
from .programme_input import EventChange, EventCreate, check_event
from .texts import saved_texts, text_columns

routes = web.RouteTableDef()

EDITORS = {"editor"}
HOSTS = {"editor", "host"}


async def _venue_of(request: web.Request, venue_id: str, institution_id: str) -> dict:
    venue = await venues_repo.get(request.app[keys.DB_ENGINE], venue_id)
    if venue is None or venue["institution_id"] != institution_id:
        raise NotFound(key="not_found.venue", params={"id": venue_id})
    return venue


def _host_link(event_id: str, token: str) -> str:
    return f"/host/{event_id}#host={token}"


async def _answer(request: web.Request, event_id: str, status: int = 200, **extra) -> web.Response:
    lang = request_language(request, request.query.get("lang"))
    row = await events_repo.get(request.app[keys.DB_ENGINE], event_id)
    assert row is not None
    event = to_event(row, datetime.now(UTC), lang, translations=True)
    body = {"event": event.model_dump(mode="json"), **extra}
    response = web.json_response(body, status=status)
    response.headers["Cache-Control"] = "no-store"
    return mark_language(response, lang)


@routes.post("/api/institutions/{institution_id}/events")
async def create_event(request: web.Request) -> web.Response:
    institution_id = request.match_info["institution_id"]
    unknown = NotFound(key="not_found.institution", params={"id": institution_id[:64]})
    await require_own(request, institution_id, EDITORS, unknown)
    engine = request.app[keys.DB_ENGINE]
    if not await institutions_repo.exists(engine, institution_id):
        raise unknown  # only an admin gets here
    body = await parse_json(EventCreate, request)
    await _venue_of(request, body.venue_id, institution_id)
    await _no_clash(engine, body.venue_id, body.starts_at, body.ends_at)
    event_id = "ev-" + secrets.token_hex(6)
    token = secrets.token_urlsafe(24)
    await events_repo.add(
        engine,
        id=event_id,
        venue_id=body.venue_id,
        kind=body.kind,
        starts_at=body.starts_at.astimezone(UTC),
        ends_at=body.ends_at.astimezone(UTC),
        host_token_hash=events_repo.hash_token(token),
        demo=False,
        **text_columns(body.lang, body.title, body.description),
    )
    return await _answer(request, event_id, 201, host_url=_host_link(event_id, token))


class EventClash(ApiError):
    status = 409
    code = "event_clash"


async def _no_clash(engine, venue_id: str, starts_at, ends_at, except_id: str | None = None):
    """One venue holds one event at a time: refuse an overlap, naming the other event."""
    other = await events_repo.clash(engine, venue_id, starts_at, ends_at, except_id)
    if other is not None:
        raise EventClash(
            params={
                "title": other["title"],
                "id": other["id"],
                "starts": other["starts_at"].isoformat().replace("+00:00", "Z"),
                "ends": other["ends_at"].isoformat().replace("+00:00", "Z"),
            }
        )


async def _owned_event(request: web.Request, roles: set[str] = EDITORS) -> dict:
    event_id = request.match_info["event_id"]
    row = await events_repo.get(request.app[keys.DB_ENGINE], event_id)
    unknown = NotFound(key="not_found.event", params={"id": event_id})
    return await require_own_row(request, row, roles, unknown)


@routes.patch("/api/events/{event_id}")
async def edit_event(request: web.Request) -> web.Response:
    row = await _owned_event(request)
    change = await parse_json(EventChange, request)
    if change.venue_id is not None and change.venue_id != row["venue_id"]:
        await _venue_of(request, change.venue_id, row["institution_id"])
    title, description = saved_texts(row)
    title.update(change.title or {})
    description.update(change.description or {})
    lang = change.lang or row["lang"]
    starts_at = change.starts_at or row["starts_at"]
    ends_at = change.ends_at or row["ends_at"]
    try:
        check_event(lang, title, starts_at, ends_at)
    except ValueError as exc:
        raise InvalidBody(str(exc)) from None
    engine = request.app[keys.DB_ENGINE]
    await _no_clash(engine, change.venue_id or row["venue_id"], starts_at, ends_at, row["id"])
    values = text_columns(lang, title, description)
    values.update(starts_at=starts_at.astimezone(UTC), ends_at=ends_at.astimezone(UTC))
    if change.venue_id is not None:
        values["venue_id"] = change.venue_id
    if change.kind is not None:
        values["kind"] = change.kind
    await events_repo.update(request.app[keys.DB_ENGINE], row["id"], **values)
    return await _answer(request, row["id"])


@routes.post("/api/events/{event_id}/host-link")
async def new_host_link(request: web.Request) -> web.Response:
    row = await _owned_event(request, HOSTS)
    token = secrets.token_urlsafe(24)
    engine = request.app[keys.DB_ENGINE]
    await events_repo.update(engine, row["id"], host_token_hash=events_repo.hash_token(token))
    response = web.json_response({"host_url": _host_link(row["id"], token)})
    response.headers["Cache-Control"] = "no-store"
    return response
