// The stage screen: the event's poster, or a "stream starts soon" card, drawn
// into a canvas texture that replaces the material of the GLB's `screen` node.
// The realtime layer can later swap the map for a video texture the same way.

import { BufferGeometry, Float32BufferAttribute, Mesh, MeshBasicMaterial } from 'three';

import { formatDateTime, t } from '../i18n/i18n.js';
import { drawLetterboxed, paintGlow, SANS, screenCanvas, SERIF } from './screencanvas.js';

/** Meshes of the node named `screen` (the node itself, or its primitives). */
export function findScreenMeshes(root) {
  const node = root.getObjectByName('screen');
  const meshes = [];
  if (node) node.traverse((o) => { if (o.isMesh) meshes.push(o); });
  return meshes;
}

/**
 * A screen drawn from the metadata's rectangle, for a venue whose GLB has no
 * `screen` node (an uploaded model: its editor places the screen in the portal).
 * `corners` are bottom-left, bottom-right, top-right, top-left as the audience sees them.
 */
export function screenFromRect(root, rect) {
  if (!rect || !rect.corners) return [];
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(rect.corners.flat(), 3));
  geometry.setAttribute('uv', new Float32BufferAttribute([0, 0, 1, 0, 1, 1, 0, 1], 2));
  geometry.setIndex([0, 1, 2, 0, 2, 3]);
  const mesh = new Mesh(geometry);
  mesh.name = 'screen';
  root.add(mesh);
  return [mesh];
}

export class StageScreen {
  /**
   * @param {import('three').Object3D} root the loaded venue
   * @param {{width: number, height: number}|null} rect metadata.screen
   * @param {number} maxAnisotropy
   */
  constructor(root, rect, maxAnisotropy = 1) {
    this.meshes = findScreenMeshes(root);
    if (!this.meshes.length) this.meshes = screenFromRect(root, rect);
    ({ canvas: this.canvas, texture: this.texture } = screenCanvas(rect));
    this.texture.anisotropy = maxAnisotropy;
    // the screen glows by itself: unlit and not tone-mapped, like a projection
    this.material = new MeshBasicMaterial({ map: this.texture, toneMapped: false });
    for (const mesh of this.meshes) mesh.material = this.material;
    this.onChange = null; // the view's wake(): a redrawn card is drawn on screen at once
  }

  get present() {
    return this.meshes.length > 0;
  }

  /** Draw the placeholder card now; swap in the poster once it has loaded. */
  show({ venue, event }) {
    this._drawCard(venue, event);
    if (event && event.poster_url) {
      const img = new Image();
      img.decoding = 'async';
      img.onload = () => this._drawPoster(img);
      img.onerror = () => {}; // keep the card
      img.src = event.poster_url;
    }
  }

  _drawCard(venue, event) {
    const ctx = this.canvas.getContext('2d');
    const { width: w, height: h } = this.canvas;
    paintGlow(ctx, w, h, '#3a1c18');
    ctx.strokeStyle = 'rgba(226, 182, 108, 0.55)';
    ctx.lineWidth = Math.max(2, w * 0.004);
    const inset = w * 0.03;
    ctx.strokeRect(inset, inset, w - 2 * inset, h - 2 * inset);

    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const live = event && event.status === 'live';
    ctx.fillStyle = '#e2b66c';
    ctx.font = `600 ${Math.round(h * 0.055)}px ${SANS}`;
    const kicker = !event ? t('venue.screen_welcome') : live ? t('venue.screen_soon') : startsLabel(event);
    ctx.fillText(kicker.toUpperCase(), w / 2, h * 0.3);

    ctx.fillStyle = '#f7ecdc';
    const title = event ? event.title : venue.name;
    fitText(ctx, title, w * 0.86, Math.round(h * 0.13), `600 {size}px ${SERIF}`, w / 2, h * 0.48);

    ctx.fillStyle = '#cdbba6';
    ctx.font = `${Math.round(h * 0.05)}px ${SANS}`;
    const inst = venue.institution ? venue.institution.name : '';
    ctx.fillText([venue.name, inst].filter(Boolean).join(' · '), w / 2, h * 0.66);
    this.texture.needsUpdate = true;
    this.onChange?.();
  }

  _drawPoster(img) {
    const ctx = this.canvas.getContext('2d');
    drawLetterboxed(ctx, img, this.canvas.width, this.canvas.height, '#0d0706');
    this.texture.needsUpdate = true;
    this.onChange?.();
  }
}

function startsLabel(event) {
  const start = new Date(event.starts_at);
  if (event.status === 'past') return t('venue.screen_ended');
  const when = formatDateTime(start, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
  return t('venue.screen_starts', { when });
}

/** Shrink the font until `text` fits `maxWidth` (two lines at most). */
function fitText(ctx, text, maxWidth, size, fontTemplate, x, y) {
  for (let s = size; s >= 18; s -= 4) {
    ctx.font = fontTemplate.replace('{size}', s);
    if (ctx.measureText(text).width <= maxWidth) {
      ctx.fillText(text, x, y);
      return;
    }
    const words = text.split(/\s+/);
    for (let i = Math.ceil(words.length / 2); i > 0 && i < words.length; i++) {
      const a = words.slice(0, i).join(' ');
      const b = words.slice(i).join(' ');
      if (ctx.measureText(a).width <= maxWidth && ctx.measureText(b).width <= maxWidth && s <= size * 0.8) {
        ctx.fillText(a, x, y - s * 0.55);
        ctx.fillText(b, x, y + s * 0.55);
        return;
      }
    }
  }
  ctx.fillText(text, x, y, maxWidth);
}
