// Decoder for the binary pose snapshot, docs/PROTOCOL.md section 6 (version 1).
// Little-endian; header 12 bytes; records of 21 bytes (+32 with hands); then the
// removed slots. decodeSnapshot() calls a visitor per record so the hot path builds
// no objects; snapshotToObject() is the readable form for tests and debugging.

export const VERSION = 1;
export const FLAG_FULL = 0x01;
export const SEATED = 0x01;
export const VR = 0x02;
export const HANDS = 0x04;

const HEADER_SIZE = 12;
const RECORD_SIZE = 21;
const HAND_SIZE = 16;
const INV_SQRT2 = Math.SQRT1_2;

/** Unpack a "smallest three" u32 into out[off..off+3] as (x, y, z, w). */
export function unpackQuaternion(word, out, off = 0) {
  const largest = word >>> 30;
  // n = round((v * sqrt2 + 1) * 511): 511 steps either side of zero, zero exact.
  const a = (((word >>> 20) & 1023) / 511 - 1) * INV_SQRT2;
  const b = (((word >>> 10) & 1023) / 511 - 1) * INV_SQRT2;
  const c = ((word & 1023) / 511 - 1) * INV_SQRT2;
  const d = Math.sqrt(Math.max(0, 1 - a * a - b * b - c * c));
  // The three stored components are the others in increasing index order.
  switch (largest) {
    case 0: out[off] = d; out[off + 1] = a; out[off + 2] = b; out[off + 3] = c; break;
    case 1: out[off] = a; out[off + 1] = d; out[off + 2] = b; out[off + 3] = c; break;
    case 2: out[off] = a; out[off + 1] = b; out[off + 2] = d; out[off + 3] = c; break;
    default: out[off] = a; out[off + 1] = b; out[off + 2] = c; out[off + 3] = d;
  }
  return out;
}

export class SnapshotError extends Error {}

function asView(data) {
  if (data instanceof DataView) return data;
  if (data instanceof ArrayBuffer) return new DataView(data);
  if (ArrayBuffer.isView(data)) return new DataView(data.buffer, data.byteOffset, data.byteLength);
  throw new SnapshotError('snapshot is not binary');
}

/**
 * Decode one snapshot.
 * visitor.header(version, full, tick, serverMs, nChanged, nRemoved)
 * visitor.member(slot, seq, pose, flags, hands)  pose: Float64Array(7) x,y,z,qx,qy,qz,qw
 *   (reused between calls: copy what you keep); hands: Float64Array(14) or null.
 * visitor.removed(slot)
 * Throws SnapshotError on an unknown version or truncated / oversized data.
 */
export function decodeSnapshot(data, visitor, scratch = makeScratch()) {
  const v = asView(data);
  if (v.byteLength < HEADER_SIZE) throw new SnapshotError('truncated snapshot header');
  const version = v.getUint8(0);
  if (version !== VERSION) throw new SnapshotError(`unknown snapshot version ${version}`);
  const full = (v.getUint8(1) & FLAG_FULL) !== 0;
  const tick = v.getUint16(2, true);
  const serverMs = v.getUint32(4, true);
  const nChanged = v.getUint16(8, true);
  const nRemoved = v.getUint16(10, true);
  visitor.header?.(version, full, tick, serverMs, nChanged, nRemoved);
  let o = HEADER_SIZE;
  const pose = scratch.pose;
  const hands = scratch.hands;
  for (let i = 0; i < nChanged; i++) {
    if (o + RECORD_SIZE > v.byteLength) throw new SnapshotError('truncated snapshot record');
    const slot = v.getUint16(o, true);
    const seq = v.getUint16(o + 2, true);
    pose[0] = v.getInt32(o + 4, true) / 1000;
    pose[1] = v.getInt32(o + 8, true) / 1000;
    pose[2] = v.getInt32(o + 12, true) / 1000;
    unpackQuaternion(v.getUint32(o + 16, true), pose, 3);
    const flags = v.getUint8(o + 20);
    o += RECORD_SIZE;
    let withHands = null;
    if (flags & HANDS) {
      if (o + 2 * HAND_SIZE > v.byteLength) throw new SnapshotError('truncated hand record');
      for (let hnd = 0; hnd < 2; hnd++) {
        const b = hnd * 7;
        hands[b] = v.getInt32(o, true) / 1000;
        hands[b + 1] = v.getInt32(o + 4, true) / 1000;
        hands[b + 2] = v.getInt32(o + 8, true) / 1000;
        unpackQuaternion(v.getUint32(o + 12, true), hands, b + 3);
        o += HAND_SIZE;
      }
      withHands = hands;
    }
    visitor.member?.(slot, seq, pose, flags, withHands);
  }
  if (o + 2 * nRemoved > v.byteLength) throw new SnapshotError('truncated removed list');
  for (let i = 0; i < nRemoved; i++) {
    visitor.removed?.(v.getUint16(o, true));
    o += 2;
  }
  if (o !== v.byteLength) throw new SnapshotError(`${v.byteLength - o} trailing bytes in snapshot`);
  return { tick, serverMs, full };
}

export function makeScratch() {
  return { pose: new Float64Array(7), hands: new Float64Array(14) };
}

/** The whole snapshot as plain objects (tests, debugging). */
export function snapshotToObject(data) {
  const snap = { changed: [], removed: [] };
  decodeSnapshot(data, {
    header(version, full, tick, serverMs) {
      Object.assign(snap, { version, full, tick, serverMs });
    },
    member(slot, seq, pose, flags, hands) {
      snap.changed.push({
        slot,
        seq,
        position: [pose[0], pose[1], pose[2]],
        rotation: [pose[3], pose[4], pose[5], pose[6]],
        flags,
        hands: hands ? Array.from(hands) : null,
      });
    },
    removed(slot) {
      snap.removed.push(slot);
    },
  });
  return snap;
}

/** Unwraps the u32 millisecond clock of the snapshots into a growing number. */
export class WrapClock {
  constructor() {
    this.last = null;
    this.base = 0;
  }

  unwrap(raw) {
    if (this.last !== null && raw < this.last && this.last - raw > 0x80000000) {
      this.base += 0x100000000;
    }
    this.last = raw;
    return this.base + raw;
  }
}
