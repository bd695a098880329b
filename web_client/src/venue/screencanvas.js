// What every picture on the stage screen is drawn with: a canvas of the screen's
// aspect as a texture, the dark glow behind cards, and images letterboxed inside.
// (venue/screen.js draws the poster with it, stage/cards.js the show's cards.)

import { CanvasTexture, SRGBColorSpace } from 'three';

export const SERIF = '"Playfair Display", "Palatino Linotype", Palatino, Georgia, "DejaVu Serif", serif';
export const SANS = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif';
const WIDTH = 1024;

/**
 * A canvas as wide as WIDTH with the screen's aspect, and its texture.
 * @param {{width: number, height: number}|null} rect metadata.screen
 */
export function screenCanvas(rect) {
  const aspect = rect ? rect.width / rect.height : 16 / 9;
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = Math.round(WIDTH / aspect);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return { canvas, texture };
}

/** Fill with a warm glow, `centre` colour in the middle, near black at the edges. */
export function paintGlow(ctx, w, h, centre) {
  const bg = ctx.createRadialGradient(w / 2, h * 0.45, h * 0.1, w / 2, h / 2, w * 0.7);
  bg.addColorStop(0, centre);
  bg.addColorStop(1, '#0d0706');
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, w, h);
}

/** `img` as large as fits, centred, on `background`. */
export function drawLetterboxed(ctx, img, w, h, background) {
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, w, h);
  const scale = Math.min(w / img.naturalWidth, h / img.naturalHeight);
  const dw = img.naturalWidth * scale;
  const dh = img.naturalHeight * scale;
  ctx.drawImage(img, (w - dw) / 2, (h - dh) / 2, dw, dh);
}
