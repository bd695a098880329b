"""``GET /healthz``: the process answers, the database answers, and every part
registered in ``keys.HEALTH_CHECKS`` says ok (503 with their reports if one does not:
a load balancer then stops sending this process new connections)."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import text

from .. import keys

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    async with request.app[keys.DB_ENGINE].connect() as conn:
        await conn.execute(text("SELECT 1"))
    checks = {name: check() for name, check in request.app.get(keys.HEALTH_CHECKS, {}).items()}
    failing = any(report.get("status") != "ok" for report in checks.values())
    body: dict = {"status": "failing" if failing else "ok"}
    if checks:
        body["checks"] = checks
    return web.json_response(
        body, status=503 if failing else 200, headers={"Cache-Control": "no-store"}
    )
