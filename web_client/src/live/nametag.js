// Name tags drawn on a canvas and shown as sprites. Text is painted with fillText,
// never put into HTML, so a name like "<img onerror=...>" is only pixels.
import * as THREE from 'three';

const FONT_PX = 40;
const PAD_X = 22;
const HEIGHT_PX = 64;
const WORLD_HEIGHT = 0.17; // metres: readable a few rows away, small next to a head

function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

export function drawNameTag(canvas, name, colorCss, { host = false } = {}) {
  const ctx = canvas.getContext('2d');
  const font = `600 ${FONT_PX}px system-ui, "DejaVu Sans", sans-serif`;
  ctx.font = font;
  const label = host ? `${name} \u2605` : name;
  const textW = Math.min(ctx.measureText(label).width, 520);
  const dot = 22;
  const w = Math.ceil(PAD_X * 2 + dot + 12 + textW);
  canvas.width = w;
  canvas.height = HEIGHT_PX;
  ctx.font = font; // resizing a canvas resets its state
  ctx.clearRect(0, 0, w, HEIGHT_PX);
  roundRect(ctx, 2, 2, w - 4, HEIGHT_PX - 4, 28);
  ctx.fillStyle = 'rgba(20, 22, 34, 0.78)';
  ctx.fill();
  ctx.lineWidth = 3;
  ctx.strokeStyle = colorCss;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(PAD_X + dot / 2, HEIGHT_PX / 2, dot / 2, 0, Math.PI * 2);
  ctx.fillStyle = colorCss;
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, PAD_X + dot + 12, HEIGHT_PX / 2 + 2, 520);
  return w / HEIGHT_PX; // aspect ratio
}

export function makeNameTag(name, colorCss, opts) {
  const canvas = document.createElement('canvas');
  const aspect = drawNameTag(canvas, name, colorCss, opts);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.minFilter = THREE.LinearFilter;
  texture.generateMipmaps = false;
  const material = new THREE.SpriteMaterial({ map: texture, transparent: true, depthWrite: false });
  const sprite = new THREE.Sprite(material);
  sprite.scale.set(WORLD_HEIGHT * aspect, WORLD_HEIGHT, 1);
  sprite.renderOrder = 10;
  sprite.name = 'live-nametag';
  sprite.userData.liveName = name;
  return sprite;
}

export function disposeNameTag(sprite) {
  sprite.material.map?.dispose();
  sprite.material.dispose();
}
