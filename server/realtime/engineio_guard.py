"""Engine.IO input checks: a client's bad request or bad frame gets a clean answer.

python-engineio (4.15) answers a bad handshake request with a text/plain 400 and
an ERROR log line (once per kind, then INFO), and raises on undecodable websocket
frames: the stock loop lets an empty or non-numeric frame escape as a traceback
(and a 500), an unknown packet type is logged with a traceback and the
connection stays open. Here, for both the fast and the stock path:

- HTTP: :func:`request_refusal` checks what the library would refuse (and what
  a websocket-only server never serves: long-polling, sessions to upgrade,
  JSONP) before the library sees the request; the answer is a JSON 400
  ``{"error": {"code", "message"}}`` with a stable code;
- websocket: :func:`frame_refusal` checks each text frame before it is decoded;
  a bad one closes that connection (close code 1002, protocol error);
- either way one warning line through the server's :class:`ClientErrorLog`
  (rate-limited), never a traceback.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import engineio
import engineio.async_drivers.aiohttp as eio_aiohttp
from aiohttp import web

from ..client_errors import ClientErrorLog

log = logging.getLogger("zal.realtime.clients")

# Engine.IO packets a client may send on an open websocket: close, pong, message
# (and upgrade, which the library answers with a noop). Open, ping and noop come
# only from the server; "b" (base64 binary) only on long-polling.
CLIENT_PACKET_TYPES = frozenset("1345")
SERVER_PACKET_TYPES = frozenset("026")

WS_PROTOCOL_ERROR = 1002  # RFC 6455 close code

# query fields a websocket handshake carries (EIO, transport, t, a few spare)
MAX_QUERY_FIELDS = 16


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str


def frame_refusal(data: str | bytes) -> Refusal | None:
    """Why this websocket frame is not an Engine.IO packet a client may send, or None.

    A binary frame is a binary message (a Socket.IO attachment): Socket.IO decides.
    """
    if not isinstance(data, str):
        return None
    if not data:
        return Refusal("empty_packet", "empty Engine.IO packet")
    kind = data[0]
    if kind in CLIENT_PACKET_TYPES:
        return None
    if kind in SERVER_PACKET_TYPES:
        return Refusal("unexpected_packet_type", "Engine.IO packet type a client may not send")
    return Refusal("unknown_packet_type", "unknown Engine.IO packet type")


def request_refusal(request: web.Request) -> Refusal | None:
    """Why a websocket-only Engine.IO endpoint refuses this request, or None."""
    if request.method == "OPTIONS":
        return None  # CORS preflight: the library answers
    if request.method != "GET":
        return Refusal("polling_not_allowed", "only the websocket transport is served")
    try:
        query = urllib.parse.parse_qs(
            request.query_string, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS
        )
    except ValueError:
        return Refusal("bad_query", "too many query fields")
    if query.get("EIO") != ["4"]:
        return Refusal("unsupported_protocol_version", "Engine.IO protocol version 4 only (EIO=4)")
    transport = query.get("transport")
    if transport == ["polling"]:
        return Refusal("polling_not_allowed", "only the websocket transport is served")
    if transport != ["websocket"]:
        return Refusal("unsupported_transport", "transport=websocket only")
    if "sid" in query:
        # a sid asks to upgrade a long-polling session; there are none here
        return Refusal("unknown_session", "no such Engine.IO session")
    if "j" in query:
        return Refusal("bad_query", "JSONP is a long-polling feature")
    if not web.WebSocketResponse().can_prepare(request).ok:
        return Refusal("websocket_upgrade_required", "a websocket upgrade request is required")
    return None


def _peer(request: web.Request) -> str | None:
    return request.remote


class GuardedEngineIO:
    """Mixin for ``engineio.AsyncServer`` (websocket transport only): the checks
    above, and the library's own refusals as JSON and through the rate limit."""

    client_errors: ClientErrorLog

    def __init__(
        self, *args: Any, client_error_clock: Callable[[], float] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("transports", ["websocket"])
        super().__init__(*args, **kwargs)
        if list(self.transports) != ["websocket"]:  # type: ignore[attr-defined]
            raise ValueError("this Engine.IO server serves the websocket transport only")
        self.client_errors = ClientErrorLog(log, clock=client_error_clock or time.monotonic)

    async def handle_request(self, request: web.Request) -> web.StreamResponse:
        refusal = request_refusal(request)
        if refusal is None:
            refusal = self._origin_refusal(request)
        if refusal is not None:
            self.client_errors.warning(
                "refused Engine.IO request", refusal.code, remote=_peer(request)
            )
            return web.json_response(
                {"error": {"code": refusal.code, "message": refusal.message}}, status=400
            )
        return await super().handle_request(request)  # type: ignore[misc]

    def _origin_refusal(self, request: web.Request) -> Refusal | None:
        origin = request.headers.get("Origin")
        if not origin or self.cors_allowed_origins == []:  # type: ignore[attr-defined]
            return None
        environ = eio_aiohttp.translate_request(request)
        allowed = self._cors_allowed_origins(environ)  # type: ignore[attr-defined]
        if allowed is not None and origin not in allowed:
            return Refusal("origin_not_allowed", "this origin may not connect")
        return None

    def frame_refused(self, sid: str, refusal: Refusal) -> None:
        """Log a refused websocket frame (the caller closes the connection)."""
        self.client_errors.warning(
            "bad Engine.IO packet, closing the connection", refusal.code, eio_sid=sid
        )

    # --- the library's own refusals (whatever the checks above let through) ---

    def _log_error_once(self, message: str, message_key: str) -> None:
        self.client_errors.warning(message, message_key.replace("-", "_"))

    def _bad_request(self, message: str | None = None) -> dict[str, Any]:
        body = {"error": {"code": "bad_request", "message": message or "bad request"}}
        return {
            "status": "400 BAD REQUEST",
            "headers": [("Content-Type", "application/json")],
            "response": json.dumps(body).encode(),
        }


class _GuardedWebSocket(eio_aiohttp.WebSocket):
    """The library's aiohttp websocket wrapper (stock path) with :func:`frame_refusal`.

    The stock receive loop ends the connection when ``wait`` raises OSError.
    """

    async def wait(self) -> str | bytes:
        data = await super().wait()
        refusal = frame_refusal(data)
        if refusal is not None:
            handler = self.handler  # the socket's bound _websocket_handler
            self.server.frame_refused(getattr(handler.__self__, "sid", "?"), refusal)
            await self._sock.close(code=WS_PROTOCOL_ERROR)
            raise OSError(refusal.code)
        return data


class GuardedEngineIOServer(GuardedEngineIO, engineio.AsyncServer):
    """The stock Engine.IO server with the checks above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        drivers: dict[str, Any] = self._async  # type: ignore[has-type]
        if drivers.get("websocket") is eio_aiohttp.WebSocket:
            self._async = {**drivers, "websocket": _GuardedWebSocket}  # a copy: shared module state
