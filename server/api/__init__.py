"""HTTP routes: JSON API, content-hash files, pages and static client files."""

from __future__ import annotations

from aiohttp import web

from . import comments, events, health, media, pages, scenes, static, streams, venues


def setup_routes(app: web.Application) -> None:
    for module in (health, venues, events, media, comments, streams, scenes, pages, static):
        app.router.add_routes(module.routes)
