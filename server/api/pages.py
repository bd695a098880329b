"""HTML pages: ``GET /`` (lobby), ``GET /venue/{venue_id}[?event=id]``, an event's
page ``GET /event/{event_id}`` and the host console ``GET /host/{event_id}`` (the
token travels in the URL fragment).

A page is read (again only when its file changed) and sent with a
Content-Security-Policy whose ``script-src`` holds the hashes of the inline
scripts of exactly these bytes (server/csp.py).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from .. import csp, keys
from ..errors import ApiError, NotFound
from ..storage import courses as courses_repo
from ..storage import events as events_repo
from ..storage import venues as venues_repo
from .httputil import etag_matches

routes = web.RouteTableDef()


class ClientMissing(ApiError):
    status = 503
    code = "client_missing"


@dataclass(frozen=True)
class PageFile:
    body: bytes
    etag: str
    policy: str


# path -> ((mtime_ns, size), page); a handful of pages, so no eviction is needed
_loaded: dict[Path, tuple[tuple[int, int], PageFile]] = {}


def _load(path: Path) -> PageFile | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _loaded.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        body = path.read_bytes()
    except OSError:
        return None
    found = PageFile(
        body=body,
        etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        policy=csp.policy(csp.inline_script_hashes(body)),
    )
    _loaded[path] = (version, found)
    return found


async def page(request: web.Request, name: str) -> web.Response:
    path = request.app[keys.SETTINGS].web_client_dir / name
    found = await asyncio.to_thread(_load, path)
    if found is None:
        raise ClientMissing(f"web client page {name} is not installed")
    headers = {
        "Cache-Control": "no-cache",
        "ETag": found.etag,
        "Content-Security-Policy": found.policy,
    }
    if etag_matches(request.headers.get("If-None-Match", ""), found.etag):
        return web.Response(status=304, headers=headers)
    return web.Response(body=found.body, headers=headers, content_type="text/html", charset="utf-8")


@routes.get("/")
async def lobby(request: web.Request) -> web.Response:
    return await page(request, "lobby.html")


@routes.get("/venue/{venue_id}")
async def venue_page(request: web.Request) -> web.Response:
    engine = request.app[keys.DB_ENGINE]
    venue_id = request.match_info["venue_id"]
    if await venues_repo.get(engine, venue_id) is None:
        raise NotFound(key="not_found.venue_page", params={"id": venue_id})
    event_id = request.query.get("event")
    if event_id is not None:
        event = await events_repo.get(engine, event_id)
        if event is None or event["venue_id"] != venue_id:
            raise NotFound(key="not_found.event_at_venue", params={"id": event_id})
    return await page(request, "venue.html")


@routes.get("/event/{event_id}")
async def event_page(request: web.Request) -> web.Response:
    event_id = request.match_info["event_id"]
    if await events_repo.get(request.app[keys.DB_ENGINE], event_id) is None:
        raise NotFound(key="not_found.event", params={"id": event_id})
    return await page(request, "event.html")


@routes.get("/host/{event_id}")
async def host_console(request: web.Request) -> web.Response:
    # the page is public like every page: what it may do is checked on every
    # request and event it sends with the host token
    event_id = request.match_info["event_id"]
    if await events_repo.get(request.app[keys.DB_ENGINE], event_id) is None:
        raise NotFound(key="not_found.event", params={"id": event_id})
    return await page(request, "host.html")


@routes.get("/course/{course_id}")
async def course_page(request: web.Request) -> web.Response:
    course_id = request.match_info["course_id"]
    if await courses_repo.get(request.app[keys.DB_ENGINE], course_id) is None:
        raise NotFound(key="not_found.course_page", params={"id": course_id})
    return await page(request, "course.html")
