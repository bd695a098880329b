// Where a group's member stands: "gather" glides it to the spot the server gave
// (a ring in front of the guide, facing it; reduced motion jumps, as every glide of
// the view), and "follow" keeps it near the guide as the guide walks: when the
// guide is more than FOLLOW_M away, the member glides to its place by the guide
// (the gathered spot, turned with the guide; without a gather, on the side the
// member is on). The guide's pose is its avatar's, from the live snapshots. In a
// headset each move is a fade teleport instead of a glide (xr/fadeteleport.js).

import { Quaternion, Vector3 } from 'three';
import { STANDING_EYE_HEIGHT } from '../../venue/controls.js';
import { xrFadeTeleport } from '../../xr/fadeteleport.js';

export const FOLLOW_M = 4; // farther than this from the guide: catch up
const CHECK_MS = 250; // how often following looks where the guide is
const DEFAULT_DISTANCE_M = 2; // a place by the guide when there was no gather
const STEP_M = 1.0; // a floor level this close to the guide's is the guide's
const AWAIT_GUIDE_MS = 15000; // after a stop: the guide's own way there, at most this long

const _forward = new Vector3();
const _me = new Vector3();
const _q = new Quaternion();

/** Yaw of a head quaternion (0 looks along -Z, pi/2 along -X: tour stops' convention). */
export function yawOf(q) {
  _forward.set(0, 0, -1).applyQuaternion(_q.set(q.x, q.y, q.z, q.w));
  return Math.atan2(-_forward.x, -_forward.z);
}

/** World (x, z) offset of a place (right, ahead) metres in the frame of `yaw`. */
export function fromLocal(right, ahead, yaw) {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  // right = (cos, 0, -sin), forward = (-sin, 0, -cos)
  return [right * c - ahead * s, -right * s - ahead * c];
}

/** (right, ahead) of a world (dx, dz) offset in the frame of `yaw`. */
export function toLocal(dx, dz, yaw) {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return [dx * c - dz * s, -dx * s - dz * c];
}

export class GroupMotion {
  /**
   * @param {import('../../venue/view.js').VenueView} view
   * @param {import('../../live/live.js').Live} live
   */
  constructor(view, live) {
    this.view = view;
    this.live = live;
    this.following = false;
    this.guideId = null;
    this.place = null; // [right, ahead] of our place in the guide's frame
    this.moves = 0; // catch-ups made while following (tests, debugging)
    this.trace = [];
    this._checkedAt = 0;
    this._awaitUntil = 0;
    this._awaitPoint = null;
    this._fading = null; // a headset's fade teleport under way
    view.onFrame(() => this._frame());
  }

  /**
   * The group goes to a stop together: we go there, and so does the guide, maybe
   * later. Do not chase it meanwhile: catching up waits until the guide and we
   * are at `point` (the stop's place, once known) or AWAIT_GUIDE_MS have passed.
   * @param {number[]|null} point
   */
  awaitGuide(point = null) {
    this._awaitUntil = performance.now() + AWAIT_GUIDE_MS;
    this._awaitPoint = point;
  }

  /** The server's group_gathered: glide to our spot, facing the guide. */
  gathered({ guide, spot }) {
    if (!spot?.position) return;
    const [x, y, z] = spot.position;
    if (guide?.position) {
      this.guideId = guide.member_id;
      const [gx, , gz] = guide.position;
      this.place = toLocal(x - gx, z - gz, guide.yaw || 0);
    }
    this._goTo(x, y - STANDING_EYE_HEIGHT, z, spot.yaw, guide?.position);
  }

  setFollow(on, guideId) {
    this.following = Boolean(on);
    if (guideId) this.guideId = guideId;
    this._checkedAt = 0;
  }

  stop() {
    this.following = false;
    this.guideId = null;
    this.place = null;
  }

  /** The guide's avatar: {position: Vector3 (eye), yaw} or null. */
  guidePose() {
    const rec = this.guideId ? this.live.avatars.members.get(this.guideId) : null;
    if (!rec || !this.live.interp.buffers.has(this.guideId)) return null;
    return { position: rec.position, yaw: yawOf(rec.quaternion) };
  }

  _frame() {
    if (!this.following) return false;
    const now = performance.now();
    if (now - this._checkedAt < CHECK_MS || this.view.controls.isTravelling || this._fading) return false;
    this._checkedAt = now;
    const guide = this.guidePose();
    if (!guide) return false;
    const me = this.view.camera.getWorldPosition(_me); // the head: in a headset it walks off the rig
    const g = guide.position;
    if (this._awaitUntil) {
      // both there: the guide, and we (a headset's fade teleport moves us late)
      const p = this._awaitPoint;
      const arrived = p && Math.hypot(g.x - p[0], g.z - p[2]) <= FOLLOW_M
        && Math.hypot(me.x - p[0], me.z - p[2]) <= FOLLOW_M;
      if (!arrived && now < this._awaitUntil) return false;
      this._awaitUntil = 0;
      this._awaitPoint = null;
    }
    if (Math.hypot(me.x - g.x, me.z - g.z) <= FOLLOW_M) return false;
    let place = this.place;
    if (!place) {
      // the side we are on, DEFAULT_DISTANCE_M from the guide
      const d = Math.hypot(me.x - g.x, me.z - g.z) || 1;
      place = toLocal(((me.x - g.x) / d) * DEFAULT_DISTANCE_M, ((me.z - g.z) / d) * DEFAULT_DISTANCE_M, guide.yaw);
    }
    const [dx, dz] = fromLocal(place[0], place[1], guide.yaw);
    const guideFeet = g.y - STANDING_EYE_HEIGHT;
    if (this._goTo(g.x + dx, guideFeet, g.z + dz, null, [g.x, g.y, g.z])) {
      this.moves += 1;
      // the last catch-ups, for tests and debugging
      this.trace.push({ guide: [g.x, g.z], from: [me.x, me.z], to: [g.x + dx, g.z + dz] });
      if (this.trace.length > 8) this.trace.shift();
    }
    return false;
  }

  /**
   * Glide to (x, feetY, z) on the floor (or, when that is off the floor, to the
   * nearest floor on the way from the guide), looking at `yaw` or at the guide.
   */
  _goTo(x, feetY, z, yaw, guide) {
    const floor = this.view.floor;
    let y = floor.heightAt(x, z, feetY, STEP_M);
    if (y === null && guide) {
      // walk back towards the guide until there is floor
      for (let k = 0.8; k > 0 && y === null; k -= 0.2) {
        const px = guide[0] + (x - guide[0]) * k;
        const pz = guide[2] + (z - guide[2]) * k;
        y = floor.heightAt(px, pz, feetY, STEP_M);
        if (y !== null) {
          x = px;
          z = pz;
        }
      }
    }
    if (y === null) return false;
    const look = yaw ?? (guide ? Math.atan2(-(guide[0] - x), -(guide[2] - z)) : undefined);
    // in a headset never a glide: a fade teleport (comfort), one at a time
    const fade = xrFadeTeleport(this.view, [x, y, z], look ?? this.view.controls.yaw);
    if (fade) {
      this._fading = fade;
      fade.then(() => { if (this._fading === fade) this._fading = null; });
    } else {
      this.view.walkTo(x, y, z, { yaw: look, pitch: 0 });
    }
    return true;
  }
}
