// VR members' hands: two interpolated tracks per member (left and right), keyed
// `${id}|L` / `${id}|R`, sharing the body interpolator's clock.
import { Interpolator } from './interpolation.js';

export class HandTracks {
  /**
   * @param {import('./avatars.js').AvatarLayer} avatars
   * @param {Interpolator} bodies the members' interpolator, whose clock hands share
   */
  constructor(avatars, bodies, { delayMs = 120 } = {}) {
    this.avatars = avatars;
    this.interp = new Interpolator({ delayMs });
    this.interp.clock = bodies.clock;
    this.keys = new Map(); // member id -> [left key, right key]
    this.owner = new Map(); // key -> [member id, side]
    this._apply = (key, p) => {
      const [id, side] = this.owner.get(key);
      this.avatars.setHand(id, side, p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    };
  }

  has(id) {
    return this.keys.has(id);
  }

  push(id, serverMs, h) {
    let keys = this.keys.get(id);
    if (!keys) {
      keys = [`${id}|L`, `${id}|R`];
      this.keys.set(id, keys);
      this.owner.set(keys[0], [id, 0]);
      this.owner.set(keys[1], [id, 1]);
    }
    this.interp.push(keys[0], serverMs, h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
    this.interp.push(keys[1], serverMs, h[7], h[8], h[9], h[10], h[11], h[12], h[13]);
  }

  /** The member's latest pose has no hands (left VR, or left the hall). */
  drop(id) {
    const keys = this.keys.get(id);
    if (!keys) return;
    for (const k of keys) {
      this.interp.remove(k);
      this.owner.delete(k);
    }
    this.keys.delete(id);
    this.avatars.hideHands(id);
  }

  dropAll() {
    for (const id of [...this.keys.keys()]) this.drop(id);
  }

  clear() {
    this.interp.clear();
  }

  sample(now) {
    if (this.interp.buffers.size) this.interp.sampleAll(this._apply, now);
  }
}
