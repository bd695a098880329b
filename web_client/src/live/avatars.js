// Friendly avatars for the other members of the instance: a rounded body (capsule)
// in the member's colour, a lighter head with two eyes, and a name tag.
// Bodies, heads and eyes are three InstancedMeshes with shared geometry, so fifty
// (or five hundred) avatars cost three draw calls plus one sprite per name tag.
import * as THREE from 'three';
import { mergeGeometries } from 'three/addons/utils/BufferGeometryUtils.js';

import { disposeNameTag, makeNameTag } from './nametag.js';

const HEAD_R = 0.15;
const BODY_R = 0.2;
const BODY_LEN = 0.34;
// The pose is the eye point; the body hangs below it (no legs: a seated or standing
// person reads the same way and nothing clips through seat rows).
const BODY_DROP = 0.16 + HEAD_R + BODY_LEN / 2 + BODY_R * 0.55;
const TAG_RISE = HEAD_R + 0.14;
const HAND_R = 0.07;

// Someone standing where we stand (everyone enters at the same spawn point) would
// fill the screen with the inside of a head: avatars this close to the viewer hide.
const HIDE_NEAR_M = 0.6;
const _zero = new THREE.Vector3(0, 0, 0);

const PARTS = ['body', 'head', 'eyes'];
const ALL_PARTS = ['body', 'head', 'eyes', 'hands'];

const _m = new THREE.Matrix4();
const _p = new THREE.Vector3();
const _q = new THREE.Quaternion();
const _s = new THREE.Vector3(1, 1, 1);
const _f = new THREE.Vector3();
const _up = new THREE.Vector3(0, 1, 0);
const _c = new THREE.Color();

/** A stable, pleasant colour for a member id when the server sends none. */
// Saturated, distinct colours that read well on dark seats and under warm light.
const PALETTE = [
  '#e6553f', '#f29e38', '#f2c94c', '#6fcf5b', '#2fb8a6', '#3fa2f2',
  '#5b6cf2', '#9b5bf2', '#e05bc8', '#f2738a', '#8fd14f', '#27c3e8',
];

export function colorForId(id) {
  let h = 2166136261;
  const s = String(id);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return new THREE.Color(PALETTE[(h >>> 0) % PALETTE.length]);
}

function eyesGeometry() {
  // Two white eyes with dark pupils, merged into one geometry with vertex colours.
  const parts = [];
  const add = (r, x, y, z, rgb) => {
    const g = new THREE.SphereGeometry(r, 12, 8);
    g.translate(x, y, z);
    const n = g.attributes.position.count;
    const col = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) col.set(rgb, i * 3);
    g.setAttribute('color', new THREE.BufferAttribute(col, 3));
    parts.push(g);
  };
  for (const side of [-1, 1]) {
    const x = side * 0.055;
    add(0.04, x, 0.025, -HEAD_R * 0.86, [1, 1, 1]);
    add(0.021, x, 0.025, -HEAD_R * 0.86 - 0.028, [0.07, 0.07, 0.12]);
  }
  const merged = mergeGeometries(parts);
  parts.forEach((g) => g.dispose());
  return merged;
}

function lighter(color) {
  return color.clone().lerp(new THREE.Color(1, 0.97, 0.92), 0.22);
}

export class AvatarLayer {
  /**
   * @param {THREE.Scene} scene
   * @param {{capacity?: number}} options
   */
  constructor(scene, { capacity = 64 } = {}) {
    this.scene = scene;
    this.group = new THREE.Group();
    this.group.name = 'live-avatars';
    scene.add(this.group);
    this.geometries = {
      body: new THREE.CapsuleGeometry(BODY_R, BODY_LEN, 6, 16),
      head: new THREE.SphereGeometry(HEAD_R, 20, 14),
      eyes: eyesGeometry(),
      // VR members' hands: a small rounded mitten, longer along the pointing axis (-Z)
      hands: new THREE.SphereGeometry(HAND_R, 12, 8).scale(0.8, 0.55, 1.35),
    };
    this.materials = {
      body: new THREE.MeshStandardMaterial({ roughness: 0.55, metalness: 0.05 }),
      head: new THREE.MeshStandardMaterial({ roughness: 0.45, metalness: 0.0 }),
      eyes: new THREE.MeshStandardMaterial({ vertexColors: true, roughness: 0.2 }),
      hands: new THREE.MeshStandardMaterial({ roughness: 0.5 }),
    };
    this.members = new Map(); // id -> record
    this.order = []; // slot -> id (dense)
    this.dirty = false;
    this.viewer = new THREE.Vector3(0, -1000, 0); // the local camera, set every frame
    this._build(capacity);
  }

  _build(capacity) {
    const old = this.meshes;
    this.capacity = capacity;
    this.meshes = {};
    for (const part of ALL_PARTS) {
      // two hands per member: instances 2 * slot (left) and 2 * slot + 1 (right)
      const n = part === 'hands' ? capacity * 2 : capacity;
      const mesh = new THREE.InstancedMesh(this.geometries[part], this.materials[part], n);
      mesh.name = `live-avatar-${part}`;
      mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
      mesh.count = 0;
      // Instances spread over the whole hall; per-instance bounds would cost more than
      // drawing a few off-screen capsules.
      mesh.frustumCulled = false;
      if (part !== 'eyes') mesh.setColorAt(0, _c.set(1, 1, 1));
      this.meshes[part] = mesh;
      this.group.add(mesh);
    }
    if (old) {
      for (const part of ALL_PARTS) {
        this.group.remove(old[part]);
        old[part].dispose();
      }
      this.order.forEach((id, slot) => {
        const rec = this.members.get(id);
        this._writeColor(slot, rec);
        this._writeMatrices(rec);
      });
      this.dirty = true;
    }
  }

  _writeColor(slot, rec) {
    this.meshes.body.setColorAt(slot, rec.color);
    this.meshes.head.setColorAt(slot, rec.headColor);
    this.meshes.hands.setColorAt(slot * 2, rec.color);
    this.meshes.hands.setColorAt(slot * 2 + 1, rec.color);
    this.meshes.body.instanceColor.needsUpdate = true;
    this.meshes.head.instanceColor.needsUpdate = true;
    this.meshes.hands.instanceColor.needsUpdate = true;
  }

  has(id) {
    return this.members.has(id);
  }

  get size() {
    return this.members.size;
  }

  /**
   * Add (or update the label of) a member. color: CSS colour string or THREE.Color.
   * The server names every member; the ellipsis only covers a name not yet known.
   */
  add(id, { name = '…', color = null, host = false } = {}) {
    const existing = this.members.get(id);
    if (existing) {
      if (existing.name !== name || existing.host !== host) this._relabel(existing, name, host);
      return existing;
    }
    if (this.order.length >= this.capacity) this._build(this.capacity * 2);
    const col = color ? new THREE.Color(color) : colorForId(id);
    const rec = {
      id,
      name,
      host,
      color: col,
      headColor: lighter(col),
      slot: this.order.length,
      position: new THREE.Vector3(0, -100, 0),
      quaternion: new THREE.Quaternion(),
      seatYaw: null,
      hands: new Float64Array(14), // left then right: x, y, z, qx, qy, qz, qw
      hasHands: false,
      tag: null,
    };
    rec.tag = makeNameTag(name, `#${col.getHexString()}`, { host });
    rec.tag.userData.liveMemberId = id;
    this.group.add(rec.tag);
    this.members.set(id, rec);
    this.order.push(id);
    this._writeColor(rec.slot, rec);
    this._setCounts();
    this._writeMatrices(rec);
    return rec;
  }

  _setCounts() {
    for (const part of PARTS) this.meshes[part].count = this.order.length;
    this.meshes.hands.count = this.order.length * 2;
  }

  _relabel(rec, name, host) {
    this.group.remove(rec.tag);
    disposeNameTag(rec.tag);
    rec.name = name;
    rec.host = host;
    rec.tag = makeNameTag(name, `#${rec.color.getHexString()}`, { host });
    rec.tag.userData.liveMemberId = rec.id;
    this.group.add(rec.tag);
    this._writeMatrices(rec);
  }

  remove(id) {
    const rec = this.members.get(id);
    if (!rec) return;
    this.group.remove(rec.tag);
    disposeNameTag(rec.tag);
    this.members.delete(id);
    // Keep slots dense: move the last avatar into the freed slot.
    const last = this.order.length - 1;
    const lastId = this.order[last];
    this.order.pop();
    if (rec.slot !== last) {
      const moved = this.members.get(lastId);
      moved.slot = rec.slot;
      this.order[rec.slot] = lastId;
      this._writeColor(moved.slot, moved);
      this._writeMatrices(moved);
    }
    this._setCounts();
    this.dirty = true;
  }

  clear() {
    for (const id of [...this.order]) this.remove(id);
  }

  /**
   * Seat a member: the body faces the seat's facing direction whatever the head does.
   * Pass null to stand up again.
   */
  setSeat(id, facing) {
    const rec = this.members.get(id);
    if (!rec) return;
    rec.seatYaw = facing ? Math.atan2(-facing[0], -facing[2]) : null;
    this._writeMatrices(rec);
  }

  /** Head pose: eye position and orientation (camera convention: looks along -Z). */
  setPose(id, px, py, pz, qx, qy, qz, qw) {
    const rec = this.members.get(id);
    if (!rec) return;
    const p = rec.position;
    const q = rec.quaternion;
    // a member standing still is sampled every frame: only a move (or the viewer
    // coming close enough to hide them) is written and drawn
    if (p.x === px && p.y === py && p.z === pz && q.x === qx && q.y === qy && q.z === qz && q.w === qw
        && rec.hidden === this._isNear(rec)) return;
    p.set(px, py, pz);
    q.set(qx, qy, qz, qw);
    this._writeMatrices(rec);
  }

  /** One hand (0 left, 1 right) of a VR member; setHands(id, null) hides both. */
  setHand(id, side, px, py, pz, qx, qy, qz, qw) {
    const rec = this.members.get(id);
    if (!rec) return;
    const h = rec.hands;
    const o = side * 7;
    if (rec.hasHands && h[o] === px && h[o + 1] === py && h[o + 2] === pz
        && h[o + 3] === qx && h[o + 4] === qy && h[o + 5] === qz && h[o + 6] === qw) return;
    h[o] = px; h[o + 1] = py; h[o + 2] = pz; h[o + 3] = qx; h[o + 4] = qy; h[o + 5] = qz; h[o + 6] = qw;
    rec.hasHands = true;
    this._writeHands(rec, false);
  }

  hideHands(id) {
    const rec = this.members.get(id);
    if (!rec || !rec.hasHands) return;
    rec.hasHands = false;
    this._writeHands(rec, true);
  }

  _writeHands(rec, hidden) {
    const h = rec.hands;
    for (let side = 0; side < 2; side++) {
      const o = side * 7;
      _p.set(h[o], h[o + 1], h[o + 2]);
      _q.set(h[o + 3], h[o + 4], h[o + 5], h[o + 6]);
      _m.compose(_p, _q, hidden || !rec.hasHands ? _zero : _s);
      this.meshes.hands.setMatrixAt(rec.slot * 2 + side, _m);
    }
    this.dirty = true;
  }

  _isNear(rec) {
    return rec.position.distanceToSquared(this.viewer) < HIDE_NEAR_M * HIDE_NEAR_M;
  }

  _writeMatrices(rec) {
    const slot = rec.slot;
    const hidden = this._isNear(rec);
    rec.hidden = hidden;
    rec.tag.visible = !hidden;
    const scale = hidden ? _zero : _s;
    _m.compose(rec.position, rec.quaternion, scale);
    this.meshes.head.setMatrixAt(slot, _m);
    this.meshes.eyes.setMatrixAt(slot, _m);
    let yaw = rec.seatYaw;
    if (yaw === null) {
      _f.set(0, 0, -1).applyQuaternion(rec.quaternion);
      yaw = Math.atan2(-_f.x, -_f.z);
    }
    _q.setFromAxisAngle(_up, yaw);
    _p.copy(rec.position);
    _p.y -= BODY_DROP;
    _m.compose(_p, _q, scale);
    this.meshes.body.setMatrixAt(slot, _m);
    rec.tag.position.set(rec.position.x, rec.position.y + TAG_RISE, rec.position.z);
    this._writeHands(rec, hidden);
  }

  /** Once per frame: upload what changed; true when something did. */
  flush() {
    if (!this.dirty) return false;
    for (const part of ALL_PARTS) {
      this.meshes[part].instanceMatrix.needsUpdate = true;
    }
    this.dirty = false;
    return true;
  }

  /** Test/debug helper: a member's rendered head position as [x, y, z]. */
  positionOf(id) {
    const rec = this.members.get(id);
    return rec ? [rec.position.x, rec.position.y, rec.position.z] : null;
  }

  /** Test/debug helper: [[lx, ly, lz], [rx, ry, rz]] or null without hands. */
  handsOf(id) {
    const rec = this.members.get(id);
    if (!rec || !rec.hasHands) return null;
    const h = rec.hands;
    return [[h[0], h[1], h[2]], [h[7], h[8], h[9]]];
  }

  dispose() {
    this.clear();
    this.scene.remove(this.group);
    for (const part of ALL_PARTS) {
      this.meshes[part].dispose();
      this.geometries[part].dispose();
      this.materials[part].dispose();
    }
  }
}
