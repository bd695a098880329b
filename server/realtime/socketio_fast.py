"""python-socketio server with a broadcast that encodes once and writes once.

Stock ``AsyncServer.emit(..., room=...)`` (5.18) encodes the packet once but then
creates one task per recipient *per frame* (a binary event is two frames), each
going through ``eio.send_packet`` -> the socket's queue -> its writer task ->
``ws.send_str`` (and, if the client negotiated permessage-deflate, a deflate per
recipient). :meth:`FastAsyncServer.broadcast` builds the websocket bytes of the
whole Socket.IO packet once and writes them to each recipient's transport in one
synchronous loop: no task, no queue, no per-recipient encoding or compression.

It also runs the handlers of a few high-rate, non-blocking events (``pose``,
``react``) inline instead of in a new task per event (``inline_events``); all
other events keep python-socketio's ``async_handlers`` behaviour.

Everything else (namespaces, rooms, acks, the client manager) is the library's.
The broadcast writes to this process's sockets: with a pub/sub client manager
(Redis) it does so only for a room the manager calls local (an instance's room,
redis_manager.py) and falls back to ``emit`` for the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import socketio
from socketio import packet

from . import fast_json
from .engineio_fast import QUEUED, SLOW, FastAsyncSocket, FastEngineIOServer, eio_message_frames

log = logging.getLogger(__name__)

# a client this far behind is not reading; writing more only grows its buffer
DEFAULT_MAX_BUFFERED = 1 << 20


@dataclass(slots=True)
class BroadcastCounters:
    direct: int = 0  # recipients written to directly
    fallback: int = 0  # recipients sent through the library's path
    skipped: int = 0  # recipients skipped because their buffer was full


class FastAsyncServer(socketio.AsyncServer):
    """``socketio.AsyncServer`` + :meth:`broadcast` + inline high-rate handlers.

    Extra keyword arguments: ``inline_events`` (event names whose handlers run
    without a task; they must not block), ``max_buffered`` (bytes; a recipient
    with more than this waiting in its transport is skipped by ``broadcast``),
    ``websocket_compression`` (default False: decline permessage-deflate; see
    docs/benchmarks-realtime.md for why the snapshot channel is uncompressed).
    ``json`` defaults to :mod:`.fast_json` (the library's rules, one decoder).
    """

    def __init__(
        self,
        *args: Any,
        inline_events: Iterable[str] = ("pose", "react"),
        max_buffered: int = DEFAULT_MAX_BUFFERED,
        websocket_compression: bool = False,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("json") is None:
            kwargs["json"] = fast_json
        super().__init__(*args, websocket_compression=websocket_compression, **kwargs)
        self.inline_events = frozenset(inline_events)
        self.max_buffered = max_buffered
        self.broadcast_counters = BroadcastCounters()

    def _engineio_server_class(self) -> type:
        return FastEngineIOServer

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: Any, data: Any) -> None:
        if (
            self.async_handlers
            and id is None
            and isinstance(data, list)
            and data
            and isinstance(data[0], str)
            and data[0] in self.inline_events
        ):
            namespace = namespace or "/"
            sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
            if self.manager.is_connected(sid, namespace):
                await self._handle_event_internal(self, sid, eio_sid, data, namespace, id)
            return
        await super()._handle_event(eio_sid, namespace, id, data)

    async def broadcast(
        self,
        event: str,
        data: Any,
        room: str,
        namespace: str = "/",
        skip_sid: str | None = None,
        local: bool = False,
    ) -> int:
        """Send ``event`` to everyone in ``room`` (but ``skip_sid``).

        ``data`` as in ``emit``: a tuple is several arguments, anything else one.
        Same packets on the wire as ``emit(event, data, room=room)``; returns the
        number of recipients written to directly.
        """
        manager = self.manager
        local = (
            local
            or type(manager) is socketio.AsyncManager
            or (hasattr(manager, "is_local_room") and manager.is_local_room(room, namespace))
        )
        if not local:
            await self.emit(event, data, room=room, namespace=namespace, skip_sid=skip_sid)
            return 0
        args = list(data) if isinstance(data, tuple) else [data]
        pkt = self.packet_class(packet.EVENT, namespace=namespace, data=[event, *args])
        wire = eio_message_frames(pkt.encode())
        sockets = self.eio.sockets
        counters = self.broadcast_counters
        limit = self.max_buffered
        slow: list[str] = []
        written = 0
        for sid, eio_sid in self.manager.get_participants(namespace, room):
            if sid == skip_sid:
                continue
            sock = sockets.get(eio_sid)
            # one call per recipient: this loop runs for every member every tick
            outcome = sock.offer_frames(wire, limit) if isinstance(sock, FastAsyncSocket) else 0
            if outcome == QUEUED:
                written += 1
            elif outcome == SLOW:
                counters.skipped += 1
            else:
                slow.append(eio_sid)
        counters.direct += written
        for eio_sid in slow:
            counters.fallback += 1
            await self._send_packet(eio_sid, pkt)
        return written
