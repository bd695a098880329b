"""What a simulated member sends, and how an observer reads poses back.

Both servers the benchmark drives speak the same client->server side of
docs/PROTOCOL.md (``join`` with an ack giving ``member.slot`` and ``instance.id``,
``pose`` as a flat JSON array starting with ``seq``, ``chat``, ``react``); they
differ in how poses come back:

- the Zal server sends a binary ``snap`` per instance per tick (PROTOCOL.md §6):
  an observer walks its records for ``(slot, seq)`` without decoding positions;
- the naive relay forwards every pose as ``["pose", slot, [seq, ...]]``.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable

NAMESPACE = "/live"

_SLOT_SEQ = struct.Struct("<HH")
_SNAP_HEADER_SIZE = 12
_RECORD_SIZE = 21
_HANDS_SIZE = 32
_HANDS_FLAG = 0x04

Record = Callable[[int, int], None]  # (slot, seq) -> None


def read_snap(buf: bytes, record: Record) -> int:
    """Call ``record(slot, seq)`` for each member record of a binary snapshot.

    Returns the number of records. Only the slot, the echoed seq and the flags
    byte (for the hands length) are read: that is all latency matching needs.
    """
    if len(buf) < _SNAP_HEADER_SIZE or buf[0] != 1:
        raise ValueError("not a version-1 snapshot")
    n_changed = buf[8] | (buf[9] << 8)
    offset = _SNAP_HEADER_SIZE
    unpack = _SLOT_SEQ.unpack_from
    for _ in range(n_changed):
        slot, seq = unpack(buf, offset)
        flags = buf[offset + _RECORD_SIZE - 1]
        offset += _RECORD_SIZE + (_HANDS_SIZE if flags & _HANDS_FLAG else 0)
        record(slot, seq)
    return n_changed


def read_relayed_pose(args: list, record: Record) -> int:
    """The relay's ``["pose", slot, [seq, ...]]``: one (slot, seq)."""
    slot, values = args[0], args[1]
    record(int(slot), int(values[0]))
    return 1


def pose_values(idx: int, seq: int, t: float, hands: bool) -> list[float]:
    """A plausible moving pose for member ``idx`` at time ``t`` (seconds).

    Members sit on a grid of seats and sway their heads; VR members also move
    both hands. Rounded to millimetres / 1e-4 so the JSON stays browser-sized.
    """
    row, col = divmod(idx % 1000, 40)
    x = round(col * 0.6 - 12.0 + 0.05 * math.sin(t * 1.3 + idx), 3)
    y = round(1.2 + 0.4 * (row % 25) + 0.02 * math.sin(t * 0.7 + idx), 3)
    z = round(row * 0.9 - 10.0 + 0.03 * math.cos(t * 1.1 + idx), 3)
    yaw = 0.4 * math.sin(t * 0.5 + idx * 0.37)
    qy = round(math.sin(yaw / 2.0), 4)
    qw = round(math.cos(yaw / 2.0), 4)
    values: list[float] = [seq & 0xFFFF, x, y, z, 0.0, qy, 0.0, qw]
    if hands:
        swing = 0.1 * math.sin(t * 3.0 + idx)
        values += [
            round(x - 0.25, 3),
            round(y - 0.4 + swing, 3),
            round(z - 0.2, 3),
            0.0,
            0.0,
            0.0,
            1.0,
        ]
        values += [
            round(x + 0.25, 3),
            round(y - 0.4 - swing, 3),
            round(z - 0.2, 3),
            0.0,
            0.0,
            0.0,
            1.0,
        ]
    return values
