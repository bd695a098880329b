// Entering and leaving immersive VR. The same renderer, scene and frame loop
// (renderer.setAnimationLoop) carry on in the headset; the visitor rig stays where
// it was, the headset's local-floor space is put down on it. Leaving puts the 2D
// camera where the head was (or back in the seat), at standing eye height.
import { Vector3 } from 'three';

import { STANDING_EYE_HEIGHT } from '../venue/controls.js';

const SESSION_FEATURES = { optionalFeatures: ['local-floor', 'bounded-floor', 'hand-tracking'] };

export class ImmersiveSession extends EventTarget {
  /** @param {import('../venue/view.js').VenueView} view */
  constructor(view) {
    super();
    this.view = view;
    this.session = null;
    const xr = view.renderer.xr;
    xr.enabled = true;
    xr.setReferenceSpaceType('local-floor');
    // fewer pixels at the edges of the lenses where nobody looks (where supported)
    xr.setFoveation(1);
    xr.addEventListener('sessionstart', () => this._onStart());
    xr.addEventListener('sessionend', () => this._onEnd());
  }

  get presenting() {
    return this.view.renderer.xr.isPresenting;
  }

  async enter() {
    const session = await navigator.xr.requestSession('immersive-vr', SESSION_FEATURES);
    this.session = session;
    await this.view.renderer.xr.setSession(session);
  }

  async exit() {
    if (this.session) await this.session.end();
  }

  _onStart() {
    this.view.controls.headTracked = true; // the headset moves the camera, not the mouse
    document.body.classList.add('in-vr');
    this.dispatchEvent(new Event('start'));
  }

  _onEnd() {
    this.session = null;
    const { controls, camera } = this.view;
    controls.headTracked = false;
    if (controls.seatId) {
      const seat = this.view.seats.get(controls.seatId);
      controls.feet.set(seat.eye[0], seat.floor_y, seat.eye[2]);
      controls.eyeHeight = seat.eye[1] - seat.floor_y;
    } else {
      // stand where the head was, looking the way it looked
      const head = camera.getWorldPosition(new Vector3());
      controls.feet.set(head.x, controls.floorY, head.z);
      controls.eyeHeight = STANDING_EYE_HEIGHT;
    }
    controls.yaw = headYaw(camera, controls.yaw);
    controls.pitch = 0;
    controls.moved = true;
    document.body.classList.remove('in-vr');
    this.dispatchEvent(new Event('end'));
  }
}

/** World yaw of the camera's view direction (rig yaw plus the head's turn). */
export function headYaw(camera, fallback) {
  const e = camera.matrixWorld.elements;
  // the camera looks along its -Z axis: (-e[8], -e[10]) on the floor
  const dx = -e[8];
  const dz = -e[10];
  return Math.hypot(dx, dz) < 1e-6 ? fallback : Math.atan2(-dx, -dz);
}
