"""HTML pages: ``GET /`` (lobby) and ``GET /venue/{venue_id}[?event=id]``."""

from __future__ import annotations

from aiohttp import web

from .. import keys
from ..errors import ApiError, NotFound
from ..storage import events as events_repo
from ..storage import venues as venues_repo

routes = web.RouteTableDef()


class ClientMissing(ApiError):
    status = 503
    code = "client_missing"


def page(request: web.Request, name: str) -> web.FileResponse:
    path = request.app[keys.SETTINGS].web_client_dir / name
    if not path.is_file():
        raise ClientMissing(f"web client page {name} is not installed")
    return web.FileResponse(
        path,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        },
    )


@routes.get("/")
async def lobby(request: web.Request) -> web.FileResponse:
    return page(request, "lobby.html")


@routes.get("/venue/{venue_id}")
async def venue_page(request: web.Request) -> web.FileResponse:
    engine = request.app[keys.DB_ENGINE]
    venue_id = request.match_info["venue_id"]
    if await venues_repo.get(engine, venue_id) is None:
        raise NotFound(f"There is no venue called {venue_id!r}. The lobby lists every hall.")
    event_id = request.query.get("event")
    if event_id is not None:
        event = await events_repo.get(engine, event_id)
        if event is None or event["venue_id"] != venue_id:
            raise NotFound(f"There is no event {event_id!r} at this venue.")
    return page(request, "venue.html")
