// Wall labels: the small white card the gallery builder puts beside each hung work
// (metadata exhibit_slots[].label_center / label_size) gets the work's title,
// author and date in the visitor's language, all labels drawn into one canvas
// atlas: one mesh, one draw call, just in front of the cards in the GLB.

import {
  BufferGeometry,
  CanvasTexture,
  Float32BufferAttribute,
  Mesh,
  MeshStandardMaterial,
  SRGBColorSpace,
} from 'three';

const CELL_W = 320; // pixels per label: 0.2 m -> 1.6 px a millimetre
const ATLAS_MAX = 2048;
const OFFSET = 0.002; // metres in front of the label card
const SERIF = '"Playfair Display", "Palatino Linotype", Palatino, Georgia, "DejaVu Serif", serif';
const SANS = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif';

/**
 * One mesh holding every wall label's text, or null when the venue has none.
 * @param {Array} slots metadata.exhibit_slots
 * @param {Array} exhibits metadata.exhibits (titles already in the visitor's language)
 */
export function buildWallLabels(slots, exhibits, maxAnisotropy = 1) {
  const byId = new Map((exhibits || []).map((e) => [e.id, e]));
  const labelled = (slots || []).filter((s) => s.label_center && s.label_size && byId.has(s.exhibit));
  if (!labelled.length) return null;
  const [lw, lh] = labelled[0].label_size;
  const cellH = Math.round(CELL_W * lh / lw);
  const cols = Math.max(1, Math.min(labelled.length, Math.floor(ATLAS_MAX / CELL_W)));
  const rows = Math.ceil(labelled.length / cols);
  const canvas = document.createElement('canvas');
  canvas.width = cols * CELL_W;
  canvas.height = rows * cellH;
  const ctx = canvas.getContext('2d');
  const positions = [];
  const normals = [];
  const uvs = [];
  const index = [];
  labelled.forEach((slot, i) => {
    const x0 = (i % cols) * CELL_W;
    const y0 = Math.floor(i / cols) * cellH;
    drawLabel(ctx, x0, y0, CELL_W, cellH, byId.get(slot.exhibit));
    const [w, h] = slot.label_size;
    const [nx, , nz] = slot.normal;
    const rx = nz; // right, as seen by someone facing the wall
    const rz = -nx;
    const [cx, cy, cz] = slot.label_center;
    const ox = cx + nx * OFFSET;
    const oz = cz + nz * OFFSET;
    const base = positions.length / 3;
    for (const [sx, sy] of [[-1, -1], [1, -1], [1, 1], [-1, 1]]) {
      positions.push(ox + rx * sx * w / 2, cy + sy * h / 2, oz + rz * sx * w / 2);
      normals.push(nx, 0, nz);
      uvs.push((x0 + ((sx + 1) / 2) * CELL_W) / canvas.width, 1 - (y0 + ((1 - sy) / 2) * cellH) / canvas.height);
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
  const mesh = new Mesh(geometry, new MeshStandardMaterial({ map: texture, roughness: 0.9 }));
  mesh.name = 'wall-labels';
  mesh.matrixAutoUpdate = false;
  mesh.userData.count = labelled.length;
  return mesh;
}

function drawLabel(ctx, x, y, w, h, exhibit) {
  ctx.fillStyle = '#f7f6f2';
  ctx.fillRect(x, y, w, h);
  const pad = Math.round(w * 0.07);
  const maxWidth = w - 2 * pad;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#1d1a17';
  let size = Math.round(h * 0.17);
  ctx.font = `600 ${size}px ${SERIF}`;
  let lines = wrap(ctx, exhibit.title, maxWidth);
  while (lines.length > 2 && size > 12) {
    size -= 2;
    ctx.font = `600 ${size}px ${SERIF}`;
    lines = wrap(ctx, exhibit.title, maxWidth);
  }
  if (lines.length > 2) lines = [lines[0], lines[1].replace(/\s*\S*$/, '') + '…'];
  let top = y + pad;
  for (const line of lines) {
    ctx.fillText(line, x + pad, top, maxWidth);
    top += size * 1.2;
  }
  ctx.font = `${Math.round(h * 0.12)}px ${SANS}`;
  ctx.fillStyle = '#4a433c';
  const facts = [exhibit.author, exhibit.year].filter(Boolean).join(', ');
  if (facts) ctx.fillText(facts, x + pad, top + h * 0.04, maxWidth);
}

function wrap(ctx, text, maxWidth) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/)) {
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
