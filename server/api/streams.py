"""Live streams (docs/hosts-live-stream.md, docs/api.md#live-streams).

- ``POST /api/events/{event_id}/streams`` (host): ``{"title", "url"}`` registers an
  external HLS stream from an allowed origin (``ZAL_MEDIA_ORIGINS``);
  ``{"title", "ingest": true}`` makes a stream key for the nginx-rtmp ingest and
  answers it once, with where to push. 201 with the media (kind ``stream``).
- ``POST /api/live/on_publish``: nginx-rtmp's ``on_publish`` callback. A stream key
  Zal made is answered with a redirect that makes nginx relay the push to its HLS
  application under the stream's public playback id; anything else 403 (nginx
  drops the push).
- ``GET /live/{playback_id}/{name}``: the live HLS nginx (or the demo's ffmpeg)
  writes, only for streams registered on an event; playlists ``no-cache`` and
  dated (``EXT-X-PROGRAM-DATE-TIME``, server/media/live/program_time.py),
  segments a short ``max-age``.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .. import csp, keys
from ..errors import ApiError, NotFound
from ..media.errors import PayloadTooLarge
from ..media.live import external
from ..media.live.keys import STREAM_KEY, new_stream_key, playback_id, playback_url
from ..media.live.nginx_conf import HLS_APP, INGEST_APP, ON_PUBLISH_PATH
from ..media.live.program_time import with_program_date_time
from ..media.views import media_view
from ..storage import media as media_repo
from .media import _event_or_404, require_host
from .params import InvalidParameter, _error

log = logging.getLogger("zal.live")
routes = web.RouteTableDef()

MAX_BODY_BYTES = 16 * 1024
PLAYLIST_CACHE = "no-cache"
SEGMENT_CACHE = "public, max-age=10"
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/mp4",
    ".mp4": "video/mp4",
}
DEFAULT_RTMP_PORT = 1935
# the relay target nginx names in its on_publish URL (server/media/live/nginx_conf.py)
_RELAY = re.compile(rf"rtmp://(\[[0-9a-fA-F:.]+\]|[0-9.]+):[0-9]{{1,5}}/{HLS_APP}")


class StreamRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    url: str | None = Field(default=None, max_length=external.MAX_URL_LENGTH)
    ingest: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> StreamRequest:
        if (self.url is None) == (not self.ingest):
            raise ValueError('give either "url" or "ingest": true')
        return self


class RefusedPush(ApiError):
    status = 403
    code = "stream_key_unknown"


async def _body(request: web.Request) -> StreamRequest:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidParameter(key="invalid_parameter.json") from None
    try:
        body = StreamRequest.model_validate(data)
    except ValidationError as exc:
        raise _error(exc) from None
    title = "".join(ch for ch in body.title if ch.isprintable()).strip()
    if not title:
        raise InvalidParameter(
            key="invalid_parameter.value", params={"name": "title", "detail": "empty"}
        )
    return body.model_copy(update={"title": title})


def rtmp_server(request: web.Request) -> str:
    """Where encoders push (OBS's "Server"): the setting, or this host on port 1935."""
    configured = request.app[keys.SETTINGS].live_rtmp_url
    if configured:
        return configured.rstrip("/")
    host = request.url.host or "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return f"rtmp://{host}:{DEFAULT_RTMP_PORT}/{INGEST_APP}"


@routes.post("/api/events/{event_id}/streams")
async def register_stream(request: web.Request) -> web.Response:
    event_id = await _event_or_404(request)
    await require_host(request, event_id)
    body = await _body(request)
    engine = request.app[keys.DB_ENGINE]
    values = {"event_id": event_id, "kind": "stream", "title": body.title, "status": "ready",
              "progress": 1.0}  # fmt: skip
    if body.url is not None:
        url = external.check_url(body.url, request.app[keys.SETTINGS].media_origins)
        await external.probe(url)
        row = await media_repo.add(engine, **values, stream_url=url)
        log.info("stream %s on %s: external %s", row["id"], event_id, url)
        return web.json_response(media_view(row), status=201)
    key = new_stream_key()
    row = await media_repo.add(engine, **values, stream_url=playback_url(playback_id(key)))
    log.info("stream %s on %s: ingest", row["id"], event_id)
    server = rtmp_server(request)
    ingest = {"server": server, "stream_key": key, "rtmp_url": f"{server}/{key}"}
    # the key is shown this once: only its hash (the playback id) is kept
    return web.json_response(
        {**media_view(row), "ingest": ingest}, status=201, headers={"Cache-Control": "no-store"}
    )


@routes.post(ON_PUBLISH_PATH)
async def on_publish(request: web.Request) -> web.Response:
    form = await request.post()
    key, call = str(form.get("name", "")), str(form.get("call", ""))
    relay = request.query.get("relay", "")
    if call != "publish" or not STREAM_KEY.fullmatch(key):
        log.info("live: refused a push (not a stream key) from %s", form.get("addr", "?"))
        raise RefusedPush()
    if not _RELAY.fullmatch(relay):
        log.error("live: on_publish without a valid ?relay= (regenerate the nginx config)")
        raise RefusedPush()
    pid = playback_id(key)
    found = await request.app[keys.LIVE].registry.find(pid)
    if found is None:
        log.info("live: refused a push with an unknown key from %s", form.get("addr", "?"))
        raise RefusedPush()
    log.info("live: stream %s of %s is live", found["id"], found["event_id"])
    # a redirect to rtmp://… makes nginx relay the push there (under the public name)
    return web.Response(status=302, headers={"Location": f"{relay}/{pid}"})


@routes.get("/live/{playback_id}/{name}")
async def live_file(request: web.Request) -> web.StreamResponse:
    pid, name = request.match_info["playback_id"], request.match_info["name"]
    live = request.app[keys.LIVE]
    # names first (no query for garbage), then admitted (a made-up id never reaches
    # the file system); the path check is three stat calls, cheaper than a thread
    # hop, so it stays on the loop
    if not live.well_named(pid, name) or not await live.registry.admitted(pid):
        raise NotFound(key="not_found.file")
    path = live.file(pid, name)
    if path is None:
        raise NotFound(key="not_found.file")
    if path.suffix == ".m3u8":
        return _playlist(path)
    response = web.FileResponse(path, headers={"Cache-Control": SEGMENT_CACHE})
    response.content_type = CONTENT_TYPES[path.suffix]
    return response


def _playlist(path: Path) -> web.StreamResponse:
    """The live playlist, its segments dated (program_time.py). A few hundred bytes
    from the page cache: read on the loop, like the stat calls before it."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:  # nginx replaced it between the check and the read
        raise NotFound(key="not_found.file") from None
    return web.Response(
        text=with_program_date_time(text),
        content_type=CONTENT_TYPES[".m3u8"],
        headers={"Cache-Control": PLAYLIST_CACHE},
    )


async def media_origins_in_csp(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: the allowed stream origins into every page's CSP."""
    origins = request.app[keys.SETTINGS].media_origins
    header = response.headers.get("Content-Security-Policy")
    if origins and header:
        response.headers["Content-Security-Policy"] = csp.with_media_origins(header, origins)
