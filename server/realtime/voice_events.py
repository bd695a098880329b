"""Voice of the ``/live`` namespace (a mixin of :class:`.namespace.LiveNamespace`).

A member of an event asks for voice (``voice_join``) and gets a pass: the path
under which its browser's janus.js reaches Janus through Zal, and its role. The
event's hosts and the guides of its tour groups speak; everyone else listens
until a host calls them up (``voice_invite``, from the Q&A or the hand queue).
The member accepts (``voice_accept``; only then does its page ask for the
microphone) or declines; a host ends anyone's turn, a member its own
(``voice_end``). Who speaks, and from where, goes to the whole event
(``voice_speakers``: a host or a guide from its ``voice_speak``, a member called
up from its acceptance) so that each page places the voice at the stage, a guide's
avatar or a seat. Leaving, being removed or going away revokes the pass and
destroys the member's Janus sessions at once (server/voice/service.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..voice.janus_client import JanusError, JanusUnavailable
from ..voice.service import VoiceFull
from . import protocol as p
from .audience import Audience, Member
from .protocol import ClientError, Id, _Payload, ok, parse

if TYPE_CHECKING:
    from .namespace import Services

VOICE_PATH = "/voice/janus/"


class InvitePayload(_Payload):
    member_id: Id


class EndPayload(_Payload):
    member_id: Id | None = None  # a host ends someone else's turn


class VoiceEvents:
    s: Services

    if TYPE_CHECKING:  # provided by socketio.AsyncNamespace

        async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None: ...

    def voice_handlers(self) -> dict[str, Callable]:
        return {
            p.VOICE_JOIN: self._voice_join,
            p.VOICE_SPEAK: self._voice_speak,
            p.VOICE_LEAVE: self._voice_leave,
            p.VOICE_INVITE: self._voice_invite,
            p.VOICE_ACCEPT: self._voice_accept,
            p.VOICE_DECLINE: self._voice_decline,
            p.VOICE_END: self._voice_end,
        }

    # -- lookups ----------------------------------------------------------------
    def _voice_event(self, member: Member) -> Audience:
        if self.s.voice is None:
            raise ClientError("voice_off", "voice is not on at this server")
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event first")
        if audience.event_id is None:
            raise ClientError("not_found", "voice is at an event, not in a venue")
        return audience

    def _speaks_by_right(self, member: Member) -> str | None:
        """Where a member speaks from without an invitation: ``stage`` (a host) or
        ``guide`` (the guide of a tour group), else None."""
        if member.is_host:
            return "stage"
        group = self.s.groups.of(member.id)
        return "guide" if group is not None and group.guide_id == member.id else None

    def _speakers(self, audience: Audience) -> list[dict[str, Any]]:
        out = []
        for member_id, where in self.s.voice_speakers.get(audience.key, {}).items():
            member = self.s.state.member_by_id(audience, member_id)
            if member is not None:
                out.append({"member_id": member_id, "name": member.name, "where": where,
                            "seat": member.seat})  # fmt: skip
        return out

    async def _announce_speakers(self, audience: Audience) -> None:
        await self.emit(p.VOICE_SPEAKERS, {"speakers": self._speakers(audience)},
                        room=audience.room)  # fmt: skip

    async def _promote(self, member: Member, audience: Audience, where: str) -> None:
        assert self.s.voice is not None
        try:
            await self.s.voice.promote(member.id)
        except VoiceFull as exc:
            raise ClientError("voice_full", "as many people speak as may at once") from exc
        self.s.voice_speakers.setdefault(audience.key, {})[member.id] = where
        await self._announce_speakers(audience)

    async def _stop_speaking(self, member_id: str, audience: Audience) -> bool:
        speakers = self.s.voice_speakers.get(audience.key, {})
        if speakers.pop(member_id, None) is None:
            return False
        if self.s.voice is not None:
            await self.s.voice.demote(member_id)
        await self._announce_speakers(audience)
        return True

    # -- handlers ---------------------------------------------------------------
    async def _voice_join(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._voice_event(member)
        parse(p.Empty, payload)
        assert self.s.voice is not None and audience.event_id is not None
        try:
            secret = await self.s.voice.admit(member.id, audience.event_id)
        except VoiceFull as exc:
            raise ClientError("voice_full", "the voice room is full") from exc
        except (JanusError, JanusUnavailable) as exc:
            raise ClientError("voice_unavailable", "the voice server does not answer") from exc
        where = self._speaks_by_right(member)
        room = self.s.voice.rooms.room(audience.event_id)
        return ok(
            voice={
                "url": VOICE_PATH + secret,
                "room": room.room_id if room else None,
                "role": "speaker" if where else "listener",
                "speakers": self._speakers(audience),
                "ice_servers": self.s.voice.ice_servers(member.id, self.s.wall()),
            }
        )

    async def _voice_speak(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        """A host or a guide opens its microphone: from now on it is heard."""
        audience = self._voice_event(member)
        parse(p.Empty, payload)
        where = self._speaks_by_right(member)
        if where is None:
            raise ClientError("not_invited", "a host has not called you up")
        assert self.s.voice is not None
        if self.s.voice.gateway.of_member(member.id) is None:
            raise ClientError("voice_not_joined", "join the voice first (voice_join)")
        await self._promote(member, audience, where)
        return ok(role="speaker")

    async def _voice_leave(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._voice_event(member)
        parse(p.Empty, payload)
        await self.voice_departed(member, audience)
        return ok()

    async def _voice_invite(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._voice_event(member)
        if not member.is_host:
            raise ClientError("forbidden", "only a host of this event may do that")
        req = parse(InvitePayload, payload)
        invited = self.s.state.member_by_id(audience, req.member_id)
        if invited is None or invited.sid is None:
            raise ClientError("not_found", "no such member here")
        if invited.id in audience.muted:
            raise ClientError("muted", "that member is muted")
        self.s.voice_invites.setdefault(audience.key, set()).add(invited.id)
        await self.emit(p.VOICE_INVITED, {"by": member.name}, to=invited.sid)
        return ok()

    async def _voice_accept(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._voice_event(member)
        parse(p.Empty, payload)
        invites = self.s.voice_invites.get(audience.key, set())
        if member.id not in invites:
            raise ClientError("not_invited", "a host has not called you up")
        assert self.s.voice is not None
        if self.s.voice.gateway.of_member(member.id) is None:
            raise ClientError("voice_not_joined", "join the voice first (voice_join)")
        invites.discard(member.id)
        await self._promote(member, audience, "seat")
        return ok(role="speaker")

    async def _voice_decline(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._voice_event(member)
        parse(p.Empty, payload)
        self.s.voice_invites.get(audience.key, set()).discard(member.id)
        return ok()

    async def _voice_end(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._voice_event(member)
        req = parse(EndPayload, payload)
        target = req.member_id or member.id
        if target != member.id and not member.is_host:
            raise ClientError("forbidden", "only a host ends someone else's turn")
        self.s.voice_invites.get(audience.key, set()).discard(target)
        if not await self._stop_speaking(target, audience):
            raise ClientError("not_speaking", "that member is not speaking")
        ended = self.s.state.member_by_id(audience, target)
        if target != member.id and ended is not None and ended.sid is not None:
            await self.emit(p.VOICE_ENDED, {}, to=ended.sid)
        return ok()

    async def voice_departed(self, member: Member, audience: Audience | None) -> None:
        """A member that leaves the event (or is removed) loses voice at once."""
        if self.s.voice is None or audience is None:
            return
        self.s.voice_invites.get(audience.key, set()).discard(member.id)
        spoke = self.s.voice_speakers.get(audience.key, {}).pop(member.id, None)
        try:
            await self.s.voice.revoke(member.id)
        except (JanusError, JanusUnavailable):
            pass  # its pass is gone; Janus drops the sessions when it times them out
        if spoke is not None:
            await self._announce_speakers(audience)
