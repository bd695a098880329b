"""Engine.IO websocket transport without a task per frame (a pinned subclass).

python-engineio's ``AsyncSocket._websocket_handler`` (4.15) wraps *every*
received websocket frame in ``asyncio.ensure_future`` plus ``asyncio.wait_for``
(a task, a timer and two callbacks per frame) and sends through a queue and a
writer task (a context switch per outgoing packet). With a thousand members
sending poses at 10 Hz that per-frame machinery, not the JSON or the bytes, is
most of the server's CPU (see docs/benchmarks-realtime.md for the profile).

:class:`FastAsyncSocket` keeps the library's packet handling and changes only
the websocket loop:

- receive: ``await ws.receive()`` in a plain loop, no per-frame task or timer;
  each text frame is checked first (:func:`.engineio_guard.frame_refusal`): a
  bad one closes the connection with one rate-limited warning line; a silent
  client is still dropped by the server's ping-timeout monitor
  (``check_ping_timeout`` -> ``close``), which here also closes the websocket;
- send: every packet becomes websocket frame bytes queued on the socket and
  written at the end of the event-loop iteration in one ``transport.write``
  (a tick's snapshot, its reactions and any acks: one syscall). Nothing here
  ever awaits the client: a write never waits on one slow socket (aiohttp's
  ``send_str`` would wait for the transport to drain);
- slow consumers: a broadcaster's :meth:`FastAsyncSocket.offer_frames` skips a
  client with more than ``max_buffered`` bytes waiting (its snapshots are
  dropped); a client with more than the server's ``drop_buffered`` bytes waiting
  is disconnected (its transport aborted).

Only the websocket transport exists here (no long-polling, no upgrades), and
frames go out uncompressed (RSV1 = 0 is valid on a permessage-deflate
connection, RFC 7692).

:class:`FastEngineIOServer` makes the server create :class:`FastAsyncSocket`.
Every library function this relies on is listed in :mod:`.fast_internals`
(with the hash of its source, checked by tests/realtime/test_engineio_fast.py);
the server falls back to the stock path at start-up when an installed version
is not the verified one.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

import engineio
import engineio.async_drivers.aiohttp as eio_aiohttp
from aiohttp.web import WebSocketResponse
from engineio import async_socket, exceptions, packet
from engineio.async_server import task_reference_holder

from .engineio_guard import WS_PROTOCOL_ERROR, GuardedEngineIO, frame_refusal

log = logging.getLogger(__name__)

# a client this far behind has stopped reading (bytes waiting in its transport)
DEFAULT_DROP_BUFFERED = 4 << 20

# outcomes of FastAsyncSocket.offer_frames
NOT_DIRECT, QUEUED, SLOW = 0, 1, 2

_WS_TEXT = 0x1
_WS_BINARY = 0x2


def ws_frame(payload: bytes, opcode: int) -> bytes:
    """One unmasked, unfragmented, uncompressed websocket frame (RFC 6455 §5.2).

    A server never masks. RSV1 stays 0, which RFC 7692 allows on a connection
    that negotiated permessage-deflate: such a message is simply not compressed.
    """
    n = len(payload)
    first = 0x80 | opcode
    if n < 126:
        header = bytes((first, n))
    elif n < 65536:
        header = bytes((first, 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((first, 127)) + n.to_bytes(8, "big")
    return header + payload


def eio_message_frames(encoded: str | bytes | list[str | bytes]) -> bytes:
    """Websocket bytes for an encoded Socket.IO packet (or packet + attachments).

    Engine.IO v4 on a websocket: a text message is ``"4" + text``, a binary
    message is the raw bytes.
    """
    parts = encoded if isinstance(encoded, list) else [encoded]
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(ws_frame(("4" + part).encode("utf-8"), _WS_TEXT))
        else:
            out.append(ws_frame(bytes(part), _WS_BINARY))
    return b"".join(out)


class FastAsyncSocket(async_socket.AsyncSocket):
    """An Engine.IO socket whose websocket loop has no per-frame task."""

    server: FastEngineIOServer
    last_ping: float | None  # the library's, set in its __init__ (unannotated there)
    # set while the fast websocket loop owns the connection
    _ws: Any = None  # aiohttp.web.WebSocketResponse
    _transport: asyncio.Transport | None = None
    _pending: list[bytes] | None = None  # frames queued in this loop pass, not yet written
    _fast = False  # True once the fast websocket loop has taken the connection
    _ping_task: asyncio.Task | None = None  # the library's ping wait, while it sleeps

    @property
    def direct(self) -> bool:
        """True when frames can be written straight to this client's transport."""
        transport = self._transport
        return transport is not None and not self.closing and not transport.is_closing()

    def offer_frames(self, wire: bytes, max_buffered: int) -> int:
        """Queue pre-built websocket frames (from :func:`eio_message_frames`) for a
        broadcaster: returns ``QUEUED``, ``SLOW`` (more than ``max_buffered`` bytes
        already wait in the transport: skipped, not queued) or ``NOT_DIRECT``
        (use :meth:`send`)."""
        transport = self._transport
        if transport is None or self.closing or transport.is_closing():
            return NOT_DIRECT
        if transport.get_write_buffer_size() > max_buffered:
            return SLOW
        self._queue(wire)
        return QUEUED

    def _queue(self, wire: bytes) -> None:
        """Queue frames for this loop pass's flush (scheduled on the first one)."""
        pending = self._pending
        if pending is None:
            self._pending = [wire]
            self.server.schedule_flush(self)
        else:
            pending.append(wire)

    def flush(self) -> None:
        """Write what was queued, in one write; drop the client if it is too far behind."""
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        transport.write(pending[0] if len(pending) == 1 else b"".join(pending))
        buffered = transport.get_write_buffer_size()
        if buffered > self.server.drop_buffered:
            # it stopped reading: more would only grow this buffer (the member
            # can resume within the grace period on a better network)
            self.server.client_errors.warning(
                "slow consumer, dropping the connection",
                "slow_consumer",
                eio_sid=self.sid,
                buffered=buffered,
            )
            self.server.slow_drops += 1
            transport.abort()

    async def receive(self, pkt: packet.Packet) -> None:
        # A MESSAGE goes straight to the server's message handler (python-socketio's
        # ``_handle_eio_message``); the library's ``_trigger_event`` would build a
        # closure and inspect the handler on every packet. Other packets: library.
        if pkt.packet_type == packet.MESSAGE:
            handler = self.server.message_coroutine
            if handler is not None:
                try:
                    await handler(self.sid, pkt.data)
                except Exception:
                    self.server.logger.exception("message async handler error")
                return
        await super().receive(pkt)

    async def send(self, pkt: packet.Packet) -> None:
        if self._transport is None:
            if not self._fast:
                # before the loop takes the connection (the OPEN packet): the
                # library's queue, which the loop empties first
                await super().send(pkt)
            # else: the loop has ended (client gone); queueing would only make
            # close() wait forever
            return
        if not await self.check_ping_timeout():
            return
        self._send_now(pkt)

    def _send_now(self, pkt: packet.Packet) -> None:
        encoded = pkt.encode()
        if isinstance(encoded, str):
            self._queue(ws_frame(encoded.encode("utf-8"), _WS_TEXT))
        else:
            self._queue(ws_frame(bytes(encoded), _WS_BINARY))
        if pkt.packet_type == packet.CLOSE:
            self.flush()
            self._close_ws()

    def schedule_ping(self) -> None:
        # the library's, keeping the task: see close()
        if self.last_ping:
            self.last_ping = None
            self._ping_task = self.server.start_background_task(self._send_ping)

    async def close(self, wait: bool = True, abort: bool = False, reason: Any = None) -> None:
        # on the fast path nothing goes through the queue, so there is nothing to wait for
        await super().close(wait=wait and not self._fast, abort=abort, reason=reason)
        # the library closes the websocket from its writer task; there is none here
        self._close_ws()
        # the ping task sleeps ping_interval (25 s) before it looks at the socket:
        # under churn thousands of closed sockets (and all they hold) would wait
        # with it (docs/benchmarks-realtime.md, memory under churn)
        task = self._ping_task
        self._ping_task = None
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    def _close_ws(self, code: int = 1000) -> None:
        ws = self._ws
        if ws is not None and not ws.closed:
            task = asyncio.ensure_future(ws.close(code=code))
            task_reference_holder.add(task)
            task.add_done_callback(task_reference_holder.discard)

    async def _websocket_handler(self, ws: Any) -> None:
        # websocket transport only: this is always a new connection, never an upgrade
        self.connected = True
        self.upgraded = True
        sock = ws._sock  # the aiohttp WebSocketResponse, prepared by the driver
        self._ws = sock
        self._transport = ws.environ["aiohttp.request"].transport
        # packets queued before this loop (the OPEN packet) go first, in order
        while not self.queue.empty():
            pkt = self.queue.get_nowait()
            self.queue.task_done()
            if pkt is not None:
                self._send_now(pkt)
        self._fast = True
        server = self.server
        max_size = server.max_http_buffer_size
        decode = packet.Packet
        close_code = 1000
        try:
            while True:
                msg = await sock.receive()
                data = msg.data
                if not isinstance(data, (str, bytes)):
                    break  # CLOSE / CLOSING / CLOSED / ERROR (aiohttp refused the frame)
                if len(data) > max_size:
                    server.logger.info("%s: packet is too large, closing", self.sid)
                    break
                refusal = frame_refusal(data)
                if refusal is not None:
                    server.frame_refused(self.sid, refusal)
                    close_code = WS_PROTOCOL_ERROR
                    break
                try:
                    await self.receive(decode(encoded_packet=data))
                except exceptions.SocketIsClosedError:
                    break
                except Exception:
                    server.logger.exception("Unknown receive error")
        finally:
            self.flush()
            self._ws = None
            self._transport = None
            self._pending = None
            if not sock.closed:
                await sock.close(code=close_code)
        await self.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)


class _FastSockets(dict):
    """``AsyncServer.sockets`` that turns each new socket into a FastAsyncSocket.

    ``AsyncServer._handle_connect`` creates ``async_socket.AsyncSocket(self, sid)``
    and stores it here before using it; switching the class at that point (it adds
    no instance state) avoids re-implementing the connect handshake. The pin test
    checks that order in the library source.
    """

    def __setitem__(self, sid: str, sock: Any) -> None:
        if type(sock) is async_socket.AsyncSocket:
            sock.__class__ = FastAsyncSocket
        super().__setitem__(sid, sock)


class _WebSocket(eio_aiohttp.WebSocket):
    """The library's aiohttp websocket wrapper, with permessage-deflate configurable.

    The library's wrapper creates ``WebSocketResponse(max_msg_size=...)``, whose
    default accepts permessage-deflate whenever the client offers it (browsers
    always do): then every frame is deflated per recipient and inflated per
    sender, and each connection holds a zlib compressor and decompressor.
    """

    compress = True

    async def __call__(self, environ: dict[str, Any]) -> Any:
        request = environ["aiohttp.request"]
        self._sock = WebSocketResponse(
            max_msg_size=self.server.max_http_buffer_size, compress=self.compress
        )
        await self._sock.prepare(request)
        self.environ = environ
        await self.handler(self)
        return self._sock


class _PlainWebSocket(_WebSocket):
    compress = False


class FastEngineIOServer(GuardedEngineIO, engineio.AsyncServer):
    """``engineio.AsyncServer`` whose websocket connections use :class:`FastAsyncSocket`.

    ``websocket_compression`` (default True, as the library): False declines
    permessage-deflate. ``drop_buffered``: a client with more than this many
    bytes waiting in its transport is disconnected (a slow consumer).
    Websocket transport only; bad requests and frames: :class:`GuardedEngineIO`.
    """

    message_coroutine: Any = None  # the "message" handler, when it is a coroutine function
    _flush_queue: list[FastAsyncSocket] | None = None  # sockets with queued frames

    def __init__(
        self,
        *args: Any,
        websocket_compression: bool = True,
        drop_buffered: int = DEFAULT_DROP_BUFFERED,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.drop_buffered = drop_buffered
        self.slow_drops = 0  # connections dropped for not reading
        drivers: dict[str, Any] = self._async  # type: ignore[has-type]
        if not websocket_compression and drivers.get("websocket") is eio_aiohttp.WebSocket:
            # a copy: the driver's dict is shared module state
            self._async = {**drivers, "websocket": _PlainWebSocket}

    # a property, so that every assignment (``BaseServer.__init__``, ``disconnect()``
    # of all clients) keeps the converting mapping
    @property
    def sockets(self) -> dict[str, Any]:
        return self.__dict__["_zal_sockets"]

    @sockets.setter
    def sockets(self, value: dict[str, Any]) -> None:
        self.__dict__["_zal_sockets"] = _FastSockets(value)

    def schedule_flush(self, sock: FastAsyncSocket) -> None:
        """Flush ``sock`` at the end of this event-loop iteration (with the others)."""
        queue = self._flush_queue
        if queue is None:
            self._flush_queue = [sock]
            asyncio.get_running_loop().call_soon(self._flush_all)
        else:
            queue.append(sock)

    def _flush_all(self) -> None:
        queue = self._flush_queue
        self._flush_queue = None
        for sock in queue or ():
            sock.flush()

    def on(self, event: str, handler: Any = None) -> Any:
        # remember a coroutine "message" handler once, so FastAsyncSocket.receive
        # can await it without the library's per-packet inspection
        if event == "message" and handler is not None:
            self.message_coroutine = handler if inspect.iscoroutinefunction(handler) else None
        return super().on(event, handler)
