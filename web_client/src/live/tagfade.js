// Applies tagComfort() (nametag.js) to every avatar's name tag from where the
// viewer's eyes are, in 2D and in VR. A few tags a frame: a hall of fifty is
// fully updated every few frames, and nothing is allocated.
import { Vector3 } from 'three';

import { tagComfort } from './nametag.js';

const TAGS_PER_FRAME = 16;

export class NameTagFade {
  /**
   * @param {{onFrame: Function, metadata: object}} view
   * @param {import('./avatars.js').AvatarLayer} avatars its `viewer` is the eyes' position
   */
  constructor(view, avatars) {
    this.avatars = avatars;
    const m = view.metadata;
    // what the audience looks at: the screen, or the performers above the stage floor
    const c = m.screen ? m.screen.center : m.stage ? [m.stage.center[0], m.stage.center[1] + 1.2, m.stage.center[2]] : null;
    this.stage = c ? new Vector3(c[0], c[1], c[2]) : null;
    this._cursor = 0;
    this._out = { opacity: 1, scale: 1 };
    view.onFrame(() => this.update());
  }

  /** True when a tag's look changed (something to draw). */
  update() {
    const order = this.avatars.order;
    const n = order.length;
    if (!n) return false;
    let changed = false;
    const count = Math.min(n, TAGS_PER_FRAME);
    for (let k = 0; k < count; k++) {
      this._cursor = (this._cursor + 1) % n;
      const rec = this.avatars.members.get(order[this._cursor]);
      const tag = rec?.tag;
      if (!tag || !tag.userData.baseScale) continue;
      const p = tag.position;
      const look = tagComfort(this.avatars.viewer, p.x, p.y, p.z, this.stage, this._out);
      if (tag.material.opacity === look.opacity && tag.userData.comfortScale === look.scale) continue;
      tag.material.opacity = look.opacity;
      tag.userData.comfortScale = look.scale;
      tag.scale.copy(tag.userData.baseScale).multiplyScalar(look.scale);
      changed = true;
    }
    return changed;
  }
}
