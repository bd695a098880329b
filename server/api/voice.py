"""``/voice/janus/<pass>/…``: the browsers' Janus signalling, through Zal.

janus.js is pointed at ``/voice/janus/<pass>`` and speaks the Janus HTTP API as
if this were Janus: POSTs to the server, a session or a handle, and the long
poll (GET on a session). Zal checks each request against the member's pass
(:mod:`server.voice.gateway`), adds the signed Janus token, forwards it to the
Janus on loopback and returns Janus' answer as it is. The media itself never
passes here: it goes between the browser and Janus over ICE.

Answers are Janus-shaped (``{"janus": "error", "error": {"code": 403, ...}}``, HTTP
200, as Janus answers) because janus.js reads them; they are not shown to people.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .. import keys
from ..voice.gateway import GatewayRefusal
from ..voice.janus_client import JanusUnavailable

routes = web.RouteTableDef()
MAX_BODY = 64 * 1024  # an SDP offer is a few kB


def _error(code: int, reason: str) -> web.Response:
    # HTTP 200 with the error in the body, as Janus itself answers: janus.js reads the
    # body, and a page whose pass was just revoked (it left, it was removed) gets no
    # "failed to load" noise from its last long poll
    return web.json_response(
        {"janus": "error", "error": {"code": code, "reason": reason}},
        headers={"Cache-Control": "no-store"},
    )


def _path(request: web.Request) -> list[int]:
    tail = request.match_info.get("tail", "")
    parts = [p for p in tail.split("/") if p]
    if len(parts) > 2 or not all(p.isdigit() and len(p) < 20 for p in parts):
        raise GatewayRefusal(404, "no such Janus path")
    return [int(p) for p in parts]


async def _body(request: web.Request) -> Any:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise GatewayRefusal(413, "request too large")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise GatewayRefusal(413, "request too large")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise GatewayRefusal(400, "not JSON") from exc


@routes.route("*", r"/voice/janus/{pass_}{tail:(?:/[0-9]+){0,2}}")
async def janus_signalling(request: web.Request) -> web.Response:
    voice = request.app.get(keys.VOICE)
    if voice is None:
        return _error(404, "voice is off on this server")
    try:
        member_pass = voice.gateway.lookup(request.match_info["pass_"])
        path = _path(request)
        if request.method == "GET":  # the long poll for a session's events
            if len(path) != 1 or path[0] not in member_pass.sessions:
                raise GatewayRefusal(403, "not a Janus session of this pass")
            maxev = request.query.get("maxev", "1")
            status, reply = await voice.janus.poll(path[0], int(maxev) if maxev.isdigit() else 1)
        elif request.method == "POST":
            body = voice.gateway.check(member_pass, path, await _body(request))
            status, reply = await voice.janus.forward("".join(f"/{p}" for p in path), body)
            voice.gateway.note(member_pass, path, body, reply)
        else:
            raise GatewayRefusal(405, "GET or POST")
    except GatewayRefusal as refusal:
        return _error(refusal.status, refusal.reason)
    except JanusUnavailable:
        return _error(503, "the voice server does not answer")
    return web.json_response(reply, status=status, headers={"Cache-Control": "no-store"})
