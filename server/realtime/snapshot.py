"""Binary, quantised pose snapshots (docs/PROTOCOL.md section 6). Pure: no IO.

Poses are quantised once, when they arrive (:func:`pack_pose`), into the bytes
a snapshot record carries; building a snapshot is then only concatenation, so
the per-tick cost is O(changed members) with no float work.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

VERSION = 1

FLAG_FULL = 0x01  # header flag: complete instance state, apply as a reset

SEATED = 0x01
VR = 0x02
HANDS = 0x04

HEADER = struct.Struct("<BBHIHH")  # version, flags, tick, server_ms, n_changed, n_removed
SLOT = struct.Struct("<H")
POSE = struct.Struct("<HiiiI")  # seq, x, y, z (mm), smallest-three quaternion
HAND = struct.Struct("<iiiI")  # x, y, z (mm), quaternion
RECORD_SIZE = SLOT.size + POSE.size + 1  # 21
HANDS_SIZE = 2 * HAND.size  # 32

_SQRT2 = math.sqrt(2.0)
_INV_SQRT2 = 1.0 / _SQRT2


def pack_quaternion(x: float, y: float, z: float, w: float) -> int:
    """Pack a rotation into 32 bits ("smallest three", 2 + 3 x 10 bits).

    The input need not be normalised; it must have a non-zero norm.
    """
    norm = math.sqrt(x * x + y * y + z * z + w * w)
    if not norm > 0.0:
        raise ValueError("quaternion with zero norm")
    # hot path (every pose received): straight-line code, no per-call lambdas;
    # the first largest component wins ties
    ax, ay, az, aw = abs(x), abs(y), abs(z), abs(w)
    if ax >= ay and ax >= az and ax >= aw:
        largest, big, a, b, c = 0, x, y, z, w
    elif ay >= az and ay >= aw:
        largest, big, a, b, c = 1, y, x, z, w
    elif az >= aw:
        largest, big, a, b, c = 2, z, x, y, w
    else:
        largest, big, a, b, c = 3, w, x, y, z
    # 511 steps either side of 0, so 0 (and +-1/sqrt2) are exact; the sign flip
    # makes the dropped component positive (q and -q are the same rotation)
    scale = (_SQRT2 * 511.0 / norm) if big >= 0.0 else (-_SQRT2 * 511.0 / norm)
    na = round(a * scale + 511.0)
    nb = round(b * scale + 511.0)
    nc = round(c * scale + 511.0)
    na = 0 if na < 0 else 1022 if na > 1022 else na
    nb = 0 if nb < 0 else 1022 if nb > 1022 else nb
    nc = 0 if nc < 0 else 1022 if nc > 1022 else nc
    return largest << 30 | na << 20 | nb << 10 | nc


def unpack_quaternion(word: int) -> tuple[float, float, float, float]:
    """Inverse of :func:`pack_quaternion`: a unit quaternion (x, y, z, w)."""
    largest = word >> 30
    small = [((word >> s) & 1023) / 511.0 - 1.0 for s in (20, 10, 0)]
    small = [v * _INV_SQRT2 for v in small]
    dropped = math.sqrt(max(0.0, 1.0 - sum(v * v for v in small)))
    small.insert(largest, dropped)
    return small[0], small[1], small[2], small[3]


def to_mm(metres: float) -> int:
    return round(metres * 1000.0)


def pack_pose(seq: int, values: Sequence[float]) -> tuple[bytes, bytes | None]:
    """Quantise one validated pose (see ``protocol.parse_pose``).

    ``values`` : (7,) or (21,) floats, metres and quaternions as in the wire
    array without ``seq``. Returns the 18-byte head part of a record and the
    32-byte hands part (or ``None`` for a head-only pose).
    """
    head = POSE.pack(
        seq,
        round(values[0] * 1000.0),
        round(values[1] * 1000.0),
        round(values[2] * 1000.0),
        pack_quaternion(values[3], values[4], values[5], values[6]),
    )
    if len(values) == 7:
        return head, None
    hands = b"".join(
        HAND.pack(
            to_mm(values[o]),
            to_mm(values[o + 1]),
            to_mm(values[o + 2]),
            pack_quaternion(values[o + 3], values[o + 4], values[o + 5], values[o + 6]),
        )
        for o in (7, 14)
    )
    return head, hands


def encode_snapshot(
    tick: int,
    server_ms: int,
    changed: Sequence[tuple[int, bytes, int, bytes | None]],
    removed: Sequence[int],
    full: bool = False,
) -> bytes:
    """Build one snapshot.

    ``changed`` : records ``(slot, head_bytes, flags, hands_bytes_or_None)``; the
    ``HANDS`` flag is set here from the presence of hand bytes.
    ``removed`` : slots that left since the previous snapshot.
    """
    out = bytearray(
        HEADER.pack(
            VERSION,
            FLAG_FULL if full else 0,
            tick & 0xFFFF,
            server_ms & 0xFFFFFFFF,
            len(changed),
            len(removed),
        )
    )
    slot_pack = SLOT.pack
    for slot, head, flags, hands in changed:
        out += slot_pack(slot)
        out += head
        if hands is None:
            out.append(flags & ~HANDS)
        else:
            out.append(flags | HANDS)
            out += hands
    for slot in removed:
        out += slot_pack(slot)
    return bytes(out)


@dataclass(frozen=True, slots=True)
class DecodedMember:
    slot: int
    seq: int
    position: tuple[float, float, float]  # metres
    rotation: tuple[float, float, float, float]
    flags: int
    hands: tuple[tuple[tuple[float, float, float], tuple[float, float, float, float]], ...] | None


@dataclass(frozen=True, slots=True)
class DecodedSnapshot:
    version: int
    full: bool
    tick: int
    server_ms: int
    changed: list[DecodedMember]
    removed: list[int]


def _mm3(x: int, y: int, z: int) -> tuple[float, float, float]:
    return x / 1000.0, y / 1000.0, z / 1000.0


def _read_member(data: bytes, offset: int) -> tuple[int, DecodedMember]:
    (slot,) = SLOT.unpack_from(data, offset)
    seq, x, y, z, q = POSE.unpack_from(data, offset + SLOT.size)
    flags = data[offset + RECORD_SIZE - 1]
    offset += RECORD_SIZE
    hands = None
    if flags & HANDS:
        parts = []
        for _hand in range(2):
            hx, hy, hz, hq = HAND.unpack_from(data, offset)
            parts.append((_mm3(hx, hy, hz), unpack_quaternion(hq)))
            offset += HAND.size
        hands = tuple(parts)
    return offset, DecodedMember(slot, seq, _mm3(x, y, z), unpack_quaternion(q), flags, hands)


def decode_snapshot(data: bytes) -> DecodedSnapshot:
    """Parse a snapshot; raises ``ValueError`` on a truncated or unknown one."""
    try:
        version, flags, tick, server_ms, n_changed, n_removed = HEADER.unpack_from(data, 0)
        if version != VERSION:
            raise ValueError(f"unknown snapshot version {version}")
        offset = HEADER.size
        changed = []
        for _ in range(n_changed):
            offset, member = _read_member(data, offset)
            changed.append(member)
        removed = [SLOT.unpack_from(data, offset + 2 * i)[0] for i in range(n_removed)]
        offset += 2 * n_removed
    except (struct.error, IndexError) as exc:
        raise ValueError(f"truncated snapshot: {exc}") from exc
    if offset != len(data):
        raise ValueError(f"{len(data) - offset} trailing bytes in snapshot")
    return DecodedSnapshot(version, bool(flags & FLAG_FULL), tick, server_ms, changed, removed)
