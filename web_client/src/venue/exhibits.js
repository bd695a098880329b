// Gallery walls without a picture: a work whose image is in the GLB (its
// metadata names a `node`) is drawn there and needs nothing here; every other
// wall slot (a spare slot, a work without an image) gets a placard drawn into one
// canvas atlas, so all of them together are a single mesh and a single draw call.

import {
  BufferGeometry,
  CanvasTexture,
  Float32BufferAttribute,
  Mesh,
  MeshStandardMaterial,
  SRGBColorSpace,
} from 'three';

import { t } from '../i18n/i18n.js';

const ATLAS_MAX = 2048;
const CELL_MAX = 512;
const WALL_OFFSET = 0.006; // metres in front of the backing, against z-fighting
const SMALL_WORDS = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'in', 'of', 'on', 'the', 'to', 'with']);
const SERIF = '"Playfair Display", "Palatino Linotype", Palatino, Georgia, "DejaVu Serif", serif';
const SANS = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif';

/** "portrait-of-a-merchant" -> "Portrait of a Merchant". */
export function titleFromId(id) {
  return String(id).split(/[-_]+/).filter(Boolean)
    .map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : w[0].toUpperCase() + w.slice(1)))
    .join(' ');
}

/**
 * One mesh with a placard on every wall slot, or null when there are none.
 * @param {Array} slots metadata.exhibit_slots
 * @param {Array} exhibits metadata.exhibits (those with a `node` are drawn by the GLB)
 */
export function buildExhibitPlaceholders(slots, maxAnisotropy = 1, exhibits = []) {
  const drawn = new Set((exhibits || []).filter((e) => e.node).map((e) => e.id));
  const wall = (slots || []).filter((s) => s.kind === 'wall' && s.size[0] > 0 && s.size[1] > 0 && !drawn.has(s.exhibit));
  if (!wall.length) return null;
  const cols = Math.ceil(Math.sqrt(wall.length));
  const rows = Math.ceil(wall.length / cols);
  const cell = Math.min(CELL_MAX, Math.floor(ATLAS_MAX / Math.max(cols, rows)));
  const canvas = document.createElement('canvas');
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  const ctx = canvas.getContext('2d');

  const positions = [];
  const normals = [];
  const uvs = [];
  const index = [];
  wall.forEach((slot, i) => {
    const [w, h] = slot.size;
    const aspect = w / h;
    const pw = aspect >= 1 ? cell : Math.round(cell * aspect);
    const ph = aspect >= 1 ? Math.round(cell / aspect) : cell;
    const x0 = (i % cols) * cell + (cell - pw) / 2;
    const y0 = Math.floor(i / cols) * cell + (cell - ph) / 2;
    drawPlacard(ctx, x0, y0, pw, ph, slot.exhibit);

    // quad in the wall plane: right = (n.z, 0, -n.x) as seen by someone facing the wall
    const [nx, , nz] = slot.normal;
    const rx = nz;
    const rz = -nx;
    const [cx, cy, cz] = slot.position;
    const ox = cx + nx * WALL_OFFSET;
    const oz = cz + nz * WALL_OFFSET;
    const base = positions.length / 3;
    for (const [sx, sy] of [[-1, -1], [1, -1], [1, 1], [-1, 1]]) {
      positions.push(ox + rx * sx * w / 2, cy + sy * h / 2, oz + rz * sx * w / 2);
      normals.push(nx, 0, nz);
      const u = (x0 + ((sx + 1) / 2) * pw) / canvas.width;
      const v = 1 - (y0 + ((1 - sy) / 2) * ph) / canvas.height; // canvas y grows down
      uvs.push(u, v);
    }
    index.push(base, base + 1, base + 2, base, base + 2, base + 3);
  });

  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  geometry.setAttribute('normal', new Float32BufferAttribute(normals, 3));
  geometry.setAttribute('uv', new Float32BufferAttribute(uvs, 2));
  geometry.setIndex(index);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.anisotropy = maxAnisotropy;
  const mesh = new Mesh(geometry, new MeshStandardMaterial({ map: texture, roughness: 0.85 }));
  mesh.name = 'exhibit-placards';
  mesh.matrixAutoUpdate = false;
  return mesh;
}

function drawPlacard(ctx, x, y, w, h, exhibit) {
  const bg = ctx.createLinearGradient(x, y, x, y + h);
  bg.addColorStop(0, '#efe6d6');
  bg.addColorStop(1, '#dfd2bc');
  ctx.fillStyle = bg;
  ctx.fillRect(x, y, w, h);
  const inset = Math.max(6, Math.min(w, h) * 0.06);
  ctx.strokeStyle = 'rgba(140, 110, 70, 0.55)';
  ctx.lineWidth = Math.max(2, inset * 0.15);
  ctx.strokeRect(x + inset, y + inset, w - 2 * inset, h - 2 * inset);

  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const title = exhibit ? titleFromId(exhibit) : t('venue.exhibit_empty');
  const maxWidth = w - 4 * inset;
  let size = Math.round(Math.min(w, h) * 0.11);
  ctx.font = `600 ${size}px ${SERIF}`;
  let lines = wrap(ctx, title, maxWidth);
  while (lines.length * size * 1.25 > h * 0.55 && size > 10) {
    size -= 2;
    ctx.font = `600 ${size}px ${SERIF}`;
    lines = wrap(ctx, title, maxWidth);
  }
  ctx.fillStyle = '#3b2a1a';
  const top = y + h * 0.46 - ((lines.length - 1) * size * 1.25) / 2;
  lines.forEach((line, i) => ctx.fillText(line, x + w / 2, top + i * size * 1.25, maxWidth));
  ctx.fillStyle = 'rgba(59, 42, 26, 0.65)';
  ctx.font = `${Math.max(9, Math.round(size * 0.5))}px ${SANS}`;
  ctx.fillText(exhibit ? t('venue.exhibit_to_come') : '', x + w / 2, y + h - inset * 2.2, maxWidth);
}

function wrap(ctx, text, maxWidth) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? line + ' ' + word : word;
    if (line && ctx.measureText(next).width > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}
