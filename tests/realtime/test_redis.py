"""Two server processes' worth of apps sharing rooms through a private Redis."""

from __future__ import annotations

import json

import pytest
import redis.asyncio as aioredis

from server import keys
from server.realtime.snapshot import decode_snapshot
from tests.engines.redis import needs_redis, redis_server  # noqa: F401 (a fixture)

from .conftest import Client, live_server, until

pytestmark = [
    pytest.mark.asyncio(loop_scope="function"),
    needs_redis,
]


@pytest.fixture
def redis_url(redis_server):  # noqa: F811
    return redis_server.url


async def test_chat_and_reactions_cross_servers_avatars_do_not(tmp_path, redis_url):
    async with (
        live_server(tmp_path, redis_url=redis_url) as one,
        live_server(tmp_path, redis_url=redis_url) as two,
    ):
        event_id = await one.make_event()
        anna, bob = Client(one.url, "Anna"), Client(two.url, "Bob")
        try:
            await anna.connect()
            await bob.connect()
            a = await anna.call("join", {"event_id": event_id})
            b = await bob.call("join", {"event_id": event_id})
            # each process places its own members, each in an instance of its own,
            # numbered from a counter they share: no two copies of the hall share an id
            assert {a["instance"]["index"], b["instance"]["index"]} == {1, 2}
            assert b["members"] == []
            managers = [server.app[keys.SIO].manager for server in (one, two)]
            await until(
                lambda: all(m.pubsub is not None and m.pubsub.subscribed for m in managers),
                what="both servers subscribed to Redis",
            )
            # what goes through Redis, as a third subscriber of the channel hears it
            spy = aioredis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
            await spy.subscribe("socketio")
            sent = await anna.call("chat", {"text": "hello from server one"})
            (msg,) = await bob.wait_for("chat_message")
            assert msg["id"] == sent["id"] and msg["text"] == "hello from server one"
            await anna.emit("react", {"kind": "heart"})
            await bob.wait_for("reactions", where=lambda m: m["counts"].get("heart") == 1)
            await anna.emit("pose", [77, 0.0, 1.6, 0.0, 0.0, 0.0, 0.0, 1.0])
            await anna.wait_for(
                "snap", where=lambda d: any(m.seq == 77 for m in decode_snapshot(d).changed)
            )
            # a chat sent after the pose reaches Bob through the same Redis channel,
            # after anything server one published before it
            await anna.call("chat", {"text": "after the pose"})
            await bob.wait_for("chat_message", count=2)
            assert bob.events["snap"]  # his own join snapshot did arrive
            for d in bob.events["snap"]:
                assert all(m.seq != 77 for m in decode_snapshot(d).changed)
            crossed = []
            quiet = 0  # get_message gives None for a subscribe confirmation too
            while quiet < 3:
                message = await spy.get_message(timeout=0.2)
                if message is None:
                    quiet += 1
                    continue
                data = json.loads(message["data"])
                if data.get("method") == "emit":
                    crossed.append(data["event"])
            await spy.aclose()
            # chat crossed; snapshots and sends to one socket did not (anna's acks and
            # her own snapshots stayed on server one), nor reactions: each process
            # sends its own members the audience's total from Redis (shared_live.py)
            assert crossed.count("chat_message") == 2, crossed
            assert not {"snap", "member_joined", "reactions"} & set(crossed), crossed
        finally:
            await anna.close()
            await bob.close()
