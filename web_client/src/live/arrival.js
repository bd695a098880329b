// Just arrived and someone already stands here (two visitors who spawned at once):
// step aside to the nearest free floor spot, once, before the visitor moves. Looks
// during the first seconds after joining, when the others' positions come in.
const CROWDED_M = 0.9; // someone's head this close (on the floor plane): too close
const CLEAR_M = 1.2; // a spot this far from everyone is free
const WATCH_MS = 10000;
const RINGS = [1.2, 1.8, 2.5];
const DIRECTIONS = 10;

export class StepAsideOnArrival {
  /**
   * @param {import('../venue/view.js').VenueView} view
   * @param {import('./live.js').Live} live
   */
  constructor(view, live) {
    this.view = view;
    this.live = live;
    this.since = null; // when we joined
    this.done = false;
    this._stop = view.onFrame(() => this._check());
    view.addEventListener('seat', () => this._finish()); // sat down: nothing to do
  }

  _finish() {
    this.done = true;
    this._stop();
  }

  _check() {
    if (this.done) return;
    if (!this.live.conn?.joined) return;
    const now = performance.now();
    if (this.since === null) this.since = now;
    if (now - this.since > WATCH_MS || this.view.renderer.xr.isPresenting) return this._finish();
    const pose = this.view.getPose();
    if (!this._crowded(pose.position[0], pose.position[2], CROWDED_M)) return;
    const spot = this._freeSpot(pose.position[0], pose.position[2]);
    if (spot) this.view.walkTo(spot[0], spot[1], spot[2]);
    this._finish();
  }

  _crowded(x, z, radius) {
    const avatars = this.live.avatars;
    for (const id of avatars.order) {
      const p = avatars.positionOf(id);
      if (p && Math.hypot(p[0] - x, p[2] - z) < radius) return true;
    }
    return false;
  }

  _freeSpot(x, z) {
    const { floor, controls } = this.view;
    for (const r of RINGS) {
      for (let i = 0; i < DIRECTIONS; i++) {
        const a = (i / DIRECTIONS) * Math.PI * 2;
        const sx = x + r * Math.cos(a);
        const sz = z + r * Math.sin(a);
        const y = floor.heightAt(sx, sz, controls.floorY, 0.3);
        if (y !== null && !this._crowded(sx, sz, CLEAR_M)) return [sx, y, sz];
      }
    }
    return null;
  }
}
