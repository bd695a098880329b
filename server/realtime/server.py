"""The Socket.IO server object (created once per app; the room manager is injected)."""

from __future__ import annotations

import logging

import socketio

from ..settings import Settings
from .protocol import NAMESPACE

log = logging.getLogger("zal.realtime")

# Largest accepted websocket frame: a chat message of 500 characters is at most
# ~3 KiB of JSON; a VR pose ~400 bytes. Bigger frames close the connection.
MAX_FRAME = 16 * 1024


class ZalServer(socketio.AsyncServer):
    """Stock ``AsyncServer`` that turns a malformed packet into a closed connection.

    python-socketio raises (and its caller logs a traceback) on packets it cannot
    decode (bad JSON, deep nesting, an event that is not ``[name, ...]``, an
    unexpected binary packet). A client's garbage is the client's problem: log
    one line, close that connection, carry on. Our own handlers never raise
    (the namespace turns every exception into an error ack), so whatever
    arrives here came from the packet. Tested in tests/realtime/test_bad_input.py
    against the pinned python-socketio range.
    """

    async def _handle_eio_message(self, eio_sid, data):
        try:
            await super()._handle_eio_message(eio_sid, data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
            log.warning(
                "malformed Socket.IO packet, closing the connection",
                extra={"eio_sid": eio_sid, "error": type(exc).__name__},
            )
            self._binary_packet.pop(eio_sid, None)
            await self.eio.disconnect(eio_sid)


def create_server(
    settings: Settings, client_manager: socketio.AsyncManager | None = None
) -> socketio.AsyncServer:
    origins = list(settings.allowed_origins) or None  # None: same origin only
    return ZalServer(
        async_mode="aiohttp",
        transports=["websocket"],
        cors_allowed_origins=origins,
        max_http_buffer_size=MAX_FRAME,
        client_manager=client_manager,
        namespaces=[NAMESPACE],
        # handlers run inline in each connection's receive loop: in order, and
        # no task per event (a pose storm would otherwise be a task storm)
        async_handlers=False,
        logger=False,
        engineio_logger=False,
    )
