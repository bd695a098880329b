// Both controllers: a ray and a small handset model each, under the visitor rig (the
// headset reports them in its own floor space, the rig puts that in the hall).
// Models are shared geometry drawn here: three's controller-model factory would
// fetch profiles from a CDN, which the page's CSP (and a LAN without internet) refuse.
import {
  BufferGeometry, CylinderGeometry, Float32BufferAttribute, Line, LineBasicMaterial,
  Mesh, MeshStandardMaterial,
} from 'three';

const RAY_LENGTH = 6; // metres; a hit shortens it (scale.z)
const rayGeometry = new BufferGeometry();
rayGeometry.setAttribute('position', new Float32BufferAttribute([0, 0, 0, 0, 0, -1], 3));
const rayMaterial = new LineBasicMaterial({ color: 0xf3d9a4, transparent: true, opacity: 0.7 });
// a handle and its ring, tilted like a held controller
const handleGeometry = new CylinderGeometry(0.018, 0.022, 0.11, 12).rotateX(-Math.PI / 3).translate(0, -0.02, 0.04);
const handsetMaterial = new MeshStandardMaterial({ color: 0x2a2d38, roughness: 0.6, metalness: 0.1 });

/** One hand: its target-ray space (pointing) and grip space (holding), and its gamepad. */
class Hand {
  constructor(xr, index, rig) {
    this.pointer = xr.getController(index);
    this.grip = xr.getControllerGrip(index);
    this.handedness = '';
    this.gamepad = null;
    this.ray = new Line(rayGeometry, rayMaterial);
    this.ray.name = 'xr-ray';
    this.ray.scale.z = RAY_LENGTH;
    this.pointer.add(this.ray);
    this.grip.add(new Mesh(handleGeometry, handsetMaterial));
    this.pointer.addEventListener('connected', (e) => {
      this.handedness = e.data.handedness;
      this.gamepad = e.data.gamepad || null;
    });
    this.pointer.addEventListener('disconnected', () => {
      this.handedness = '';
      this.gamepad = null;
    });
    rig.add(this.pointer, this.grip);
  }

  get tracked() {
    return this.handedness !== '' && this.pointer.visible;
  }

  /** The pointing ray in world space, written into `ray`. */
  worldRay(ray) {
    const m = this.pointer.matrixWorld;
    ray.origin.setFromMatrixPosition(m);
    ray.direction.set(-m.elements[8], -m.elements[9], -m.elements[10]).normalize();
    return ray;
  }

  setRayLength(metres) {
    this.ray.scale.z = metres;
  }

  /** Thumbstick x (xr-standard: axes 2 and 3; the first two may be null). */
  get stickX() {
    const axes = this.gamepad?.axes;
    return axes && axes.length > 2 ? axes[2] || 0 : 0;
  }

  /** Thumbstick y: -1 pushed away (forward), 1 pulled back. */
  get stickY() {
    const axes = this.gamepad?.axes;
    return axes && axes.length > 3 ? axes[3] || 0 : 0;
  }
}

export class XrControllers {
  constructor(renderer, rig) {
    this.hands = [new Hand(renderer.xr, 0, rig), new Hand(renderer.xr, 1, rig)];
  }

  /** The hand held in `side` ('left' | 'right'), or null before it connects. */
  side(side) {
    for (let i = 0; i < this.hands.length; i++) if (this.hands[i].handedness === side) return this.hands[i];
    return null;
  }
}
