"""Where a tour group's member stands (web_client/src/tours/groups/motion.js), in Node
with a stand-in hall and guide: gather glides to the server's spot facing the guide;
follow leaves the member be while the guide is near, and once the guide is more
than 4 m off glides it to its gathered place, turned with the guide; a place off
the floor is moved towards the guide; after a stop it waits for the guide to come
to the stop."""

from __future__ import annotations

import math

SCRIPT = r"""
globalThis.window = { matchMedia: () => ({ matches: false }) };
let now = 0;
globalThis.performance = { now: () => now };
const { Quaternion, Vector3 } = await import('three');
const { GroupMotion, fromLocal, toLocal, yawOf } = await import('./src/tours/groups/motion.js');

let frame = null;
const walks = [];
const head = new Vector3(0, 1.6, 0);
let floorEdge = Infinity; // floor only where z < floorEdge
const view = {
  onFrame: (cb) => { frame = cb; },
  controls: { isTravelling: false },
  camera: { getWorldPosition: (v) => v.copy(head) },
  floor: { heightAt: (x, z) => (z < floorEdge ? 0 : null) },
  walkTo: (x, y, z, o) => { walks.push([x, y, z, o.yaw]); head.set(x, y + 1.6, z); },
};
const guide = { position: new Vector3(0, 1.6, -5), quaternion: new Quaternion() };
const live = { avatars: { members: new Map([['g', guide]]) }, interp: { buffers: new Set(['g']) } };
const motion = new GroupMotion(view, live);
const tick = () => { now += 300; frame(); };
const out = {};

// the local frame: a place 1 m right and 2 m ahead of a guide facing -X (yaw pi/2)
out.local = fromLocal(1, 2, Math.PI / 2);
out.roundTrip = toLocal(...fromLocal(0.7, -1.3, 2.1), 2.1);
out.yaw = yawOf(new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), 1.2));

// gather: the guide at (0, -5) facing +Z (yaw pi), our spot 1.6 m ahead of it
motion.gathered({ guide: { member_id: 'g', position: [0, 1.6, -5], yaw: Math.PI },
                  spot: { position: [0, 1.6, -3.4], yaw: 0 } });
out.gather = walks.at(-1);
out.place = motion.place;

// follow: the guide 3 m off, nothing; 9 m off, to our place by it (turned with it)
motion.setFollow(true, 'g');
guide.position.set(0, 1.6, -2);
tick();
out.nearWalks = walks.length;
guide.position.set(8, 1.6, -3.4);
guide.quaternion.setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2); // facing -X
tick();
out.follow = walks.at(-1);
out.moves = motion.moves;

// a place off the floor: pulled back towards the guide until there is floor
floorEdge = 21;
guide.position.set(9, 1.6, 20);
guide.quaternion.setFromAxisAngle(new Vector3(0, 1, 0), Math.PI); // facing +Z: the place at z 21.6
tick();
out.offFloor = walks.at(-1);
floorEdge = Infinity;

// a stop: we are there, the guide comes later; no chasing meanwhile (15 s at most),
// even while the guide is still near us, before it sets off
const before = walks.length;
motion.awaitGuide();
guide.position.set(9, 1.6, 22);
tick();
guide.position.set(40, 1.6, 40);
tick(); tick();
out.awaitWalks = walks.length - before;
now += 15000;
tick();
out.afterWait = walks.length - before;
// the stop's place known: chasing resumes once the guide and we are there (we are
// moved there late in a headset: its fade teleport)
motion.awaitGuide([0, 0, 60]);
guide.position.set(0, 1.6, 40);
tick();
out.beforeArrival = walks.length - before;
guide.position.set(0, 1.6, 61);
tick();
out.guideThere = walks.length - before;
head.set(0, 1.6, 60);
tick();
guide.position.set(0, 1.6, 80); // and it walks on
tick();
out.arrived = walks.length - before;

// off: stays put
motion.setFollow(false);
guide.position.set(-40, 1.6, -40);
tick();
out.offWalks = walks.length - before;
console.log(JSON.stringify(out));
"""


def test_gather_then_follow_keeps_the_member_by_the_guide(node_json):
    out = node_json(SCRIPT)
    # facing -X: right is -Z, ahead is -X
    assert all(
        math.isclose(a, b, abs_tol=1e-9) for a, b in zip(out["local"], [-2, -1], strict=True)
    )
    assert all(
        math.isclose(a, b, abs_tol=1e-9) for a, b in zip(out["roundTrip"], [0.7, -1.3], strict=True)
    )
    assert math.isclose(out["yaw"], 1.2, abs_tol=1e-6)

    x, y, z, yaw = out["gather"]
    assert (x, y, z) == (0, 0, -3.4) and yaw == 0  # feet on the floor, facing the guide
    assert math.isclose(out["place"][0], 0, abs_tol=1e-9)
    assert math.isclose(out["place"][1], 1.6, abs_tol=1e-9)  # 1.6 m ahead of the guide

    assert out["nearWalks"] == 1  # 3 m off: no move
    x, y, z, yaw = out["follow"]
    assert math.isclose(x, 8 - 1.6, abs_tol=1e-6) and math.isclose(z, -3.4, abs_tol=1e-6)
    assert math.isclose(math.remainder(yaw + math.pi / 2, math.tau), 0, abs_tol=1e-6)  # to it
    assert out["moves"] == 1

    x, _, z, _ = out["offFloor"]
    assert z < 21 and math.isclose(x, 9, abs_tol=1e-6) and math.dist((x, z), (9, 20)) < 1.6

    assert out["awaitWalks"] == 0 and out["afterWait"] == 1
    assert out["beforeArrival"] == out["guideThere"] == 1 and out["arrived"] == 2
    assert out["offWalks"] == 2
