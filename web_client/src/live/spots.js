// Where a reaction icon rises from: the people in the hall; with nobody else
// here, seats in view; failing that, just in front of us.
import * as THREE from 'three';

export class ReactionSpots {
  /**
   * @param {{camera: THREE.Camera, metadata: {seats?: Array<{eye: number[]}>}}} view
   * @param {import('./avatars.js').AvatarLayer} avatars
   */
  constructor(view, avatars) {
    this.view = view;
    this.avatars = avatars;
    this._spot = new THREE.Vector3();
    this._camPos = new THREE.Vector3();
    this._camDir = new THREE.Vector3();
  }

  pick() {
    const cam = this.view.camera;
    cam.getWorldPosition(this._camPos);
    cam.getWorldDirection(this._camDir);
    if (this.avatars.size && Math.random() < 0.75) {
      const id = this.avatars.order[Math.floor(Math.random() * this.avatars.order.length)];
      const rec = this.avatars.members.get(id);
      if (rec && rec.position.y > -50) return this._spot.copy(rec.position);
    }
    const seats = this.view.metadata.seats || [];
    for (let i = 0; i < 8 && seats.length; i++) {
      const s = seats[Math.floor(Math.random() * seats.length)];
      this._spot.set(s.eye[0], s.eye[1], s.eye[2]);
      const dx = this._spot.x - this._camPos.x;
      const dy = this._spot.y - this._camPos.y;
      const dz = this._spot.z - this._camPos.z;
      const d = Math.hypot(dx, dy, dz);
      if (d > 1 && d < 25 && (dx * this._camDir.x + dy * this._camDir.y + dz * this._camDir.z) / d > 0.6) {
        return this._spot;
      }
    }
    const ahead = 2.5 + Math.random() * 3;
    return this._spot.copy(this._camPos).addScaledVector(this._camDir, ahead)
      .add({ x: (Math.random() - 0.5) * 3, y: -0.6, z: (Math.random() - 0.5) * 1.5 });
  }
}
