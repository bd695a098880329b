// How a visitor moves: WASD / arrow keys, drag to look (mouse or finger), an
// on-screen joystick on touch screens, and smooth glides to a clicked spot or seat.
// Picking what was clicked is not done here: taps are handed to `onTap`.
//
// Pose = feet on the floor (the rig's position), eye height above them, yaw (the
// rig's turn) and pitch (the camera's tilt). Temporaries are allocated once.

import { MathUtils, Vector3 } from 'three';

export const STANDING_EYE_HEIGHT = 1.6;
const WALK_SPEED = 2.0; // m/s
const RUN_FACTOR = 2.2;
const TURN_SPEED = 1.8; // rad/s for the arrow keys
const MAX_STEP = 0.6; // highest tread a visitor steps up or down while walking
const PITCH_LIMIT = 1.25;
const TAP_MAX_MS = 600;
const DRAG_THRESHOLD = { mouse: 5, pen: 6, touch: 10 };

const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)');

const KEYS_FORWARD = ['KeyW', 'ArrowUp'];
const KEYS_BACK = ['KeyS', 'ArrowDown'];
const KEYS_LEFT = ['KeyA'];
const KEYS_RIGHT = ['KeyD'];
const KEYS_TURN_LEFT = ['ArrowLeft', 'KeyQ'];
const KEYS_TURN_RIGHT = ['ArrowRight', 'KeyE'];
const HANDLED_KEYS = new Set([...KEYS_FORWARD, ...KEYS_BACK, ...KEYS_LEFT, ...KEYS_RIGHT,
  ...KEYS_TURN_LEFT, ...KEYS_TURN_RIGHT, 'ShiftLeft', 'ShiftRight']);

/** Yaw (rotation about +Y) that makes the camera look along horizontal `dir`. */
export function yawFromDirection(dx, dz) {
  return Math.atan2(-dx, -dz);
}

function easeInOut(t) {
  return t < 0.5 ? 4 * t * t * t : 1 - Math.pow(-2 * t + 2, 3) / 2;
}

function shortestAngle(from, to) {
  return Math.atan2(Math.sin(to - from), Math.cos(to - from));
}

function isTyping(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export class VisitorControls {
  /**
   * @param {{camera, rig, canvas: HTMLCanvasElement, floor: import('./walkable.js').Floor,
   *   onTap?: (x: number, y: number, pointerType: string) => void,
   *   onHover?: (x: number|null, y: number|null) => void, joystick?: {x: number, y: number}}} options
   */
  constructor({ camera, rig, canvas, floor, onTap, onHover, joystick }) {
    this.camera = camera;
    this.rig = rig;
    this.canvas = canvas;
    this.floor = floor;
    this.onTap = onTap || (() => {});
    this.onHover = onHover || (() => {});
    this.joystick = joystick || null;
    this.onStand = () => {};

    this.feet = new Vector3();
    this.floorY = 0;
    this.eyeHeight = STANDING_EYE_HEIGHT;
    this.yaw = 0;
    this.pitch = 0;
    this.seatId = null;
    this.lastStanding = { feet: new Vector3(), yaw: 0, pitch: 0, valid: false };

    this.travel = {
      active: false, t: 0, duration: 1,
      fromFeet: new Vector3(), toFeet: new Vector3(),
      fromEye: 0, toEye: 0, fromYaw: 0, deltaYaw: 0, fromPitch: 0, toPitch: 0,
      seatId: null,
    };
    this.keys = new Set();
    this.pointer = { id: -1, type: 'mouse', startX: 0, startY: 0, lastX: 0, lastY: 0, startTime: 0, dragging: false };
    this.moved = false; // set when the pose changed this frame (for listeners)
    this._placed = false; // placeAt() since the last frame
    // in VR the headset places the camera in the rig: only the rig is ours to move
    this.headTracked = false;

    this._listen();
  }

  // --- pose -------------------------------------------------------------

  /** Stand at `position` (feet on the floor) looking along `facing`. */
  placeAt(position, facing, pitch = 0) {
    this.travel.active = false;
    this.feet.set(position[0], position[1], position[2]);
    this.floorY = position[1];
    this.eyeHeight = STANDING_EYE_HEIGHT;
    this.yaw = yawFromDirection(facing[0], facing[2]);
    this.pitch = pitch;
    this.seatId = null;
    this._apply();
    // a jump is seen at once: picks and projections before the next frame use the
    // new view, and that frame draws it and tells the hall (update() sets moved)
    this.rig.updateMatrixWorld(true);
    this._placed = true;
  }

  /**
   * Glide to `feet` (floor point) with the given eye height and view. `seatId`
   * marks the visitor as seated when the glide ends.
   */
  travelTo(feet, { eyeHeight = STANDING_EYE_HEIGHT, yaw = this.yaw, pitch = this.pitch, seatId = null } = {}) {
    const tr = this.travel;
    tr.fromFeet.copy(this.feet);
    tr.toFeet.set(feet[0] ?? feet.x, feet[1] ?? feet.y, feet[2] ?? feet.z);
    tr.fromEye = this.eyeHeight;
    tr.toEye = eyeHeight;
    tr.fromYaw = this.yaw;
    tr.deltaYaw = shortestAngle(this.yaw, yaw);
    tr.fromPitch = this.pitch;
    tr.toPitch = pitch;
    tr.seatId = seatId;
    const distance = tr.fromFeet.distanceTo(tr.toFeet);
    // glides ease motion sickness for most; with reduced motion asked for, jump
    // (duration 0: the next frame lands there)
    tr.duration = REDUCED_MOTION.matches ? 0 : MathUtils.clamp(0.35 + distance / 7, 0.45, 1.6);
    tr.t = 0;
    tr.active = true;
    if (this.seatId && !seatId) this.seatId = null;
  }

  get isTravelling() {
    return this.travel.active;
  }

  /** Leave the seat: stand where the seat is if that is floor, else go back. */
  standUp() {
    if (!this.seatId) return;
    const y = this.floor.heightAt(this.feet.x, this.feet.z, this.feet.y, MAX_STEP);
    this.seatId = null;
    if (y !== null) {
      this.travelTo([this.feet.x, y, this.feet.z], { eyeHeight: STANDING_EYE_HEIGHT });
    } else if (this.lastStanding.valid) {
      const s = this.lastStanding;
      this.travelTo(s.feet, { eyeHeight: STANDING_EYE_HEIGHT, yaw: s.yaw, pitch: s.pitch });
    } else {
      this.eyeHeight = STANDING_EYE_HEIGHT;
    }
    this.onStand();
  }

  rememberStanding() {
    if (this.seatId) return;
    this.lastStanding.feet.copy(this.feet);
    this.lastStanding.yaw = this.yaw;
    this.lastStanding.pitch = this.pitch;
    this.lastStanding.valid = true;
  }

  // --- per frame --------------------------------------------------------

  update(dt) {
    this.moved = this._placed;
    this._placed = false;
    if (this.travel.active) {
      // a glide is timed, so a slow frame just advances it further
      this._updateTravel(Math.min(dt, 0.5));
    } else {
      // walking checks the floor at each step: keep steps short
      this._updateWalk(Math.min(dt, 0.1));
    }
    this._apply();
  }

  _updateTravel(dt) {
    const tr = this.travel;
    tr.t = tr.duration > 0 ? Math.min(1, tr.t + dt / tr.duration) : 1;
    const k = easeInOut(tr.t);
    this.feet.lerpVectors(tr.fromFeet, tr.toFeet, k);
    this.eyeHeight = tr.fromEye + (tr.toEye - tr.fromEye) * k;
    this.yaw = tr.fromYaw + tr.deltaYaw * k;
    this.pitch = tr.fromPitch + (tr.toPitch - tr.fromPitch) * k;
    this.moved = true;
    if (tr.t >= 1) {
      tr.active = false;
      this.floorY = tr.toFeet.y;
      this.seatId = tr.seatId;
    }
  }

  _axis(plus, minus) {
    let v = 0;
    for (const code of plus) if (this.keys.has(code)) { v += 1; break; }
    for (const code of minus) if (this.keys.has(code)) { v -= 1; break; }
    return v;
  }

  _updateWalk(dt) {
    const turn = this._axis(KEYS_TURN_LEFT, KEYS_TURN_RIGHT);
    if (turn) {
      this.yaw += turn * TURN_SPEED * dt;
      this.moved = true;
    }
    let forward = this._axis(KEYS_FORWARD, KEYS_BACK);
    let strafe = this._axis(KEYS_RIGHT, KEYS_LEFT);
    if (this.joystick) {
      forward += this.joystick.y;
      strafe += this.joystick.x;
    }
    const len = Math.hypot(forward, strafe);
    if (len > 1) {
      forward /= len;
      strafe /= len;
    }
    if (len > 0.05) {
      if (this.seatId) {
        this.standUp();
        return;
      }
      const run = this.keys.has('ShiftLeft') || this.keys.has('ShiftRight') ? RUN_FACTOR : 1;
      const step = WALK_SPEED * run * dt;
      const sin = Math.sin(this.yaw);
      const cos = Math.cos(this.yaw);
      // forward is -Z turned by yaw, right is +X turned by yaw
      const dx = (-sin * forward + cos * strafe) * step;
      const dz = (-cos * forward - sin * strafe) * step;
      this._tryMove(dx, dz);
    }
    // ease the feet onto the floor height (steps and ramps) and stand up straight
    if (!this.seatId) {
      const dy = this.floorY - this.feet.y;
      if (Math.abs(dy) > 1e-4) {
        this.feet.y += dy * Math.min(1, dt * 12);
        this.moved = true;
      }
      const de = STANDING_EYE_HEIGHT - this.eyeHeight;
      if (Math.abs(de) > 1e-4) this.eyeHeight += de * Math.min(1, dt * 8);
    }
  }

  /** Move by (dx, dz) if the target is floor; else slide along x or z alone. */
  _tryMove(dx, dz) {
    return this._step(dx, dz) || this._step(dx, 0) || this._step(0, dz);
  }

  _step(mx, mz) {
    if (mx === 0 && mz === 0) return false;
    const f = this.feet;
    const y = this.floor.heightAt(f.x + mx, f.z + mz, this.floorY, MAX_STEP);
    if (y === null) return false;
    f.x += mx;
    f.z += mz;
    this.floorY = y;
    this.moved = true;
    return true;
  }

  _apply() {
    this.pitch = MathUtils.clamp(this.pitch, -PITCH_LIMIT, PITCH_LIMIT);
    this.rig.position.copy(this.feet);
    this.rig.rotation.set(0, this.yaw, 0);
    if (this.headTracked) return;
    this.camera.position.set(0, this.eyeHeight, 0);
    this.camera.rotation.set(this.pitch, 0, 0);
  }

  // --- input --------------------------------------------------------------

  _listen() {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => this._onPointerDown(e));
    c.addEventListener('pointermove', (e) => this._onPointerMove(e));
    c.addEventListener('pointerup', (e) => this._onPointerUp(e));
    c.addEventListener('pointercancel', (e) => this._endPointer(e));
    c.addEventListener('pointerleave', (e) => { if (e.pointerType === 'mouse') this.onHover(null, null); });
    c.addEventListener('contextmenu', (e) => e.preventDefault());
    window.addEventListener('keydown', (e) => this._onKey(e, true));
    window.addEventListener('keyup', (e) => this._onKey(e, false));
    window.addEventListener('blur', () => this.keys.clear());
  }

  _onKey(e, down) {
    if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (down && e.code === 'Escape' && this.seatId) {
      this.standUp();
      return;
    }
    if (!HANDLED_KEYS.has(e.code)) return;
    if (down) this.keys.add(e.code);
    else this.keys.delete(e.code);
    e.preventDefault();
  }

  _onPointerDown(e) {
    if (this.pointer.id !== -1) return; // one look pointer at a time
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const p = this.pointer;
    p.id = e.pointerId;
    p.type = e.pointerType || 'mouse';
    p.startX = p.lastX = e.clientX;
    p.startY = p.lastY = e.clientY;
    // the events' own times: a long frame between down and up (a slow phone) is not the user's hold
    p.startTime = e.timeStamp;
    p.dragging = false;
    this.canvas.setPointerCapture(e.pointerId);
  }

  _onPointerMove(e) {
    const p = this.pointer;
    if (e.pointerId !== p.id) {
      if (e.pointerType === 'mouse' && p.id === -1) this.onHover(e.clientX, e.clientY);
      return;
    }
    const threshold = DRAG_THRESHOLD[p.type] ?? 6;
    if (!p.dragging && Math.hypot(e.clientX - p.startX, e.clientY - p.startY) > threshold) {
      p.dragging = true;
      this.canvas.classList.add('is-dragging');
      this.onHover(null, null);
    }
    if (p.dragging) {
      // "grab the hall": the point under the pointer stays under it
      const radPerPixel = MathUtils.degToRad(this.camera.fov) / Math.max(1, this.canvas.clientHeight);
      const gain = p.type === 'mouse' ? 1.3 : 1.0;
      this.yaw += (e.clientX - p.lastX) * radPerPixel * gain;
      this.pitch += (e.clientY - p.lastY) * radPerPixel * gain;
      this.moved = true;
    }
    p.lastX = e.clientX;
    p.lastY = e.clientY;
  }

  _onPointerUp(e) {
    const p = this.pointer;
    if (e.pointerId !== p.id) return;
    const tap = !p.dragging && e.timeStamp - p.startTime < TAP_MAX_MS;
    const type = p.type;
    this._endPointer(e);
    if (tap) this.onTap(e.clientX, e.clientY, type);
    else if (type === 'mouse') this.onHover(e.clientX, e.clientY);
  }

  _endPointer(e) {
    if (e.pointerId !== this.pointer.id) return;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    this.pointer.id = -1;
    this.pointer.dragging = false;
    this.canvas.classList.remove('is-dragging');
  }
}
