"""HLS URLs the institution already has (its own encoder, a CDN).

Only origins an operator listed (``ZAL_MEDIA_ORIGINS``) are accepted: the pages'
CSP lets the browser fetch media from exactly those (server/csp.py), and the
server fetches a URL to check it is HLS only when its origin is listed, so a host
cannot make Zal reach into its own network (no SSRF). The check is one GET of the
playlist: no redirects followed, a short timeout, at most ``MAX_PLAYLIST_BYTES``
read, and the body must begin with ``#EXTM3U``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import aiohttp
from yarl import URL

from .errors import InvalidStreamUrl, NotHls, OriginNotAllowed, StreamUnreachable

MAX_URL_LENGTH = 2000
MAX_PLAYLIST_BYTES = 256 * 1024
PROBE_TIMEOUT_S = 3.0
# what an origin may look like once normalised (it is written into the CSP header)
_ORIGIN = re.compile(r"https?://([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?")


def _url(text: str) -> URL:
    try:
        url = URL(text)
    except (ValueError, TypeError):
        raise ValueError(f"{text!r} is not a URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"{text!r} is not an http(s) URL")
    if url.user is not None or url.password is not None:
        raise ValueError(f"{text!r} carries a user name or password")
    return url


def origin_of(url: URL) -> str:
    """``scheme://host[:port]``, lowercase, the default port left out."""
    origin = str(url.origin()).lower()
    if not _ORIGIN.fullmatch(origin):
        raise ValueError(f"{origin!r} is not a plain origin")
    return origin


def normalize_origin(text: str) -> str:
    """An allow-list entry such as ``https://cdn.example.org`` in its one spelling;
    ValueError for anything with a path, query or fragment."""
    url = _url(text.strip())
    if url.path not in ("", "/") or url.query_string or url.fragment:
        raise ValueError(f"{text!r} is not an origin (scheme://host[:port] only)")
    return origin_of(url)


def check_url(text: str, allowed_origins: Iterable[str]) -> str:
    """The URL if it may be registered: http(s), a ``.m3u8`` path, an allowed origin."""
    if len(text) > MAX_URL_LENGTH or any(ord(c) < 33 for c in text):
        raise InvalidStreamUrl(key="invalid_stream_url")
    try:
        url = _url(text)
        origin = origin_of(url)
    except ValueError:
        raise InvalidStreamUrl(key="invalid_stream_url") from None
    if not url.path.lower().endswith(".m3u8"):
        raise NotHls(key="not_hls.playlist_name")
    if origin not in set(allowed_origins):
        raise OriginNotAllowed(params={"origin": origin})
    return str(url)


def looks_like_hls(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"#EXTM3U")


async def probe(url: str, timeout_s: float = PROBE_TIMEOUT_S) -> None:
    """Fetch the playlist once (call only after :func:`check_url`); raise
    :class:`NotHls` or :class:`StreamUnreachable` if it is not a live HLS playlist."""
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout, trust_env=False) as session,
            session.get(url, allow_redirects=False, headers={"Accept": "*/*"}) as response,
        ):
            if response.status != 200:
                raise StreamUnreachable(params={"status": response.status})
            body = b""
            while len(body) <= MAX_PLAYLIST_BYTES:
                chunk = await response.content.read(65536)
                if not chunk:
                    break
                body += chunk
    except (TimeoutError, aiohttp.ClientError, ValueError):
        raise StreamUnreachable(key="stream_unreachable.no_answer") from None
    if len(body) > MAX_PLAYLIST_BYTES or not looks_like_hls(body):
        raise NotHls()
