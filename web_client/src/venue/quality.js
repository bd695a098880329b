// Adaptive resolution: when frames take too long, render fewer pixels (lower the
// pixel ratio); when there is headroom again, raise it back towards the cap.
// A weak phone stays smooth at a softer image instead of stuttering at a sharp one.

const SLOW_MS = 30; // below ~33 fps: step down
const FAST_MS = 14; // above ~70 fps: step up
const WINDOW = 20; // frames averaged per decision...
const WINDOW_MS = 1000; // ...or fewer (at least 3) when they already span a second
const STEP = 0.25;
// Under ~10 fps at the floor (a software renderer, a very old phone) a softer
// picture still beats a slide show: below the floor, down to the last resort
const HOPELESS_MS = 100;
const LAST_RESORT = 0.35;
const COOLDOWN_MS = 1500; // let a change settle before judging again

export class AdaptiveResolution {
  constructor(renderer, { max, min = 0.5 }) {
    this.renderer = renderer;
    this.max = max;
    this.min = Math.min(min, max);
    this.ratio = renderer.getPixelRatio();
    this.enabled = true;
    this._sum = 0;
    this._count = 0;
    this._fastRuns = 0;
    this._lastChange = 0;
  }

  /** Feed one frame interval (ms) at time `now` (ms). */
  sample(frameMs, now) {
    if (!this.enabled || this.renderer.xr.isPresenting || frameMs <= 0 || frameMs > 10000) return; // a long gap = the tab was hidden
    if (now - this._lastChange < COOLDOWN_MS) return;
    this._sum += frameMs;
    this._count += 1;
    if (this._count < WINDOW && (this._count < 3 || this._sum < WINDOW_MS)) return;
    const mean = this._sum / this._count;
    this._sum = 0;
    this._count = 0;
    if (mean > SLOW_MS && this.ratio > this.min) {
      this._set(Math.max(this.min, this.ratio - STEP), now);
      this._fastRuns = 0;
    } else if (mean > HOPELESS_MS && this.ratio > LAST_RESORT) {
      this._set(Math.max(LAST_RESORT, Math.min(this.min, this.ratio) - STEP / 2), now);
      this._fastRuns = 0;
    } else if (mean < FAST_MS && this.ratio < this.max) {
      // step up only after sustained headroom, so it does not flip back and forth
      this._fastRuns += 1;
      if (this._fastRuns >= 3) {
        this._set(Math.min(this.max, this.ratio + STEP), now);
        this._fastRuns = 0;
      }
    } else {
      this._fastRuns = 0;
    }
  }

  /** Pin the ratio (e.g. for a screenshot) and stop adapting. */
  pin(ratio) {
    this.enabled = false;
    this._set(ratio, 0);
  }

  _set(ratio, now) {
    this.ratio = ratio;
    this._lastChange = now;
    this.renderer.setPixelRatio(ratio);
    this.renderer.setSize(window.innerWidth, window.innerHeight, false);
  }
}
