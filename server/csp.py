"""Content-Security-Policy for the HTML pages.

Scripts come only from our origin; the one inline script a page may carry (the
``<script type="importmap">``) is allowed by the sha256 of its text, computed
from the bytes the server is about to send, so editing the import map changes
the hash with it instead of silently breaking the page. Anything HTML without a
page of its own (error pages) gets the same policy with no inline script.
"""

from __future__ import annotations

import base64
import hashlib
import re

# inline scripts only: an opening tag without src=, its text, the end tag
_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC_ATTR = re.compile(rb"\bsrc\s*=", re.IGNORECASE)

# What the client needs: module scripts, stylesheets and fetch() from our origin;
# data: for the empty favicon; blob: because three.js's GLTFLoader hands images
# embedded in a GLB to the browser as blob: URLs (ImageBitmapLoader fetches them,
# hence connect-src too). 'self' in connect-src also covers ws:/wss: to this
# host (CSP 3), which Socket.IO uses. 'wasm-unsafe-eval' lets three.js's
# MeshoptDecoder compile its WebAssembly (scenes travel meshopt-compressed); it
# allows no JavaScript eval.
_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self'"),
    ("connect-src", "'self' blob:"),
    ("media-src", "'self' blob:"),
    ("worker-src", "'self' blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("frame-ancestors", "'none'"),
    ("form-action", "'self'"),
)


def inline_script_hashes(html: bytes) -> list[str]:
    """``'sha256-…'`` sources for each inline ``<script>`` of ``html``.

    The browser hashes the script's text as parsed, and the HTML parser turns
    CRLF and CR into LF first, so the same is done here before hashing.
    """
    found = []
    for attrs, text in _SCRIPT.findall(html):
        if _SRC_ATTR.search(attrs):
            continue
        text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        digest = base64.b64encode(hashlib.sha256(text).digest()).decode("ascii")
        found.append(f"'sha256-{digest}'")
    return found


def policy(script_hashes: list[str] | tuple[str, ...] = ()) -> str:
    """The header value, with ``script_hashes`` added to ``script-src``."""
    parts = []
    for name, value in _DIRECTIVES:
        if name == "script-src" and script_hashes:
            value = " ".join([value, *dict.fromkeys(script_hashes)])
        parts.append(f"{name} {value}")
    return "; ".join(parts)


DEFAULT_POLICY = policy()


def with_media_origins(header: str, origins: list[str] | tuple[str, ...]) -> str:
    """``header`` with ``origins`` (already normalised ``scheme://host[:port]``, see
    server/media/live/external.py) added to ``connect-src`` (hls.js fetches the
    playlists and segments) and ``media-src`` (a browser playing HLS natively)."""
    if not origins:
        return header
    extra = " ".join(origins)
    parts = []
    for part in header.split(";"):
        name = part.strip().split(" ", 1)[0]
        if name in ("connect-src", "media-src"):
            part = f"{part.rstrip()} {extra}"
        parts.append(part)
    return ";".join(parts)
