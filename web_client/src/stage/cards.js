// StageCards: what the screen shows when no picture plays — "the stream will
// resume" while it stalls, a closing card after the show, and slides (a PNG per
// page, letterboxed). One canvas texture, redrawn on demand.

import { t } from '../i18n/i18n.js';
import { drawLetterboxed, paintGlow, SANS, screenCanvas, SERIF } from '../venue/screencanvas.js';

export class StageCards {
  /** @param {{width: number, height: number}|null} rect metadata.screen */
  constructor(rect) {
    ({ canvas: this.canvas, texture: this.texture } = screenCanvas(rect));
    this.showing = null; // 'resume' | 'closing' | 'slide'
  }

  _background() {
    const ctx = this.canvas.getContext('2d');
    const { width: w, height: h } = this.canvas;
    paintGlow(ctx, w, h, '#2a1a16');
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    return { ctx, w, h };
  }

  _lines(kicker, title) {
    const { ctx, w, h } = this._background();
    ctx.fillStyle = '#e2b66c';
    ctx.font = `600 ${Math.round(h * 0.06)}px ${SANS}`;
    ctx.fillText(kicker.toUpperCase(), w / 2, h * 0.38, w * 0.9);
    ctx.fillStyle = '#f7ecdc';
    ctx.font = `600 ${Math.round(h * 0.09)}px ${SERIF}`;
    ctx.fillText(title, w / 2, h * 0.56, w * 0.9);
    this.texture.needsUpdate = true;
  }

  /** The picture stalled: it will come back by itself. */
  resume() {
    this.showing = 'resume';
    this._lines(t('stage.card_resume_kicker'), t('stage.card_resume'));
    return this.texture;
  }

  /** The host ended the show. */
  closing(title) {
    this.showing = 'closing';
    this._lines(t('stage.card_closing'), title || t('stage.card_thanks'));
    return this.texture;
  }

  /** One slide image, fitted inside the screen. */
  slide(img) {
    this.showing = 'slide';
    const ctx = this.canvas.getContext('2d');
    drawLetterboxed(ctx, img, this.canvas.width, this.canvas.height, '#000');
    this.texture.needsUpdate = true;
    return this.texture;
  }
}

/** An image element once loaded (rejects on error). */
export function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`image failed: ${url}`));
    img.src = url;
  });
}
