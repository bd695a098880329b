"""Client files under ``/client/`` and whitelisted npm packages under ``/vendor/``.

Paths are checked twice: by segment (no empty, ``.``/``..`` or dot-file segment,
no backslash or NUL, whatever encoding they arrived in) and after resolving
symlinks (the file must still be inside the served folder). Anything else is 404.
Files are revalidated (``no-cache`` + ETag), since their names carry no hash.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web

from .. import keys
from ..errors import NotFound

routes = web.RouteTableDef()

# top-level folders of web_client/ reachable as /client/<folder>/...
CLIENT_FOLDERS = frozenset({"src", "css", "img", "assets", "fonts", "locales"})
# axe-core: the accessibility audit the browser tests run on every page (same origin, so
# the pages' CSP lets it load)
# hls.js: HLS into <video> for the show on the stage screen (web_client/src/stage/player.js)
VENDOR_PACKAGES = frozenset({"three", "socket.io-client", "iwer", "axe-core", "hls.js"})

# the emulated headset for the browser tests: only with ZAL_XR_EMULATION (test servers),
# so no visitor's page can be made to install a fake headset
XR_EMULATION_MODULE = "src/xr/emulate.js"

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".glb": "model/gltf-binary",
    ".hdr": "application/octet-stream",
    ".txt": "text/plain; charset=utf-8",
}


def safe_file(root: Path, relative: str) -> Path | None:
    """``root/relative`` if it is a regular file really inside ``root``, else None."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = relative.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    try:
        base = root.resolve(strict=True)
        candidate = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, loop of symlinks, name too long
        return None
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate


async def send_file(root: Path, relative: str) -> web.FileResponse:
    path = await asyncio.to_thread(safe_file, root, relative)
    if path is None:
        raise NotFound("no such file")
    return web.FileResponse(
        path,
        headers={
            "Content-Type": CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream"),
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )


@routes.get("/client/{path:.+}")
async def client_file(request: web.Request) -> web.FileResponse:
    relative = request.match_info["path"]
    if relative.split("/", 1)[0] not in CLIENT_FOLDERS:
        raise NotFound("no such file")
    if relative == XR_EMULATION_MODULE and not request.app[keys.SETTINGS].xr_emulation:
        raise NotFound("no such file")
    return await send_file(request.app[keys.SETTINGS].web_client_dir, relative)


@routes.get("/vendor/{package}/{path:.+}")
async def vendor_file(request: web.Request) -> web.FileResponse:
    package = request.match_info["package"]
    if package not in VENDOR_PACKAGES:
        raise NotFound(key="not_found.package", params={"name": package[:64]})
    root = request.app[keys.SETTINGS].web_client_dir / "node_modules" / package
    return await send_file(root, request.match_info["path"])
