"""The fast Engine.IO / Socket.IO path (server/realtime/engineio_fast.py, socketio_fast.py).

Two kinds of tests:
- pins: the library versions and the exact source of every library method the
  fast path overrides or relies on. An upgrade of python-engineio/python-socketio
  fails here first; re-read the changed methods, adapt the subclasses, then
  update the hashes (``python -m tests.realtime.test_engineio_fast`` prints them).
- behaviour: a real aiohttp server on loopback with the fast server, real
  ``socketio.AsyncClient`` clients and raw websocket clients (with
  permessage-deflate, as browsers negotiate it), compared with a stock server.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
from importlib import metadata

import aiohttp
import engineio
import engineio.async_drivers.aiohttp as eio_aiohttp
import engineio.json as eio_json
import pytest
import socketio
from aiohttp import web
from engineio import async_socket, base_server
from socketio import async_manager, base_manager

from server.loadtest import frames
from server.realtime import fast_json
from server.realtime.engineio_fast import (
    PINNED_ENGINEIO,
    FastAsyncSocket,
    FastEngineIOServer,
    eio_message_frames,
)
from server.realtime.socketio_fast import PINNED_SOCKETIO, FastAsyncServer

# sha256 (16 hex digits) of inspect.getsource() of what the fast path overrides or uses
PINNED_SOURCES = {
    "engineio.async_socket.AsyncSocket._websocket_handler": "27f120df4d717a24",
    "engineio.async_socket.AsyncSocket.send": "0437276ccba7ab09",
    "engineio.async_socket.AsyncSocket.close": "faa2e93902543244",
    "engineio.async_socket.AsyncSocket.receive": "a91ae36ec2fb5340",
    "engineio.async_socket.AsyncSocket.check_ping_timeout": "77616d5ca7809257",
    "engineio.async_server.AsyncServer._handle_connect": "5bd7edc1d1ae115a",
    "engineio.base_server.BaseServer._get_socket": "ae2f99e66d632944",
    "engineio.base_server.BaseServer.on": "7b5457b52dc7fd22",
    "engineio.async_server.AsyncServer._trigger_event": "4a09b6e47eb66532",
    "engineio.json.loads": "8a4490ed912f80c2",
    "engineio.async_drivers.aiohttp.WebSocket": "96fbcb0d1f45694a",
    "socketio.async_server.AsyncServer._handle_event": "65178105ef8b593d",
    "socketio.async_server.AsyncServer._handle_event_internal": "472e8b723a12d507",
    "socketio.async_server.AsyncServer._send_packet": "a00022b42c1c29e9",
    "socketio.base_manager.BaseManager.get_participants": "7d78ad681c95de5b",
    "socketio.async_manager.AsyncManager.emit": "01ccd5b82b4f955e",
}


def _targets() -> dict[str, object]:
    return {
        "engineio.async_socket.AsyncSocket._websocket_handler": (
            async_socket.AsyncSocket._websocket_handler
        ),
        "engineio.async_socket.AsyncSocket.send": async_socket.AsyncSocket.send,
        "engineio.async_socket.AsyncSocket.close": async_socket.AsyncSocket.close,
        "engineio.async_socket.AsyncSocket.receive": async_socket.AsyncSocket.receive,
        "engineio.async_socket.AsyncSocket.check_ping_timeout": (
            async_socket.AsyncSocket.check_ping_timeout
        ),
        "engineio.async_server.AsyncServer._handle_connect": engineio.AsyncServer._handle_connect,
        "engineio.base_server.BaseServer._get_socket": base_server.BaseServer._get_socket,
        "engineio.base_server.BaseServer.on": base_server.BaseServer.on,
        "engineio.async_server.AsyncServer._trigger_event": engineio.AsyncServer._trigger_event,
        "engineio.json.loads": eio_json.loads,
        "engineio.async_drivers.aiohttp.WebSocket": eio_aiohttp.WebSocket,
        "socketio.async_server.AsyncServer._handle_event": socketio.AsyncServer._handle_event,
        "socketio.async_server.AsyncServer._handle_event_internal": (
            socketio.AsyncServer._handle_event_internal
        ),
        "socketio.async_server.AsyncServer._send_packet": socketio.AsyncServer._send_packet,
        "socketio.base_manager.BaseManager.get_participants": (
            base_manager.BaseManager.get_participants
        ),
        "socketio.async_manager.AsyncManager.emit": async_manager.AsyncManager.emit,
    }


def _source_hashes() -> dict[str, str]:
    return {
        name: hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]
        for name, obj in _targets().items()
    }


# --- pins ---------------------------------------------------------------------


def test_fast_path_is_pinned_to_the_installed_library_versions():
    assert metadata.version("python-engineio").startswith(PINNED_ENGINEIO)
    assert metadata.version("python-socketio").startswith(PINNED_SOCKETIO)


def test_library_methods_the_fast_path_relies_on_are_unchanged():
    current = _source_hashes()
    changed = {name for name, digest in PINNED_SOURCES.items() if current[name] != digest}
    assert not changed, f"library internals changed, review the fast path: {sorted(changed)}"


def test_connect_stores_the_new_socket_before_using_it():
    # _FastSockets switches the socket class on insertion; that only works if the
    # library creates a plain AsyncSocket and stores it before sending on it
    src = inspect.getsource(engineio.AsyncServer._handle_connect)
    create = src.index("async_socket.AsyncSocket(self, sid)")
    store = src.index("self.sockets[sid] = s")
    first_send = src.index("await s.send(pkt)")
    assert create < store < first_send
    # and the driver hands the socket's handler an object with ._sock and .environ
    ws_src = inspect.getsource(eio_aiohttp.WebSocket)
    assert "self._sock = WebSocketResponse(" in ws_src and "self.environ = environ" in ws_src


def test_socketio_registers_a_coroutine_message_handler_with_engineio():
    # FastAsyncSocket.receive awaits it directly (FastEngineIOServer.on records it)
    sio = FastAsyncServer(async_mode="aiohttp")
    assert sio.eio.message_coroutine is not None
    assert sio.eio.message_coroutine == sio._handle_eio_message


def test_fast_json_decodes_like_the_library_and_refuses_huge_integers():
    text = '[1, 2.5, "é", {"a": [true, null]}, -7]'
    assert fast_json.loads(text) == eio_json.loads(text)
    huge = "1" * 101
    for loads in (fast_json.loads, eio_json.loads):
        with pytest.raises(ValueError):
            loads(f"[{huge}]")
    assert fast_json.loads("[" + "9" * 100 + "]") == [int("9" * 100)]


# --- behaviour ------------------------------------------------------------------

NS = "/live"


def _make_app(fast: bool, **options) -> tuple[web.Application, socketio.AsyncServer]:
    cls = FastAsyncServer if fast else socketio.AsyncServer
    sio = cls(async_mode="aiohttp", transports=["websocket"], **options)
    app = web.Application()
    sio.attach(app)

    @sio.on("connect", namespace=NS)
    async def connect(sid, environ, auth=None):
        await sio.enter_room(sid, "hall", namespace=NS)

    @sio.on("echo", namespace=NS)
    async def echo(sid, data):
        return {"ok": True, "got": data}

    @sio.on("pose", namespace=NS)
    async def pose(sid, data):
        # relayed to the rest of the room, like a naive relay would
        await sio.emit("pose", data, room="hall", skip_sid=sid, namespace=NS)

    return app, sio


async def _clients(url: str, n: int) -> tuple[list[socketio.AsyncClient], list[list]]:
    clients, inboxes = [], []
    for _ in range(n):
        c = socketio.AsyncClient()
        inbox: list = []
        for name in ("snap", "note", "pose"):
            c.on(name, namespace=NS, handler=lambda *a, _n=name, _i=inbox: _i.append((_n, *a)))
        await c.connect(url, transports=["websocket"], namespaces=[NS])
        clients.append(c)
        inboxes.append(inbox)
    return clients, inboxes


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def _scenario(aiohttp_server, fast: bool) -> list[list]:
    app, sio = _make_app(fast)
    server = await aiohttp_server(app)
    url = f"http://127.0.0.1:{server.port}"
    clients, inboxes = await _clients(url, 3)
    try:
        assert await clients[0].call("echo", [1, "two"], namespace=NS) == {
            "ok": True,
            "got": [1, "two"],
        }
        await clients[1].emit("pose", [7, 1.0, 2.0], namespace=NS)
        await _until(lambda: all(len(box) == 1 for i, box in enumerate(inboxes) if i != 1))
        blob = bytes(range(256)) * 3
        if fast:
            assert await sio.broadcast("snap", blob, "hall", NS) == 3
            await sio.broadcast("note", {"text": "é ☃", "n": [1, 2]}, "hall", NS)
            await sio.broadcast("note", (1, "two"), "hall", NS)
        else:
            await sio.emit("snap", blob, room="hall", namespace=NS)
            await sio.emit("note", {"text": "é ☃", "n": [1, 2]}, room="hall", namespace=NS)
            await sio.emit("note", (1, "two"), room="hall", namespace=NS)
        await _until(lambda: sum(len(b) for b in inboxes) == 2 + 3 * 3)
        return inboxes
    finally:
        for c in clients:
            await c.disconnect()


async def test_fast_server_delivers_the_same_messages_as_the_stock_server(aiohttp_server):
    stock = await _scenario(aiohttp_server, fast=False)
    fast = await _scenario(aiohttp_server, fast=True)
    assert fast == stock
    assert fast[0][1] == ("snap", bytes(range(256)) * 3)


async def test_fast_server_uses_fast_sockets_and_writes_directly(aiohttp_server):
    app, sio = _make_app(fast=True)
    server = await aiohttp_server(app)
    clients, inboxes = await _clients(f"http://127.0.0.1:{server.port}", 2)
    try:
        assert isinstance(sio.eio, FastEngineIOServer)
        socks = list(sio.eio.sockets.values())
        assert len(socks) == 2 and all(type(s) is FastAsyncSocket and s.direct for s in socks)
        await sio.broadcast("note", "hi", "hall", NS)
        await _until(lambda: all(box == [("note", "hi")] for box in inboxes))
        assert sio.broadcast_counters.direct == 2 and sio.broadcast_counters.fallback == 0
    finally:
        for c in clients:
            await c.disconnect()


async def test_broadcasts_and_direct_sends_arrive_in_call_order(aiohttp_server):
    # broadcast frames are queued until the end of the loop iteration; a direct
    # send in between must not overtake them
    app, sio = _make_app(fast=True)
    server = await aiohttp_server(app)
    clients, inboxes = await _clients(f"http://127.0.0.1:{server.port}", 2)
    try:
        (_, eio_sid), _other = sorted(sio.manager.get_participants(NS, "hall"))

        async def direct(n: int) -> None:
            # straight down engine.io, in this same loop iteration (emit would
            # go through a task and so run after the flush anyway)
            await sio.eio.send(eio_sid, f'2{NS},["note",{n}]')

        await sio.broadcast("note", 1, "hall", NS)
        await sio.broadcast("note", 2, "hall", NS)
        await direct(3)
        await sio.broadcast("note", 4, "hall", NS)
        await direct(5)
        await _until(lambda: sum(len(b) for b in inboxes) == 3 + 5)
        got = sorted(([n for _, n in box] for box in inboxes), key=len)
        assert got == [[1, 2, 4], [1, 2, 3, 4, 5]]
    finally:
        for c in clients:
            await c.disconnect()


async def test_disconnecting_everyone_returns_even_while_clients_vanish(aiohttp_server):
    # engine.io's disconnect() closes each socket with wait=True; on the fast
    # path nothing is queued, so it must not wait on the (unused) send queue
    app, sio = _make_app(fast=True)
    server = await aiohttp_server(app)
    members = [await _raw_member(server.port, compress=0) for _ in range(5)]
    for ws in members[:3]:
        await ws.close()  # vanish at the same moment
    await asyncio.wait_for(sio.eio.disconnect(), 5)
    assert not sio.eio.sockets
    for ws in members:
        await _close_raw(ws)


async def test_broadcast_skips_recipients_whose_buffer_is_over_the_limit(aiohttp_server):
    app, sio = _make_app(fast=True, max_buffered=-1)  # everyone counts as a slow consumer
    server = await aiohttp_server(app)
    clients, inboxes = await _clients(f"http://127.0.0.1:{server.port}", 2)
    try:
        assert await sio.broadcast("note", "dropped", "hall", NS) == 0
        assert sio.broadcast_counters.skipped == 2
        sio.max_buffered = 1 << 20
        assert await sio.broadcast("note", "kept", "hall", NS) == 2
        await _until(lambda: all(box == [("note", "kept")] for box in inboxes))
    finally:
        for c in clients:
            await c.disconnect()


async def test_server_side_disconnect_closes_the_client(aiohttp_server):
    app, sio = _make_app(fast=True)
    server = await aiohttp_server(app)
    clients, _ = await _clients(f"http://127.0.0.1:{server.port}", 1)
    gone = asyncio.Event()
    clients[0].on("disconnect", namespace=NS, handler=lambda *a: gone.set())
    (sid,) = [sid for sid, _ in sio.manager.get_participants(NS, "hall")]
    await sio.disconnect(sid, namespace=NS)
    await asyncio.wait_for(gone.wait(), 5)
    await clients[0].disconnect()
    await _until(lambda: not sio.eio.sockets)


async def _raw_member(port: int, compress: int) -> aiohttp.ClientWebSocketResponse:
    session = aiohttp.ClientSession()
    ws = await session.ws_connect(
        f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", compress=compress
    )
    ws._test_session = session  # closed by _close_raw
    opened = await ws.receive_str()
    assert opened.startswith("0{")
    await ws.send_str(frames.connect_frame(NS, {}))
    assert (await ws.receive_str()).startswith("40/live,")
    return ws


async def _close_raw(ws) -> None:
    await ws.close()
    await ws._test_session.close()


async def test_deflate_clients_get_uncompressed_snapshots_and_compressed_events(aiohttp_server):
    # with deflate accepted (as the library does), broadcast frames go uncompressed
    # (RSV1 = 0, allowed by RFC 7692), ordinary sends stay compressed
    app, sio = _make_app(fast=True, websocket_compression=True)
    server = await aiohttp_server(app)
    ws = await _raw_member(server.port, compress=15)
    try:
        assert ws.compress == 15
        await ws.send_str(frames.event_frame(NS, "echo", "x" * 3000, ack_id=4))
        ack = await ws.receive_str()
        assert ack.startswith("43/live,4[") and ack.count("x") == 3000
        blob = b"\x01\x00" + bytes(300)
        await sio.broadcast("snap", blob, "hall", NS)
        head = await ws.receive_str()
        assert head == '451-/live,["snap",{"_placeholder":true,"num":0}]'
        assert await ws.receive_bytes() == blob
        # the connection's compression context still works afterwards
        await ws.send_str(frames.event_frame(NS, "echo", "y" * 3000, ack_id=5))
        assert (await ws.receive_str()).count("y") == 3000
    finally:
        await _close_raw(ws)


async def test_fast_server_declines_deflate_by_default_and_stock_accepts_it(aiohttp_server):
    for fast, expected in ((True, 0), (False, 15)):
        app, _sio = _make_app(fast=fast)
        server = await aiohttp_server(app)
        ws = await _raw_member(server.port, compress=15)
        try:
            assert ws.compress == expected
            await ws.send_str(frames.event_frame(NS, "echo", "q" * 2000, ack_id=1))
            assert (await asyncio.wait_for(ws.receive_str(), 5)).count("q") == 2000
        finally:
            await _close_raw(ws)


async def test_a_client_that_stops_answering_pings_is_dropped(aiohttp_server):
    app, sio = _make_app(fast=True, ping_interval=0.3, ping_timeout=0.3)
    server = await aiohttp_server(app)
    ws = await _raw_member(server.port, compress=0)
    try:
        # never answer the engine.io ping ("2"): the server must close the socket
        closed = False
        deadline = asyncio.get_running_loop().time() + 8
        while asyncio.get_running_loop().time() < deadline:
            msg = await ws.receive(timeout=8)
            if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                closed = True
                break
        assert closed
        await _until(lambda: not sio.eio.sockets)
    finally:
        await _close_raw(ws)


async def test_a_client_that_answers_pings_stays_connected(aiohttp_server):
    app, sio = _make_app(fast=True, ping_interval=0.2, ping_timeout=0.3)
    server = await aiohttp_server(app)
    ws = await _raw_member(server.port, compress=0)
    try:
        pings = 0
        while pings < 4:
            frame = await asyncio.wait_for(ws.receive_str(), 3)
            if frame == "2":
                pings += 1
                await ws.send_str("3")
        assert len(sio.eio.sockets) == 1
    finally:
        await _close_raw(ws)


async def test_a_frame_over_the_size_limit_closes_only_that_connection(aiohttp_server):
    app, sio = _make_app(fast=True, max_http_buffer_size=1024)
    server = await aiohttp_server(app)
    big = await _raw_member(server.port, compress=0)
    ok = await _raw_member(server.port, compress=0)
    try:
        await big.send_str(frames.event_frame(NS, "echo", "z" * 5000))
        msg = await big.receive(timeout=5)
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        await ok.send_str(frames.event_frame(NS, "echo", "fine", ack_id=1))
        assert (await asyncio.wait_for(ok.receive_str(), 5)).startswith("43/live,1[")
    finally:
        await _close_raw(big)
        await _close_raw(ok)


def test_eio_message_frames_match_the_websocket_framing():
    wire = eio_message_frames(['51-/live,["snap",{"_placeholder":true,"num":0}]', b"\x00" * 200])
    text = b'451-/live,["snap",{"_placeholder":true,"num":0}]'
    assert wire[:2] == bytes((0x81, len(text))) and wire[2 : 2 + len(text)] == text
    rest = wire[2 + len(text) :]
    assert rest[:4] == bytes((0x82, 126, 0, 200)) and rest[4:] == b"\x00" * 200


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536])
def test_ws_frame_lengths(size):
    wire = eio_message_frames(b"a" * size)
    header = {True: 2, False: 4 if size < 65536 else 10}[size < 126]
    assert len(wire) == header + size


if __name__ == "__main__":  # prints the current hashes for PINNED_SOURCES
    for _name, _digest in _source_hashes().items():
        print(f'    "{_name}": "{_digest}",')  # noqa: T201
