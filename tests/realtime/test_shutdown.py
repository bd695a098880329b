"""Stopping the app with members connected closes their sockets instead of hanging."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import Client, live_server

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_shutdown_with_connected_members_does_not_wait_for_them(tmp_path):
    server = live_server(tmp_path)
    live = await server.__aenter__()
    event_id = await live.make_event()
    members = [Client(live.url, f"M{n}") for n in range(3)]
    for c in members:
        await c.connect()
        assert (await c.call("join", {"event_id": event_id}))["ok"]
    # aiohttp's graceful shutdown would wait 60 s for open websockets
    await asyncio.wait_for(server.__aexit__(None, None, None), timeout=15)
    for _ in range(40):
        if not any(c.sio.connected for c in members):
            break
        await asyncio.sleep(0.05)
    assert not any(c.sio.connected for c in members)
    for c in members:
        await c.close()
