"""Hostile input at the Engine.IO layer and below, on the fast and the stock path.

A real Zal server on loopback; raw aiohttp websocket clients, raw TCP sockets and
real ``socketio.AsyncClient`` members. Each bad frame or request gets a clean
close (websocket close 1002) or a JSON 400, one warning line (rate-limited: the
servers here are stepped, so the limiter's clock is a fake one and the counts
are exact), no traceback, and the server keeps serving everyone else. Last, a
member whose connection stops reading (a phone on a bad network) must not delay
the other fifty, and is dropped past its buffer cap.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import socket
import struct

import aiohttp
import pytest
from yarl import URL

from server import keys
from server.bad_http import BadHttpFilter
from server.client_errors import DEFAULT_LIMIT, ClientErrorLog
from server.loadtest import frames
from server.realtime.engineio_fast import FastEngineIOServer
from server.realtime.snapshot import decode_snapshot

from .conftest import Client, live_server

pytestmark = pytest.mark.usefixtures("no_tracebacks")

NS = "/live"
CLIENT_LOG = "zal.realtime.clients"
HTTP_LOG = "zal.http.clients"

PATHS = [pytest.param(True, id="fast"), pytest.param(False, id="stock")]


def _warnings(caplog, logger: str | None = None) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and (logger is None or r.name == logger)
    ]


# --- the rate limit ----------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_client_error_log_writes_at_most_limit_lines_per_interval(caplog):
    caplog.set_level(logging.WARNING)
    clock = _Clock()
    errors = ClientErrorLog(logging.getLogger("test.clients"), limit=3, interval=10.0, clock=clock)
    for n in range(10):
        clock.now += 0.5  # all within one window
        errors.warning("bad thing", "bad_thing", n=n)
    lines = _warnings(caplog)
    assert [(r.getMessage(), r.code, r.n) for r in lines] == [
        ("bad thing", "bad_thing", 0),
        ("bad thing", "bad_thing", 1),
        ("bad thing", "bad_thing", 2),
    ]
    assert errors.suppressed == 7 and errors.total == 10
    clock.now += 10.0  # a new window: first the count of what was left out, then the line
    errors.warning("bad thing", "bad_thing", n=10)
    summary, line = _warnings(caplog)[3:]
    assert summary.getMessage().startswith("suppressed 7 client errors in the last ")
    assert summary.suppressed == 7 and line.n == 10
    assert errors.suppressed == 0


# --- raw clients -------------------------------------------------------------------


async def _raw_member(url: str, session: aiohttp.ClientSession) -> aiohttp.ClientWebSocketResponse:
    ws = await session.ws_connect(
        url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    )
    assert (await ws.receive_str()).startswith("0{")
    await ws.send_str(frames.connect_frame(NS, {"name": "Raw"}))
    assert (await ws.receive_str()).startswith("40/live,")
    return ws


async def _close_code(ws: aiohttp.ClientWebSocketResponse) -> int | None:
    """Read until the server closes; its close code (None: closed without one)."""
    while True:
        msg = await ws.receive(timeout=5)
        if msg.type == aiohttp.WSMsgType.CLOSE:
            return msg.data
        if msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return None


async def _still_fine(member: Client) -> None:
    assert (await member.call("chat", {"text": "still here"}))["ok"]


async def _bystander(live) -> Client:
    event_id = await live.make_event()
    member = Client(live.url, "Bystander")
    await member.connect()
    assert (await member.call("join", {"event_id": event_id}))["ok"]
    return member


# Engine.IO packets a client may not send: (frame, code in the warning)
BAD_FRAMES = [
    ("", "empty_packet"),
    ("9", "unknown_packet_type"),
    ("7hello", "unknown_packet_type"),
    ("garbage", "unknown_packet_type"),
    ("{json}", "unknown_packet_type"),
    ("b4AAE=", "unknown_packet_type"),  # base64 binary is a long-polling encoding
    ("0", "unexpected_packet_type"),  # open, ping and noop come from the server
    ('0{"sid":"x"}', "unexpected_packet_type"),
    ("2", "unexpected_packet_type"),
    ("2probe", "unexpected_packet_type"),
    ("6", "unexpected_packet_type"),
]


@pytest.mark.parametrize("fast", PATHS)
async def test_bad_engineio_frames_close_that_connection(tmp_path, caplog, fast):
    async with live_server(tmp_path, stepped=True, realtime_fast=fast) as live:
        sio = live.app[keys.SIO]
        assert isinstance(sio.eio, FastEngineIOServer) is fast
        bystander = await _bystander(live)
        async with aiohttp.ClientSession() as session:
            for frame, _ in BAD_FRAMES:
                ws = await _raw_member(live.url, session)
                await ws.send_str(frame)
                assert await _close_code(ws) == 1002, frame
                await ws.close()
            # binary where text is expected: a Socket.IO attachment nobody announced
            ws = await _raw_member(live.url, session)
            await ws.send_bytes(b"\x00\x01\x02")
            await _close_code(ws)
            assert ws.closed or (await ws.receive(timeout=5)).type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSED,
            )
            await ws.close()
        await _still_fine(bystander)
        lines = _warnings(caplog)
        assert len(lines) == len(BAD_FRAMES) + 1  # one line each, nothing else
        assert [r.code for r in lines[:-1]] == [code for _, code in BAD_FRAMES]
        assert all(r.name == CLIENT_LOG for r in lines)
        # every bad connection is gone from the server; only the bystander remains
        await _until(lambda: len(sio.eio.sockets) == 1)
        await bystander.close()


async def _until(condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def _upgrade_headers() -> dict[str, str]:
    return {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Sec-WebSocket-Version": "13",
    }


# (method, raw query, websocket upgrade headers?, extra headers, code)
BAD_REQUESTS = [
    ("GET", "", True, {}, "unsupported_protocol_version"),
    ("GET", "?EIO=3&transport=websocket", True, {}, "unsupported_protocol_version"),
    ("GET", "?EIO=4&EIO=4&transport=websocket", True, {}, "unsupported_protocol_version"),
    ("GET", "?EIO=four&transport=websocket", True, {}, "unsupported_protocol_version"),
    ("GET", "?%zz%ff=%&EIO", True, {}, "unsupported_protocol_version"),
    ("GET", "?EIO=4&transport=polling", False, {}, "polling_not_allowed"),
    ("GET", "?EIO=4&transport=polling&sid=abc", False, {}, "polling_not_allowed"),
    ("POST", "?EIO=4&transport=polling&sid=abc", False, {}, "polling_not_allowed"),
    ("GET", "?EIO=4&transport=flashsocket", True, {}, "unsupported_transport"),
    ("GET", "?EIO=4", True, {}, "unsupported_transport"),
    ("GET", "?EIO=4&transport=websocket", False, {}, "websocket_upgrade_required"),
    ("GET", "?EIO=4&transport=websocket&sid=nope", True, {}, "unknown_session"),
    ("GET", "?EIO=4&transport=websocket&j=0", True, {}, "bad_query"),
    ("GET", "?EIO=4&transport=websocket&" + "&".join(f"f{n}=1" for n in range(40)), True, {},
     "bad_query"),
    ("GET", "?EIO=4&transport=websocket", True, {"Sec-WebSocket-Version": "12"},
     "websocket_upgrade_required"),
    ("GET", "?EIO=4&transport=websocket", True, {"Origin": "https://evil.example"},
     "origin_not_allowed"),
]  # fmt: skip


@pytest.mark.parametrize("fast", PATHS)
async def test_bad_handshake_requests_get_a_json_400(tmp_path, caplog, fast):
    async with live_server(tmp_path, stepped=True, realtime_fast=fast) as live:
        bystander = await _bystander(live)
        async with aiohttp.ClientSession() as session:
            for method, query, upgrade, extra, code in BAD_REQUESTS:
                headers = {**(_upgrade_headers() if upgrade else {}), **extra}
                url = URL(f"{live.url}/socket.io/{query}", encoded=True)
                async with session.request(method, url, headers=headers) as resp:
                    assert resp.status == 400, (query, await resp.text())
                    assert resp.content_type == "application/json"
                    body = await resp.json()
                    assert body["error"]["code"] == code, query
                    assert set(body["error"]) == {"code", "message"}
        await _still_fine(bystander)
        lines = _warnings(caplog)
        assert [r.code for r in lines] == [case[-1] for case in BAD_REQUESTS]
        assert all(r.name == CLIENT_LOG for r in lines)
        await bystander.close()


# --- malformed HTTP and websocket framing (aiohttp refuses these itself) -----------


async def _raw_exchange(port: int, data: bytes) -> bytes:
    """Send ``data``; everything the server sends until it closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


def _handshake() -> bytes:
    lines = ["GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in _upgrade_headers().items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _client_frame(payload: bytes, first: int = 0x81, length: int | None = None) -> bytes:
    """A masked client frame (``first``: FIN/RSV/opcode byte; ``length``: a lie)."""
    n = len(payload) if length is None else length
    mask = os.urandom(4)
    if n < 126:
        header = bytes((first, 0x80 | n))
    elif n < 65536:
        header = bytes((first, 0x80 | 126)) + struct.pack(">H", n)
    else:
        header = bytes((first, 0x80 | 127)) + struct.pack(">Q", n)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


MALFORMED_HTTP = [
    b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nX-Long: "
    + b"a" * 20000
    + b"\r\n\r\n",
    b"GET /socket.io/?EIO=4&transport=websocket&" + b"a=1&" * 5000 + b" HTTP/1.1\r\n\r\n",
    b"GET /socket.io/ HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
    b"GET /socket.io/ HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"GET /socket.io/ HTTP/9.9.9\r\n\r\n",
]

BAD_FRAMING = [
    _client_frame(b"4hi", first=0x8F),  # reserved opcode
    _client_frame(b"4hi", first=0xC1),  # RSV1 without permessage-deflate
    _client_frame(b"\xff\xfe", first=0x81),  # text that is not UTF-8
    _client_frame(b"", first=0x81, length=1 << 40),  # a terabyte announced
    _client_frame(b"x" * 200, first=0x89),  # a control frame over 125 bytes
]


@pytest.mark.parametrize("fast", PATHS)
async def test_malformed_http_and_bad_framing_are_refused_quietly(tmp_path, caplog, fast):
    async with live_server(tmp_path, stepped=True, realtime_fast=fast) as live:
        bystander = await _bystander(live)
        port = URL(live.url).port
        for request in MALFORMED_HTTP:
            answer = await _raw_exchange(port, request)
            assert answer.startswith((b"HTTP/1.0 400 ", b"HTTP/1.1 400 ")), answer[:80]
        lines = _warnings(caplog)
        assert [r.name for r in lines] == [HTTP_LOG] * len(MALFORMED_HTTP)
        assert all(r.code == "bad_http_request" for r in lines)
        for frame in BAD_FRAMING:
            answer = await _raw_exchange(port, _handshake() + frame)
            head, _, rest = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 101 ")
            close = rest[rest.index(b"\x88") :]  # the server's close frame, after OPEN
            assert struct.unpack(">H", close[2:4])[0] in (1002, 1007, 1009), close
        # aiohttp's websocket reader refuses bad framing without a log line
        assert len(_warnings(caplog)) == len(MALFORMED_HTTP)
        await _still_fine(bystander)
        await bystander.close()


# --- a flood: the log stays short --------------------------------------------------


@pytest.mark.parametrize("fast", PATHS)
async def test_a_flood_of_bad_input_writes_at_most_the_limit(tmp_path, caplog, fast):
    async with live_server(tmp_path, stepped=True, realtime_fast=fast) as live:
        bystander = await _bystander(live)
        port = URL(live.url).port
        async with aiohttp.ClientSession() as session:
            bad = 0
            for n in range(400):
                method, query, upgrade, extra, _ = BAD_REQUESTS[n % len(BAD_REQUESTS)]
                headers = {**(_upgrade_headers() if upgrade else {}), **extra}
                url = URL(f"{live.url}/socket.io/{query}", encoded=True)
                async with session.request(method, url, headers=headers) as resp:
                    assert resp.status == 400
                bad += 1
            for n in range(100):
                ws = await _raw_member(live.url, session)
                await ws.send_str(BAD_FRAMES[n % len(BAD_FRAMES)][0])
                assert await _close_code(ws) == 1002
                await ws.close()
                bad += 1
            for n in range(100):
                await _raw_exchange(port, MALFORMED_HTTP[n % len(MALFORMED_HTTP)])
        assert bad == 500
        await _still_fine(bystander)
        lines = _warnings(caplog)
        assert len([r for r in lines if r.name == CLIENT_LOG]) == DEFAULT_LIMIT
        assert len([r for r in lines if r.name == HTTP_LOG]) == DEFAULT_LIMIT
        assert len(lines) == 2 * DEFAULT_LIMIT
        # a minute later (the servers' fake clock): one line for all that was left out
        live.clock.advance(60.0)
        async with aiohttp.ClientSession() as session:
            ws = await _raw_member(live.url, session)
            await ws.send_str("")
            assert await _close_code(ws) == 1002
            await ws.close()
        await _raw_exchange(port, MALFORMED_HTTP[0])
        summary, line, http_summary, http_line = _warnings(caplog)[2 * DEFAULT_LIMIT :]
        assert summary.name == CLIENT_LOG and summary.suppressed == 500 - DEFAULT_LIMIT
        assert line.code == "empty_packet"
        assert http_summary.name == HTTP_LOG and http_summary.suppressed == 100 - DEFAULT_LIMIT
        assert http_line.code == "bad_http_request"
        (http_filter,) = [
            f for f in logging.getLogger("aiohttp.server").filters if isinstance(f, BadHttpFilter)
        ]
        assert http_filter.client_errors.total == 101
        await bystander.close()


# --- a member that stops reading ---------------------------------------------------


def _server_frames(buf: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """Complete (unmasked) server frames at the start of ``buf``, and the rest."""
    out = []
    while len(buf) >= 2:
        opcode, n, at = buf[0] & 0x0F, buf[1] & 0x7F, 2
        if n == 126:
            if len(buf) < 4:
                break
            n, at = struct.unpack(">H", buf[2:4])[0], 4
        elif n == 127:
            if len(buf) < 10:
                break
            n, at = struct.unpack(">Q", buf[2:10])[0], 10
        if len(buf) < at + n:
            break
        out.append((opcode, buf[at : at + n]))
        buf = buf[at + n :]
    return out, buf


class SlowMember:
    """A raw TCP member (small receive buffer) that joins, then never reads again:
    a phone whose network stalled. Reads only what its handshake and join need."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.setblocking(False)
        self.buf = b""
        self.eio_sid = ""
        self.member_id = ""

    async def _until_text(self, prefix: str) -> str:
        loop = asyncio.get_running_loop()
        while True:
            got, self.buf = _server_frames(self.buf)
            for opcode, payload in got:
                if opcode == 0x1 and payload.decode().startswith(prefix):
                    self.buf = b""  # whatever else came is not needed
                    return payload.decode()
            data = await asyncio.wait_for(loop.sock_recv(self.sock, 65536), 5)
            assert data, "server closed the connection"
            self.buf += data

    async def join(self, port: int, event_id: str) -> None:
        loop = asyncio.get_running_loop()
        await loop.sock_connect(self.sock, ("127.0.0.1", port))
        await loop.sock_sendall(self.sock, _handshake())
        while b"\r\n\r\n" not in self.buf:
            self.buf += await asyncio.wait_for(loop.sock_recv(self.sock, 65536), 5)
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101 ")
        opened = await self._until_text("0{")
        self.eio_sid = json.loads(opened[1:])["sid"]
        connect = frames.connect_frame(NS, {"name": "Slow"})
        await loop.sock_sendall(self.sock, _client_frame(connect.encode()))
        await self._until_text("40/live,")
        join = frames.event_frame(NS, "join", {"event_id": event_id}, ack_id=1)
        await loop.sock_sendall(self.sock, _client_frame(join.encode()))
        ack = json.loads((await self._until_text("43/live,1"))[len("43/live,1") :])
        self.member_id = ack[0]["member"]["id"]

    def stall(self, live) -> None:
        """Shrink the server's kernel send buffer towards this member, so a stalled
        network shows within a few rounds instead of after the megabytes Linux's
        send-buffer autotuning would absorb first."""
        assert live.runner is not None and live.runner.server is not None
        ours = self.sock.getsockname()
        (conn,) = [
            c
            for c in live.runner.server.connections
            if c.transport is not None and c.transport.get_extra_info("peername") == ours
        ]
        sock = conn.transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)

    def close(self) -> None:
        self.sock.close()


SKIP, DROP = 8 * 1024, 64 * 1024


async def _fifty_members(live, event_id: str) -> list[Client]:
    members = []
    for n in range(50):
        member = Client(live.url, f"Member {n}")
        await member.connect()
        assert (await member.call("join", {"event_id": event_id}))["ok"]
        members.append(member)
    return members


async def _round(live, members: list[Client], n: int) -> None:
    """Everyone moves and chats; one tick. Every chat is acknowledged."""
    live.clock.advance(2.0)  # the chat rate limit refills (5 per 10 s)
    for i, member in enumerate(members):
        await member.emit("pose", [n, (i % 10) - 5 + n / 100, 1.6, -(i // 10), 0, 0, 0, 1])
    acks = await asyncio.gather(
        *(
            m.call("chat", {"text": f"round {n} from {i}: " + "la" * 150})
            for i, m in enumerate(members)
        )
    )
    assert [a["ok"] for a in acks] == [True] * len(members)
    await live.tick()


async def _everyone_has(members: list[Client], rounds: int) -> None:
    """Each member has every chat message and one snapshot per round, exactly."""
    for member in members:
        await member.wait_for("chat_message", count=len(members) * rounds)
        await member.wait_for("snap", count=rounds, where=lambda d: not decode_snapshot(d).full)
    for member in members:
        await member.sync()
        assert len(member.events["chat_message"]) == len(members) * rounds
        ticks = [s for s in member.events["snap"] if not decode_snapshot(s).full]
        assert len(ticks) == rounds


async def test_a_member_that_stops_reading_delays_no_one_and_is_dropped(tmp_path, caplog):
    async with live_server(
        tmp_path,
        stepped=True,
        instance_capacity=60,
        resume_grace_s=5.0,
        slow_consumer_skip_bytes=SKIP,
        slow_consumer_drop_bytes=DROP,
    ) as live:
        sio = live.app[keys.SIO]
        event_id = await live.make_event()
        members = await _fifty_members(live, event_id)
        slow = SlowMember()
        await slow.join(URL(live.url).port, event_id)
        slow.stall(live)
        slow_sock = sio.eio.sockets[slow.eio_sid]
        try:
            rounds, behind = 0, 0
            while sio.eio.slow_drops == 0:
                rounds += 1
                assert rounds <= 60, "the slow member was never dropped"
                await _round(live, members, rounds)
                await _everyone_has(members, rounds)
                transport = slow_sock._transport
                if transport is not None:
                    buffered = transport.get_write_buffer_size()
                    assert buffered <= DROP  # past it the member is dropped at once
                    behind = max(behind, buffered)
            assert behind > SKIP  # it was behind, and its snapshots were skipped meanwhile
            assert sio.broadcast_counters.skipped >= 1
            await _until(lambda: slow.eio_sid not in sio.eio.sockets)
            # everyone else carries on, and sees the member leave after the grace period
            await _round(live, members, rounds + 1)
            await _everyone_has(members, rounds + 1)
            live.clock.advance(5.5)
            await live.tick()
            for member in members:
                (left,) = await member.wait_for("member_left")
                assert left["id"] == slow.member_id
            (line,) = [r for r in _warnings(caplog) if getattr(r, "code", None) == "slow_consumer"]
            assert line.buffered > DROP
        finally:
            slow.close()
            for member in members:
                await member.close()


async def test_stock_path_a_member_that_stops_reading_delays_no_one(tmp_path):
    # The stock library queues every packet per socket (an unbounded asyncio.Queue)
    # and one writer task per socket waits for that socket to drain: nobody else
    # waits, but the queue of a member that stopped reading only grows, and the
    # connection lingers until TCP gives up (docs/live-threat-model.md).
    async with live_server(
        tmp_path, stepped=True, instance_capacity=60, realtime_fast=False
    ) as live:
        sio = live.app[keys.SIO]
        event_id = await live.make_event()
        members = await _fifty_members(live, event_id)
        slow = SlowMember()
        await slow.join(URL(live.url).port, event_id)
        slow.stall(live)
        slow_sock = sio.eio.sockets[slow.eio_sid]
        try:
            rounds = 0
            while slow_sock.queue.qsize() < 50:  # it is not reading: its queue grows
                rounds += 1
                assert rounds <= 60, "the slow member's queue never grew"
                await _round(live, members, rounds)
                await _everyone_has(members, rounds)
            assert slow.eio_sid in sio.eio.sockets  # not dropped
        finally:
            slow.close()
            for member in members:
                await member.close()
