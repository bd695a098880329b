"""A recording's comments on its timeline (docs/api.md#comments-on-the-timeline).

``GET /api/media/{media_id}/comments`` -> ``{"comments": [{"id", "name", "text",
"media_time", "sent_at"}, ...]}``: the chat sent while the recording played on
the stage, by media time, without deleted messages, at most
``chat_timeline.MAX_COMMENTS``. Public, like the media list: whoever may watch
the recording may read what the hall said during it. 404 for an unknown media.
"""

from __future__ import annotations

from aiohttp import web

from .. import keys
from ..errors import NotFound
from ..storage import chat_timeline
from ..storage import media as media_repo

routes = web.RouteTableDef()


@routes.get("/api/media/{media_id}/comments")
async def media_comments(request: web.Request) -> web.Response:
    media_id = request.match_info["media_id"]
    engine = request.app[keys.DB_ENGINE]
    if await media_repo.get(engine, media_id) is None:
        raise NotFound(key="not_found.media", params={"id": media_id[:40]})
    comments = await chat_timeline.comments(engine, media_id)
    # a showing adds comments as it goes: always revalidate
    return web.json_response({"comments": comments}, headers={"Cache-Control": "no-cache"})
