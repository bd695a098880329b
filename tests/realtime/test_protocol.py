"""Payload checks and token buckets, pure."""

from __future__ import annotations

import math

import pytest

from server.realtime.protocol import (
    ChatPayload,
    ClientError,
    ConnectAuth,
    JoinPayload,
    parse,
    parse_pose,
)
from server.realtime.ratelimit import TokenBucket


def test_pose_accepts_head_and_vr_arrays():
    seq, values = parse_pose([3, 0, 1.6, 0, 0, 0, 0, 1])
    assert seq == 3 and len(values) == 7
    seq, values = parse_pose([4] + [0, 1.6, 0, 0, 0, 0, 1] * 3)
    assert len(values) == 21


@pytest.mark.parametrize(
    "bad",
    [
        None,
        {},
        "pose",
        [],
        [1, 0, 1.6, 0, 0, 0, 0],  # 7
        [1] + [0.0] * 8,  # 9
        [-1, 0, 1.6, 0, 0, 0, 0, 1],
        [65536, 0, 1.6, 0, 0, 0, 0, 1],
        [True, 0, 1.6, 0, 0, 0, 0, 1],
        [1, math.nan, 1.6, 0, 0, 0, 0, 1],
        [1, -math.inf, 1.6, 0, 0, 0, 0, 1],
        [1, 0, 1.6, 1001, 0, 0, 0, 1],
        [1, 0, 1.6, 0, 2, 0, 0, 1],
        [1, 0, 1.6, 0, 0.1, 0.1, 0.1, 0.1],  # norm too small
        [1, None, 1.6, 0, 0, 0, 0, 1],
        (1, 0, 1.6, 0, 0, 0, 0, 1),  # JSON never makes tuples: not a list
        [1] + [0, 1.6, 0, 0, 0, 0, 1] * 2 + [0, 1.6, 0, 0, 0, 0, float("nan")],
    ],
)
def test_pose_refuses_bad_arrays(bad):
    with pytest.raises(ClientError) as err:
        parse_pose(bad)
    assert err.value.code == "invalid_payload"


def test_models_are_strict_and_forbid_extras():
    with pytest.raises(ClientError):
        parse(ChatPayload, {"text": "hi", "member_id": "m_x"})
    with pytest.raises(ClientError):
        parse(JoinPayload, {"event_id": 5})
    with pytest.raises(ClientError):
        parse(JoinPayload, {"event_id": "../../etc"})
    assert parse(JoinPayload, {"venue_id": "philharmonic"}).venue_id == "philharmonic"
    assert parse(ConnectAuth, {"name": "  Anna  "}).name == "Anna"


def test_error_body_never_echoes_the_input():
    try:
        parse(ChatPayload, {"text": "<script>" * 400})
    except ClientError as exc:
        assert "<script>" not in exc.message
        assert exc.body()["error"]["code"] == "invalid_payload"


def test_token_bucket_refills_at_its_rate_up_to_its_burst():
    b = TokenBucket(rate=0.5, burst=5, now=0.0)
    assert sum(b.take(0.0) for _ in range(10)) == 5
    assert b.retry_after(0.0) == pytest.approx(2.0)
    assert not b.take(1.9)
    assert b.take(2.0)
    assert sum(b.take(1000.0) for _ in range(10)) == 5


def test_token_bucket_refuses_nonsense():
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1, now=0)
