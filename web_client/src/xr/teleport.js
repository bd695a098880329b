// The teleport arc: a thrown curve from the controller to the floor, with a ring
// where the visitor would land. Only walkable areas of the venue metadata (the
// Floor) count as landing spots. Geometry and temporaries are made once.
import {
  BufferAttribute, BufferGeometry, Line, LineBasicMaterial, Mesh, MeshBasicMaterial,
  Ray, RingGeometry, Vector3,
} from 'three';

const SEGMENTS = 32;
const SPEED = 7; // m/s along the ray: how far the arc throws
const GRAVITY = 9.8;
const STEP_S = 0.05; // seconds of flight per segment

export class TeleportArc {
  /** @param {import('three').Scene} scene  @param {import('../venue/walkable.js').Floor} floor */
  constructor(scene, floor) {
    this.floor = floor;
    this.positions = new Float32Array((SEGMENTS + 1) * 3);
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(this.positions, 3));
    this.line = new Line(geometry, new LineBasicMaterial({ color: 0x9fe3b0 }));
    this.line.frustumCulled = false;
    this.line.visible = false;
    this.marker = new Mesh(
      new RingGeometry(0.18, 0.25, 32).rotateX(-Math.PI / 2),
      new MeshBasicMaterial({ color: 0x9fe3b0, transparent: true, opacity: 0.85, depthWrite: false }),
    );
    this.marker.visible = false;
    this.marker.name = 'xr-landing';
    scene.add(this.line, this.marker);
    this.target = new Vector3(); // the landing spot while `valid`
    this.valid = false;
    this._segment = new Ray();
    this._a = new Vector3();
    this._b = new Vector3();
    this._hit = new Vector3();
  }

  /** Throw the arc along `ray` (world space); true when it lands on the floor. */
  update(ray) {
    const p = this.positions;
    const { origin, direction } = ray;
    this.valid = false;
    let count = 0;
    this._a.copy(origin);
    p[0] = origin.x; p[1] = origin.y; p[2] = origin.z;
    for (let i = 1; i <= SEGMENTS; i++) {
      const s = i * STEP_S;
      this._b.set(
        origin.x + direction.x * SPEED * s,
        origin.y + direction.y * SPEED * s - 0.5 * GRAVITY * s * s,
        origin.z + direction.z * SPEED * s,
      );
      const length = this._a.distanceTo(this._b);
      this._segment.origin.copy(this._a);
      this._segment.direction.subVectors(this._b, this._a).divideScalar(length);
      const t = this.floor.raycast(this._segment, this._hit);
      count = i;
      if (t <= length) {
        this.valid = true;
        this.target.copy(this._hit);
        p[i * 3] = this._hit.x; p[i * 3 + 1] = this._hit.y; p[i * 3 + 2] = this._hit.z;
        break;
      }
      p[i * 3] = this._b.x; p[i * 3 + 1] = this._b.y; p[i * 3 + 2] = this._b.z;
      this._a.copy(this._b);
    }
    this.line.geometry.setDrawRange(0, count + 1);
    this.line.geometry.attributes.position.needsUpdate = true;
    this.line.material.color.setHex(this.valid ? 0x9fe3b0 : 0xd08080);
    this.line.visible = true;
    this.marker.visible = this.valid;
    if (this.valid) this.marker.position.set(this.target.x, this.target.y + 0.01, this.target.z);
    return this.valid;
  }

  hide() {
    this.line.visible = false;
    this.marker.visible = false;
    this.valid = false;
  }
}
