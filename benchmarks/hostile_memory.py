"""How much memory can one hostile Socket.IO connection make the server hold?

    python -m benchmarks.hostile_memory           # prints the table
    python -m benchmarks.hostile_memory --write   # and puts it in docs/benchmarks-hostile.md

A real Zal app runs in this process on loopback (fast path and stock server in
turn); each scenario opens one raw websocket (aiohttp's client: it sends the
Engine.IO/Socket.IO text and binary frames a client library would never send)
and then reads the server's own structures:

- attachments: a binary event announcing 1000 attachments, then 999 binary
  frames of 16 KiB: bytes held in python-socketio's ``_binary_packet``;
- fake connects: 1000 EVENT packets named ``connect`` carrying an auth object:
  members in ``LiveState`` made by that one socket, and the bytes the
  realtime package allocated and still holds (``tracemalloc``, filtered to
  ``server/realtime``);
- unsent output: a member that never reads while the server offers it 2000
  broadcasts of 8 KiB: bytes waiting in its transport's write buffer
  (the kernel's socket buffers come on top and are not counted).

Peak values are sampled while the data arrive (every 5 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from server import keys
from server.app import create_app
from server.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks-hostile.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
KIB = 1024


class Peak:
    """Samples ``measure()`` every 5 ms in the background; keeps the maximum."""

    def __init__(self, measure) -> None:
        self.measure, self.value = measure, 0
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            self.value = max(self.value, self.measure())
            await asyncio.sleep(0.005)

    async def stop(self) -> int:
        self.value = max(self.value, self.measure())
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        return self.value


async def _open(url: str, session: aiohttp.ClientSession) -> tuple[Any, str]:
    """A raw websocket connected to /live; returns (ws, the Socket.IO sid)."""
    ws = await session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket")
    await ws.receive_str()  # Engine.IO OPEN
    await ws.send_str('40/live,{"name":"Mallory"}')
    reply = await ws.receive_str()
    return ws, json.loads(reply[len("40/live,") :])["sid"]


async def _settle(ws, seconds: float, probe: bool = True) -> None:
    """Send a probe event with an ack, then read (and drop) whatever comes until its
    ack (everything sent before was handled), the socket closes or ``seconds`` pass."""
    if probe:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str('42/live,999["stand"]')
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not ws.closed and loop.time() < end:
        with contextlib.suppress(TimeoutError):
            msg = await ws.receive(timeout=end - loop.time())
            if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
            if msg.type == aiohttp.WSMsgType.TEXT and msg.data.startswith("43/live,999"):
                break


async def attachments(app, url, session) -> dict:
    sio = app[keys.SIO]

    def held() -> int:
        return sum(len(a) for p in sio._binary_packet.values() for a in p.attachments)

    ws, _ = await _open(url, session)
    peak = Peak(held)
    frame = b"\0" * (16 * KIB - 16)  # just under the frame cap
    sent = 0
    with contextlib.suppress(ConnectionError, RuntimeError):
        await ws.send_str('451000-/live,["chat",{"_placeholder":true,"num":0}]')
        for _ in range(999):
            await ws.send_bytes(frame)
            sent += len(frame)
    # wait until the server has read it all (or dropped the packet), then for the close
    loop = asyncio.get_running_loop()
    end = loop.time() + 10.0
    while sio._binary_packet and held() < sent and loop.time() < end:
        await asyncio.sleep(0.01)
    await _settle(ws, 2.0, probe=False)
    value = await peak.stop()
    closed = ws.closed
    await ws.close()
    return {"sent": sent, "held": value, "closed": closed}


async def fake_connects(app, url, session) -> dict:
    state = app[keys.LIVE_STATE]
    before = len(state.members)
    tracemalloc.start()
    base = _realtime_bytes()
    ws, _ = await _open(url, session)
    with contextlib.suppress(ConnectionError, RuntimeError):
        for n in range(1000):
            await ws.send_str(f'42/live,["connect",{{}},{{"name":"Ghost {n}"}}]')
    await _settle(ws, 10.0)
    made = len(state.members) - before
    held = _realtime_bytes() - base
    tracemalloc.stop()
    closed = ws.closed
    await ws.close()
    return {"members": made, "held": max(0, held), "closed": closed}


def _realtime_bytes() -> int:
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(True, str(REPO / "server" / "realtime" / "*"))]
    )
    return sum(stat.size for stat in snap.statistics("filename"))


async def unsent_output(app, url, session) -> dict:
    sio = app[keys.SIO]
    ws, sid = await _open(url, session)  # never reads from here on
    eio_sid = sio.manager.eio_sid_from_sid(sid, "/live")
    sock = sio.eio.sockets[eio_sid]

    def buffered() -> int:
        transport = getattr(sock, "_transport", None)
        return transport.get_write_buffer_size() if transport is not None else 0

    peak = Peak(buffered)
    blob = "x" * (8 * KIB)
    fast = hasattr(sio, "broadcast")
    for _ in range(2000):
        if fast:
            await sio.broadcast("chat_message", {"text": blob}, room=sid, namespace="/live")
        else:  # stock: one task per recipient through the socket's queue
            await sio.emit("chat_message", {"text": blob}, room=sid, namespace="/live")
        await asyncio.sleep(0)
    await asyncio.sleep(0.2)
    value = await peak.stop()
    queued = sock.queue.qsize() if hasattr(sock, "queue") else 0
    await ws.close()
    return {"offered": 2000 * 8 * KIB, "held": value, "queued": queued, "measurable": fast}


@contextlib.asynccontextmanager
async def running(fast: bool):
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=Path(tmp), demo=False, realtime_fast=fast))
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            async with aiohttp.ClientSession() as session:
                yield app, f"http://127.0.0.1:{port}", session
        finally:
            await runner.cleanup()


def _mib(n: float) -> str:
    return f"{n / (1024 * 1024):.2f} MiB" if n >= 64 * KIB else f"{n / KIB:.1f} KiB"


async def measure() -> list[list[str]]:
    rows = []
    for fast in (True, False):
        server = "fast" if fast else "stock"
        async with running(fast) as (app, url, session):
            a = await attachments(app, url, session)
            rows.append([server, "1000 attachments announced, 999 x 16 KiB sent",
                         _mib(a["held"]), "yes" if a["closed"] else "no"])  # fmt: skip
            c = await fake_connects(app, url, session)
            rows.append([server, "1000 `connect` events with an auth object",
                         f"{c['members']} members, {_mib(c['held'])}",
                         "yes" if c["closed"] else "no"])  # fmt: skip
            if fast:
                u = await unsent_output(app, url, session)
                rows.append([server, "2000 x 8 KiB broadcasts to a member that never reads",
                             _mib(u["held"]) + " (write buffer)", "no"])  # fmt: skip
    return rows


def table(rows: list[list[str]]) -> str:
    head = ["server", "one hostile connection", "held by the server (peak)", "closed"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"update {DOC.name}")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the server's warnings are expected here
    out = table(asyncio.run(measure()))
    print(out)  # noqa: T201 - a benchmark's CLI output
    if args.write:
        text = DOC.read_text()
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        DOC.write_text(text[:start] + "\n" + out + "\n" + text[end:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
