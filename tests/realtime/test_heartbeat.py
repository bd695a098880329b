"""A client that stops answering pings is dropped, then leaves after the grace period."""

from __future__ import annotations

import json

import aiohttp
import pytest

from .conftest import Client, live_server

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_silent_client_is_dropped_and_its_place_freed(tmp_path):
    async with live_server(
        tmp_path, ping_interval_s=1, ping_timeout_s=1, resume_grace_s=0.3
    ) as live:
        event_id = await live.make_event()
        watcher = Client(live.url, "Watcher")
        await watcher.connect()
        await watcher.call("join", {"event_id": event_id})
        baseline = len(live.state.members)
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(live.url + "/socket.io/?EIO=4&transport=websocket")
            assert (await ws.receive_str()).startswith("0")  # engine.io OPEN
            await ws.send_str('40/live,{"name":"Silent"}')
            assert (await ws.receive_str()).startswith("40/live,")
            await ws.send_str('42/live,0["join",' + json.dumps({"event_id": event_id}) + "]")
            # read until the ack, then go silent: no PONG ever again
            while not (msg := await ws.receive_str()).startswith("43/live,0"):
                pass
            assert json.loads(msg[len("43/live,0") :])[0]["ok"] is True
            assert len(live.state.members) == baseline + 1
            (left,) = await watcher.wait_for("member_left", timeout=5)
            assert left["slot"] == 1
            await ws.close()
        assert len(live.state.members) == baseline
        await watcher.close()
