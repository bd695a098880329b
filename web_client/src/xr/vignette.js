// The comfort vignette: while the visitor glides with the thumbstick, the edges of
// the view darken (a ring close in front of the eyes), so the eyes see less of the
// motion the inner ear does not feel. It fades out as soon as the stick rests.
import { Mesh, MeshBasicMaterial, RingGeometry } from 'three';

const DISTANCE_M = 0.25; // in front of the eyes, inside the near edge of anything
const INNER_M = 0.09; // clear centre at full strength (about 40 degrees across)
const OUTER_M = 0.6; // beyond the edges of any headset's view
const FADE_PER_S = 6; // how fast it follows the stick

export class ComfortVignette {
  /** @param {import('three').Camera} camera the view's camera (three puts the head's pose in it) */
  constructor(camera) {
    this.material = new MeshBasicMaterial({
      color: 0x000000, transparent: true, opacity: 0, depthTest: false, depthWrite: false,
    });
    this.mesh = new Mesh(new RingGeometry(INNER_M, OUTER_M, 48, 1), this.material);
    this.mesh.name = 'xr-comfort-vignette';
    this.mesh.position.z = -DISTANCE_M;
    this.mesh.renderOrder = 1000; // over the hall, the tags and the panel
    this.mesh.visible = false;
    this.mesh.frustumCulled = false;
    camera.add(this.mesh);
    this.strength = 0;
  }

  /** Ease towards `target` (0..1, how hard the visitor is moving) over `dt` seconds. */
  update(target, dt) {
    const step = Math.min(1, dt * FADE_PER_S);
    this.strength += (target - this.strength) * step;
    if (this.strength < 0.01 && target === 0) this.strength = 0;
    this.material.opacity = 0.85 * this.strength;
    this.mesh.visible = this.strength > 0;
  }
}
