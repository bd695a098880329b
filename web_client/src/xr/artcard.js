// A work's card in the headset: the 2D page's card is a DOM dialog, which a headset
// does not show. This board stands in the hall a little below the eyes, an arm and
// a half ahead, facing the visitor: the larger image, the title, author and date,
// the medium, the start of the text and the credit line. Pointing at a work and
// pulling the trigger opens it (xr.js), as does "About this work" on the wrist
// panel; pulling the trigger at the card closes it. Texts are the venue
// metadata's (already in the visitor's language) and are only pixels here.
import {
  CanvasTexture, Matrix4, Mesh, MeshBasicMaterial, PlaneGeometry, Ray, SRGBColorSpace, Vector3,
} from 'three';

import { t } from '../i18n/i18n.js';
import { FONT, wrapText } from './canvastext.js';

const CANVAS_W = 1024;
const CANVAS_H = 640;
const WIDTH_M = 0.8;
const HEIGHT_M = (WIDTH_M * CANVAS_H) / CANVAS_W;
const DISTANCE_M = 1.1;
const BELOW_EYES_M = 0.02; // its foot stays clear of the captions' board
const IMAGE_BOX = { x: 32, y: 32, w: 440, h: 520 };
const TEXT_X = 500;
const TEXT_W = CANVAS_W - TEXT_X - 36;
const GOLD = '#f3d9a4';

export class XrArtCard {
  /** @param {import('../venue/view.js').VenueView} view */
  constructor(view) {
    this.view = view;
    this.byId = new Map((view.metadata.exhibits || []).filter((e) => e.image_url).map((e) => [e.id, e]));
    this.exhibitId = null;
    this.image = null; // the open work's image once it has loaded
    this.canvas = document.createElement('canvas');
    this.canvas.width = CANVAS_W;
    this.canvas.height = CANVAS_H;
    this.texture = new CanvasTexture(this.canvas);
    this.texture.colorSpace = SRGBColorSpace;
    this.mesh = new Mesh(new PlaneGeometry(WIDTH_M, HEIGHT_M),
      new MeshBasicMaterial({ map: this.texture, toneMapped: false }));
    this.mesh.name = 'xr-art-card';
    this.mesh.visible = false;
    this.mesh.renderOrder = 10;
    view.scene.add(this.mesh);
    this._head = new Vector3();
    this._ahead = new Vector3();
    this._inverse = new Matrix4();
    this._local = new Ray();
  }

  /** Whether work `id` has a card. */
  has(id) {
    return this.byId.has(id);
  }

  /** Open the card of work `id` before the visitor's eyes; false when there is none. */
  open(id) {
    const exhibit = this.byId.get(id);
    if (!exhibit) return false;
    this.exhibitId = id;
    this.image = null;
    this._place();
    this._paint(exhibit);
    this.mesh.visible = true;
    const image = new Image();
    image.crossOrigin = 'anonymous';
    image.decoding = 'async';
    image.onload = () => {
      if (this.exhibitId !== id) return; // another card since
      this.image = image;
      this._paint(exhibit);
      this.view.wake();
    };
    image.src = exhibit.image_url;
    this.view.wake();
    return true;
  }

  close() {
    this.exhibitId = null;
    this.image = null;
    this.mesh.visible = false;
    this.view.wake();
  }

  /** Distance along world `ray` to the open card, or Infinity. */
  distance(ray) {
    if (!this.mesh.visible) return Infinity;
    this._inverse.copy(this.mesh.matrixWorld).invert();
    const local = this._local.copy(ray).applyMatrix4(this._inverse);
    const dz = local.direction.z;
    if (Math.abs(dz) < 1e-6) return Infinity;
    const along = -local.origin.z / dz;
    if (along <= 0) return Infinity;
    const x = local.origin.x + local.direction.x * along;
    const y = local.origin.y + local.direction.y * along;
    return Math.abs(x) <= WIDTH_M / 2 && Math.abs(y) <= HEIGHT_M / 2 ? along : Infinity;
  }

  /** Ahead of the head (level, whatever its pitch), turned to face it. */
  _place() {
    const camera = this.view.camera;
    camera.updateMatrixWorld(true);
    const head = camera.getWorldPosition(this._head);
    const e = camera.matrixWorld.elements;
    const ahead = this._ahead.set(-e[8], 0, -e[10]);
    if (ahead.lengthSq() < 1e-6) ahead.set(0, 0, -1);
    ahead.normalize().multiplyScalar(DISTANCE_M);
    this.mesh.position.set(head.x + ahead.x, head.y - BELOW_EYES_M, head.z + ahead.z);
    this.mesh.lookAt(head.x, head.y - BELOW_EYES_M, head.z);
    this.mesh.updateMatrixWorld(true);
  }

  _paint(e) {
    const ctx = this.canvas.getContext('2d');
    ctx.fillStyle = '#17141d';
    ctx.fillRect(0, 0, CANVAS_W, CANVAS_H);
    this._paintImage(ctx);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    let y = 40;
    const block = (text, font, colour, lineHeight, maxLines) => {
      if (!text) return;
      ctx.font = font;
      ctx.fillStyle = colour;
      for (const line of wrapText(ctx, text, TEXT_W, maxLines)) {
        ctx.fillText(line, TEXT_X, y);
        y += lineHeight;
      }
      y += 12;
    };
    block(e.title, `700 40px ${FONT}`, '#ffffff', 48, 3);
    block([e.author, e.year].filter(Boolean).join(', '), `28px ${FONT}`, GOLD, 36, 2);
    block(e.medium, `24px ${FONT}`, '#d9cbb0', 32, 2);
    const room = Math.max(0, Math.floor((CANVAS_H - 150 - y) / 32));
    if (room) block(e.description, `24px ${FONT}`, '#ffffff', 32, room);
    ctx.font = `22px ${FONT}`;
    ctx.fillStyle = '#d9cbb0';
    if (e.credit) {
      const credit = wrapText(ctx, `${t('art.credit')} ${e.credit}`, TEXT_W, 2);
      credit.forEach((line, i) => ctx.fillText(line, TEXT_X, CANVAS_H - 120 + i * 28));
    }
    ctx.fillStyle = '#bfe3c0';
    ctx.font = `italic 22px ${FONT}`;
    ctx.fillText(t('xr.card.close_hint'), TEXT_X, CANVAS_H - 52, TEXT_W);
    this.texture.needsUpdate = true;
  }

  _paintImage(ctx) {
    const box = IMAGE_BOX;
    const image = this.image;
    if (!image || !image.naturalWidth) {
      ctx.fillStyle = '#2a2533'; // where the image comes once loaded
      ctx.fillRect(box.x, box.y, box.w, box.h);
      return;
    }
    const scale = Math.min(box.w / image.naturalWidth, box.h / image.naturalHeight);
    const w = image.naturalWidth * scale;
    const h = image.naturalHeight * scale;
    ctx.drawImage(image, box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h);
  }
}
