// The seat of the member the host called, lit up in the hall for everyone: a ring
// on the floor, a soft column of light and a raised hand over the seat. Built once;
// a call only moves it. Blue, unlike the gold hover highlight of
// web_client/src/venue/seats.js. It does not animate: a hall that draws only on
// change stays still while someone speaks.
import {
  AdditiveBlending,
  CanvasTexture,
  CylinderGeometry,
  DoubleSide,
  Group,
  Mesh,
  MeshBasicMaterial,
  RingGeometry,
  SRGBColorSpace,
  Sprite,
  SpriteMaterial,
} from 'three';

import { drawHandIcon } from './handicon.js';

const COLOUR = 0x7fd6ff;
const BEAM_HEIGHT = 2.4; // metres above the seat's floor
const ICON_LIFT = 1.75; // the hand floats above a seated head

export class SeatMark {
  /** @param {{scene: import('three').Scene, seats: {get(id: string): object|null}, wake?: Function}} view */
  constructor(view) {
    this.view = view;
    this.seatId = null;
    this.group = new Group();
    this.group.name = 'hand-seat-mark';
    this.group.visible = false;
    const glow = { color: COLOUR, transparent: true, toneMapped: false, depthWrite: false };
    this.ring = new Mesh(new RingGeometry(0.34, 0.44, 48),
      new MeshBasicMaterial({ ...glow, opacity: 0.95, side: DoubleSide, depthTest: false }));
    this.ring.rotation.x = -Math.PI / 2;
    this.ring.renderOrder = 11;
    this.beam = new Mesh(new CylinderGeometry(0.4, 0.4, BEAM_HEIGHT, 32, 1, true),
      new MeshBasicMaterial({ ...glow, opacity: 0.18, side: DoubleSide, blending: AdditiveBlending }));
    this.beam.position.y = BEAM_HEIGHT / 2;
    const texture = new CanvasTexture(drawHandIcon(128));
    texture.colorSpace = SRGBColorSpace;
    this.icon = new Sprite(new SpriteMaterial({ map: texture, transparent: true, depthTest: false, toneMapped: false }));
    this.icon.scale.set(0.5, 0.5, 0.5);
    this.icon.position.y = ICON_LIFT;
    this.icon.renderOrder = 12;
    this.group.add(this.ring, this.beam, this.icon);
    view.scene.add(this.group);
  }

  /** Light up seat `seatId` (null, or a seat not in this hall, puts it out). */
  show(seatId) {
    const seat = seatId ? this.view.seats.get(seatId) : null;
    if ((seat ? seatId : null) === this.seatId) return;
    this.seatId = seat ? seatId : null;
    this.group.visible = Boolean(seat);
    if (seat) {
      this.group.position.set(seat.position[0], seat.floor_y + 0.02, seat.position[2]);
      // the hand above the seat's own height (a raked hall's seats are on steps)
      this.icon.position.y = seat.position[1] - seat.floor_y + ICON_LIFT;
    }
    this.view.wake?.(); // a view that draws on demand: show the change
  }

  /** For tests: which seat is lit. */
  state() {
    return { seatId: this.seatId, visible: this.group.visible };
  }
}
