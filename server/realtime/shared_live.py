"""What several processes of one audience must agree on, kept in Redis.

With one process all of it lives in :class:`.audience.LiveState`. With several
(``ZAL_REDIS_URL``), each process still owns its members, instances and seats,
and Redis holds what a member or a host on another process may touch:

- **moderation**: an audience's muted and removed members, slow mode and closed
  chat. Every change is one atomic Redis command, then a note on the channel
  ``zal:live`` makes every process reload its mirror (chat checks stay in memory);
- **who is where**: each joined member's process, so a host can mute or remove a
  member of another process;
- **resume records**: a member's id, name, audience and seat under the hash of its
  resume token, so a member whose process died resumes on another one;
- **the stage**: what plays and where, so a member joining through any process
  sees the show the host started on another;
- **attendance**: the day's salt of visitor hashes and each process's number
  present, so the peak is the whole audience's;
- **reactions**: each process adds its counts of a tick to the audience's window
  and sends its own members the window's total (one message per tick, as on one
  process, and Redis's work grows with the processes, not their square);
- **chat limits**: the token bucket and slow mode of each member, one Lua script
  on Redis's own clock (a member may send through two processes in turn).

Nothing of the pose path is here: snapshots never leave their process.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aioredis

from .audience import Audience, Member
from .stage import Stage

log = logging.getLogger("zal.realtime.shared")

CHANNEL = "zal:live"
RECORD_TTL_S = 6 * 3600  # a resume record outlives any show; removed on departure
STATE_TTL_S = 24 * 3600  # moderation state of an audience nobody touches any more
PRESENT_FRESH_S = 30.0  # a process's attendance figure counts this long after it told it

# tokens, refilled at ARGV[1] per second up to ARGV[2]; slow mode ARGV[3] seconds
# (0 for hosts). Returns {0} when the message may go, {1, wait} for slow mode,
# {2, wait} over the rate. Redis's TIME: the same clock for every process.
_CHAT_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local rate, burst, slow = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'last')
local tokens = tonumber(v[1]) or burst
local at = tonumber(v[2]) or now
local last = tonumber(v[3])
if slow > 0 and last then
  local wait = last + slow - now
  if wait > 0 then return {1, tostring(wait)} end
end
tokens = math.min(burst, tokens + (now - at) * rate)
if tokens < 1 then return {2, tostring((1 - tokens) / rate)} end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1),
           'at', tostring(now), 'last', tostring(now))
redis.call('EXPIRE', KEYS[1], 3600)
return {0, '0'}
"""

# forget a member's record and directory entry only if they still name this
# process: a member that resumed on another process has a new record there
_FORGET = """
local r = redis.call('GET', KEYS[1])
if r and cjson.decode(r)['node'] == ARGV[2] then redis.call('DEL', KEYS[1]) end
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[2], ARGV[1]) end
return 0
"""

Note = dict[str, Any]


def record_key(resume_token: str) -> str:
    # the token is a secret: only its hash is a key
    return "zal:resume:" + hashlib.sha256(resume_token.encode()).hexdigest()


class SharedLive:
    """One process's view of the shared state; ``node`` names this process."""

    def __init__(self, url: str, node: str) -> None:
        self.redis = aioredis.Redis.from_url(url, decode_responses=True)
        self.node = node
        self._chat_take = self.redis.register_script(_CHAT_TAKE)
        self._forget = self.redis.register_script(_FORGET)
        self._keys: dict[str, str] = {}  # member id -> its resume record's key
        self._reactions_read: dict[str, int] = {}  # audience -> last reactions window read
        self._listener: asyncio.Task | None = None

    # -- notes between processes -------------------------------------------------
    def listen(self, on_note: Callable[[Note], Awaitable[None]]) -> None:
        self._listener = asyncio.create_task(self._listen(on_note), name="zal-shared-live")

    async def _listen(self, on_note: Callable[[Note], Awaitable[None]]) -> None:
        failing = False
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(CHANNEL)
                if failing:
                    log.warning("shared live state: listening again")
                failing = False
                # anything published while we were away is lost: catch up first
                await on_note({"op": "resubscribed"})
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        note = json.loads(message["data"])
                    except ValueError:
                        continue
                    if note.get("from") != self.node:
                        await on_note(note)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not failing:  # once per outage
                    log.warning("shared live state: Redis lost (%s)", type(exc).__name__)
                failing = True
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(0.5)

    async def note(self, **note: Any) -> None:
        await self.redis.publish(CHANNEL, json.dumps({**note, "from": self.node}))

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(BaseException):
                await self._listener
        await self.redis.aclose()

    # -- moderation ----------------------------------------------------------------
    @staticmethod
    def _k(audience_key: str, part: str) -> str:
        return f"zal:aud:{audience_key}:{part}"

    async def load_moderation(self, audience: Audience) -> None:
        """Mirror the shared moderation state into ``audience`` (this process's copy)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._k(audience.key, "chat"))
            pipe.smembers(self._k(audience.key, "muted"))
            pipe.smembers(self._k(audience.key, "banned"))
            chat, muted, banned = await pipe.execute()
        audience.slow_mode = int(chat.get("slow_mode", 0))
        audience.closed = chat.get("closed") == "1"
        audience.muted = set(muted)
        audience.banned = set(banned)

    async def _changed(
        self, audience: Audience, command: Callable[[Any], Any], **note: Any
    ) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            command(pipe)
            for part in ("chat", "muted", "banned"):
                pipe.expire(self._k(audience.key, part), STATE_TTL_S)
            await pipe.execute()
        await self.note(op="moderation", audience=audience.key, **note)

    async def set_muted(self, audience: Audience, member_id: str, muted: bool) -> None:
        key = self._k(audience.key, "muted")
        await self._changed(
            audience,
            lambda pipe: pipe.sadd(key, member_id) if muted else pipe.srem(key, member_id),
            member=member_id,  # its own process tells it
            action="muted" if muted else "unmuted",
        )

    async def ban(self, audience: Audience, member_id: str) -> None:
        key = self._k(audience.key, "banned")
        await self._changed(audience, lambda pipe: pipe.sadd(key, member_id))

    async def set_chat(self, audience: Audience) -> None:
        key = self._k(audience.key, "chat")
        mapping = {"slow_mode": audience.slow_mode, "closed": int(audience.closed)}
        await self._changed(audience, lambda pipe: pipe.hset(key, mapping=mapping))

    async def next_instance(self, audience: Audience) -> int:
        """A number for a new copy of the hall that no process has used."""
        key = self._k(audience.key, "instances")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, STATE_TTL_S)
            index, _ = await pipe.execute()
        return int(index)

    async def take_chat(self, member: Member, rate: float, burst: float, slow_mode: int):
        """None when ``member`` may send now, else (code, seconds to wait)."""
        code, wait = await self._chat_take(
            keys=[f"zal:chat:{member.id}"], args=[rate, burst, slow_mode]
        )
        if int(code) == 0:
            return None
        return ("slow_mode" if int(code) == 1 else "rate_limited"), float(wait)

    # -- the stage -----------------------------------------------------------------
    async def save_stage(self, event_id: str, stage: Stage) -> None:
        state = stage.state()
        await self.redis.set(f"zal:stage:{event_id}", json.dumps(state), ex=STATE_TTL_S)
        await self.note(op="stage", event=event_id, state=state)

    async def load_stage(self, event_id: str) -> dict[str, Any] | None:
        raw = await self.redis.get(f"zal:stage:{event_id}")
        return json.loads(raw) if raw else None

    # -- reactions -----------------------------------------------------------------
    async def exchange_reactions(
        self, counts: dict[str, dict[str, int]], audiences: list[str], period_s: float
    ) -> dict[str, dict[str, int]]:
        """Add this process's reactions of the period to the audience's shared
        window, and read every window finished since the last call: each process
        sends its own members the audience's total once per period, so Redis
        carries one write and one read per process per tick, not every process's
        counts to every other (which grows with the square of the processes).

        Windows are ``period_s`` of the wall clock; the one read is two behind the
        one written, so a window is complete when read (processes' ticks and
        clocks drift by less than a period)."""
        window = int(time.time() / period_s)
        async with self.redis.pipeline(transaction=False) as pipe:
            for key, kinds in counts.items():
                for kind, n in kinds.items():
                    pipe.hincrby(f"zal:react:{key}:{window}", kind, n)
                pipe.expire(f"zal:react:{key}:{window}", 10)
            reads: list[tuple[str, int]] = []
            for key in audiences:
                first = self._reactions_read.get(key, window - 3) + 1
                for done in range(max(first, window - 12), window - 1):
                    pipe.hgetall(f"zal:react:{key}:{done}")
                    reads.append((key, done))
                self._reactions_read[key] = window - 2
            results = await pipe.execute()
        totals: dict[str, dict[str, int]] = {}
        for (key, _), found in zip(reads, results[len(results) - len(reads) :], strict=True):
            for kind, n in found.items():
                total = totals.setdefault(key, {})
                total[kind] = total.get(kind, 0) + int(n)
        return totals

    # -- attendance ----------------------------------------------------------------
    async def day_salt(self, day: str) -> bytes:
        """The day's salt of visitor hashes, one for every process (attendance.py)."""
        key = f"zal:attendance:salt:{day}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(key, secrets.token_hex(32), nx=True, ex=2 * 24 * 3600)
            pipe.get(key)
            _, salt = await pipe.execute()
        return bytes.fromhex(salt)

    async def present_total(self, event_id: str, here: int) -> int:
        """Tell this process's number present, get the sum over the processes that
        told theirs within ``PRESENT_FRESH_S`` (Redis's clock)."""
        key = f"zal:present:{event_id}"
        now = float((await self.redis.time())[0])
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, self.node, f"{here}:{now}")
            pipe.expire(key, STATE_TTL_S)
            pipe.hgetall(key)
            *_, told = await pipe.execute()
        total = 0
        for value in told.values():
            count, _, stamp = value.partition(":")
            if now - float(stamp) <= PRESENT_FRESH_S:
                total += int(count)
        return total

    # -- who is where, and resume records -------------------------------------------
    def _record(self, member: Member) -> dict[str, Any]:
        audience, instance = member.audience, member.instance
        assert audience is not None and instance is not None
        return {
            "id": member.id,
            "number": member.number,
            "name": member.name,
            "event_id": audience.event_id,
            "venue_id": audience.venue_id,
            "index": instance.index,
            "seat": member.seat,
            "node": self.node,
        }

    async def joined(self, member: Member) -> None:
        """Write (again) where ``member`` is: after a join, a seat, a resume."""
        if member.resume is None or member.audience is None:
            return
        key = record_key(member.resume)
        self._keys[member.id] = key
        record = self._record(member)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(key, json.dumps(record), ex=RECORD_TTL_S)
            pipe.hset(self._k(member.audience.key, "members"), member.id, self.node)
            pipe.expire(self._k(member.audience.key, "members"), STATE_TTL_S)
            await pipe.execute()

    async def departed(self, member_id: str, audience_key: str) -> None:
        key = self._keys.pop(member_id, "zal:none")
        members = self._k(audience_key, "members")
        await self._forget(keys=[key, members], args=[member_id, self.node])

    def let_go(self, member_id: str) -> None:
        """``member_id`` resumed on another process: its record is that one's now."""
        self._keys.pop(member_id, None)

    async def claim(self, resume_token: str) -> dict[str, Any] | None:
        """Take the record of a member resuming here (GETDEL: one process wins)."""
        raw = await self.redis.getdel(record_key(resume_token))
        return json.loads(raw) if raw else None

    async def node_of(self, audience_key: str, member_id: str) -> str | None:
        node = await self.redis.hget(self._k(audience_key, "members"), member_id)
        return str(node) if node is not None else None

    async def ask_to_drop(self, node: str, member_id: str, reason: str) -> None:
        """Tell ``node`` to let its copy of a member go (removed, or resumed here)."""
        await self.note(op="drop", node=node, member=member_id, reason=reason)
