"""One simulated member: a raw websocket speaking Engine.IO v4 / Socket.IO v5.

The reader is the only task per member. A non-observer only counts what it
receives (and answers pings); an observer also reads ``(slot, seq)`` out of
snapshots or relayed poses and timestamps them. Sending is driven from outside
(:mod:`.runner`), so there is no timer or task per member for that.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from . import frames
from .protocols import NAMESPACE, read_relayed_pose, read_snap

log = logging.getLogger(__name__)

TEXT = aiohttp.WSMsgType.TEXT
BINARY = aiohttp.WSMsgType.BINARY


class Counters:
    """Per-process totals, counted only while ``measuring`` is true."""

    __slots__ = ("measuring", "messages", "frames", "payload_bytes", "sent", "errors", "kinds")

    def __init__(self) -> None:
        self.measuring = False
        self.messages = 0  # Socket.IO events received (a binary event counts once)
        self.frames = 0
        self.payload_bytes = 0
        self.sent = 0
        self.errors = 0
        self.kinds: dict[str, int] = {}

    def error(self, kind: str) -> None:
        # errors count whenever they happen: a failure outside the window still matters
        self.errors += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


class Member:
    """A simulated audience member (global index ``idx``)."""

    def __init__(self, idx: int, observer: bool, counters: Counters) -> None:
        self.idx = idx
        self.observer = observer
        self.counters = counters
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.slot: int | None = None
        self.instance: str | None = None
        self.sends: list[float] = []  # send time of seq k at index k
        self.seen: dict[int, tuple[list[int], list[float]]] = {}  # slot -> (seqs, times)
        self.closed = False
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._next_ack = 0
        self._connected: asyncio.Future[None] | None = None
        self._pending_bin = 0  # binary attachments still to come
        self._pending_event: str | None = None
        self._reader: asyncio.Task[None] | None = None

    # -- connecting ---------------------------------------------------------

    async def connect(
        self,
        session: aiohttp.ClientSession,
        ws_url: str,
        auth: dict[str, Any],
        compress: bool,
        timeout: float = 20.0,
    ) -> None:
        loop = asyncio.get_running_loop()
        self._connected = loop.create_future()
        self._auth = auth
        self.ws = await session.ws_connect(
            ws_url,
            compress=15 if compress else 0,
            autoping=True,
            max_msg_size=1 << 22,
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=2.0),
        )
        self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self._connected, timeout)

    async def call(self, event: str, payload: Any, timeout: float = 20.0) -> Any:
        """Emit with an ack and wait for it."""
        assert self.ws is not None
        ack_id = self._next_ack
        self._next_ack += 1
        fut = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = fut
        await self.ws.send_str(frames.event_frame(NAMESPACE, event, payload, ack_id=ack_id))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._acks.pop(ack_id, None)

    async def join(self, event_id: str) -> None:
        ack = await self.call("join", {"event_id": event_id})
        if not isinstance(ack, dict) or not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack!r}")
        self.slot = int(ack["member"]["slot"])
        self.instance = str(ack["instance"]["id"])

    # -- sending ------------------------------------------------------------

    async def send_text(self, frame: str) -> None:
        if self.closed or self.ws is None:
            return
        try:
            await self.ws.send_str(frame)
            if self.counters.measuring:
                self.counters.sent += 1
        except (ConnectionError, RuntimeError) as exc:
            self._lost(f"send:{type(exc).__name__}")

    def send_event_nowait_ack(self, event: str, payload: Any) -> asyncio.Future[Any]:
        """Emit with an ack id; the future resolves when the ack arrives."""
        ack_id = self._next_ack
        self._next_ack += 1
        fut = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = fut
        asyncio.ensure_future(
            self.send_text(frames.event_frame(NAMESPACE, event, payload, ack_id=ack_id))
        )
        return fut

    async def close(self) -> None:
        self.closed = True
        if self.ws is not None and not self.ws.closed:
            try:
                await asyncio.wait_for(self.ws.close(), 2.0)
            except (TimeoutError, ConnectionError, RuntimeError):
                pass
        if self._reader is not None:
            self._reader.cancel()

    # -- receiving ----------------------------------------------------------

    def _lost(self, kind: str) -> None:
        if not self.closed:
            self.closed = True
            self.counters.error(kind)

    def _recorder(self, now: float) -> Callable[[int, int], None]:
        seen = self.seen
        own = self.slot

        def record(slot: int, seq: int) -> None:
            if slot == own:
                return
            entry = seen.get(slot)
            if entry is None:
                entry = seen[slot] = ([], [])
            entry[0].append(seq)
            entry[1].append(now)

        return record

    async def _read(self) -> None:
        ws = self.ws
        assert ws is not None
        c = self.counters
        try:
            async for msg in ws:
                data = msg.data
                if c.measuring:
                    c.frames += 1
                    c.payload_bytes += len(data)
                if msg.type is TEXT:
                    head = data[0]
                    if head == "4":
                        self._on_sio(data)
                    elif head == "2":
                        await ws.send_str("3")
                    elif head == "0":
                        await ws.send_str(frames.connect_frame(NAMESPACE, self._auth))
                    elif head == "1":
                        break
                elif msg.type is BINARY:
                    if self._pending_bin:
                        self._pending_bin -= 1
                        if (
                            self.observer
                            and self._pending_event == "snap"
                            and self.slot is not None
                        ):
                            try:
                                read_snap(data, self._recorder(time.monotonic()))
                            except ValueError:
                                c.error("bad_snapshot")
                    else:
                        c.error("unexpected_binary")
                else:
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        except Exception:  # a reader must never take the load process down
            log.exception("member %d reader failed", self.idx)
            c.error("reader")
        if not self.closed:
            self._lost("disconnected")
        if self._connected is not None and not self._connected.done():
            self._connected.set_exception(ConnectionError("closed during connect"))

    def _on_sio(self, frame: str) -> None:
        kind = frame[1:2]
        c = self.counters
        if kind == frames.SIO_BINARY_EVENT:
            dash = frame.index("-", 2)
            self._pending_bin = int(frame[2:dash])
            if c.measuring:
                c.messages += 1
            if self.observer:
                start = frame.index("[", dash)
                end = frame.index(",", start)
                self._pending_event = json.loads(frame[start + 1 : end])
            return
        if kind == frames.SIO_EVENT:
            if c.measuring:
                c.messages += 1
            if self.observer and self.slot is not None:
                pkt = frames.parse_sio(frame)
                if pkt.data and pkt.data[0] == "pose":
                    read_relayed_pose(pkt.data[1:], self._recorder(time.monotonic()))
                elif pkt.data and pkt.data[0] == "rejected":
                    c.error(f"rejected:{pkt.data[1].get('code')}")
            elif frame.startswith('42/live,["rejected"'):
                c.error("rejected")
            return
        if kind == frames.SIO_ACK:
            pkt = frames.parse_sio(frame)
            fut = self._acks.pop(pkt.ack_id, None) if pkt.ack_id is not None else None
            value = pkt.data[0] if pkt.data else None
            if isinstance(value, dict) and value.get("ok") is False:
                c.error(f"ack:{value.get('error', {}).get('code')}")
            if fut is not None and not fut.done():
                fut.set_result(value)
            return
        if kind == frames.SIO_CONNECT:
            if self._connected is not None and not self._connected.done():
                self._connected.set_result(None)
            return
        if kind == frames.SIO_CONNECT_ERROR:
            if self._connected is not None and not self._connected.done():
                self._connected.set_exception(ConnectionRefusedError(frame[2:200]))
            return
        if kind == frames.SIO_DISCONNECT:
            self._lost("server_disconnect")
