// The guide's pointer: a marker every member of the group (and the guide) sees at
// the point the guide chose — a ring turned to the viewer around a bright dot, and
// on the floor a beam of light standing up from it. Still (no animation): a still
// hall is drawn seldom, and the marker must not keep it busy.
//
// GuidePointer: the guide's pointer mode. While on, a click or tap on a work, a
// wall or the floor sends that point (the hall neither walks nor opens a card);
// Escape, or the mode's button again, clears it.

import {
  CylinderGeometry, Group, Mesh, MeshBasicMaterial, Raycaster, RingGeometry, SphereGeometry, Vector2, Vector3,
} from 'three';

const COLOUR = 0xffc857;
const FLOOR_NEAR_M = 0.3; // a point this close above the floor is on it: the beam stands there
const BEAM_M = 2.4;
const SURFACE_GAP_M = 0.03;
const _eye = new Vector3();

export class PointerMarker {
  /** @param {import('../../venue/view.js').VenueView} view */
  constructor(view) {
    this.view = view;
    // drawn over what it marks: a point on a work lies in the work's own plane
    const solid = new MeshBasicMaterial({ color: COLOUR, depthTest: false, depthWrite: false });
    const glow = new MeshBasicMaterial({ color: COLOUR, transparent: true, opacity: 0.35, depthWrite: false });
    this.dot = new Mesh(new SphereGeometry(0.07, 16, 8), solid);
    this.ring = new Mesh(new RingGeometry(0.22, 0.3, 40), solid);
    this.beam = new Mesh(new CylinderGeometry(0.06, 0.06, BEAM_M, 16, 1, true), glow);
    this.beam.position.y = BEAM_M / 2;
    this.node = new Group();
    this.node.name = 'group-pointer';
    this.dot.renderOrder = 10;
    this.ring.renderOrder = 10;
    this.node.add(this.dot, this.ring, this.beam);
    this.node.visible = false;
    view.scene.add(this.node);
    view.onFrame(() => this._face());
  }

  get visible() {
    return this.node.visible;
  }

  /** Show the marker at [x, y, z], or hide it (null). */
  show(point) {
    if (!Array.isArray(point) || point.length !== 3) {
      this.node.visible = false;
    } else {
      const [x, y, z] = point;
      this.node.position.set(x, y, z);
      const floor = this.view.floor.heightAt(x, z, y, FLOOR_NEAR_M);
      this.beam.visible = floor !== null;
      this.node.visible = true;
      this._face();
    }
    this.view.wake();
  }

  /** The ring faces the viewer (it reads as a ring from anywhere). */
  _face() {
    if (this.node.visible) this.ring.lookAt(this.view.camera.getWorldPosition(_eye));
    return false;
  }
}

export class GuidePointer extends EventTarget {
  /**
   * @param {import('../../venue/view.js').VenueView} view
   * @param {(point: number[]|null) => void} send
   */
  constructor(view, send) {
    super();
    this.view = view;
    this.send = send;
    this.on = false;
    this._raycaster = new Raycaster();
    this._ndc = new Vector2();
    view.addEventListener('tap', (e) => {
      if (!this.on) return;
      e.preventDefault();
      const point = this.pick(e.detail.x, e.detail.y);
      if (point) this.send(point);
    });
    // capturing: Escape counts wherever the focus is (the console's buttons keep
    // their keys from the hall)
    window.addEventListener('keydown', (e) => {
      if (this.on && e.key === 'Escape') this.setOn(false);
    }, true);
  }

  /** Pointer mode on or off; off clears the marker unless `clear` is false (the group ended). */
  setOn(on, { clear = true } = {}) {
    if (this.on === on) return;
    this.on = on;
    if (!on && clear) this.send(null);
    this.view.canvas.classList.toggle('pointing', on);
    this.dispatchEvent(new Event('change'));
  }

  /** The first thing of the hall under the screen point (CSS pixels): [x, y, z] or null. */
  pick(clientX, clientY) {
    const view = this.view;
    const rect = view.canvas.getBoundingClientRect();
    this._ndc.set(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this._raycaster.setFromCamera(this._ndc, view.camera);
    const targets = [view.root, view.exhibits].filter(Boolean);
    const hit = this._raycaster.intersectObjects(targets, true)[0];
    if (!hit) return null;
    // a few centimetres before the surface, on the guide's side
    const p = hit.point.addScaledVector(this._raycaster.ray.direction, -SURFACE_GAP_M);
    return [round(p.x), round(p.y), round(p.z)];
  }
}

function round(v) {
  return Math.round(v * 1000) / 1000;
}
