"""What a client's Socket.IO packets may be, checked before python-socketio acts on them.

A mixin for an ``AsyncServer`` (stock and fast path alike, see server.py):

- **Event names.** Only the client events of docs/PROTOCOL.md
  (:data:`.protocol.CLIENT_EVENTS`) are dispatched. The library hands a client's
  EVENT named ``connect`` or ``disconnect`` to the very handlers it calls itself
  when a connection starts and ends: a second member on one socket (around
  every per-member limit), or a member detached while its socket stays in the
  rooms. Any other name goes to the namespace's ``refuse_event`` (an error ack,
  a ``rejected`` event, a counted violation) and is never dispatched.
- **Binary packets.** Clients never need one (only the server sends binary
  ``snap``), and the library keeps every announced attachment in memory until
  the last one arrives (up to a billion may be announced). A binary packet
  from a client closes its connection as soon as it is announced, before any
  attachment is held.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from socketio import packet

from .closing import close_connection
from .protocol import CLIENT_EVENTS, ClientError

log = logging.getLogger("zal.realtime")

# attachments a client's binary packet may announce; 0: no binary packets at all
MAX_CLIENT_ATTACHMENTS = 0
# attachment bytes one connection may have waiting (one pending packet at a time);
# only reachable if MAX_CLIENT_ATTACHMENTS is raised
MAX_HELD_ATTACHMENT_BYTES = 16 * 1024


class ClientPacketLimits:
    """Mixin: allow-listed event names, no client binary packets. Before the library."""

    if TYPE_CHECKING:  # provided by socketio.AsyncServer
        _binary_packet: dict[str, Any]
        namespace_handlers: dict[str, Any]

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        await super()._handle_eio_message(eio_sid, data)  # type: ignore[misc]
        pending = self._binary_packet.get(eio_sid)
        if pending is None:
            return
        count = pending.attachment_count
        held = sum(len(a) for a in pending.attachments)
        if 0 < count <= MAX_CLIENT_ATTACHMENTS and held <= MAX_HELD_ATTACHMENT_BYTES:
            return
        del self._binary_packet[eio_sid]
        log.warning(
            "binary packet from a client (%d attachments, limit %d), closing the connection",
            count,
            MAX_CLIENT_ATTACHMENTS,
            extra={"eio_sid": eio_sid, "code": "binary_packet_refused"},
        )
        await close_connection(self, eio_sid)

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: Any, data: Any) -> None:
        namespace = namespace or "/"
        manager = self.manager  # type: ignore[attr-defined]
        sid = manager.sid_from_eio_sid(eio_sid, namespace)
        if sid is None or not manager.is_connected(sid, namespace):
            # not connected to it, or closed a moment ago with frames still in
            # flight: dropped quietly (the library logs a warning per packet)
            return
        if (
            type(data) is not list
            or not data
            or (type(data[0]) is str and data[0] in CLIENT_EVENTS)
        ):
            # allowed, or not an event at all (the library raises, the guard closes)
            await super()._handle_event(eio_sid, namespace, id, data)  # type: ignore[misc]
            return
        name = data[0]
        refuse = getattr(self.namespace_handlers.get(namespace), "refuse_event", None)
        if refuse is not None:
            body = await refuse(sid, name)
        else:
            body = ClientError("unknown_event", "unknown event").body()
        if id is not None and body is not None:
            pkt = self.packet_class(packet.ACK, namespace=namespace, id=id, data=[body])  # type: ignore[attr-defined]
            await self._send_packet(eio_sid, pkt)  # type: ignore[attr-defined]
