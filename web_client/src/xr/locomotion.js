// Moving a headset visitor, by default without moving them smoothly (comfort):
// teleport to a floor spot, sit in a seat (eyes at the seat's eye point, facing the
// stage), and snap turns about the head. Smooth walking with the left stick is
// there for those who ask for it (with a vignette, xr.js). The head's offset inside
// the rig (the player's own room) is kept: the rig is placed so the head lands
// where asked.
import { Vector3 } from 'three';

import { yawFromDirection } from '../venue/controls.js';
import { headYaw } from './session.js';

export const SNAP_ANGLE = Math.PI / 6; // 30 degrees a flick
export const WALK_SPEED = 1.4; // metres a second at full stick: a calm walk
const MAX_STEP_M = 0.3; // a smooth walk climbs a step, not a balcony

export class XrLocomotion {
  /** @param {import('../venue/view.js').VenueView} view */
  constructor(view) {
    this.view = view;
    this.controls = view.controls;
    this.camera = view.camera;
    this._head = new Vector3();
  }

  /** Head (camera) position inside the rig: where the player stands in their room. */
  _headLocal() {
    return this._head.copy(this.camera.position);
  }

  /** Put the rig at yaw `yaw` so the head is over (x, z); feet at height `feetY`. */
  _placeHead(x, feetY, z, yaw) {
    const h = this._headLocal();
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    const c0 = this.controls;
    c0.travel.active = false;
    c0.yaw = yaw;
    // rig rotation about Y: local (hx, hz) -> world (hx c + hz s, -hx s + hz c)
    c0.feet.set(x - (h.x * c + h.z * s), feetY, z - (-h.x * s + h.z * c));
    c0.moved = true;
  }

  /** Stand on the floor point `p` (from the teleport arc). */
  teleportTo(p) {
    const c = this.controls;
    c.seatId = null; // the view tells the live audience we stood up
    c.floorY = p.y;
    this._placeHead(p.x, p.y, p.z, c.yaw);
  }

  /**
   * Stand on floor point (x, y, z) with the head there and facing `yaw` (a tour's
   * stop, a guide's gathering spot): the rig turns by what the head is turned in it.
   */
  standAt(x, y, z, yaw) {
    const c = this.controls;
    const headTurn = headYaw(this.camera, c.yaw) - c.yaw;
    c.seatId = null;
    c.floorY = y;
    this._placeHead(x, y, z, yaw - headTurn);
  }

  /** Sit in `seat` (metadata seat): eyes at its eye point, facing where it faces. */
  sitAt(seat) {
    if (!this.view.seats.isAvailable(seat.id)) return false;
    const c = this.controls;
    const h = this._headLocal();
    // turn the rig so the head's current direction becomes the seat's facing
    const headTurn = headYaw(this.camera, 0) - c.yaw;
    const yaw = yawFromDirection(seat.facing[0], seat.facing[2]) - headTurn;
    this._placeHead(seat.eye[0], seat.eye[1] - h.y, seat.eye[2], yaw);
    c.floorY = seat.floor_y;
    c.seatId = seat.id; // the view claims it through the live protocol (seat event)
    return true;
  }

  /**
   * Glide: `forward` and `right` in -1..1 (the stick) for `dt` seconds, along where
   * the head looks. Stops at the edge of the walkable floor. True when it moved.
   */
  glide(forward, right, dt) {
    const c = this.controls;
    const head = this.camera.getWorldPosition(this._head);
    const yaw = headYaw(this.camera, c.yaw);
    const step = WALK_SPEED * dt;
    // the head looks along (-sin yaw, -cos yaw); its right is (cos yaw, -sin yaw)
    const x = head.x + (-Math.sin(yaw) * forward + Math.cos(yaw) * right) * step;
    const z = head.z + (-Math.cos(yaw) * forward - Math.sin(yaw) * right) * step;
    const y = this.view.floor.heightAt(x, z, c.floorY, MAX_STEP_M);
    if (y === null) return false;
    c.seatId = null;
    c.floorY = y;
    this._placeHead(x, y, z, c.yaw);
    return true;
  }

  /** Turn by `sign` * SNAP_ANGLE about the head, which stays where it is. */
  snapTurn(sign) {
    const head = this.camera.getWorldPosition(this._head);
    const x = head.x;
    const z = head.z;
    this._placeHead(x, this.controls.feet.y, z, this.controls.yaw - sign * SNAP_ANGLE);
  }
}
