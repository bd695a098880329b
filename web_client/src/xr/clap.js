// Clapping in VR: the two hands meeting after being apart counts as one clap, sent
// as an applause reaction; they must part again before the next one, so hands
// resting together clap once, not on every frame. No speed threshold: frame times
// vary too much (a slow frame would hide a fast clap).
import { Vector3 } from 'three';

const MEET_M = 0.12; // grips this close: the hands touch (controllers are bulky)
const APART_M = 0.22; // and this far to clap again

export class ClapDetector {
  /**
   * @param {import('./controllers.js').XrControllers} controllers
   * @param {() => void} onClap
   */
  constructor(controllers, onClap) {
    this.controllers = controllers;
    this.onClap = onClap;
    this.armed = true;
    this.claps = 0;
    this._a = new Vector3();
    this._b = new Vector3();
  }

  update() {
    const left = this.controllers.side('left');
    const right = this.controllers.side('right');
    if (!left || !right || !left.tracked || !right.tracked) return;
    const gap = this._a.setFromMatrixPosition(left.grip.matrixWorld)
      .distanceTo(this._b.setFromMatrixPosition(right.grip.matrixWorld));
    if (gap > APART_M) this.armed = true;
    else if (this.armed && gap < MEET_M) {
      this.armed = false;
      this.claps += 1;
      this.onClap();
    }
  }
}
