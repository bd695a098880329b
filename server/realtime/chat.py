"""Chat: checks (closed, muted, slow mode, rate) then a committed row, then the message."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from . import store
from .audience import Audience, Member
from .protocol import ClientError

HISTORY = 100


class ChatService:
    def __init__(self, engine: AsyncEngine):
        self.engine = engine

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
        if audience.slow_mode and not host:
            wait = member.last_chat + audience.slow_mode - now
            if wait > 0:
                raise ClientError(
                    "slow_mode", f"slow mode: one message per {audience.slow_mode} s", wait
                )
        bucket = member.limits.chat
        if not bucket.take(now):
            raise ClientError("rate_limited", "too many chat messages", bucket.retry_after(now))
        member.last_chat = now
        return await store.add_message(
            self.engine, key or audience.key, member.id, member.name, text, moment
        )

    async def history(self, audience: Audience, key: str | None = None) -> list[dict]:
        return await store.history(self.engine, key or audience.key, HISTORY)
