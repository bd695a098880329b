"""Host actions of the ``/live`` namespace (a mixin of :class:`.namespace.LiveNamespace`).

Each handler checks the role first (a non-host learns nothing else, not even
whether its payload was valid), then the payload, then calls
:class:`.moderation.Moderation`, which checks the role again and records the
action, and finally tells the audience.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import protocol as p
from .audience import Audience, Departure, Member
from .moderation import Moderation
from .protocol import ok, parse

if TYPE_CHECKING:
    from .namespace import Services


class HostEvents:
    s: Services

    if TYPE_CHECKING:  # provided by socketio.AsyncNamespace and LiveNamespace

        async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None: ...
        async def disconnect(self, sid: str, **kwargs: Any) -> None: ...
        async def _announce_left(self, departure: Departure) -> None: ...
        async def _send_off(self, sid: str, reason: str, message: str, wait: bool) -> None: ...
        async def qa_member_removed(self, audience: Audience, member_id: str) -> None: ...
        async def remote_mute(self, host: Member, member_id: str, muted: bool) -> dict | None: ...
        async def remote_remove(self, host: Member, member_id: str) -> dict | None: ...

    async def _delete_message(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        Moderation.require_host(member)  # role first: a non-host learns nothing else
        req = parse(p.MessageTarget, payload)
        audience = await self.s.moderation.delete_message(member, req.message_id)
        await self.emit(p.CHAT_DELETED, {"id": req.message_id}, room=audience.room)
        return ok()

    async def _mute(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        return await self._set_muted(member, payload, True)

    async def _unmute(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        return await self._set_muted(member, payload, False)

    async def _set_muted(self, member: Member, payload: Any, muted: bool) -> dict:
        Moderation.require_host(member)
        req = parse(p.MemberTarget, payload)
        remote = await self.remote_mute(member, req.member_id, muted)
        if remote is not None:  # connected to another process, which tells it
            return remote
        target = await self.s.moderation.mute(member, req.member_id, muted)
        if target.sid is not None:
            await self.emit(p.MODERATED, {"action": "muted" if muted else "unmuted"}, to=target.sid)
        return ok()

    async def _remove(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        Moderation.require_host(member)
        req = parse(p.MemberTarget, payload)
        remote = await self.remote_remove(member, req.member_id)
        if remote is not None:  # connected to another process, which sends it off
            return remote
        target, target_sid, departure = await self.s.moderation.remove(member, req.member_id)
        if member.audience is not None:  # a removed member's votes on questions go
            await self.qa_member_removed(member.audience, req.member_id)
        if target_sid is not None:
            await self.emit(p.MODERATED, {"action": "removed"}, to=target_sid)
        await self._announce_left(departure)
        if target_sid is not None:
            message = "a host removed you from this audience"
            await self._send_off(target_sid, p.REMOVED_BY_HOST, message, wait=False)
        return ok()

    async def _slow_mode(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        Moderation.require_host(member)
        req = parse(p.SlowModePayload, payload)
        audience = await self.s.moderation.slow_mode(member, req.seconds)
        await self.emit(p.CHAT_STATE, audience.chat_state(), room=audience.room)
        return ok()

    async def _close_chat(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        return await self._set_closed(member, payload, True)

    async def _open_chat(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        return await self._set_closed(member, payload, False)

    async def _set_closed(self, member: Member, payload: Any, closed: bool) -> dict:
        Moderation.require_host(member)
        parse(p.Empty, payload)
        audience = await self.s.moderation.set_closed(member, closed)
        await self.emit(p.CHAT_STATE, audience.chat_state(), room=audience.room)
        return ok()
