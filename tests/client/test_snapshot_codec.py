"""The page's decoder of binary tick snapshots (web_client/src/live/snapshot.js), run
in Node, reads what the server's codec (server/realtime/snapshot.py) writes: tick,
server time, a full snapshot's flag, removed slots, and each changed member's pose
with its hands (VR)."""

from __future__ import annotations

import json

import pytest

from server.realtime.snapshot import decode_snapshot, encode_snapshot, pack_pose

SCRIPT = """
import { snapshotToObject } from './src/live/snapshot.js';
const bytes = new Uint8Array(JSON.parse(process.env.SNAPSHOT_BYTES));
console.log(JSON.stringify(snapshotToObject(bytes)));
"""


def test_the_page_decodes_what_the_server_encodes(node_json):
    poses = {
        0: (7, [1.0, 1.2, -3.5, 0.0, 0.0, 0.0, 1.0]),
        3: (65535, [-12.345, 0.5, 99.999, 0.3, -0.6, 0.2, 0.7]),
        9: (42, [0.1, 1.6, 2.0, 0.0, 0.92, 0.0, -0.38,  # head, then both hands (VR)
                 -0.3, 1.2, 1.9, 0.1, 0.2, 0.3, 0.9,
                 0.3, 1.1, 1.8, -0.5, 0.5, 0.5, 0.5]),
    }  # fmt: skip
    changed = []
    for slot, (seq, values) in poses.items():
        head, hands = pack_pose(seq, values)
        changed.append((slot, head, 1 if slot == 3 else 0, hands))
    data = encode_snapshot(65535, 4_294_967_000, changed, [4, 11], full=True)
    expected = decode_snapshot(data)

    got = node_json(SCRIPT, env={"SNAPSHOT_BYTES": json.dumps(list(data))})
    assert (got["tick"], got["serverMs"], got["full"]) == (65535, 4_294_967_000, True)
    assert got["removed"] == [4, 11]
    assert [c["slot"] for c in got["changed"]] == [m.slot for m in expected.changed]
    for js, py in zip(got["changed"], expected.changed, strict=True):
        assert js["seq"] == py.seq and js["flags"] == py.flags
        assert js["position"] == pytest.approx(list(py.position), abs=1e-9)
        assert js["rotation"] == pytest.approx(list(py.rotation), abs=1e-9)
        if py.hands is None:
            assert js["hands"] is None
        else:
            flat = [v for hand in py.hands for part in hand for v in part]
            assert js["hands"] == pytest.approx(flat, abs=1e-9)
