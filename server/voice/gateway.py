"""What a member's browser may say to Janus, through Zal.

Janus listens on loopback only; browsers reach it through Zal at
``/voice/janus/<pass>`` (server/api/voice.py), where ``<pass>`` is a random
string the live protocol gave the member (``voice_join``). Zal forwards a
request only if it fits the member's role, and adds what the browser never
holds: the signed Janus token and, for a speaker's ``join``, the room token.

- a **listener** may subscribe to its event's room and nothing else: no
  ``join`` as a publisher, no ``publish``, no room administration;
- a **speaker** (the host, a guide, a member the host called up) may also join
  its room as a publisher and publish;
- nobody addresses a Janus session its pass did not create, or another room.

When the member leaves, is removed or stops speaking, Zal revokes the pass (or
the speaker's room token) and destroys the Janus sessions it made, so the
sound stops at once (:meth:`VoiceGateway.revoke`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["listener", "speaker"]
JANUS_VERBS = {"create", "attach", "keepalive", "destroy", "detach", "hangup", "message", "trickle"}
SUBSCRIBER_REQUESTS = {
    "join", "start", "pause", "configure", "switch", "update", "subscribe", "unsubscribe",
    "leave", "listparticipants",
}  # fmt: skip
PUBLISHER_REQUESTS = {"join", "publish", "configure", "unpublish", "leave", "listparticipants"}
VIDEOROOM = "janus.plugin.videoroom"


class GatewayRefusal(Exception):
    """Refused before Janus sees it; ``status`` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class VoicePass:
    member_id: str
    event_id: str
    room_id: str
    role: Role
    room_token: str | None = None  # a speaker's entry in the room's allowed list
    # the pass itself, in this process's memory only: a member that joins the event
    # again (a new name, a reconnect) gets the same pass and keeps its Janus session
    secret: str = ""
    sessions: set[int] = field(default_factory=set)
    handles: dict[int, int] = field(default_factory=dict)  # handle -> its session


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()  # passes are kept hashed


class VoiceGateway:
    """The passes of this process, and the check of each forwarded request."""

    def __init__(self) -> None:
        self._passes: dict[str, VoicePass] = {}
        self._by_member: dict[str, str] = {}

    def issue(self, member_id: str, event_id: str, room_id: str, role: Role = "listener") -> str:
        """A new pass for the member (the caller revokes an old one of another event)."""
        secret = secrets.token_urlsafe(32)
        key = _key(secret)
        self._passes[key] = VoicePass(member_id, event_id, room_id, role, secret=secret)
        self._by_member[member_id] = key
        return secret

    def of_member(self, member_id: str) -> VoicePass | None:
        key = self._by_member.get(member_id)
        return self._passes.get(key) if key else None

    def lookup(self, secret: str) -> VoicePass:
        found = self._passes.get(_key(secret))
        if found is None:
            raise GatewayRefusal(403, "no such voice pass (expired, revoked or never issued)")
        return found

    def revoke(self, member_id: str) -> VoicePass | None:
        """Forget the member's pass; the caller destroys its Janus sessions."""
        key = self._by_member.pop(member_id, None)
        return self._passes.pop(key, None) if key else None

    def passes_of_event(self, event_id: str) -> list[VoicePass]:
        return [v for v in self._passes.values() if v.event_id == event_id]

    # -- the check --------------------------------------------------------------
    def check(self, voice: VoicePass, path: list[int], body: Any) -> dict[str, Any]:
        """The body to forward to ``/janus/<path>``, or :class:`GatewayRefusal`."""
        if not isinstance(body, dict):
            raise GatewayRefusal(400, "a Janus request is a JSON object")
        verb = body.get("janus")
        if verb not in JANUS_VERBS:
            raise GatewayRefusal(403, f"not a request voice needs: {verb!r}")
        expected = {"create": 0, "attach": 1, "keepalive": 1, "destroy": 1}.get(str(verb), 2)
        if len(path) != expected:
            raise GatewayRefusal(
                400, f"{verb} is sent to a {'session' if expected == 1 else 'handle'}"
            )
        if path and path[0] not in voice.sessions:
            raise GatewayRefusal(403, "not a Janus session of this pass")
        if len(path) == 2 and voice.handles.get(path[1]) != path[0]:
            raise GatewayRefusal(403, "not a Janus handle of this pass")
        if verb == "attach" and body.get("plugin") != VIDEOROOM:
            raise GatewayRefusal(403, "voice uses the VideoRoom plugin only")
        if verb == "message":
            return {**body, "body": self._check_videoroom(voice, body.get("body"))}
        return dict(body)

    def _check_videoroom(self, voice: VoicePass, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict):
            raise GatewayRefusal(400, "a VideoRoom request is a JSON object")
        name = request.get("request")
        allowed = SUBSCRIBER_REQUESTS | (PUBLISHER_REQUESTS if voice.role == "speaker" else set())
        if name not in allowed:
            raise GatewayRefusal(403, f"{voice.role}s may not send {name!r}")
        if "room" in request and request["room"] != voice.room_id:
            raise GatewayRefusal(403, "not the room of your event")
        if name == "join":
            ptype = request.get("ptype")
            if ptype == "publisher":
                if voice.role != "speaker" or voice.room_token is None:
                    raise GatewayRefusal(403, "only a speaker joins as a publisher")
                # the display is how Zal finds (and kicks) the publisher of a member
                return {**request, "room": voice.room_id, "token": voice.room_token,
                        "display": voice.member_id}  # fmt: skip
            if ptype != "subscriber":
                raise GatewayRefusal(400, "ptype is publisher or subscriber")
        if name in ("join", "listparticipants"):
            return {**request, "room": voice.room_id}
        return dict(request)

    # -- what Janus answered ----------------------------------------------------
    def note(self, voice: VoicePass, path: list[int], body: dict, reply: Any) -> None:
        """Remember the sessions and handles this pass made."""
        if not isinstance(reply, dict) or reply.get("janus") != "success":
            return
        made = reply.get("data", {}).get("id") if isinstance(reply.get("data"), dict) else None
        if body.get("janus") == "create" and isinstance(made, int):
            voice.sessions.add(made)
        elif body.get("janus") == "attach" and isinstance(made, int) and path:
            voice.handles[made] = path[0]
        elif body.get("janus") == "destroy" and path:
            voice.sessions.discard(path[0])
            voice.handles = {h: s for h, s in voice.handles.items() if s != path[0]}
