"""Content-hash files: ``/scenes/{sha256}.glb|json`` and ``/media/{sha256}.png|jpg|...``.

The URL names the bytes, so responses are ``immutable`` for a year and the ETag is
the hash itself: a returning visitor either uses its cache or gets a 304. GLB and
JSON were gzip-compressed once when stored; the ``.gz`` is sent when the client
accepts gzip, with its own ETag (``"<sha256>-gz"``) and ``Vary: Accept-Encoding``.
Anything not matching the strict name pattern is a 404.
"""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from .. import keys
from ..errors import NotFound
from .httputil import accepts_gzip, etag_matches, gzip_etag

routes = web.RouteTableDef()

SCENE_NAME = re.compile(r"([0-9a-f]{64})\.(glb|json)")
MEDIA_NAME = re.compile(r"([0-9a-f]{64})\.(png|jpg|mp3|ogg|m4a|vtt)")
CONTENT_TYPES = {
    "glb": "model/gltf-binary",
    "json": "application/json",
    "png": "image/png",
    "jpg": "image/jpeg",
    # a collection's audio guides (server/collections/audio.py)
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    # tours' captions (server/tours/captions.py)
    "vtt": "text/vtt",
}
IMMUTABLE = "public, max-age=31536000, immutable"
CHUNK = 256 * 1024


async def _send(request: web.Request, pattern: re.Pattern[str]) -> web.StreamResponse:
    match = pattern.fullmatch(request.match_info["name"])
    if match is None:
        raise NotFound("no such file")
    sha, ext = match.groups()
    blobs = request.app[keys.BLOBS]
    row = await blobs.get(sha)
    if row is None or row["content_type"] != CONTENT_TYPES[ext]:
        raise NotFound("no such file")
    # choose the representation first: If-None-Match is compared with its tag
    gzipped = row["gzip_size"] is not None and accepts_gzip(
        request.headers.get("Accept-Encoding", "")
    )
    etag = gzip_etag(f'"{sha}"') if gzipped else f'"{sha}"'
    headers = {
        "ETag": etag,
        "Cache-Control": IMMUTABLE,
        "X-Content-Type-Options": "nosniff",
    }
    if row["gzip_size"] is not None:
        headers["Vary"] = "Accept-Encoding"
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        return web.Response(status=304, headers=headers)
    path, size = blobs.path(sha), row["size"]
    if gzipped:
        path, size = blobs.gzip_path(sha), row["gzip_size"]
        headers["Content-Encoding"] = "gzip"
    try:
        f = await asyncio.to_thread(open, path, "rb")
    except FileNotFoundError:
        raise NotFound("no such file") from None
    try:
        response = web.StreamResponse(headers=headers)
        response.content_type = CONTENT_TYPES[ext]
        response.content_length = size
        await response.prepare(request)
        if request.method != "HEAD":
            while chunk := await asyncio.to_thread(f.read, CHUNK):
                await response.write(chunk)
        await response.write_eof()
        return response
    finally:
        await asyncio.to_thread(f.close)


@routes.get("/scenes/{name}")
async def scene_file(request: web.Request) -> web.StreamResponse:
    return await _send(request, SCENE_NAME)


@routes.get("/media/{name}")
async def media_file(request: web.Request) -> web.StreamResponse:
    return await _send(request, MEDIA_NAME)
