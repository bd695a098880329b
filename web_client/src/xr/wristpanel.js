// The wrist panel: a small board on the left controller, the page's social tools
// where a headset user can reach them: reactions, quick replies into the chat,
// raise hand (when the event takes hands), a gallery's Tour, exit VR; while a tour
// runs, its stop and controls (xr/tourcontrols.js; the board grows for them); below
// them the question on stage and the latest chat lines. Point the right controller at a button and pull
// the trigger. Drawn on a canvas (user text is only pixels), repainted when
// something it shows changes, never every frame.
import {
  CanvasTexture, Matrix4, Mesh, MeshBasicMaterial, PlaneGeometry, Ray, SRGBColorSpace,
} from 'three';

import { t } from '../i18n/i18n.js';
import { drawIcon, KINDS } from '../live/icons.js';
import {
  buttonAt, layoutButtons, PANEL_H, PANEL_W, panelSize, REACTION_ROW, TEXT_TOP,
} from './panellayout.js';

const WIDTH_M = 0.2;
const M_PER_PX = WIDTH_M / PANEL_W;
const PANEL_Z = 0.11; // the board's middle, behind the handle, before it grows
const ICON_PX = 76;
const CHAT_LINES = 3;
const FONT = '"DejaVu Sans", system-ui, sans-serif';
const GOLD = '#f3d9a4';
const TOUR_TITLE_MIDDLE = 26; // px below the tour part's top

export class WristPanel {
  /**
   * @param {import('three').Object3D} wrist the left grip
   * @param {{chatLog: HTMLElement|null, board: {current: object|null}|null,
   *          replies: () => {id: string, label: string}[],
   *          actions: () => {id: string, label: string, on?: boolean}[],
   *          tour?: () => {title: string, rows: {id: string, label: string}[][]}|null}} sources
   *   what it shows: the live chat's log (its .live-msg lines), the Q&A board, the
   *   quick replies, the actions available now and a running tour's part (asked
   *   again on every repaint)
   */
  constructor(wrist, sources) {
    this.sources = sources;
    this.canvas = document.createElement('canvas');
    this.canvas.width = PANEL_W;
    this.canvas.height = PANEL_H;
    this.icons = new Map(KINDS.map((kind) => [kind, drawIcon(kind, ICON_PX)]));
    this.texture = new CanvasTexture(this.canvas);
    this.texture.colorSpace = SRGBColorSpace;
    this.heightPx = PANEL_H;
    this.textTop = TEXT_TOP;
    this.tourTitle = null; // the tour part's title line while it shows
    this.mesh = new Mesh(new PlaneGeometry(WIDTH_M, PANEL_H * M_PER_PX),
      new MeshBasicMaterial({ map: this.texture, transparent: true, toneMapped: false }));
    this.mesh.name = 'xr-wrist-panel';
    // over the wrist, behind the handle; the grip space is tilted ~45 degrees down
    // from the pointing ray, so a quarter turn back makes the board face the eyes
    // (up and back at 45 degrees) while the hand is held in front, pointing ahead
    this.mesh.position.set(0, 0.02, PANEL_Z);
    this.mesh.rotation.x = -Math.PI / 2;
    wrist.add(this.mesh);
    this.buttons = [];
    this.hovered = null;
    this.lines = [];
    this.status = '';
    const { chatLog } = sources;
    if (chatLog) new MutationObserver(() => this._readChat()).observe(chatLog, { childList: true });
    this._inverse = new Matrix4();
    this._local = new Ray();
    this._readChat();
  }

  /** World position of button `id` (a reaction kind, a reply or action id), into `target`; null if absent. */
  buttonCenter(id, target) {
    const b = this.buttons.find((button) => button.id === id);
    if (!b) return null;
    const px = b.x + b.w / 2;
    const py = b.y + b.h / 2;
    target.set((px / PANEL_W - 0.5) * WIDTH_M, (this.heightPx / 2 - py) * M_PER_PX, 0);
    return this.mesh.localToWorld(target);
  }

  /** The button under world `ray` (or null), highlighted. */
  point(ray) {
    const button = this._hitLocal(ray)
      ? buttonAt(this.buttons, (this._x / WIDTH_M + 0.5) * PANEL_W, this.heightPx / 2 - this._y / M_PER_PX)
      : null;
    if (button?.id !== this.hovered?.id) {
      this.hovered = button;
      this.paint();
    }
    return button;
  }

  /** Distance along `ray` to the panel, or Infinity when it misses the board. */
  distance(ray) {
    return this._hitLocal(ray) ? this._t : Infinity;
  }

  /** A short line under the chat (what a reply did); '' clears it. */
  setStatus(text) {
    this.status = text;
    this.paint();
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
    if (Math.abs(this._x) > WIDTH_M / 2 || Math.abs(this._y) > (this.heightPx * M_PER_PX) / 2) return false;
    this._t = tLocal; // the panel is not scaled: local distance = world distance
    return true;
  }

  _readChat() {
    const { chatLog } = this.sources;
    const messages = chatLog ? chatLog.querySelectorAll('.live-msg') : [];
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
    const tour = this.sources.tour?.() || null;
    const rows = tour ? tour.rows : [];
    const { height, textTop } = panelSize(rows.length);
    if (height !== this.heightPx) this._resize(height);
    this.textTop = textTop;
    this.tourTitle = tour ? tour.title : null;
    this.buttons = layoutButtons(KINDS, this.sources.replies(), this.sources.actions(), rows);
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, PANEL_W, height);
    ctx.fillStyle = 'rgba(18, 16, 24, 0.92)';
    ctx.beginPath();
    ctx.roundRect(0, 0, PANEL_W, height, 24);
    ctx.fill();
    if (tour) {
      ctx.fillStyle = GOLD;
      ctx.font = `600 22px ${FONT}`;
      ctx.textBaseline = 'middle';
      ctx.fillText(tour.title, 20, TEXT_TOP + TOUR_TITLE_MIDDLE, PANEL_W - 40);
    }
    for (const b of this.buttons) this._paintButton(ctx, b);
    this._paintText(ctx);
    this.texture.needsUpdate = true;
  }

  /** A taller (or shorter) board: its top edge stays where it is, it grows towards the wrist. */
  _resize(height) {
    this.heightPx = height;
    this.canvas.height = height;
    const material = this.mesh.material;
    this.texture.dispose(); // a texture's size is fixed once sent to the GPU
    this.texture = new CanvasTexture(this.canvas);
    this.texture.colorSpace = SRGBColorSpace;
    material.map = this.texture;
    material.needsUpdate = true;
    this.mesh.geometry.dispose();
    this.mesh.geometry = new PlaneGeometry(WIDTH_M, height * M_PER_PX);
    // the board's up is the grip's -z: half the growth back along +z keeps the top put
    this.mesh.position.z = PANEL_Z + ((height - PANEL_H) * M_PER_PX) / 2;
    this.mesh.updateMatrixWorld(true);
  }

  _paintButton(ctx, b) {
    const hovered = b.id === this.hovered?.id;
    if (b.kind === 'reaction') {
      if (hovered) {
        ctx.fillStyle = 'rgba(243, 217, 164, 0.35)';
        ctx.beginPath();
        ctx.roundRect(b.x + 6, b.y + 8, b.w - 12, b.h - 14, 18);
        ctx.fill();
      }
      const y = REACTION_ROW.y + (REACTION_ROW.h - ICON_PX) / 2;
      ctx.drawImage(this.icons.get(b.id), b.x + (b.w - ICON_PX) / 2, y, ICON_PX, ICON_PX);
      return;
    }
    // a text button: replies are outlined, actions and a tour's filled (a raised hand glows)
    ctx.beginPath();
    ctx.roundRect(b.x + 6, b.y + 6, b.w - 12, b.h - 12, 14);
    if (b.disabled) ctx.fillStyle = 'rgba(255, 255, 255, 0.03)';
    else if (hovered) ctx.fillStyle = 'rgba(243, 217, 164, 0.45)';
    else if (b.on) ctx.fillStyle = 'rgba(243, 217, 164, 0.3)';
    else ctx.fillStyle = b.kind === 'reply' ? 'rgba(255, 255, 255, 0.06)' : 'rgba(255, 255, 255, 0.14)';
    ctx.fill();
    ctx.strokeStyle = 'rgba(243, 217, 164, 0.6)';
    ctx.lineWidth = 2;
    ctx.stroke();
    if (b.disabled) ctx.fillStyle = 'rgba(255, 255, 255, 0.35)';
    else ctx.fillStyle = (b.id === 'exit' || b.id === 'tour-end') && !hovered ? '#ffd0c8' : '#ffffff';
    ctx.font = `600 ${b.kind === 'reply' ? 22 : 24}px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(b.label, b.x + b.w / 2, b.y + b.h / 2 + 1, b.w - 24);
    ctx.textAlign = 'left';
  }

  _paintText(ctx) {
    ctx.textBaseline = 'top';
    let y = this.textTop + 4;
    const question = this.sources.board?.current;
    if (question) {
      ctx.fillStyle = GOLD;
      ctx.font = `600 20px ${FONT}`;
      ctx.fillText(t('xr.panel.on_stage'), 20, y, PANEL_W - 40);
      ctx.fillStyle = '#ffffff';
      ctx.font = `20px ${FONT}`;
      ctx.fillText(question.text, 20, y + 26, PANEL_W - 40);
      y += 60;
    }
    ctx.fillStyle = '#d9cbb0';
    ctx.font = `600 22px ${FONT}`;
    ctx.fillText(t('chat.title'), 20, y);
    ctx.font = `22px ${FONT}`;
    const lines = this.lines.slice(question ? -2 : -CHAT_LINES);
    for (let i = 0; i < lines.length; i++) {
      const [name, text] = lines[i];
      const lineY = y + 32 + i * 36;
      ctx.fillStyle = GOLD;
      ctx.fillText(name, 20, lineY, 140);
      ctx.fillStyle = '#ffffff';
      ctx.fillText(text, 170, lineY, PANEL_W - 190);
    }
    if (this.status) {
      ctx.fillStyle = '#bfe3c0';
      ctx.font = `italic 20px ${FONT}`;
      ctx.fillText(this.status, 20, this.heightPx - 34, PANEL_W - 40);
    }
  }
}
