"""The assistant host link of an event (issue 8; docs/hosts-qa.md#assistant-host).

An assistant host helps run the event's questions: in the live audience a member
who joined with this link's token may approve, reject, merge, put on the board and
answer questions, and nothing else a host does (docs/PROTOCOL.md 4.10).

- ``GET /api/events/{event_id}/assistant-link`` -> ``{"active": bool}``;
- ``POST /api/events/{event_id}/assistant-link`` -> 200 ``{"assistant_url":
  "/host/<event>#assistant=<token>"}``: a new link, shown once (only the token's
  sha256 is kept, like the host link's); the old one stops working;
- ``DELETE /api/events/{event_id}/assistant-link`` -> 204: revoked; members who
  joined with it lose the role at their next action.

Who may: the event's host (``Authorization: Bearer <host token>``, as the host
console sends it), or an editor or host of the institution that owns the event
(access token or session, :func:`server.auth.tenant.require_own`). An unknown
event is 404, and so is another institution's; a wrong host token is 403
``forbidden``; an assistant's own token does not make links (403).
"""

from __future__ import annotations

import secrets

from aiohttp import web

from .. import keys
from ..auth import Forbidden
from ..auth.guard import bearer_token
from ..auth.tenant import require_own
from ..errors import NotFound
from ..storage import events as events_repo
from ..storage import tokens as tokens_repo

routes = web.RouteTableDef()

HOSTS = {"editor", "host"}
PATH = "/api/events/{event_id}/assistant-link"


def assistant_link(event_id: str, token: str) -> str:
    return f"/host/{event_id}#assistant={token}"


async def _event_for_host(request: web.Request) -> dict:
    """The event, if the request comes from its host or its institution's staff."""
    event_id = request.match_info["event_id"]
    engine = request.app[keys.DB_ENGINE]
    row = await events_repo.get(engine, event_id)
    unknown = NotFound(key="not_found.event", params={"id": event_id})
    if row is None:
        raise unknown
    token = bearer_token(request)
    if token is not None:
        if await events_repo.token_role(engine, event_id, token) == "host":
            return row  # the host console's own token
        if not token.startswith(tokens_repo.TOKEN_PREFIX):
            # an event token, but not this event's host token (an assistant's, another's)
            raise Forbidden("only this event's host token may do that", key="forbidden.host_token")
    await require_own(request, row["institution_id"], HOSTS, unknown)
    return row


def _no_store(response: web.Response) -> web.Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@routes.get(PATH)
async def assistant_link_state(request: web.Request) -> web.Response:
    row = await _event_for_host(request)
    return _no_store(web.json_response({"active": row["assistant_token_hash"] is not None}))


@routes.post(PATH)
async def new_assistant_link(request: web.Request) -> web.Response:
    row = await _event_for_host(request)
    token = secrets.token_urlsafe(24)
    await events_repo.set_assistant_token(request.app[keys.DB_ENGINE], row["id"], token)
    return _no_store(web.json_response({"assistant_url": assistant_link(row["id"], token)}))


@routes.delete(PATH)
async def revoke_assistant_link(request: web.Request) -> web.Response:
    row = await _event_for_host(request)
    await events_repo.set_assistant_token(request.app[keys.DB_ENGINE], row["id"], None)
    return _no_store(web.Response(status=204))
