// Sends this member's head pose: at most `hz` times a second (10 on screens, 20 in
// VR), and only when it moved or turned more than a small threshold, so a seated,
// still audience sends nothing. Each pose carries a 16-bit sequence number, echoed
// back in snapshots to measure the round trip.
import * as THREE from 'three';

const MOVE_M = 0.005; // 5 mm
const TURN_DOT = Math.cos((0.5 * Math.PI) / 180 / 2); // 0.5 degree, as a quaternion dot

export class PoseSender {
  constructor(send, { hz = 10 } = {}) {
    this.send = send; // (array) => void
    this.setRate(hz);
    this.seq = 0;
    this.lastSent = -Infinity;
    this.lastPos = new THREE.Vector3(NaN, NaN, NaN);
    this.lastQuat = new THREE.Quaternion();
    this.sentAt = new Float64Array(65536); // seq -> performance.now(), for RTT
    this.rtt = null; // smoothed round trip, ms
    this.enabled = false;
    this._pos = new THREE.Vector3();
    this._quat = new THREE.Quaternion();
    this._msg = new Array(8).fill(0); // reused: the socket encodes it straight away
    // In VR, a source of both hands ({read(out, offset) -> bool}, web_client/src/xr/):
    // while it reads, poses carry 22 numbers (head, left hand, right hand)
    this.hands = null;
    this._hadHands = false;
    this._msgHands = new Array(22).fill(0);
    this._lastHands = new Float64Array(14);
  }

  setRate(hz) {
    this.intervalMs = 1000 / Math.min(20, Math.max(1, hz));
  }

  /** The next call to update() sends whatever the pose is (after a join/resume). */
  force() {
    this.lastPos.set(NaN, NaN, NaN);
    this._hadHands = undefined;
    this.lastSent = -Infinity;
  }

  /** Call every frame with the camera (world pose = the eyes). Returns true if sent. */
  update(camera, now = performance.now()) {
    if (!this.enabled || now - this.lastSent < this.intervalMs) return false;
    camera.getWorldPosition(this._pos);
    camera.getWorldQuaternion(this._quat);
    const moved = !(this._pos.distanceToSquared(this.lastPos) <= MOVE_M * MOVE_M);
    const turned = Math.abs(this._quat.dot(this.lastQuat)) < TURN_DOT;
    const withHands = Boolean(this.hands && this.hands.read(this._msgHands, 8));
    const handsMoved = withHands !== this._hadHands || (withHands && this._handsMoved());
    if (!moved && !turned && !handsMoved) return false;
    this._hadHands = withHands;
    this.lastPos.copy(this._pos);
    this.lastQuat.copy(this._quat);
    this.lastSent = now;
    this.seq = (this.seq + 1) & 0xffff;
    this.sentAt[this.seq] = now;
    const m = withHands ? this._msgHands : this._msg;
    m[0] = this.seq;
    m[1] = round4(this._pos.x); m[2] = round4(this._pos.y); m[3] = round4(this._pos.z);
    m[4] = round4(this._quat.x); m[5] = round4(this._quat.y);
    m[6] = round4(this._quat.z); m[7] = round4(this._quat.w);
    if (withHands) {
      for (let i = 8; i < 22; i++) {
        this._lastHands[i - 8] = m[i];
        m[i] = round4(m[i]);
      }
    }
    this.send(m);
    return true;
  }

  /** A hand moved 5 mm or turned (by a quaternion component) since the last send. */
  _handsMoved() {
    const m = this._msgHands;
    const last = this._lastHands;
    for (let i = 0; i < 14; i++) {
      const limit = i % 7 < 3 ? MOVE_M : 0.004;
      if (Math.abs(m[8 + i] - last[i]) > limit) return true;
    }
    return false;
  }

  /** Our own record came back in a snapshot with this seq. */
  echoed(seq, now = performance.now()) {
    const t = this.sentAt[seq];
    if (!t || now - t > 10000) return;
    const sample = now - t;
    this.rtt = this.rtt === null ? sample : this.rtt * 0.8 + sample * 0.2;
    this.sentAt[seq] = 0;
  }
}

// Millimetres are all the server keeps; shorter numbers make a shorter JSON frame.
function round4(v) {
  return Math.round(v * 10000) / 10000;
}
