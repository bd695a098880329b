"""``GET /healthz``: the process answers and the database answers."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import text

from .. import keys

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    async with request.app[keys.DB_ENGINE].connect() as conn:
        await conn.execute(text("SELECT 1"))
    return web.json_response({"status": "ok"}, headers={"Cache-Control": "no-store"})
