"""The Socket.IO server object (created once per app; the room manager is injected)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import socketio

from ..settings import Settings
from .closing import close_connection
from .engineio_guard import GuardedEngineIOServer
from .fast_internals import fast_path_allowed
from .packet_limits import ClientPacketLimits
from .protocol import NAMESPACE
from .socketio_fast import FastAsyncServer

log = logging.getLogger("zal.realtime")

# Largest accepted websocket frame: a chat message of 500 characters is at most
# ~3 KiB of JSON; a VR pose ~400 bytes. Bigger frames close the connection.
MAX_FRAME = 16 * 1024


class MalformedPacketGuard:
    """Mixin for an ``AsyncServer``: a malformed packet closes that connection.

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
            self.eio.client_errors.warning(  # rate-limited: engineio_guard.GuardedEngineIO
                "malformed Socket.IO packet, closing the connection",
                "malformed_packet",
                eio_sid=eio_sid,
                error=type(exc).__name__,
            )
            self._binary_packet.pop(eio_sid, None)
            await close_connection(self, eio_sid)


class ZalServer(MalformedPacketGuard, ClientPacketLimits, socketio.AsyncServer):
    """The library's server and transport, with the malformed-packet guard and
    the client packet limits (packet_limits.py: allowed events, no binary)."""

    def _engineio_server_class(self) -> type:
        # the library's Engine.IO server with the request and frame checks
        return GuardedEngineIOServer


class ZalFastServer(MalformedPacketGuard, ClientPacketLimits, FastAsyncServer):
    """The fast path (server/realtime/socketio_fast.py: encode-once broadcast,
    engine.io websocket loop without a task per frame), with the same guards."""


async def fan_out(
    sio: socketio.AsyncServer, event: str, data, room: str, local: bool = False
) -> None:
    """Send one event to a room: encoded once; written directly on the fast path.
    ``local``: to this process's members of the room only, never through Redis."""
    broadcast = getattr(sio, "broadcast", None)
    if broadcast is not None:
        await broadcast(event, data, room=room, namespace=NAMESPACE, local=local)
    else:
        await sio.emit(event, data, room=room, namespace=NAMESPACE, ignore_queue=local)


def _library_logger(name: str) -> logging.Logger:
    """A logger for python-engineio/socketio: their INFO is a line per packet, and
    their default logger has its own stderr handler (every line twice)."""
    logger = logging.getLogger(f"zal.realtime.{name}")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    return logger


def create_server(
    settings: Settings,
    client_manager: socketio.AsyncManager | None = None,
    fast: bool | None = None,
    clock: Callable[[], float] | None = None,
) -> socketio.AsyncServer:
    """``fast`` (default ``settings.realtime_fast``) picks :class:`ZalFastServer`,
    unless an installed library version is not one the fast path was verified
    against (server/realtime/fast_internals.py). ``clock`` (tests) drives the
    rate limit of client-error log lines."""
    origins = list(settings.allowed_origins) or None  # None: same origin only
    if fast is None:
        fast = settings.realtime_fast
    options: dict = {}
    if fast and fast_path_allowed():
        server_class: type[socketio.AsyncServer] = ZalFastServer
        options = {
            "max_buffered": settings.slow_consumer_skip_bytes,
            "drop_buffered": settings.slow_consumer_drop_bytes,
        }
    else:
        server_class = ZalServer
    return server_class(
        async_mode="aiohttp",
        transports=["websocket"],
        cors_allowed_origins=origins,
        max_http_buffer_size=MAX_FRAME,
        client_manager=client_manager,
        namespaces=[NAMESPACE],
        # handlers run inline in each connection's receive loop: in order, and
        # no task per event (a pose storm would otherwise be a task storm)
        async_handlers=False,
        ping_interval=settings.ping_interval_s,
        ping_timeout=settings.ping_timeout_s,
        logger=_library_logger("socketio"),
        engineio_logger=_library_logger("engineio"),
        client_error_clock=clock,
        **options,
    )
