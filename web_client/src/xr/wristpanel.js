// The wrist panel: a small board on the left controller with the reaction buttons
// and the latest chat lines. Point the right controller at a button and pull the
// trigger to react. Drawn on a canvas (user text is only pixels), repainted when
// the chat changes or the pointed button changes, never every frame.
import {
  CanvasTexture, Matrix4, Mesh, MeshBasicMaterial, PlaneGeometry, Ray, SRGBColorSpace,
} from 'three';

import { t } from '../i18n/i18n.js';
import { drawIcon, KINDS } from '../live/icons.js';

const W_PX = 512;
const H_PX = 288;
const ROW_PX = 112; // the reaction buttons' row
const WIDTH_M = 0.2;
const HEIGHT_M = (WIDTH_M * H_PX) / W_PX;
const CHAT_LINES = 3;
const FONT = '"DejaVu Sans", system-ui, sans-serif';

export class WristPanel {
  /**
   * @param {import('three').Object3D} wrist the left grip
   * @param {HTMLElement|null} chatLog the live chat's log (its .live-msg lines)
   */
  constructor(wrist, chatLog) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = W_PX;
    this.canvas.height = H_PX;
    this.icons = KINDS.map((kind) => drawIcon(kind, 80));
    this.texture = new CanvasTexture(this.canvas);
    this.texture.colorSpace = SRGBColorSpace;
    this.mesh = new Mesh(new PlaneGeometry(WIDTH_M, HEIGHT_M),
      new MeshBasicMaterial({ map: this.texture, transparent: true, toneMapped: false }));
    this.mesh.name = 'xr-wrist-panel';
    // over the wrist, behind the handle; the grip space is tilted ~45 degrees down
    // from the pointing ray, so a quarter turn back makes the board face the eyes
    // (up and back at 45 degrees) while the hand is held in front, pointing ahead
    this.mesh.position.set(0, 0.02, 0.09);
    this.mesh.rotation.x = -Math.PI / 2;
    wrist.add(this.mesh);
    this.chatLog = chatLog;
    this.hovered = -1;
    this.lines = [];
    if (chatLog) new MutationObserver(() => this._readChat()).observe(chatLog, { childList: true });
    this._inverse = new Matrix4();
    this._local = new Ray();
    this._readChat();
  }

  /** World position of reaction `kind`'s button, written into `target` (tests aim at it). */
  buttonCenter(kind, target) {
    const cell = W_PX / KINDS.length;
    const px = (KINDS.indexOf(kind) + 0.5) * cell;
    target.set((px / W_PX - 0.5) * WIDTH_M, (0.5 - ROW_PX / 2 / H_PX) * HEIGHT_M, 0);
    return this.mesh.localToWorld(target);
  }

  /** Reaction kind under world `ray` (or null), and highlight it. */
  point(ray) {
    const index = this._buttonAt(ray);
    if (index !== this.hovered) {
      this.hovered = index;
      this.paint();
    }
    return index >= 0 ? KINDS[index] : null;
  }

  /** Distance along `ray` to the panel, or Infinity when it misses the board. */
  distance(ray) {
    return this._hitLocal(ray) ? this._t : Infinity;
  }

  _hitLocal(ray) {
    if (!this.mesh.visible) return false;
    this._inverse.copy(this.mesh.matrixWorld).invert();
    const local = this._local.copy(ray).applyMatrix4(this._inverse);
    const dz = local.direction.z;
    if (Math.abs(dz) < 1e-6) return false;
    const tLocal = -local.origin.z / dz;
    if (tLocal <= 0) return false;
    this._x = local.origin.x + local.direction.x * tLocal;
    this._y = local.origin.y + local.direction.y * tLocal;
    if (Math.abs(this._x) > WIDTH_M / 2 || Math.abs(this._y) > HEIGHT_M / 2) return false;
    this._t = tLocal; // the panel is not scaled: local distance = world distance
    return true;
  }

  _buttonAt(ray) {
    if (!this._hitLocal(ray)) return -1;
    const px = (this._x / WIDTH_M + 0.5) * W_PX;
    const py = (0.5 - this._y / HEIGHT_M) * H_PX;
    if (py > ROW_PX) return -1;
    return Math.min(KINDS.length - 1, Math.floor(px / (W_PX / KINDS.length)));
  }

  _readChat() {
    const messages = this.chatLog ? this.chatLog.querySelectorAll('.live-msg') : [];
    this.lines = [];
    for (let i = Math.max(0, messages.length - CHAT_LINES); i < messages.length; i++) {
      const m = messages[i];
      const name = m.querySelector('.live-msg-name')?.textContent || '';
      const text = m.querySelector('.live-msg-text')?.textContent || '';
      this.lines.push([name, text]);
    }
    this.paint();
  }

  paint() {
    const ctx = this.canvas.getContext('2d');
    const cell = W_PX / KINDS.length;
    ctx.clearRect(0, 0, W_PX, H_PX);
    ctx.fillStyle = 'rgba(18, 16, 24, 0.9)';
    ctx.beginPath();
    ctx.roundRect(0, 0, W_PX, H_PX, 24);
    ctx.fill();
    for (let i = 0; i < KINDS.length; i++) {
      if (i === this.hovered) {
        ctx.fillStyle = 'rgba(243, 217, 164, 0.35)';
        ctx.beginPath();
        ctx.roundRect(i * cell + 6, 10, cell - 12, ROW_PX - 16, 18);
        ctx.fill();
      }
      ctx.drawImage(this.icons[i], i * cell + (cell - 80) / 2, 18, 80, 80);
    }
    ctx.fillStyle = '#d9cbb0';
    ctx.font = `600 22px ${FONT}`;
    ctx.textBaseline = 'top';
    ctx.fillText(t('chat.title'), 20, ROW_PX + 4);
    ctx.font = `22px ${FONT}`;
    for (let i = 0; i < this.lines.length; i++) {
      const [name, text] = this.lines[i];
      const y = ROW_PX + 38 + i * 44;
      ctx.fillStyle = '#f3d9a4';
      ctx.fillText(name, 20, y, 150);
      ctx.fillStyle = '#ffffff';
      ctx.fillText(text, 180, y, W_PX - 200);
    }
    this.texture.needsUpdate = true;
  }
}
