"""Host actions. Every call checks the role again and records what it did."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from . import store
from .audience import Audience, Departure, LiveState, Member
from .protocol import ClientError
from .shared_live import SharedLive


class Moderation:
    def __init__(self, state: LiveState, engine: AsyncEngine, shared: SharedLive | None = None):
        self.state = state
        self.engine = engine
        self.shared = shared  # several processes: the state every one of them applies

    @staticmethod
    def require_host(member: Member) -> Audience:
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event first")
        if not member.is_host:
            raise ClientError("forbidden", "only a host of this event may do that")
        return audience

    def _target(self, host: Member, audience: Audience, member_id: str) -> Member:
        if member_id == host.id:
            raise ClientError("invalid_payload", "a host cannot do that to themself")
        target = self.state.member_by_id(audience, member_id)
        if target is None:
            raise ClientError("not_found", "no such member in this audience")
        return target

    async def record(
        self, host: Member, audience: Audience, action: str, target: str | None, detail=None
    ) -> None:
        await store.record_action(
            self.engine, audience.key, host.id, host.name, action, target, detail
        )

    async def delete_message(self, host: Member, message_id: int) -> Audience:
        audience = self.require_host(host)
        if not await store.delete_message(self.engine, audience.key, message_id):
            raise ClientError("not_found", "no such message")
        await self.record(host, audience, "delete_message", str(message_id))
        return audience

    async def mute(self, host: Member, member_id: str, muted: bool) -> Member:
        audience = self.require_host(host)
        target = self._target(host, audience, member_id)
        if muted:
            audience.muted.add(target.id)
        else:
            audience.muted.discard(target.id)
        if self.shared is not None:
            await self.shared.set_muted(audience, target.id, muted)
        await self.record(host, audience, "mute" if muted else "unmute", target.id)
        return target

    async def remove(self, host: Member, member_id: str) -> tuple[Member, str | None, Departure]:
        """Ban from the audience and drop; returns (target, its sid, departure)."""
        audience = self.require_host(host)
        target = self._target(host, audience, member_id)
        sid = target.sid
        audience.banned.add(target.id)
        if self.shared is not None:
            await self.shared.ban(audience, target.id)
        departure = self.state.drop(target)
        assert departure is not None  # the target was in this audience
        await self.record(host, audience, "remove", target.id, target.name)
        return target, sid, departure

    async def slow_mode(self, host: Member, seconds: int) -> Audience:
        audience = self.require_host(host)
        audience.slow_mode = seconds
        if self.shared is not None:
            await self.shared.set_chat(audience)
        await self.record(host, audience, "slow_mode", None, str(seconds))
        return audience

    async def set_closed(self, host: Member, closed: bool) -> Audience:
        audience = self.require_host(host)
        audience.closed = closed
        if self.shared is not None:
            await self.shared.set_chat(audience)
        await self.record(host, audience, "close_chat" if closed else "open_chat", None)
        return audience
