"""Voice on ``/live`` with a real Janus that the server starts (``voice="local"``):
who listens, who speaks and from where, the host's call-up, and a pass that stops
working the moment its member leaves (issue 12; docs/PROTOCOL.md 4.13)."""

from __future__ import annotations

import socket

import aiohttp
import pytest
import pytest_asyncio

from .conftest import Client, live_server

pytestmark = pytest.mark.asyncio(loop_scope="module")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def voiced(tmp_path_factory):
    async with live_server(
        tmp_path_factory.mktemp("voice"), voice="local", janus_http_port=_free_port(),
        voice_max_speakers=2, turn_urls=["turn:127.0.0.1:3478"], turn_secret="coturn-secret",
    ) as server:  # fmt: skip
        yield server


@pytest_asyncio.fixture(loop_scope="module")
async def people(voiced):
    made: list[Client] = []

    async def make(name: str, **auth) -> Client:
        client = Client(voiced.url, name)
        made.append(client)
        await client.connect(**auth)
        return client

    yield make
    for client in made:
        await client.close()


async def _janus_create(voiced, url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http:
        async with http.post(voiced.url + url, json={"janus": "create", "transaction": "t"}) as r:
            reply = await r.json()
            assert r.status == 200  # refusals too, as Janus answers: the code is in the body
            return (reply["error"]["code"] if reply["janus"] == "error" else 200), reply


async def test_voice_is_refused_where_it_is_off(live, clients):
    event_id = await live.make_event()
    anna = await clients("Anna")
    assert (await anna.call("join", {"event_id": event_id}))["voice"] is False
    assert (await anna.call("voice_join"))["error"]["code"] == "voice_off"


async def test_the_host_speaks_from_the_stage_and_residents_listen(voiced, people):
    event_id = await voiced.make_event()
    host = await people("Host", token=voiced.token)
    anna = await people("Anna")
    assert (await host.call("join", {"event_id": event_id}))["voice"] is True
    anna_id = (await anna.call("join", {"event_id": event_id}))["member"]["id"]

    heard = (await anna.call("voice_join"))["voice"]
    assert heard["role"] == "listener" and heard["url"].startswith("/voice/janus/")
    (turn,) = heard["ice_servers"]  # her own TURN credentials (server/voice/turn.py)
    assert turn["urls"] == ["turn:127.0.0.1:3478"] and turn["username"].endswith(":" + anna_id)
    status, created = await _janus_create(voiced, heard["url"])
    assert status == 200 and created["janus"] == "success", created  # through Zal to Janus
    # asking again (a new name, a reconnect) keeps the pass and so its Janus session
    assert (await anna.call("voice_join"))["voice"]["url"] == heard["url"]

    spoke = (await host.call("voice_join"))["voice"]
    assert spoke["role"] == "speaker" and spoke["room"] == heard["room"]
    assert spoke["speakers"] == []  # listed once its microphone opens, not before
    assert (await anna.call("voice_speak"))["error"]["code"] == "not_invited"
    assert (await host.call("voice_speak"))["role"] == "speaker"
    (update,) = await anna.wait_for("voice_speakers", where=lambda e: e["speakers"])
    assert [(s["name"], s["where"]) for s in update["speakers"]] == [("Host", "stage")]

    # a pass works only while its member is in the event
    await anna.call("leave")
    status, _ = await _janus_create(voiced, heard["url"])
    assert status == 403


async def test_a_resident_called_up_speaks_from_the_seat_until_the_host_ends_it(voiced, people):
    event_id = await voiced.make_event()
    host = await people("Host", token=voiced.token)
    bob = await people("Bob")
    cleo = await people("Cleo")
    ids = {}
    for name, who in (("Host", host), ("Bob", bob), ("Cleo", cleo)):
        ids[name] = (await who.call("join", {"event_id": event_id}))["member"]["id"]
        await who.call("voice_join")
    await host.call("voice_speak")
    bob_id, cleo_id = ids["Bob"], ids["Cleo"]
    assert (await bob.call("voice_accept"))["error"]["code"] == "not_invited"
    # only a host calls someone up
    assert (await cleo.call("voice_invite", {"member_id": bob_id}))["error"]["code"] == "forbidden"
    assert (await host.call("voice_invite", {"member_id": bob_id}))["ok"]
    await bob.wait_for("voice_invited")
    assert (await bob.call("voice_accept"))["role"] == "speaker"
    (update,) = await cleo.wait_for(
        "voice_speakers", where=lambda e: any(s["where"] == "seat" for s in e["speakers"])
    )
    assert {s["name"]: s["where"] for s in update["speakers"]} == {"Host": "stage", "Bob": "seat"}

    # two at once here: a third call-up is refused when accepted
    await host.call("voice_invite", {"member_id": cleo_id})
    await cleo.wait_for("voice_invited")
    assert (await cleo.call("voice_accept"))["error"]["code"] == "voice_full"

    assert (await host.call("voice_end", {"member_id": bob_id}))["ok"]
    await bob.wait_for("voice_ended")
    await cleo.wait_for("voice_speakers", where=lambda e: len(e["speakers"]) == 1)
    assert (await bob.call("voice_end"))["error"]["code"] == "not_speaking"
