"""Small HTTP helpers shared by routes: content negotiation and conditional GETs."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web


def accepts_gzip(header: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip: named with q > 0, or, when not
    named, ``*`` with q > 0."""
    quality: dict[str, bool] = {}
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip()
        refused = q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000")
        quality.setdefault(name.strip(), not refused)
    return quality.get("gzip", quality.get("*", False))


def gzip_etag(etag: str) -> str:
    """The gzip representation's own strong ETag: ``"abc"`` -> ``"abc-gz"``.

    The gzip bytes differ from the plain ones, so they must not share a strong
    validator (RFC 9110 8.8.3); with ``Vary: Accept-Encoding`` a cache then
    revalidates each representation with its own tag.
    """
    return etag[:-1] + '-gz"'


def etag_matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


@dataclass(frozen=True)
class Rendered:
    """A JSON body rendered once, with its gzip and an ETag of its bytes."""

    body: bytes
    gzipped: bytes
    etag: str


class RenderedBodies:
    """Bounded LRU of rendered bodies, for answers that are big and rarely change
    (venue detail with its metadata). The key must change when the content does."""

    def __init__(self, limit: int = 32):
        self.limit = limit
        self._items: OrderedDict[str, Rendered] = OrderedDict()

    async def get(self, key: str, render: Callable[[], Awaitable[bytes]]) -> Rendered:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        body = await render()
        gzipped = await asyncio.to_thread(gzip.compress, body, 6, mtime=0)
        found = Rendered(body, gzipped, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
        self._items[key] = found
        if len(self._items) > self.limit:
            self._items.popitem(last=False)
        return found


def send_rendered(request: web.Request, rendered: Rendered) -> web.Response:
    # choose the representation first: If-None-Match is compared with its tag
    gzipped = accepts_gzip(request.headers.get("Accept-Encoding", ""))
    etag = gzip_etag(rendered.etag) if gzipped else rendered.etag
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        return web.Response(status=304, headers=headers)
    body = rendered.body
    if gzipped:
        body = rendered.gzipped
        headers["Content-Encoding"] = "gzip"
    return web.Response(
        body=body, headers=headers, content_type="application/json", charset="utf-8"
    )
