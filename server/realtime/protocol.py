"""Wire contract of the ``/live`` namespace (docs/PROTOCOL.md): names, payloads, errors.

Every payload model forbids extra fields and is strict (no "1" -> 1 coercion),
so a field claiming an identity (``member_id`` in a chat, ``host: true``) is an
``invalid_payload``, never trusted. ``pose`` is the hot path (thousands a
second), so it is checked by :func:`parse_pose` by hand instead of a model.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .text_safety import safe_chat, safe_name

NAMESPACE = "/live"

# client -> server
JOIN = "join"
LEAVE = "leave"
POSE = "pose"
SIT = "sit"
STAND = "stand"
CHAT = "chat"
REACT = "react"
DELETE_MESSAGE = "delete_message"
MUTE = "mute"
UNMUTE = "unmute"
REMOVE = "remove"
SLOW_MODE = "slow_mode"
CLOSE_CHAT = "close_chat"
OPEN_CHAT = "open_chat"
# the show on the stage (server/realtime/stage_events.py)
TIME = "time"
STAGE_MEDIA = "stage_media"
STAGE_PLAY = "stage_play"
STAGE_PAUSE = "stage_pause"
STAGE_SEEK = "stage_seek"
STAGE_SLIDE = "stage_slide"
STAGE_PIN = "stage_pin"
STAGE_END = "stage_end"
# the host console (server/realtime/overview.py)
AUDIENCE_OVERVIEW = "audience_overview"
STAGE_EVENTS = frozenset(
    {TIME, STAGE_MEDIA, STAGE_PLAY, STAGE_PAUSE, STAGE_SEEK, STAGE_SLIDE, STAGE_PIN, STAGE_END}
)

# questions for the stage (server/realtime/qa_events.py)
QA_ASK = "qa_ask"
QA_VOTE = "qa_vote"
QA_SETTINGS = "qa_settings"
QA_APPROVE = "qa_approve"
QA_REJECT = "qa_reject"
QA_MERGE = "qa_merge"
QA_STAGE = "qa_stage"
QA_ANSWER = "qa_answer"
QA_EVENTS = frozenset(
    {QA_ASK, QA_VOTE, QA_SETTINGS, QA_APPROVE, QA_REJECT, QA_MERGE, QA_STAGE, QA_ANSWER}
)

# hand raising (server/realtime/hand_events.py)
RAISE_HAND = "raise_hand"
LOWER_HAND = "lower_hand"
HAND_NEXT = "hand_next"
HAND_EVENTS = frozenset({RAISE_HAND, LOWER_HAND, HAND_NEXT})

# live-guided tour groups (server/realtime/group_events.py)
GROUP_CREATE = "group_create"
GROUP_LIST = "group_list"
GROUP_JOIN = "group_join"
GROUP_LEAVE = "group_leave"
GROUP_GATHER = "group_gather"
GROUP_FOLLOW = "group_follow"  # also server -> client (the same name, relayed)
GROUP_POINTER = "group_pointer"  # also server -> client
GROUP_STOP = "group_stop"  # also server -> client
GROUP_END = "group_end"
GROUP_ROSTER = "group_roster"  # also server -> client (to the guide)
GROUP_EVENTS = frozenset(
    {GROUP_CREATE, GROUP_LIST, GROUP_JOIN, GROUP_LEAVE, GROUP_GATHER, GROUP_FOLLOW,
     GROUP_POINTER, GROUP_STOP, GROUP_END, GROUP_ROSTER}
)  # fmt: skip

# voice (server/realtime/voice_events.py, server/voice)
VOICE_JOIN = "voice_join"
VOICE_SPEAK = "voice_speak"
VOICE_LEAVE = "voice_leave"
VOICE_INVITE = "voice_invite"
VOICE_ACCEPT = "voice_accept"
VOICE_DECLINE = "voice_decline"
VOICE_END = "voice_end"
VOICE_EVENTS = frozenset(
    {VOICE_JOIN, VOICE_SPEAK, VOICE_LEAVE, VOICE_INVITE, VOICE_ACCEPT, VOICE_DECLINE, VOICE_END}
)
VOICE_SPEAKERS = "voice_speakers"  # server -> client: who speaks, from where
VOICE_INVITED = "voice_invited"  # server -> client: a host calls you up
VOICE_ENDED = "voice_ended"  # server -> client: a host ended your turn

# the only event names a client's EVENT packet may carry (the dispatch allow-list,
# server/realtime/packet_limits.py); "connect", "disconnect" and the like are the
# library's own and never come from a client
CLIENT_EVENTS = frozenset(
    {JOIN, LEAVE, POSE, SIT, STAND, CHAT, REACT, DELETE_MESSAGE, MUTE, UNMUTE, REMOVE,
     SLOW_MODE, CLOSE_CHAT, OPEN_CHAT, AUDIENCE_OVERVIEW}
) | STAGE_EVENTS | QA_EVENTS | HAND_EVENTS | GROUP_EVENTS | VOICE_EVENTS  # fmt: skip

# server -> client
SNAP = "snap"
JOINED = "joined"
MEMBER_JOINED = "member_joined"
MEMBER_UPDATED = "member_updated"
MEMBER_LEFT = "member_left"
CHAT_MESSAGE = "chat_message"
CHAT_DELETED = "chat_deleted"
CHAT_STATE = "chat_state"
REJECTED = "rejected"
REACTIONS = "reactions"
MODERATED = "moderated"
STAGE = "stage"  # the stage state, to the audience room
QUESTION = "question"  # a question, new or changed (qa_events.py says who gets it)
QA_STATE = "qa_state"  # Q&A on or off, approval, the question on the board
HAND_QUEUE = "hand_queue"  # the raised hands in order, to the hosts' room
HAND_CALLED = "hand_called"  # who may speak now (or null), to the audience room
HAND_LOWERED = "hand_lowered"  # to a member whose hand a host lowered
HAND_POSITION = "hand_position"  # a raised hand's new place in line, to that member
GROUP_UPDATE = "group_update"  # the open groups of an event, to the audience room
GROUP_GATHERED = "group_gathered"  # come to the guide: to each member, its own spot
GROUP_ENDED = "group_ended"  # to the group's members (the guide ended it or left)
INSTANCE_CHANGED = "instance_changed"  # to one member moved into another instance
REMOVED = "removed"  # the last event before the server closes a connection on purpose

# reasons in a ``removed`` notice
REMOVED_BY_HOST = "removed_by_host"
TOO_MANY_ERRORS = "too_many_errors"

REACTION_KINDS = ("applause", "bravo", "heart", "laugh", "flowers")
ReactionKind = Literal["applause", "bravo", "heart", "laugh", "flowers"]

NAME_MAX = 32
CHAT_MAX = 500
POSITION_LIMIT = 1000.0  # metres; keeps millimetres inside i32 with room to spare
QUAT_COMPONENT_LIMIT = 1.5
SEQ_MAX = 0xFFFF


class ClientError(Exception):
    """A client's mistake or a refusal: becomes ``{"ok": false, "error": ...}``."""

    def __init__(self, code: str, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.retry_after is not None:
            error["retry_after"] = round(self.retry_after, 3)
        return {"ok": False, "error": error}


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"  # event/venue/member ids: no slashes, no spaces
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=ID_PATTERN)]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class ConnectAuth(_Payload):
    name: Annotated[str, StringConstraints(max_length=4 * NAME_MAX)]
    token: Secret | None = None
    resume: Secret | None = None

    @model_validator(mode="after")
    def _name(self) -> ConnectAuth:
        # refused: bidi controls, invisible-only, other controls (text_safety)
        object.__setattr__(self, "name", safe_name(self.name, NAME_MAX))
        return self


class JoinPayload(_Payload):
    event_id: Id | None = None
    venue_id: Id | None = None
    token: Secret | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> JoinPayload:
        if (self.event_id is None) == (self.venue_id is None):
            raise ValueError("give exactly one of event_id and venue_id")
        return self


class Empty(_Payload):
    pass


class SitPayload(_Payload):
    seat_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class ChatPayload(_Payload):
    # the raw bound is generous (trimmed later); the frame cap bounds it anyway
    text: Annotated[str, StringConstraints(max_length=4 * CHAT_MAX)]
    # "group": only to the sender's tour group (group_events.py)
    scope: Literal["audience", "group"] = "audience"

    @model_validator(mode="after")
    def _text(self) -> ChatPayload:
        # bidi controls stripped, other controls refused (text_safety)
        object.__setattr__(self, "text", safe_chat(self.text, CHAT_MAX))
        return self


class ReactPayload(_Payload):
    kind: ReactionKind


class MessageTarget(_Payload):
    message_id: Annotated[int, Field(ge=1, le=2**62)]


class MemberTarget(_Payload):
    member_id: Id


class SlowModePayload(_Payload):
    seconds: Annotated[int, Field(ge=0, le=600)]


GROUP_NAME_MAX = 48
GROUP_CAP_MAX = 999  # bounded again by the instance capacity (group_events.py)
Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-POSITION_LIMIT, le=POSITION_LIMIT)]


class GroupCreatePayload(_Payload):
    name: Annotated[str, StringConstraints(max_length=4 * GROUP_NAME_MAX)]
    cap: Annotated[int, Field(ge=1, le=GROUP_CAP_MAX)] | None = None
    tour_id: Id | None = None

    @model_validator(mode="after")
    def _name(self) -> GroupCreatePayload:
        object.__setattr__(self, "name", safe_name(self.name, GROUP_NAME_MAX))
        return self


class GroupJoinPayload(_Payload):
    group_id: Id


class GroupFollowPayload(_Payload):
    on: bool


class GroupPointerPayload(_Payload):
    # metres, venue coordinates; null hides the pointer
    point: Annotated[list[Coordinate], Field(min_length=3, max_length=3)] | None


class GroupStopPayload(_Payload):
    index: Annotated[int, Field(ge=0, le=999)]  # 0-based, as the tour's stops


def validation_message(exc: Exception) -> str:
    """A short, safe summary of a pydantic error (no input echoed back)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for err in errors(include_input=False, include_url=False)[:3]:
            where = ".".join(str(p) for p in err.get("loc", ())) or "payload"
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return "; ".join(parts)[:300]
    return str(exc)[:300]


def parse(model: type[_Payload], data: Any) -> Any:
    """Validate one payload; ``invalid_payload`` on anything else."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ClientError("invalid_payload", "payload must be a JSON object")
    try:
        return model.model_validate(data)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        raise ClientError("invalid_payload", validation_message(exc)) from None


_isfinite = math.isfinite


def parse_pose(data: Any) -> tuple[int, list[float]]:
    """Check a ``pose`` array cheaply; returns ``(seq, values)``.

    ``values`` : (7,) or (21,) floats (position, quaternion[, left, right hand]).
    Raises :class:`ClientError` (``invalid_payload``).
    """
    if type(data) is not list or len(data) not in (8, 22):
        raise ClientError("invalid_payload", "pose must be an array of 8 or 22 numbers")
    seq = data[0]
    if type(seq) is not int or not 0 <= seq <= SEQ_MAX:
        raise ClientError("invalid_payload", "pose seq must be an integer 0..65535")
    values = data[1:]
    for v in values:
        # bool is a subclass of int: refused by the exact type check
        if (type(v) is not float and type(v) is not int) or not _isfinite(v):
            raise ClientError("invalid_payload", "pose values must be finite numbers")
    for base in range(0, len(values), 7):
        x, y, z, qx, qy, qz, qw = values[base : base + 7]
        if abs(x) > POSITION_LIMIT or abs(y) > POSITION_LIMIT or abs(z) > POSITION_LIMIT:
            raise ClientError("invalid_payload", "pose position out of range")
        lim = QUAT_COMPONENT_LIMIT
        if abs(qx) > lim or abs(qy) > lim or abs(qz) > lim or abs(qw) > lim:
            raise ClientError("invalid_payload", "pose quaternion out of range")
        if qx * qx + qy * qy + qz * qz + qw * qw < 0.25:
            raise ClientError("invalid_payload", "pose quaternion norm too small")
    return seq, values


def ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}
