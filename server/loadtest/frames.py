"""Engine.IO v4 / Socket.IO v5 framing over a websocket, just what a member needs.

Engine.IO packet types (first character of a text frame): ``0`` open, ``1`` close,
``2`` ping, ``3`` pong, ``4`` message. A Socket.IO packet rides inside a message:
``4`` + type (``0`` connect, ``1`` disconnect, ``2`` event, ``3`` ack, ``4`` connect
error, ``5`` binary event, ``6`` binary ack) + ``N-`` attachment count for binary
packets + ``/namespace,`` + optional ack id + JSON. On a websocket each binary
attachment follows as its own binary frame, in order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

EIO_OPEN = "0"
EIO_CLOSE = "1"
EIO_PING = "2"
EIO_PONG = "3"
EIO_MESSAGE = "4"

SIO_CONNECT = "0"
SIO_DISCONNECT = "1"
SIO_EVENT = "2"
SIO_ACK = "3"
SIO_CONNECT_ERROR = "4"
SIO_BINARY_EVENT = "5"
SIO_BINARY_ACK = "6"

_dumps = json.JSONEncoder(separators=(",", ":")).encode


def connect_frame(namespace: str, auth: dict[str, Any] | None) -> str:
    body = _dumps(auth) if auth is not None else ""
    return f"40{namespace},{body}"


def event_frame(namespace: str, event: str, *args: Any, ack_id: int | None = None) -> str:
    ack = "" if ack_id is None else str(ack_id)
    return f"42{namespace},{ack}{_dumps([event, *args])}"


def binary_event_frames(
    namespace: str, event: str, payload: bytes, *extra: Any, ack_id: int | None = None
) -> tuple[str, bytes]:
    """A one-attachment binary event: ``[event, <bytes>, *extra]`` as two frames."""
    ack = "" if ack_id is None else str(ack_id)
    head = _dumps([event, {"_placeholder": True, "num": 0}, *extra])
    return f"451-{namespace},{ack}{head}", payload


@dataclass(slots=True)
class SioPacket:
    """A decoded Socket.IO packet (only for frames an observer chooses to decode)."""

    kind: str  # one of the SIO_* constants
    namespace: str
    ack_id: int | None
    data: Any
    attachments: int


def parse_sio(frame: str) -> SioPacket:
    """Decode the Socket.IO packet in an Engine.IO message frame (``4...``)."""
    kind = frame[1:2]
    rest = frame[2:]
    attachments = 0
    if kind in (SIO_BINARY_EVENT, SIO_BINARY_ACK):
        dash = rest.index("-")
        attachments = int(rest[:dash])
        rest = rest[dash + 1 :]
    namespace = "/"
    if rest.startswith("/"):
        comma = rest.find(",")
        if comma == -1:
            namespace, rest = rest, ""
        else:
            namespace, rest = rest[:comma], rest[comma + 1 :]
    ack_id = None
    i = 0
    while i < len(rest) and rest[i].isdigit():
        i += 1
    if i:
        ack_id = int(rest[:i])
        rest = rest[i:]
    data = json.loads(rest) if rest else None
    return SioPacket(kind, namespace, ack_id, data, attachments)


def fill_placeholders(data: Any, blobs: list[bytes]) -> Any:
    """Put binary attachments back where their ``_placeholder`` objects are."""
    if isinstance(data, list):
        return [fill_placeholders(item, blobs) for item in data]
    if isinstance(data, dict):
        if data.get("_placeholder") is True and "num" in data:
            return blobs[data["num"]]
        return {key: fill_placeholders(value, blobs) for key, value in data.items()}
    return data
