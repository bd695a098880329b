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
  sprite.userData.baseScale = sprite.scale.clone(); // tagComfort() scales from this
  sprite.renderOrder = 10;
  sprite.name = 'live-nametag';
  sprite.userData.liveName = name;
  return sprite;
}

export function disposeNameTag(sprite) {
  sprite.material.map?.dispose();
  sprite.material.dispose();
}

// Comfort: a tag close to the viewer, or sitting between the viewer and the stage
// (a seated avatar a row ahead), fades and shrinks so it neither fills the view nor
// covers the stage screen.
const NEAR_FULL_M = 2.0; // from here in, a tag fades and shrinks...
const NEAR_MIN_M = 0.8; // ...down to its least at this distance
const STAGE_CONE_IN = Math.cos((7 * Math.PI) / 180); // inside this cone towards the stage: faint
const STAGE_CONE_OUT = Math.cos((16 * Math.PI) / 180); // outside it: as usual

function ramp(x, from, to) {
  return Math.min(1, Math.max(0, (x - from) / (to - from)));
}

/**
 * How a tag at (tx, ty, tz) shows to a viewer at `viewer` looking for the stage at
 * `stage` (both {x, y, z}; stage may be null): writes {opacity, scale} into `out`.
 */
export function tagComfort(viewer, tx, ty, tz, stage, out) {
  const vx = tx - viewer.x;
  const vy = ty - viewer.y;
  const vz = tz - viewer.z;
  const distance = Math.hypot(vx, vy, vz);
  const near = ramp(distance, NEAR_MIN_M, NEAR_FULL_M); // 0 close .. 1 far enough
  let inTheWay = 0;
  if (stage && distance > 1e-6) {
    const sx = stage.x - viewer.x;
    const sy = stage.y - viewer.y;
    const sz = stage.z - viewer.z;
    const toStage = Math.hypot(sx, sy, sz);
    if (distance < toStage) {
      const cos = (vx * sx + vy * sy + vz * sz) / (distance * toStage);
      inTheWay = ramp(cos, STAGE_CONE_OUT, STAGE_CONE_IN); // 1 right in front of the stage
    }
  }
  out.opacity = Math.min(0.35 + 0.65 * near, 1 - 0.75 * inTheWay);
  out.scale = Math.min(0.6 + 0.4 * near, 1 - 0.3 * inTheWay);
  return out;
}
