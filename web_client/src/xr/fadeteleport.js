// The fade teleport: in a headset a visitor is never glided somewhere by the page
// (the eyes would see motion the inner ear does not feel). The view fades to
// black (~0.2 s), the rig is put down at the place, turned so the head faces the
// given way, and the view fades in. Tours use it for their stops; live-guided
// groups (gather, follow) can use it the same way:
//
//   xrFadeTeleport(view, [x, y, z], yaw)   a Promise (resolved once faded in) while
//                                           the view presents in a headset, else null
//
// The fade is a black sphere round the eyes, driven by the frame loop (no timers);
// `trace` keeps each frame of the last fade for tests and debugging.
import { BackSide, Mesh, MeshBasicMaterial, SphereGeometry } from 'three';

const FADE_S = 0.2; // each way
const RADIUS_M = 0.3; // round the eyes, nearer than anything in the hall
const MAX_STEP = 0.5; // of the opacity, a frame
const TRACE_MAX = 200;

const teleporters = new WeakMap(); // view -> FadeTeleport (made by xr.js)

export class FadeTeleport {
  /**
   * @param {import('../venue/view.js').VenueView} view
   * @param {import('./locomotion.js').XrLocomotion} locomotion puts the head where asked
   */
  constructor(view, locomotion) {
    this.view = view;
    this.locomotion = locomotion;
    this.material = new MeshBasicMaterial({
      color: 0x000000, side: BackSide, transparent: true, opacity: 0, depthTest: false, depthWrite: false,
    });
    this.mesh = new Mesh(new SphereGeometry(RADIUS_M, 16, 8), this.material);
    this.mesh.name = 'xr-fade';
    this.mesh.renderOrder = 2000; // over everything, the vignette and captions too
    this.mesh.frustumCulled = false;
    this.mesh.visible = false;
    view.camera.add(this.mesh);
    this.phase = 'idle'; // 'out' -> 'black' (the move) -> 'in' -> 'idle'
    this.opacity = 0;
    this.target = null; // {position: [x, y, z], yaw}
    this.trace = [];
    this._waiting = [];
    teleporters.set(view, this);
    view.onFrame((dt) => this._frame(dt));
  }

  get active() {
    return this.phase !== 'idle';
  }

  /** Fade out, stand at floor point `position` facing `yaw`, fade in. */
  go(position, yaw) {
    this.target = { position: [...position], yaw };
    if (this.phase === 'idle') this.trace = [];
    // a new place while fading in: back to black first (while fading out or black,
    // the latest place wins when the move comes)
    if (this.phase === 'idle' || this.phase === 'in') this.phase = 'out';
    this.mesh.visible = true;
    return new Promise((resolve) => this._waiting.push(resolve));
  }

  /** The headset went away: no fade on the 2D page, only the move (a glide there). */
  cancel() {
    if (this.phase === 'out' || this.phase === 'black') {
      const [x, y, z] = this.target.position;
      this.view.walkTo(x, y, z, { yaw: this.target.yaw });
    }
    this._done();
  }

  _frame(dt) {
    if (this.phase === 'idle') return false;
    if (!this.view.renderer.xr.isPresenting) {
      this.cancel();
      return false;
    }
    // a slow frame hurries the fade, but each way takes two frames at least: no
    // frame jumps from the hall to black (or back) at once
    const step = Math.min(MAX_STEP, dt / FADE_S);
    if (this.phase === 'out') {
      this.opacity = Math.min(1, this.opacity + step);
      if (this.opacity >= 1) this.phase = 'black';
    } else if (this.phase === 'black') {
      // a whole frame has been black: move now (the rig is applied at the next
      // frame's start, and that frame begins the fade in)
      const [x, y, z] = this.target.position;
      this.locomotion.standAt(x, y, z, this.target.yaw);
      this._record('move');
      this.phase = 'in';
      return true;
    } else if (this.phase === 'in') {
      this.opacity = Math.max(0, this.opacity - step);
      if (this.opacity <= 0) {
        this._record('in');
        this._done();
        return true;
      }
    }
    this.material.opacity = this.opacity;
    this._record(this.phase);
    return true;
  }

  _record(phase) {
    if (this.trace.length >= TRACE_MAX) return;
    const feet = this.view.controls.feet;
    this.trace.push({ phase, opacity: this.opacity, feet: [feet.x, feet.y, feet.z] });
  }

  _done() {
    this.phase = 'idle';
    this.opacity = 0;
    this.material.opacity = 0;
    this.mesh.visible = false;
    this.target = null;
    const waiting = this._waiting;
    this._waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * In a headset, fade-teleport the visitor to floor point `position` ([x, y, z])
 * with the head facing `yaw` (radians, the venue's convention); resolves once the
 * view has faded in. Returns null, doing nothing, when the view is not presenting
 * in a headset: the caller moves the 2D visitor its own way (view.walkTo).
 */
export function xrFadeTeleport(view, position, yaw) {
  const teleporter = teleporters.get(view);
  if (!teleporter || !view.renderer.xr.isPresenting) return null;
  return teleporter.go(position, yaw);
}
