// Where visitors may stand: the metadata's walkable areas (planar convex polygons,
// stepped floors are one area per tread). Answers "is this spot floor, and how
// high?" for walking and "where does this ray meet the floor?" for click-to-walk.
// No allocation per query: results go into caller-provided objects.

import { Vector3 } from 'three';

const EPS = 1e-6;

class Area {
  constructor(spec) {
    this.id = spec.id;
    this.points = spec.vertices.map((v) => new Vector3(v[0], v[1], v[2]));
    // plane through the polygon: normal from Newell's method (robust for slight non-planarity)
    const n = new Vector3();
    const count = this.points.length;
    for (let i = 0; i < count; i++) {
      const a = this.points[i];
      const b = this.points[(i + 1) % count];
      n.x += (a.y - b.y) * (a.z + b.z);
      n.y += (a.z - b.z) * (a.x + b.x);
      n.z += (a.x - b.x) * (a.y + b.y);
    }
    n.normalize();
    if (n.y < 0) n.negate();
    this.normal = n;
    this.d = n.dot(this.points[0]);
    this.minX = Math.min(...this.points.map((p) => p.x));
    this.maxX = Math.max(...this.points.map((p) => p.x));
    this.minZ = Math.min(...this.points.map((p) => p.z));
    this.maxZ = Math.max(...this.points.map((p) => p.z));
    this.flat = Math.abs(n.y) > 0.2; // a floor or a ramp, not a wall
  }

  /** Point-in-convex-polygon on the XZ plane, either winding. */
  containsXZ(x, z) {
    if (x < this.minX - EPS || x > this.maxX + EPS || z < this.minZ - EPS || z > this.maxZ + EPS) return false;
    const pts = this.points;
    let sign = 0;
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i];
      const b = pts[(i + 1) % pts.length];
      const cross = (b.x - a.x) * (z - a.z) - (b.z - a.z) * (x - a.x);
      if (Math.abs(cross) < EPS) continue;
      const s = cross > 0 ? 1 : -1;
      if (sign === 0) sign = s;
      else if (s !== sign) return false;
    }
    return true;
  }

  heightAt(x, z) {
    return (this.d - this.normal.x * x - this.normal.z * z) / this.normal.y;
  }
}

export class Floor {
  /** @param {Array<{id: string, vertices: number[][]}>} walkable */
  constructor(walkable) {
    this.areas = (walkable || []).map((spec) => new Area(spec)).filter((a) => a.flat);
  }

  /**
   * Height of the floor under (x, z) nearest to `nearY` within `maxStep`
   * (so a balcony above the stalls is not taken for the stalls floor), or null.
   */
  heightAt(x, z, nearY, maxStep = Infinity) {
    let best = null;
    let bestGap = maxStep;
    for (const area of this.areas) {
      if (!area.containsXZ(x, z)) continue;
      const y = area.heightAt(x, z);
      const gap = Math.abs(y - nearY);
      if (gap <= bestGap) {
        best = y;
        bestGap = gap;
      }
    }
    return best;
  }

  /**
   * Nearest floor hit of `ray`, written into `target` (a Vector3). Returns the
   * distance along the ray, or Infinity when the ray meets no walkable area.
   */
  raycast(ray, target) {
    let bestT = Infinity;
    const o = ray.origin;
    const dir = ray.direction;
    for (const area of this.areas) {
      const denom = area.normal.dot(dir);
      if (denom > -EPS) continue; // parallel, or seen from below
      const t = (area.d - area.normal.dot(o)) / denom;
      if (t <= 0 || t >= bestT) continue;
      const x = o.x + dir.x * t;
      const z = o.z + dir.z * t;
      if (!area.containsXZ(x, z)) continue;
      bestT = t;
      target.set(x, o.y + dir.y * t, z);
    }
    return bestT;
  }
}
