"""Stage media over HTTP (docs/api.md#stage-media, docs/media.md).

- ``POST /api/events/{event_id}/media?kind=recording|slides&title=`` (host): the
  raw body is the file, or ``multipart/form-data`` with one file (a recording) or
  several (slides: PDFs and images, in order) -> 202 with the new media;
- ``GET /api/events/{event_id}/media`` -> ``{"media": [...]}`` (public);
- ``GET /api/media/{media_id}`` -> one media, with ``progress`` while it transcodes;
- ``GET /hls/{package_id}/{name}`` -> a file of a recording's HLS package.

Host routes need ``Authorization: Bearer <host token>``: none is 401, a wrong
one 403. Uploads are checked before they are queued: too big (413, from
``Content-Length`` before reading), empty, not media / not slides, corrupt, too
long or too many pages (4xx with a stable code); the job then transcodes or
renders in the background (server/media/jobs.py).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from .. import keys
from ..errors import ApiError, NotFound
from ..media.jobs import Job
from ..media.probe import probe
from ..media.slides import check_all
from ..media.store import content_type
from ..media.views import media_view
from ..storage import events as events_repo
from ..storage import media as media_repo
from ..uploads.receive import receive_parts, receive_to_file, refuse_if_declared_too_large
from .params import parse_query

routes = web.RouteTableDef()

IMMUTABLE = "public, max-age=31536000, immutable"
PROBE_TIMEOUT_S = 60.0


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class UploadQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["recording", "slides"]
    title: str = Field(default="", max_length=200)
    lang: str | None = None


async def _event_or_404(request: web.Request) -> str:
    event_id = request.match_info["event_id"]
    if await events_repo.get(request.app[keys.DB_ENGINE], event_id) is None:
        raise NotFound(key="not_found.event", params={"id": event_id})
    return event_id


async def require_host(request: web.Request, event_id: str) -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the event's host token is needed (Authorization: Bearer ...)")
    engine = request.app[keys.DB_ENGINE]
    if not await events_repo.verify_host_token(engine, event_id, token.strip()):
        raise Forbidden("wrong host token for this event")


def _clean_title(title: str) -> str:
    # a title is text only: control characters out, no path ever made from it
    return "".join(ch for ch in title if ch.isprintable()).strip()[:200]


@routes.post("/api/events/{event_id}/media")
async def upload_media(request: web.Request) -> web.Response:
    event_id = await _event_or_404(request)
    await require_host(request, event_id)
    query = parse_query(UploadQuery, request)
    settings = request.app[keys.SETTINGS]
    limit = settings.media_max_upload_bytes
    refuse_if_declared_too_large(request, limit)
    if request.content_type == "multipart/form-data":
        files = 1 if query.kind == "recording" else settings.slides_max_pages
        sources = await receive_parts(request, settings.uploads_dir, limit, files)
    else:
        sources = [await receive_to_file(request, settings.uploads_dir, limit)]
    try:
        job = await _checked_job(request, query.kind, sources)
    except BaseException:
        for path in sources:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    row = await media_repo.add(
        request.app[keys.DB_ENGINE],
        event_id=event_id,
        kind=query.kind,
        title=_clean_title(query.title),
        duration_s=round(job.probe.duration_s, 3) if job.probe else None,
    )
    request.app[keys.MEDIA_JOBS].submit(Job(row["id"], job.kind, job.src, job.probe, more=job.more))
    return web.json_response(media_view(row), status=202)


async def _checked_job(request: web.Request, kind: str, sources: list[Path]) -> Job:
    """Refuse now what the job would refuse later (a clear 4xx instead of a failed row)."""
    settings = request.app[keys.SETTINGS]
    src = sources[0]
    if kind == "recording":
        found = await probe(
            src,
            max_duration_s=settings.media_max_duration_s,
            timeout_s=PROBE_TIMEOUT_S,
            memory_bytes=settings.media_job_memory_bytes,
        )
        return Job("", kind, src, found)
    limits = request.app[keys.MEDIA_JOBS].slide_limits
    await check_all(sources, limits, request.app[keys.BUILD_POOL])
    return Job("", kind, src, more=tuple(sources[1:]))


@routes.get("/api/events/{event_id}/media")
async def list_media(request: web.Request) -> web.Response:
    event_id = await _event_or_404(request)
    rows = await media_repo.list_for_event(request.app[keys.DB_ENGINE], event_id)
    return web.json_response(
        {"media": [media_view(r) for r in rows]}, headers={"Cache-Control": "no-cache"}
    )


@routes.get("/api/media/{media_id}")
async def get_media(request: web.Request) -> web.Response:
    media_id = request.match_info["media_id"]
    row = await media_repo.get(request.app[keys.DB_ENGINE], media_id)
    if row is None:
        raise NotFound(key="not_found.media", params={"id": media_id[:40]})
    return web.json_response(media_view(row), headers={"Cache-Control": "no-cache"})


@routes.get("/hls/{package_id}/{name}")
async def hls_file(request: web.Request) -> web.StreamResponse:
    """A file of a finished package: the package id is the hash of every file's
    hash, so all of them (playlists too) are immutable. FileResponse adds an ETag
    and Last-Modified (answering 304), Range requests and sendfile."""
    package_id, name = request.match_info["package_id"], request.match_info["name"]
    path = request.app[keys.HLS_STORE].path(package_id, name)
    if path is None:
        raise NotFound(key="not_found.file")
    headers = {"Cache-Control": IMMUTABLE, "Access-Control-Allow-Origin": "*"}
    response = web.FileResponse(path, headers=headers)
    response.content_type = content_type(name)
    return response
