"""``GET /portal``: the institutions' portal page (web_client/portal.html).

The page is public like every page; what it shows comes from the API, which
checks the session on every request (server/auth).
"""

from __future__ import annotations

from aiohttp import web

from .pages import page

routes = web.RouteTableDef()


@routes.get("/portal")
async def portal(request: web.Request) -> web.Response:
    return await page(request, "portal.html")
