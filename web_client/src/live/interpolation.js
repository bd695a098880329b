// Snapshot interpolation: remote avatars are drawn a little in the past (the render
// delay, ~120 ms) so there are almost always two snapshots around the drawn moment to
// blend between: positions are lerped, rotations slerped. Buffers are preallocated
// typed arrays, and sample() writes into a caller's array: nothing is allocated per
// frame.

const STRIDE = 8; // t, px, py, pz, qx, qy, qz, qw
const SLOTS = 16; // ring size per member: 1.6 s at 10 Hz, far more than the delay

export class PoseBuffer {
  constructor() {
    this.data = new Float64Array(SLOTS * STRIDE);
    this.count = 0;
    this.head = 0; // index of the next write
  }

  _at(k) {
    // k-th newest sample (0 = newest) -> offset into data
    const i = (this.head - 1 - k + SLOTS * 2) % SLOTS;
    return i * STRIDE;
  }

  newestTime() {
    return this.count ? this.data[this._at(0)] : -Infinity;
  }

  push(t, px, py, pz, qx, qy, qz, qw) {
    if (this.count && t <= this.newestTime()) {
      // Out of order or duplicate: overwrite the newest when it is the same moment.
      if (t < this.newestTime()) return;
      this.head = (this.head - 1 + SLOTS) % SLOTS;
      this.count -= 1;
    }
    // Keep hemispheres consistent so slerp takes the short way.
    if (this.count) {
      const o = this._at(0);
      const d = this.data;
      if (d[o + 4] * qx + d[o + 5] * qy + d[o + 6] * qz + d[o + 7] * qw < 0) {
        qx = -qx; qy = -qy; qz = -qz; qw = -qw;
      }
    }
    const o = this.head * STRIDE;
    const d = this.data;
    d[o] = t; d[o + 1] = px; d[o + 2] = py; d[o + 3] = pz;
    d[o + 4] = qx; d[o + 5] = qy; d[o + 6] = qz; d[o + 7] = qw;
    this.head = (this.head + 1) % SLOTS;
    if (this.count < SLOTS) this.count += 1;
  }

  /**
   * The pose at time t into out[0..6] (px, py, pz, qx, qy, qz, qw). Before the first
   * sample: the first; after the newest: the newest (held, not extrapolated: a
   * member who stops sending has stood still, the server only sends changes).
   */
  sample(t, out) {
    if (!this.count) return false;
    const d = this.data;
    let newer = this._at(0);
    if (t >= d[newer] || this.count === 1) return copyPose(d, newer, out);
    for (let k = 1; k < this.count; k++) {
      const older = this._at(k);
      if (d[older] <= t) {
        const span = d[newer] - d[older];
        const a = span > 0 ? (t - d[older]) / span : 1;
        return blend(d, older, newer, a, out);
      }
      newer = older;
    }
    return copyPose(d, this._at(this.count - 1), out);
  }
}

function copyPose(d, o, out) {
  for (let i = 0; i < 7; i++) out[i] = d[o + 1 + i];
  return true;
}

function blend(d, o0, o1, a, out) {
  out[0] = d[o0 + 1] + (d[o1 + 1] - d[o0 + 1]) * a;
  out[1] = d[o0 + 2] + (d[o1 + 2] - d[o0 + 2]) * a;
  out[2] = d[o0 + 3] + (d[o1 + 3] - d[o0 + 3]) * a;
  slerp(d[o0 + 4], d[o0 + 5], d[o0 + 6], d[o0 + 7],
    d[o1 + 4], d[o1 + 5], d[o1 + 6], d[o1 + 7], a, out, 3);
  return true;
}

/** Slerp of two unit quaternions (same hemisphere) into out[off..off+3]. */
export function slerp(ax, ay, az, aw, bx, by, bz, bw, t, out, off = 0) {
  let cos = ax * bx + ay * by + az * bz + aw * bw;
  if (cos < 0) { bx = -bx; by = -by; bz = -bz; bw = -bw; cos = -cos; }
  let k0, k1;
  if (cos > 0.9995) {
    // Nearly equal: nlerp is exact enough and avoids dividing by ~0.
    k0 = 1 - t; k1 = t;
  } else {
    const theta = Math.acos(cos);
    const sin = Math.sin(theta);
    k0 = Math.sin((1 - t) * theta) / sin;
    k1 = Math.sin(t * theta) / sin;
  }
  let x = ax * k0 + bx * k1, y = ay * k0 + by * k1, z = az * k0 + bz * k1, w = aw * k0 + bw * k1;
  const n = Math.hypot(x, y, z, w) || 1;
  out[off] = x / n; out[off + 1] = y / n; out[off + 2] = z / n; out[off + 3] = w / n;
}

/**
 * Maps server time to local time. Each snapshot says when the server made it; the
 * smallest (local arrival - server time) seen recently is the best estimate of the
 * offset (that snapshot was the least delayed). It is allowed to drift slowly so a
 * clock skew or a route change is followed without jumps.
 */
export class ServerClock {
  constructor() {
    this.offset = null;
  }

  observe(serverMs, localMs) {
    const sample = localMs - serverMs;
    if (this.offset === null || sample < this.offset) {
      this.offset = sample;
    } else {
      // Creep upwards (1 ms per snapshot at most) in case latency rose for good.
      this.offset += Math.min(1, (sample - this.offset) * 0.01);
    }
  }

  toServer(localMs) {
    return this.offset === null ? localMs : localMs - this.offset;
  }
}

/**
 * All remote members' pose buffers plus the render clock.
 * push() takes server timestamps (ms); sampleAll() calls fn(id, pose) per member with
 * the pose at (now - delay) in server time.
 */
export class Interpolator {
  constructor({ delayMs = 120, tickMs = 100 } = {}) {
    this.delayMs = delayMs;
    this.tickMs = tickMs;
    this.clock = new ServerClock();
    this.buffers = new Map();
    this._out = new Float64Array(7);
    // sampleAll() state, kept on the instance so the per-frame walk allocates nothing
    this._t = 0;
    this._fn = null;
    this._visit = (buf, id) => {
      if (buf.sample(this._t, this._out)) this._fn(id, this._out);
    };
  }

  observeSnapshot(serverMs, localMs = performance.now()) {
    this.clock.observe(serverMs, localMs);
  }

  push(id, serverMs, px, py, pz, qx, qy, qz, qw) {
    let buf = this.buffers.get(id);
    if (!buf) {
      buf = new PoseBuffer();
      this.buffers.set(id, buf);
    } else if (buf.count) {
      // Snapshots carry changes only: after a still spell the previous sample is old.
      // Repeat it one tick before this one, so the move is blended over one tick, not
      // smeared across the whole still spell.
      const last = buf.newestTime();
      if (serverMs - last > this.tickMs * 1.5) {
        const o = buf._at(0);
        const d = buf.data;
        buf.push(serverMs - this.tickMs, d[o + 1], d[o + 2], d[o + 3],
          d[o + 4], d[o + 5], d[o + 6], d[o + 7]);
      }
    }
    buf.push(serverMs, px, py, pz, qx, qy, qz, qw);
  }

  remove(id) {
    this.buffers.delete(id);
  }

  clear() {
    this.buffers.clear();
  }

  renderTime(localMs = performance.now()) {
    return this.clock.toServer(localMs) - this.delayMs;
  }

  sampleAll(fn, localMs = performance.now()) {
    this._t = this.renderTime(localMs);
    this._fn = fn;
    this.buffers.forEach(this._visit);
  }
}
