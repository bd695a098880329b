"""One Janus VideoRoom per event, and who may join it.

Zal creates the room (with the plugin's admin key) when voice is first needed
in an event and destroys it when the event's voice ends. A member gets in only
with a *room token*, a random string Zal adds to the room's ``allowed`` list
when it admits the member and takes out (and kicks the member's participant)
when the member leaves or is removed; Janus checks it on every ``join``. The
room's ``secret`` (needed to change the list, kick or destroy) never leaves Zal.
Room ids are random too, and the rooms are private (absent from ``list``).

Janus 1.1's VideoRoom checks the ``allowed`` list when a participant joins, but
not when a subscription is opened on its own (seen against Debian's Janus 1.1.2:
a subscriber join with no token is answered "no such feed", not "unauthorized").
Listeners subscribe without joining as participants, so what keeps a subscription
to the event's own room is Zal's gateway (:mod:`.gateway`): only a live pass
reaches Janus, and only for its event's room.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from .janus_client import JanusClient, JanusError, JanusHandle

JANUS_NO_SUCH_ROOM = 426


@dataclass
class VoiceRoom:
    room_id: str
    secret: str
    max_speakers: int
    tokens: set[str] = field(default_factory=set)


class VoiceRooms:
    """The rooms of this Zal process on one Janus, by event id."""

    def __init__(self, janus: JanusClient, admin_key: str) -> None:
        self._janus = janus
        self._admin_key = admin_key
        self._rooms: dict[str, VoiceRoom] = {}

    def room(self, event_id: str) -> VoiceRoom | None:
        return self._rooms.get(event_id)

    async def open(self, event_id: str, max_speakers: int) -> VoiceRoom:
        """The event's room, created on Janus the first time."""
        room = self._rooms.get(event_id)
        if room is not None:
            return room
        room = VoiceRoom(
            room_id=f"zal-{secrets.token_urlsafe(12)}",
            secret=secrets.token_urlsafe(24),
            max_speakers=max_speakers,
        )
        async with self._janus.videoroom() as handle:
            await handle.request(
                {
                    "request": "create",
                    "admin_key": self._admin_key,
                    "room": room.room_id,
                    "description": f"zal event {event_id}",
                    "secret": room.secret,
                    "is_private": True,
                    "publishers": max_speakers,
                    "audiocodec": "opus",
                    "allowed": [],
                    "notify_joining": False,
                }
            )
        self._rooms[event_id] = room
        return room

    async def admit(self, event_id: str) -> str:
        """A new room token for a member of an open room."""
        room = self._require(event_id)
        token = secrets.token_urlsafe(24)
        await self._allowed(room, "add", [token])
        room.tokens.add(token)
        return token

    async def revoke(
        self, event_id: str, token: str, participant_ids: tuple[str, ...] = ()
    ) -> None:
        """Take a member's token out of the list and kick its participants."""
        room = self._rooms.get(event_id)
        if room is None or token not in room.tokens:
            return
        room.tokens.discard(token)
        async with self._janus.videoroom() as handle:  # one Janus session for both steps
            await self._allowed(room, "remove", [token], handle)
            for participant in participant_ids:
                try:
                    await handle.request(
                        {"request": "kick", "room": room.room_id, "secret": room.secret,
                         "id": participant}
                    )  # fmt: skip
                except JanusError:
                    pass  # already gone

    async def participants(self, event_id: str) -> list[dict[str, Any]]:
        room = self._require(event_id)
        async with self._janus.videoroom() as handle:
            data = await handle.request({"request": "listparticipants", "room": room.room_id})
        return list(data.get("participants", []))

    async def close(self, event_id: str) -> None:
        """Destroy the event's room: everyone in it is dropped by Janus."""
        room = self._rooms.pop(event_id, None)
        if room is None:
            return
        async with self._janus.videoroom() as handle:
            try:
                await handle.request(
                    {"request": "destroy", "room": room.room_id, "secret": room.secret}
                )
            except JanusError as exc:
                if exc.code != JANUS_NO_SUCH_ROOM:
                    raise

    async def close_all(self) -> None:
        for event_id in list(self._rooms):
            await self.close(event_id)

    def _require(self, event_id: str) -> VoiceRoom:
        room = self._rooms.get(event_id)
        if room is None:
            raise KeyError(f"no voice room for event {event_id}")
        return room

    async def _allowed(
        self, room: VoiceRoom, action: str, tokens: list[str], handle: JanusHandle | None = None
    ) -> None:
        if handle is None:
            async with self._janus.videoroom() as own:
                await self._allowed(room, action, tokens, own)
            return
        await handle.request(
            {"request": "allowed", "room": room.room_id, "secret": room.secret,
             "action": action, "allowed": tokens}
        )  # fmt: skip
