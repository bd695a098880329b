"""Chat: checks (closed, muted, slow mode, rate) then a committed row, then the message."""

from __future__ import annotations

import logging
from typing import Literal

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncEngine

from . import store
from .audience import Audience, Member
from .protocol import ClientError
from .shared_live import SharedLive

HISTORY = 100
log = logging.getLogger("zal.realtime")


class ChatService:
    def __init__(self, engine: AsyncEngine, shared: SharedLive | None = None):
        self.engine = engine
        # several processes: the member's limits live in Redis (one member may send
        # through two processes in turn, after a resume)
        self.shared = shared

    async def send(
        self,
        member: Member,
        text: str,
        now: float,
        moment: tuple[str, float] | None = None,
        key: str | None = None,
    ) -> dict:
        """Store one message; returns the ``ChatMessage`` to broadcast.

        ``moment``: the recording on the stage and its position (timeline.py).
        ``key``: stored under it instead of the audience's (a tour group's chat,
        group_events.py), with the same checks.

        Only returns once the row is committed (the ack promises durability).
        Hosts are exempt from closed chat and slow mode, not from the rate limit.
        """
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event or venue first")
        host = member.is_host
        if audience.closed and not host:
            raise ClientError("chat_closed", "the host closed the chat")
        if member.id in audience.muted:
            raise ClientError("muted", "the host muted you")
        slow = 0 if host else audience.slow_mode
        refusal = await self._shared_limits(member, slow)
        if refusal is False:
            refusal = self._own_limits(member, slow, now)
        if refusal is not None:
            code, wait = refusal
            if code == "slow_mode":
                raise ClientError(code, f"slow mode: one message per {slow} s", wait)
            raise ClientError(code, "too many chat messages", wait)
        return await store.add_message(
            self.engine, key or audience.key, member.id, member.name, text, moment
        )

    @staticmethod
    def _own_limits(member: Member, slow: int, now: float) -> tuple[str, float] | None:
        """This process's slow mode and bucket; None: go."""
        if slow:
            wait = member.last_chat + slow - now
            if wait > 0:
                return "slow_mode", wait
        bucket = member.limits.chat
        if not bucket.take(now):
            return "rate_limited", bucket.retry_after(now)
        member.last_chat = now
        return None

    async def _shared_limits(
        self, member: Member, slow: int
    ) -> tuple[str, float] | None | Literal[False]:
        """The shared limits' verdict (None: go); False to use this process's own
        (one process, or Redis away: the chat goes on, each process limiting alone)."""
        if self.shared is None:
            return False
        bucket = member.limits.chat
        try:
            return await self.shared.take_chat(member, bucket.rate, bucket.burst, slow)
        except (RedisError, OSError):
            log.warning("chat limits: Redis unavailable, this process's own apply")
            return False

    async def history(self, audience: Audience, key: str | None = None) -> list[dict]:
        return await store.history(self.engine, key or audience.key, HISTORY)
