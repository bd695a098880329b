"""One audience on two processes: what they share through a real Redis.

A host on one process mutes, slows and removes members connected to the other;
a member resumes on the other process with its id and seat; its chat limits
follow it. (The ticker runs for real; nothing here waits on the clock.)
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
import socketio

from server import keys
from tests.engines.redis import needs_redis, redis_server  # noqa: F401 (a fixture)

from .conftest import SEAT_IDS, Client, live_server, until

pytestmark = [pytest.mark.asyncio(loop_scope="function"), needs_redis]


async def test_a_host_moderates_members_of_the_other_process(tmp_path, redis_server):  # noqa: F811
    async with (
        live_server(tmp_path, redis_url=redis_server.url) as one,
        live_server(tmp_path, redis_url=redis_server.url) as two,
    ):
        event_id = await one.make_event()
        host, bob = Client(one.url, "Host"), Client(two.url, "Bob")
        try:
            await host.connect(token=one.token)
            assert (await host.call("join", {"event_id": event_id}))["member"]["host"]
            await bob.connect()
            bob_welcome = await bob.call("join", {"event_id": event_id})
            bob_id = bob_welcome["member"]["id"]
            assert bob_id not in one.state.members  # he is the other process's

            assert (await host.call("mute", {"member_id": bob_id}))["ok"]
            await bob.wait_for("moderated", where=lambda m: m["action"] == "muted")
            refused = await bob.call("chat", {"text": "let me speak"})
            assert refused["error"]["code"] == "muted"
            assert (await host.call("unmute", {"member_id": bob_id}))["ok"]
            await bob.wait_for("moderated", where=lambda m: m["action"] == "unmuted")
            assert (await bob.call("chat", {"text": "thank you"}))["ok"]

            assert (await host.call("slow_mode", {"seconds": 30}))["ok"]
            await bob.wait_for("chat_state", where=lambda m: m["slow_mode"] == 30)
            await until(lambda: two.state.audiences[f"event:{event_id}"].slow_mode == 30)
            refused = await bob.call("chat", {"text": "too soon"})  # 'thank you' was just now
            assert refused["error"]["code"] == "slow_mode"

            unknown = await host.call("mute", {"member_id": "m_nobody"})
            assert unknown["error"]["code"] == "not_found"

            assert (await host.call("remove", {"member_id": bob_id}))["ok"]
            await bob.wait_for("moderated", where=lambda m: m["action"] == "removed")
            await until(lambda: bob_id not in two.state.members, what="Bob dropped by his process")
            await until(lambda: not bob.sio.connected, what="Bob sent off")
            # his resume token is no way back, on either process
            for server in (one, two):
                back = Client(server.url, "Bob")
                with pytest.raises(socketio.exceptions.ConnectionError):
                    await back.connect(resume=bob_welcome["resume"])
                await back.close()
        finally:
            await host.close()
            await bob.close()


async def test_a_member_resumes_on_the_other_process(tmp_path, redis_server):  # noqa: F811
    async with (
        live_server(tmp_path, redis_url=redis_server.url) as one,
        live_server(tmp_path, redis_url=redis_server.url) as two,
    ):
        event_id = await one.make_event()
        anna, cleo = Client(one.url, "Anna"), Client(one.url, "Cleo")
        moved = Client(two.url, "Anna")
        try:
            await cleo.connect()
            await cleo.call("join", {"event_id": event_id})
            await anna.connect()
            welcome = await anna.call("join", {"event_id": event_id})
            anna_id, resume = welcome["member"]["id"], welcome["resume"]
            assert (await anna.call("sit", {"seat_id": SEAT_IDS[2]}))["ok"]
            for n in range(5):  # the chat bucket holds 5
                assert (await anna.call("chat", {"text": f"hello {n}"}))["ok"]

            await anna.drop()  # her network goes; she comes back through the other process
            await moved.connect(resume=resume)
            (joined,) = await moved.wait_for("joined")
            assert joined["resumed"] is True
            assert joined["member"]["id"] == anna_id
            assert joined["member"]["seat"] == SEAT_IDS[2]
            assert joined["resume"] == resume
            # her first process let her go at once, not after the grace period
            await until(lambda: anna_id not in one.state.members, what="one forgot Anna")
            await cleo.wait_for("member_left", where=lambda m: m["id"] == anna_id)
            # her chat limits came with her
            refused = await moved.call("chat", {"text": "one more"})
            assert refused["error"]["code"] == "rate_limited"
            # resuming again (through the first process) moves her back, as a
            # resume does on one process: one member, one connection
            back = Client(one.url, "Anna")
            await back.connect(resume=resume)
            (again,) = await back.wait_for("joined")
            assert again["member"]["id"] == anna_id
            await until(lambda: not moved.sio.connected, what="the other connection closed")
            await until(lambda: anna_id not in two.state.members, what="two forgot Anna")
            await back.close()
        finally:
            for client in (anna, cleo, moved):
                await client.close()


async def test_the_stage_is_the_same_through_either_process(tmp_path, redis_server):  # noqa: F811
    async with (
        live_server(tmp_path, redis_url=redis_server.url) as one,
        live_server(tmp_path, redis_url=redis_server.url) as two,
    ):
        event_id = await one.make_event()
        recording = {
            "id": "med-1", "event_id": event_id, "kind": "recording", "title": "Overture",
            "status": "ready", "progress": 1.0, "error": None, "duration_s": 600.0,
            "url": "/media/hls/p/master.m3u8", "slides": [],
        }  # fmt: skip
        host, early, late = (
            Client(one.url, "Host"),
            Client(two.url, "Early"),
            Client(two.url, "Late"),
        )
        try:
            await host.connect(token=one.token)
            await host.call("join", {"event_id": event_id})
            await early.connect()
            await early.call("join", {"event_id": event_id})
            await one.app[keys.STAGE_DIRECTOR].show(event_id, recording, play_from=0.0)
            await early.wait_for("stage", where=lambda s: (s["media"] or {}).get("id") == "med-1")
            paused = await host.call("stage_pause", {})
            assert paused["ok"] and paused["stage"]["playing"] is False
            await until(
                lambda: not two.app[keys.STAGE_DIRECTOR].stage(event_id).playing,
                what="the other process's stage paused",
            )
            # a member joining through the other process sees the same stage
            await late.connect()
            welcome = await late.call("join", {"event_id": event_id})
            assert welcome["stage"]["media"]["id"] == "med-1"
            assert welcome["stage"]["playing"] is False
            assert welcome["stage"]["version"] == paused["stage"]["version"]
        finally:
            for client in (host, early, late):
                await client.close()


async def _as_browser(url: str, name: str, agent: str) -> Client:
    client = Client(url, name)
    await client.sio.connect(
        url, namespaces=["/live"], transports=["websocket"], auth={"name": name},
        headers={"User-Agent": agent}, wait_timeout=5,
    )  # fmt: skip
    return client


async def test_attendance_counts_the_whole_audience(tmp_path, redis_server):  # noqa: F811
    """The peak is everyone present on both processes at once; a visitor who comes
    back through the other process is still one visitor (one salt for both)."""
    async with (
        live_server(tmp_path, redis_url=redis_server.url) as one,
        live_server(tmp_path, redis_url=redis_server.url) as two,
    ):
        event_id = await one.make_event()
        made: list[Client] = []
        try:
            for server, name in ((one, "A"), (one, "B"), (two, "C"), (two, "D")):
                made.append(await _as_browser(server.url, name, f"Chromium/143 {name}"))
                assert (await made[-1].call("join", {"event_id": event_id}))["ok"]
            # A leaves, and comes back through the other process
            assert (await made[0].call("leave", {}))["ok"]
            await made[0].close()
            again = await _as_browser(two.url, "A", "Chromium/143 A")
            made.append(again)
            assert (await again.call("join", {"event_id": event_id}))["ok"]

            async def figures() -> dict:
                async with (
                    aiohttp.ClientSession() as http,
                    http.get(
                        f"{one.url}/api/events/{event_id}/attendance",
                        headers={"Authorization": f"Bearer {one.token}"},
                    ) as response,
                ):
                    return await response.json()

            async def counted() -> bool:
                body = await figures()
                return body["unique_visitors"] == 4 and body["peak_concurrent"] == 4

            for _ in range(200):  # the counts are written after each join's ack
                if await counted():
                    break
                await asyncio.sleep(0.02)
            body = await figures()
            assert body["peak_concurrent"] == 4, body  # A, B on one and C, D on two
            assert body["unique_visitors"] == 4, body  # A's return is no new visitor
        finally:
            for client in made:
                await client.close()


async def test_reactions_are_summed_once_for_the_whole_audience(tmp_path, redis_server):  # noqa: F811
    async with (
        live_server(tmp_path, redis_url=redis_server.url) as one,
        live_server(tmp_path, redis_url=redis_server.url) as two,
    ):
        event_id = await one.make_event()
        anna, bob, cleo = Client(one.url, "Anna"), Client(two.url, "Bob"), Client(two.url, "Cleo")
        try:
            for client in (anna, bob, cleo):
                await client.connect()
                await client.call("join", {"event_id": event_id})
            await anna.emit("react", {"kind": "heart"})
            await bob.emit("react", {"kind": "heart"})
            await cleo.emit("react", {"kind": "bravo"})

            def hearts(client: Client) -> int:
                return sum(m["counts"].get("heart", 0) for m in client.events["reactions"])

            # everyone sees the whole audience's reactions, each once, whichever
            # process they and the reacting members are on
            for client in (anna, bob, cleo):
                await until(lambda c=client: hearts(c) == 2, what=f"{client.name}: 2 hearts")
                await client.wait_for("reactions", where=lambda m: "bravo" in m["counts"])
            await anna.sync()
            assert hearts(anna) == 2 and hearts(bob) == 2 and hearts(cleo) == 2
        finally:
            for client in (anna, bob, cleo):
                await client.close()
