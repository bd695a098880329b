"""An acknowledged chat message survives SIGKILL of the server (SQLite WAL, ack after commit)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys

import aiohttp
import pytest

from .conftest import Client, live_server

pytestmark = pytest.mark.asyncio(loop_scope="function")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with aiohttp.ClientSession() as http:
        while loop.time() < deadline:
            assert proc.poll() is None, "server exited"
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(url + "/healthz") as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise AssertionError("server did not start")


async def test_acked_chat_messages_survive_sigkill(tmp_path):
    # seed the venue and an event with the in-process app, then serve the same
    # data dir from a real `zal serve` process we can kill
    async with live_server(tmp_path) as seeded:
        event_id = await seeded.make_event()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ZAL_BUILD_WORKERS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port), "--data-dir", str(tmp_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    acked: dict[int, str] = {}
    clients = [Client(url, f"Writer {n}") for n in range(20)]
    try:
        await _wait_healthy(url, proc)
        for c in clients:
            await c.connect()
            assert (await c.call("join", {"event_id": event_id}))["ok"]

        async def write(c: Client, n: int) -> None:
            for i in range(5):  # the per-member chat burst
                text = f"{n}-{i}"
                with contextlib.suppress(Exception):
                    ack = await c.call("chat", {"text": text}, timeout=3)
                    if ack.get("ok"):
                        acked[ack["id"]] = text

        writers = [asyncio.create_task(write(c, n)) for n, c in enumerate(clients)]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while len(acked) < 30:  # kill it mid-stream
            assert loop.time() < deadline, f"only {len(acked)} acks in 60 s"
            await asyncio.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        await asyncio.gather(*writers)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for c in clients:
            await c.close()
    assert len(acked) >= 30
    db = sqlite3.connect(tmp_path / "zal.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = dict(db.execute("SELECT id, text FROM chat_messages").fetchall())
    finally:
        db.close()
    missing = {i: t for i, t in acked.items() if stored.get(i) != t}
    assert missing == {}
