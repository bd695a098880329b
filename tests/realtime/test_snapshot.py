"""The binary snapshot codec (docs/PROTOCOL.md section 6), pure."""

from __future__ import annotations

import math
import random

import pytest

from server.realtime.snapshot import (
    HANDS,
    RECORD_SIZE,
    SEATED,
    VR,
    decode_snapshot,
    encode_snapshot,
    pack_pose,
    pack_quaternion,
    unpack_quaternion,
)


def _unit(q):
    n = math.sqrt(sum(c * c for c in q))
    return tuple(c / n for c in q)


def _same_rotation(a, b, tol):
    # q and -q are the same rotation
    return (
        min(
            max(abs(x - y) for x, y in zip(a, b, strict=True)),
            max(abs(x + y) for x, y in zip(a, b, strict=True)),
        )
        <= tol
    )


def test_documented_example_bytes():
    head, hands = pack_pose(7, [1.0, 1.2, -3.5, 0.0, 0.0, 0.0, 1.0])
    assert hands is None
    data = encode_snapshot(300, 123456, [(2, head, SEATED, None)], [5])
    assert data.hex(" ") == (
        "01 00 2c 01 40 e2 01 00 01 00 01 00 02 00 07 00 e8 03 00 00 b0 04 00 00 "
        "54 f2 ff ff ff fd f7 df 01 05 00"
    )
    assert pack_quaternion(0, 0, 0, 1) == 0xDFF7FDFF


def test_identity_and_axis_rotations_are_exact():
    assert unpack_quaternion(pack_quaternion(0, 0, 0, 1)) == (0.0, 0.0, 0.0, 1.0)
    for q in [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, -1)]:
        assert _same_rotation(unpack_quaternion(pack_quaternion(*q)), _unit(q), 1e-12)


def test_random_rotations_round_trip_within_a_quarter_degree():
    rng = random.Random(4)
    worst = 0.0
    for _ in range(5000):
        q = _unit([rng.gauss(0, 1) for _ in range(4)])
        back = unpack_quaternion(pack_quaternion(*q))
        assert abs(sum(c * c for c in back) - 1.0) < 1e-9
        dot = abs(sum(x * y for x, y in zip(q, back, strict=True)))
        worst = max(worst, 2 * math.degrees(math.acos(min(1.0, dot))))
        assert _same_rotation(q, back, 0.002)
    assert worst < 0.25


def test_zero_quaternion_is_refused():
    with pytest.raises(ValueError):
        pack_quaternion(0, 0, 0, 0)


def test_positions_quantise_to_millimetres():
    head, _ = pack_pose(1, [0.0004, -0.0006, 999.9995, 0, 0, 0, 1])
    (m,) = decode_snapshot(encode_snapshot(1, 0, [(0, head, 0, None)], [])).changed
    assert m.position == (0.0, -0.001, 1000.0)


def test_hands_round_trip_and_set_the_hands_flag():
    values = [
        0.1,
        1.6,
        2.0,
        0,
        0,
        0,
        1,
        -0.3,
        1.2,
        1.8,
        0,
        0.7071,
        0,
        0.7071,
        0.3,
        1.2,
        1.8,
        0,
        0,
        0,
        1,
    ]
    head, hands = pack_pose(65535, values)
    assert len(hands) == 32
    data = encode_snapshot(65536 + 9, 2**32 + 5, [(49, head, VR, hands)], [])
    snap = decode_snapshot(data)
    assert (snap.tick, snap.server_ms) == (9, 5)  # both wrap
    (m,) = snap.changed
    assert (m.slot, m.seq, m.flags) == (49, 65535, VR | HANDS)
    assert m.hands[0][0] == (-0.3, 1.2, 1.8)
    assert _same_rotation(m.hands[0][1], _unit((0, 0.7071, 0, 0.7071)), 0.0007)
    assert len(data) == 12 + RECORD_SIZE + 32


def test_sizes_are_as_documented():
    head, _ = pack_pose(1, [0, 1.6, 0, 0, 0, 0, 1])
    records = [(slot, head, 0, None) for slot in range(50)]
    assert len(encode_snapshot(1, 0, records, [])) == 12 + 50 * 21
    assert len(encode_snapshot(1, 0, [], [1, 2, 3])) == 12 + 6


def test_full_flag_and_removed_slots_decode():
    snap = decode_snapshot(encode_snapshot(3, 4, [], [7, 8], full=True))
    assert snap.full and snap.removed == [7, 8] and snap.changed == []


def test_truncated_or_unknown_snapshots_are_refused():
    head, _ = pack_pose(1, [0, 1.6, 0, 0, 0, 0, 1])
    data = encode_snapshot(1, 0, [(0, head, 0, None)], [2])
    for bad in (data[:5], data[:-1], data + b"\x00", b"\x02" + data[1:]):
        with pytest.raises(ValueError):
            decode_snapshot(bad)
