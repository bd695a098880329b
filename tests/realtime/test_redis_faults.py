"""Redis fails under two processes of one audience: the live show carries on.

Against a real redis-server (tests/engines/redis.py): killed and started again
mid-show, and the pub/sub clients dropped by Redis (what python-socketio issue
#1581 reported: a listener that died for good and silently). The members' own
connections never go through Redis, so they stay; what crossed processes stops
while Redis is away, each process says so on ``/healthz``, and both hear each
other again once Redis is back.
"""

from __future__ import annotations

import aiohttp
import pytest
import redis.asyncio as aioredis

from server import keys
from tests.engines.redis import needs_redis, redis_server  # noqa: F401 (a fixture)

from .conftest import SEAT_IDS, Client, live_server, until

pytestmark = [pytest.mark.asyncio(loop_scope="function"), needs_redis]


async def _health(url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(url + "/healthz") as response:
        return response.status, await response.json()


def _manager(server):
    return server.app[keys.SIO].manager


async def _hears_again(server) -> None:
    """Pub/sub drops what is published while nobody listens: wait for a new ping."""
    manager = _manager(server)
    since = manager.clock()
    await until(lambda: manager.last_heard > since, timeout=15, what="the subscription heard")


async def _chat_crosses(sender: Client, receiver: Client, text: str) -> None:
    await sender.call("chat", {"text": text})
    await receiver.wait_for("chat_message", where=lambda m: m["text"] == text, timeout=10)


async def test_redis_restarted_mid_show(tmp_path, redis_server):  # noqa: F811
    async with (
        live_server(tmp_path, redis_url=redis_server.url) as one,
        live_server(tmp_path, redis_url=redis_server.url) as two,
    ):
        event_id = await one.make_event()
        anna, bob = Client(one.url, "Anna"), Client(two.url, "Bob")
        try:
            for client in (anna, bob):
                await client.connect()
                await client.call("join", {"event_id": event_id})
            await until(
                lambda: (
                    all(_manager(s).health()["status"] == "ok" for s in (one, two))
                    and all(_manager(s).last_heard > 0 for s in (one, two))
                ),
                what="both subscribed",
            )
            await _chat_crosses(anna, bob, "before")

            redis_server.stop()
            # both processes notice within the heartbeat and say so
            await until(
                lambda: all(_manager(s).health()["status"] == "deaf" for s in (one, two)),
                timeout=15,
                what="both processes deaf",
            )
            status, body = await _health(two.url)
            assert status == 503
            assert body["checks"]["realtime_redis"]["status"] == "deaf"
            # the members never noticed: their sockets are the servers', not Redis's
            assert anna.sio.connected and bob.sio.connected
            # chat is stored and acknowledged even while it cannot cross
            sent = await anna.call("chat", {"text": "while Redis was away"})
            assert sent["ok"] and sent["id"]

            # and a newcomer still gets in (no resume record for her: Redis is away)
            dan = Client(two.url, "Dan")
            await dan.connect()
            assert (await dan.call("join", {"event_id": event_id}))["ok"]
            assert (await dan.call("sit", {"seat_id": SEAT_IDS[0]}))["ok"]
            await dan.close()

            redis_server.start()
            await until(
                lambda: all(_manager(s).health()["status"] == "ok" for s in (one, two)),
                timeout=20,
                what="both processes hearing again",
            )
            assert (await _health(one.url))[0] == 200
            await _chat_crosses(anna, bob, "after the restart")
            await _chat_crosses(bob, anna, "and back")
            # and the message sent while Redis was away is in the history of a newcomer
            cleo = Client(two.url, "Cleo")
            await cleo.connect()
            welcome = await cleo.call("join", {"event_id": event_id})
            await cleo.close()
            texts = [m["text"] for m in welcome["chat"]["history"]]
            assert "while Redis was away" in texts
        finally:
            await anna.close()
            await bob.close()


async def test_subscribers_dropped_by_redis_and_a_dead_listener(tmp_path, redis_server):  # noqa: F811
    async with (
        live_server(tmp_path, redis_url=redis_server.url) as one,
        live_server(tmp_path, redis_url=redis_server.url) as two,
    ):
        event_id = await one.make_event()
        anna, bob = Client(one.url, "Anna"), Client(two.url, "Bob")
        admin = aioredis.Redis.from_url(redis_server.url)
        try:
            for client in (anna, bob):
                await client.connect()
                await client.call("join", {"event_id": event_id})
            await until(lambda: _manager(two).last_heard > 0, what="subscribed")
            await _chat_crosses(anna, bob, "before")

            # what Redis does to pub/sub clients over their output-buffer limit
            await admin.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
            await _hears_again(two)
            await _chat_crosses(anna, bob, "after the kill")

            # the listener task gone for good (#1581): the process says so, then heals
            restarts = _manager(two).listener_restarts
            _manager(two).thread.cancel()
            await until(
                lambda: _manager(two).listener_restarts > restarts, timeout=15, what="healed"
            )
            await _hears_again(two)
            await _chat_crosses(anna, bob, "after the listener died")
            assert _manager(two).health()["status"] == "ok"
        finally:
            await admin.aclose()
            await anna.close()
            await bob.close()
