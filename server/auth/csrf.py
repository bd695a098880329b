"""CSRF defence for cookie-authenticated writes.

The session cookie is ``SameSite=Strict``, so browsers do not send it on
cross-site requests at all; as a second, independent check a write that came
with the cookie must show it came from this site:

- ``Sec-Fetch-Site`` (sent by every current browser) must be ``same-origin``;
- without it, ``Origin`` must be this server's origin (its host and port as the
  request names them) or one of ``ZAL_ALLOWED_ORIGINS``;
- with neither header, the write is refused: a browser always sends one of them
  on a POST, so only a non-browser client is turned away, and such a client
  should use ``Authorization: Bearer``.

A double-submit token is not needed on top: the headers above cannot be set by
a page of another site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from .. import keys

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _same_origin(request: web.Request, origin: str) -> bool:
    if origin in request.app[keys.SETTINGS].allowed_origins:
        return True
    parts = urlsplit(origin)
    # the host as the browser asked for it: right behind a TLS proxy too, whose
    # scheme the request may not know
    return bool(parts.netloc) and parts.netloc.lower() == request.host.lower()


def from_this_site(request: web.Request) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin != "null" and _same_origin(request, origin)
