"""Voice as the rest of Zal sees it: one object on the app (``keys.VOICE``).

The live protocol opens an event's room and hands out passes
(:class:`~.gateway.VoiceGateway`); the HTTP route forwards the browsers'
signalling through the gateway; leaving, removal and "stop speaking" revoke.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from .gateway import Role, VoiceGateway
from .janus_client import JanusClient, JanusError, JanusUnavailable
from .rooms import VoiceRooms
from .turn import ice_servers


@dataclass(frozen=True)
class VoiceLimits:
    max_speakers: int = 3  # at once in one event (the host counts)
    max_listeners: int = 1000  # passes in one event
    turn_urls: tuple[str, ...] = ()  # STUN/TURN for the browsers (turn.py)
    turn_secret: str | None = None


class VoiceFull(Exception):
    """The event's room has as many listeners or speakers as it may."""


class Voice:
    def __init__(self, janus: JanusClient, admin_key: str, limits: VoiceLimits) -> None:
        self.janus = janus
        self.rooms = VoiceRooms(janus, admin_key)
        self.gateway = VoiceGateway()
        self.limits = limits

    async def admit(self, member_id: str, event_id: str, role: Role = "listener") -> str:
        """A pass for the member in the event's room (opened on first use); the
        member's pass for this event if it has one."""
        held = self.gateway.of_member(member_id)
        if held is not None and held.event_id == event_id:
            return held.secret
        await self.revoke(member_id)
        if len(self.gateway.passes_of_event(event_id)) >= self.limits.max_listeners:
            raise VoiceFull("listeners")
        room = await self.rooms.open(event_id, self.limits.max_speakers)
        secret = self.gateway.issue(member_id, event_id, room.room_id, role)
        if role == "speaker":
            await self.promote(member_id)
        return secret

    def ice_servers(self, member_id: str, now: float) -> list[dict[str, object]]:
        """The browser's STUN/TURN servers, with its own TURN credentials."""
        return ice_servers(list(self.limits.turn_urls), self.limits.turn_secret, member_id, now)

    async def promote(self, member_id: str) -> None:
        """Let a member with a pass publish (the host's call-up, a guide, the host)."""
        voice = self.gateway.of_member(member_id)
        if voice is None:
            raise KeyError(member_id)
        speakers = [v for v in self.gateway.passes_of_event(voice.event_id) if v.room_token]
        if voice.room_token is None and len(speakers) >= self.limits.max_speakers:
            raise VoiceFull("speakers")
        voice.role = "speaker"
        if voice.room_token is None:
            voice.room_token = await self.rooms.admit(voice.event_id)

    async def demote(self, member_id: str) -> None:
        """Back to listening: the room token goes and its publisher is kicked."""
        voice = self.gateway.of_member(member_id)
        if voice is None or voice.room_token is None:
            return
        token, voice.room_token, voice.role = voice.room_token, None, "listener"
        publishers = [p["id"] for p in await self._participants(voice.event_id)
                      if p.get("display") == member_id]  # fmt: skip
        await self.rooms.revoke(voice.event_id, token, tuple(publishers))

    async def revoke(self, member_id: str) -> None:
        """The member is out: no pass, no room token, its Janus sessions destroyed."""
        await self.demote(member_id)
        voice = self.gateway.revoke(member_id)
        if voice is None:
            return
        for session_id in voice.sessions:
            with contextlib.suppress(JanusError, JanusUnavailable):
                await self.janus.post(f"/{session_id}", {"janus": "destroy"})

    async def close_event(self, event_id: str) -> None:
        for voice in self.gateway.passes_of_event(event_id):
            await self.revoke(voice.member_id)
        await self.rooms.close(event_id)

    async def _participants(self, event_id: str) -> list[dict]:
        if self.rooms.room(event_id) is None:
            return []
        return await self.rooms.participants(event_id)
