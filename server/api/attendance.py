"""An event's attendance for its hosts (docs/api.md#attendance).

``GET /api/events/{event_id}/attendance`` -> ``{"peak_concurrent", "peak_at",
"unique_visitors", "chat_messages", "questions", "questions_answered"}``, counted
without keeping who came (server/realtime/attendance.py,
server/storage/attendance.py). For the event's host (its host token as a
Bearer token) or the institution's editors and hosts (an account token or a
portal session); 401 without credentials, 404 for an unknown event and, alike,
for an account of another institution (server/auth/tenant.py).
"""

from __future__ import annotations

from aiohttp import web

from .. import keys
from ..auth.tenant import require_own
from ..errors import ApiError, NotFound
from ..storage import attendance as attendance_repo
from ..storage import events as events_repo
from .media import require_host

routes = web.RouteTableDef()


@routes.get("/api/events/{event_id}/attendance")
async def event_attendance(request: web.Request) -> web.Response:
    event_id = request.match_info["event_id"]
    engine = request.app[keys.DB_ENGINE]
    row = await events_repo.get(engine, event_id)
    unknown = NotFound(key="not_found.event", params={"id": event_id[:64]})
    if row is None:
        raise unknown
    try:
        await require_host(request, event_id)
    except ApiError:  # not the event's host link: an account of its institution may
        await require_own(request, row["institution_id"], {"editor", "host"}, unknown)
    found = await attendance_repo.summary(engine, event_id)
    return web.json_response(found, headers={"Cache-Control": "no-store"})
