// Seats from the metadata: picking by ray (each seat is a small sphere around its
// cushion and back, so no triangle of the merged seat mesh is ever tested),
// a hover highlight, and a good default seat for "Take a seat".

import {
  BoxGeometry,
  DoubleSide,
  Group,
  Mesh,
  MeshBasicMaterial,
  RingGeometry,
  CircleGeometry,
} from 'three';

const PICK_RADIUS = 0.36; // metres: about half a seat's width plus a margin
const PICK_LIFT = 0.22; // the sphere centre: between cushion and backrest

export class Seats extends EventTarget {
  constructor(metadata) {
    super();
    this.list = metadata.seats || [];
    this.byId = new Map(this.list.map((s) => [s.id, s]));
    this.unavailable = new Set();
    // flat arrays so a pick runs through numbers, not objects
    const n = this.list.length;
    this.centers = new Float32Array(n * 3);
    this.list.forEach((seat, i) => {
      this.centers[i * 3] = seat.position[0];
      this.centers[i * 3 + 1] = seat.position[1] + PICK_LIFT;
      this.centers[i * 3 + 2] = seat.position[2];
    });
    this.metadata = metadata;
    this.highlight = makeHighlight();
    this.highlightVolume = this.highlight.getObjectByName('seat-highlight-volume');
    this.hoveredId = null;
  }

  get count() {
    return this.list.length;
  }

  get(id) {
    return this.byId.get(id) || null;
  }

  /**
   * Seats others hold (filled in by the realtime layer); they cannot be picked.
   * Fires 'change' (the seat list shows who sits where).
   */
  setUnavailable(ids) {
    this.unavailable = new Set(ids);
    this.dispatchEvent(new Event('change'));
  }

  isAvailable(id) {
    return this.byId.has(id) && !this.unavailable.has(id);
  }

  /**
   * Nearest seat hit by `ray`: returns {index, t} in `out` and true, or false.
   * @param {import('three').Ray} ray
   */
  raycast(ray, out) {
    const o = ray.origin;
    const d = ray.direction;
    const c = this.centers;
    const r2 = PICK_RADIUS * PICK_RADIUS;
    let bestT = Infinity;
    let best = -1;
    for (let i = 0, n = this.list.length; i < n; i++) {
      const dx = c[i * 3] - o.x;
      const dy = c[i * 3 + 1] - o.y;
      const dz = c[i * 3 + 2] - o.z;
      const along = dx * d.x + dy * d.y + dz * d.z;
      if (along <= 0) continue;
      const dist2 = dx * dx + dy * dy + dz * dz - along * along;
      if (dist2 > r2) continue;
      const t = along - Math.sqrt(r2 - dist2);
      if (t < bestT) {
        bestT = t;
        best = i;
      }
    }
    if (best < 0) return false;
    out.index = best;
    out.t = bestT;
    return true;
  }

  /** Show the highlight on seat `id` (null hides it). */
  hover(id) {
    if (id === this.hoveredId) return;
    this.hoveredId = id;
    const seat = id ? this.byId.get(id) : null;
    this.highlight.visible = !!seat;
    if (!seat) return;
    this.highlight.position.set(seat.position[0], seat.position[1] + 0.03, seat.position[2]);
    // the volume stands on the seat's floor, 1 m tall
    this.highlightVolume.position.y = seat.floor_y + 0.5 - (seat.position[1] + 0.03);
    this.highlight.rotation.y = Math.atan2(-seat.facing[0], -seat.facing[2]);
  }

  /**
   * A good free seat: on the centre line, about a third of the way back from the
   * stage front (where halls put their best seats), in the lowest section.
   */
  suggest() {
    const free = this.list.filter((s) => !this.unavailable.has(s.id));
    if (!free.length) return null;
    const stage = this.metadata.stage;
    const focus = stage ? midpoint(stage.front_edge[0], stage.front_edge[1]) : centerOf(free);
    const dist = (s) => Math.hypot(s.position[0] - focus[0], s.position[2] - focus[2]);
    const floorMin = Math.min(...free.map((s) => s.floor_y));
    const low = free.filter((s) => s.floor_y < floorMin + 2.5);
    const far = Math.max(...low.map(dist));
    const ideal = Math.max(far * 0.35, Math.min(far, 4));
    // lateral offset from the axis through the stage centre, along the seat's facing
    const axis = stage ? stage.center : focus;
    let best = null;
    let bestScore = Infinity;
    for (const s of low) {
      const fx = s.facing[0];
      const fz = s.facing[2];
      const rx = s.position[0] - axis[0];
      const rz = s.position[2] - axis[2];
      const lateral = Math.abs(rx * fz - rz * fx);
      const score = Math.abs(dist(s) - ideal) + 1.5 * lateral;
      if (score < bestScore) {
        bestScore = score;
        best = s;
      }
    }
    return best;
  }
}

function midpoint(a, b) {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
}

function centerOf(seats) {
  const sum = [0, 0, 0];
  for (const s of seats) for (let k = 0; k < 3; k++) sum[k] += s.position[k];
  return sum.map((v) => v / seats.length);
}

function makeHighlight() {
  // drawn over everything (no depth test): from behind, a seat's cushion hides
  // behind its own backrest, and the visitor must still see which seat it is
  const group = new Group();
  group.name = 'seat-highlight';
  const ring = new Mesh(
    new RingGeometry(0.25, 0.31, 40),
    new MeshBasicMaterial({ color: 0xffd27a, transparent: true, opacity: 0.95, side: DoubleSide, toneMapped: false, depthTest: false, depthWrite: false }),
  );
  ring.rotation.x = -Math.PI / 2;
  ring.renderOrder = 10;
  const glow = new Mesh(
    new CircleGeometry(0.25, 40),
    new MeshBasicMaterial({ color: 0xffc45e, transparent: true, opacity: 0.3, side: DoubleSide, toneMapped: false, depthTest: false, depthWrite: false }),
  );
  glow.rotation.x = -Math.PI / 2;
  glow.renderOrder = 10;
  // a soft gold volume around the whole seat, so its back lights up too
  const volume = new Mesh(
    new BoxGeometry(0.58, 1, 0.62),
    new MeshBasicMaterial({ color: 0xffd27a, transparent: true, opacity: 0.38, toneMapped: false, depthWrite: false }),
  );
  volume.name = 'seat-highlight-volume';
  group.add(ring, glow, volume);
  group.visible = false;
  return group;
}
