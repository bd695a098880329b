"""Answered questions of an event (docs/api.md#questions-and-answers).

``GET /api/events/{event_id}/questions`` -> ``{"questions": [{"id", "name", "text",
"votes", "answer", "asked_at", "answered_at"}, ...]}``: the questions a host marked
answered during the event's Q&A (server/realtime/qa_events.py), most votes first,
with the written answers. ``name`` is null for a question asked anonymously; who
asked is never published otherwise. Public; 404 for an unknown event.
"""

from __future__ import annotations

from aiohttp import web

from .. import keys
from ..storage import questions as questions_repo
from .media import _event_or_404

routes = web.RouteTableDef()


@routes.get("/api/events/{event_id}/questions")
async def answered_questions(request: web.Request) -> web.Response:
    event_id = await _event_or_404(request)
    found = await questions_repo.published(request.app[keys.DB_ENGINE], event_id)
    # answers keep coming while the session runs: always revalidate
    return web.json_response({"questions": found}, headers={"Cache-Control": "no-cache"})
