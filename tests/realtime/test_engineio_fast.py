"""The fast Engine.IO / Socket.IO path (server/realtime/engineio_fast.py, socketio_fast.py).

Two kinds of tests:
- pins: the library versions and the exact source of every library function the
  fast path replaces or relies on, all listed in server/realtime/fast_internals.py.
  An upgrade of python-engineio/python-socketio/aiohttp fails here first; re-read
  the changed functions, adapt the subclasses, then update the hashes
  (``python -m server.realtime.fast_internals`` prints them). At start-up an
  unverified version runs the stock path (tested here by faking the version).
- behaviour: a real aiohttp server on loopback with the fast server, real
  ``socketio.AsyncClient`` clients and raw websocket clients (with
  permessage-deflate, as browsers negotiate it), compared with a stock server.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import tomllib
from pathlib import Path

import aiohttp
import engineio
import engineio.async_drivers.aiohttp as eio_aiohttp
import engineio.json as eio_json
import pytest
import socketio
from aiohttp import web

from server.loadtest import frames
from server.realtime import fast_internals, fast_json
from server.realtime.engineio_fast import FastAsyncSocket, FastEngineIOServer, eio_message_frames
from server.realtime.server import ZalFastServer, ZalServer, create_server
from server.realtime.socketio_fast import FastAsyncServer
from server.settings import Settings

REPO = Path(__file__).resolve().parents[2]

# --- pins ---------------------------------------------------------------------


def test_installed_library_versions_are_the_verified_ones():
    assert fast_internals.unverified_versions() == {}
    assert set(fast_internals.installed_versions()) == set(fast_internals.VERIFIED)


def test_pyproject_pins_match_the_verified_versions():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = (REPO / "requirements.lock").read_text()
    for name in ("python-engineio", "python-socketio"):
        (spec,) = [d for d in deps if d.startswith(name + ">")]
        series = fast_internals.VERIFIED[name]  # e.g. "4.15."
        major, minor = (int(x) for x in series.rstrip(".").split("."))
        assert f">={major}.{minor}" in spec and f"<{major}.{minor + 1}" in spec, spec
        (locked,) = re.findall(rf"^{name}==(\S+)$", lock, re.M)
        assert locked.startswith(series), locked


def test_library_functions_the_fast_path_relies_on_are_unchanged():
    internals = fast_internals.INTERNALS
    assert len({i.upstream for i in internals}) == len(internals)  # one row each
    changed = [
        i.upstream for i in internals if fast_internals.source_sha256(i.upstream) != i.sha256
    ]
    assert not changed, f"library internals changed, review the fast path: {changed}"


def test_every_override_of_a_library_method_is_listed():
    # a method our subclasses define that the library class also has must be in the list
    from server.realtime import engineio_fast, engineio_guard

    listed = {i.upstream.partition(":")[2].rpartition(".")[2] for i in fast_internals.INTERNALS}
    ours = [
        (engineio_fast.FastAsyncSocket, engineio.async_socket.AsyncSocket),
        (engineio_fast.FastEngineIOServer, engineio.AsyncServer),
        (engineio_guard.GuardedEngineIO, engineio.AsyncServer),
        (FastAsyncServer, socketio.AsyncServer),
    ]
    unlisted = [
        f"{cls.__name__}.{name}"
        for cls, base in ours
        for name in vars(cls)
        if hasattr(base, name) and not name.startswith("__") and name not in listed
    ]
    assert unlisted == [], unlisted


def test_unverified_library_version_runs_the_stock_path(monkeypatch, caplog, tmp_path):
    settings = Settings(data_dir=tmp_path, demo=False)
    assert type(create_server(settings)) is ZalFastServer
    fake = {**fast_internals.installed_versions(), "python-engineio": "4.16.0"}
    monkeypatch.setattr(fast_internals, "installed_versions", lambda: fake)
    caplog.set_level(logging.WARNING)
    sio = create_server(settings)
    assert type(sio) is ZalServer and not isinstance(sio.eio, FastEngineIOServer)
    (record,) = [r for r in caplog.records if "fast path disabled" in r.getMessage()]
    assert record.levelno == logging.WARNING and "python-engineio 4.16.0" in record.installed
    # an aiohttp outside the verified series counts too
    fake = {**fast_internals.installed_versions(), "aiohttp": "3.15.0"}
    monkeypatch.setattr(fast_internals, "installed_versions", lambda: fake)
    assert type(create_server(settings)) is ZalServer
    # realtime_fast=False: the stock path without a word
    monkeypatch.undo()
    caplog.clear()
    assert type(create_server(Settings(data_dir=tmp_path, realtime_fast=False))) is ZalServer
    assert not [r for r in caplog.records if "fast path disabled" in r.getMessage()]


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
    assert sio.eio.transports == ["websocket"]  # the only transport of the fast path
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
    # with deflate accepted (as the library does), the server's frames go
    # uncompressed (RSV1 = 0, allowed by RFC 7692); the client's compressed ones are read
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
