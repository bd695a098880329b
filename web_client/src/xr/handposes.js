// Both hands for the live pose (docs/PROTOCOL.md 4.3): the grips' world poses,
// left then right, 7 numbers each, written into the sender's 22-number message.
import { Quaternion, Vector3 } from 'three';

export class HandPoses {
  /** @param {import('./controllers.js').XrControllers} controllers */
  constructor(controllers) {
    this.controllers = controllers;
    this.enabled = false; // on while presenting
    this._p = new Vector3();
    this._q = new Quaternion();
  }

  /** Write left and right into out[offset..offset+13]; false unless both are tracked. */
  read(out, offset) {
    if (!this.enabled) return false;
    const left = this.controllers.side('left');
    const right = this.controllers.side('right');
    if (!left || !right || !left.tracked || !right.tracked) return false;
    this._write(left.grip, out, offset);
    this._write(right.grip, out, offset + 7);
    return true;
  }

  _write(grip, out, i) {
    grip.matrixWorld.decompose(this._p, this._q, SCALE);
    out[i] = this._p.x; out[i + 1] = this._p.y; out[i + 2] = this._p.z;
    out[i + 3] = this._q.x; out[i + 4] = this._q.y; out[i + 5] = this._q.z; out[i + 6] = this._q.w;
  }
}

const SCALE = new Vector3();
