"""The browsers' Janus signalling through Zal (``/voice/janus/<pass>``), against a
real Janus: a listener subscribes and nothing more, a speaker joins as a
publisher with a room token it never sees, and a revoked member is cut off at
once (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from server import keys
from server.api import voice as voice_api
from server.voice.service import Voice, VoiceFull, VoiceLimits

from .conftest import Janus

pytestmark = pytest.mark.asyncio(loop_scope="module")


def _code(status: int, reply: dict) -> tuple[int, dict]:
    """Refusals come as Janus sends its own: HTTP 200, the code in the body."""
    assert status == 200, status
    return (reply["error"]["code"] if reply.get("janus") == "error" else 200), reply


class Browser:
    """What janus.js does, pointed at Zal's gateway with a pass."""

    def __init__(self, client: TestClient, secret: str) -> None:
        self.client, self.base = client, f"/voice/janus/{secret}"
        self.session = self.handle = 0
        self.events: list[dict[str, Any]] = []

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        r = await self.client.post(self.base + path, json={"transaction": "t", **body})
        return _code(r.status, await r.json())

    async def attach(self) -> None:
        status, created = await self.post("", {"janus": "create"})
        assert status == 200 and created["janus"] == "success", created
        self.session = created["data"]["id"]
        status, attached = await self.post(
            f"/{self.session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"}
        )
        assert attached["janus"] == "success", attached
        self.handle = attached["data"]["id"]

    async def ask(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A VideoRoom request; an asynchronous answer is read from the long poll."""
        status, sent = await self.post(
            f"/{self.session}/{self.handle}",
            {"janus": "message", "body": body, "transaction": body["request"]},
        )
        if status != 200 or sent["janus"] != "ack":
            return status, sent.get("plugindata", {}).get("data", sent)
        for _ in range(10):
            for event in self.events:
                if event.get("transaction") == body["request"]:
                    return 200, event["plugindata"]["data"]
            r = await self.client.get(f"{self.base}/{self.session}", params={"maxev": "5"})
            got = await r.json()
            self.events += got if isinstance(got, list) else [got]
        raise AssertionError(f"no answer to {body}")


@pytest_asyncio.fixture(loop_scope="module")
async def gateway(janus: Janus):
    app = web.Application()
    voice = Voice(janus.client, janus.config.admin_key, VoiceLimits(max_speakers=1))
    app[keys.VOICE] = voice
    app.router.add_routes(voice_api.routes)
    async with TestClient(TestServer(app)) as client:
        yield voice, client
        for event_id in ("hall",):
            await voice.close_event(event_id)


async def test_a_listener_subscribes_and_nothing_more(gateway):
    voice, client = gateway
    unknown = await client.post("/voice/janus/guess", json={"janus": "create"})
    assert _code(unknown.status, await unknown.json())[0] == 403

    anna = Browser(client, await voice.admit("anna", "hall"))
    await anna.attach()
    room = voice.rooms.room("hall")
    assert room is not None
    status, other_plugin = await anna.post(
        f"/{anna.session}", {"janus": "attach", "plugin": "janus.plugin.echotest"}
    )
    assert status == 403, other_plugin
    for body in (
        {"request": "join", "ptype": "publisher", "room": room.room_id},
        {"request": "publish", "audio": True},
        {"request": "create", "room": "mine"},
        {"request": "kick", "room": room.room_id, "id": "x"},
        {"request": "allowed", "room": room.room_id, "action": "add", "allowed": ["me"]},
        {"request": "join", "ptype": "subscriber", "room": "another-room", "streams": []},
    ):
        status, answer = await anna.ask(body)
        assert status == 403, (body, answer)
    status, listed = await anna.ask({"request": "listparticipants"})  # its own room's
    assert status == 200 and listed["room"] == room.room_id, listed

    # another pass cannot use Anna's session, nor poll it
    bob = Browser(client, await voice.admit("bob", "hall"))
    status, _ = await bob.post(f"/{anna.session}", {"janus": "keepalive"})
    assert status == 403
    r = await client.get(f"{bob.base}/{anna.session}")
    assert _code(r.status, await r.json())[0] == 403
    bad = await client.post(bob.base, data=b"{not json")
    assert _code(bad.status, await bad.json())[0] == 400


async def test_a_speaker_publishes_with_a_room_token_it_never_sees_and_is_cut_off(gateway, janus):
    voice, client = gateway
    host = Browser(client, await voice.admit("host", "hall", role="speaker"))
    await host.attach()
    status, joined = await host.ask({"request": "join", "ptype": "publisher", "display": "x"})
    assert status == 200 and joined["videoroom"] == "joined", joined
    participants = await voice.rooms.participants("hall")
    assert [p["display"] for p in participants] == ["host"]  # Zal names it, not the browser
    # one speaker at a time here: a second call-up is refused
    await voice.admit("cleo", "hall")
    with pytest.raises(VoiceFull):
        await voice.promote("cleo")

    await voice.revoke("host")
    assert await voice.rooms.participants("hall") == []  # kicked at once
    status, _ = await host.post(f"/{host.session}", {"janus": "keepalive"})
    assert status == 403  # the pass is gone
    gone = await janus.client.forward(f"/{host.session}", {"janus": "keepalive"})
    assert gone[1]["janus"] == "error"  # and so is its Janus session
    await voice.promote("cleo")  # the place is free again
