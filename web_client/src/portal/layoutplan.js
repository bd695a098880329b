// The layout editor's plan: the venue seen from above as SVG (one user unit is a
// metre; x to the right, z down the page), its walkable floor, the spawn points
// with their facing and the screen. Pointer handling is the editor's; the plan
// draws and turns page points into metres.

import { t } from '../i18n/i18n.js';
import { facingVector, screenEnds } from './layoutgeometry.js';

const SVG = 'http://www.w3.org/2000/svg';
const PAD = 0.6; // m around the venue's bounds

function s(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

const f2 = (v) => Math.round(v * 1000) / 1000;

export class LayoutPlan {
  /** @param {object} metadata the venue's metadata (bounds_min/max, walkable) */
  constructor(metadata) {
    const [x0, , z0] = metadata.bounds_min;
    const [x1, , z1] = metadata.bounds_max;
    const span = Math.max(x1 - x0, z1 - z0, 1);
    this.r = Math.min(1.2, Math.max(0.18, span * 0.022)); // a spawn point's radius, m
    this.svg = s('svg', {
      class: 'layout-plan',
      viewBox: [x0 - PAD, z0 - PAD, x1 - x0 + 2 * PAD, z1 - z0 + 2 * PAD].map(f2).join(' '),
      role: 'img',
      'aria-label': t('layout.plan_label'),
    });
    const base = s('g', { class: 'layout-base' });
    base.append(s('rect', { class: 'layout-bounds', x: f2(x0), y: f2(z0), width: f2(x1 - x0), height: f2(z1 - z0) }));
    const step = span > 60 ? 10 : span > 25 ? 5 : 1; // grid lines every step metres
    for (let x = Math.ceil(x0 / step) * step; x <= x1; x += step) {
      base.append(s('line', { class: 'layout-grid', x1: x, y1: f2(z0), x2: x, y2: f2(z1) }));
    }
    for (let z = Math.ceil(z0 / step) * step; z <= z1; z += step) {
      base.append(s('line', { class: 'layout-grid', x1: f2(x0), y1: z, x2: f2(x1), y2: z }));
    }
    for (const area of metadata.walkable) {
      const points = area.vertices.map(([x, , z]) => `${f2(x)},${f2(z)}`).join(' ');
      base.append(s('polygon', { class: 'layout-floor', points }));
    }
    // a scale bar in the bottom-left corner: the longest round length within a quarter of the venue
    const bar = [50, 20, 10, 5, 2, 1].find((m) => m <= span / 4) || 1;
    const y = f2(z1 + PAD * 0.55);
    base.append(s('line', { class: 'layout-scale', x1: f2(x0), y1: y, x2: f2(x0 + bar), y2: y }));
    base.append(s('text', { class: 'layout-scale-text', x: f2(x0 + bar + 0.15), y: f2(y + 0.12), 'font-size': f2(PAD * 0.5) },
      t('layout.metres', { count: bar })));
    this.marks = s('g', { class: 'layout-marks' });
    this.svg.append(base, this.marks);
  }

  /** Page coordinates to metres on the plan: [x, z]. */
  toWorld(clientX, clientY) {
    const matrix = this.svg.getScreenCTM();
    if (!matrix) return [0, 0];
    const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return [p.x, p.y];
  }

  /**
   * Draw the spawn points and the screen. `selected` is a spawn point's index or
   * 'screen'; `onFloor(i)` says whether spawn point i stands on the walkable floor.
   */
  draw(spawns, screen, selected, onFloor) {
    const r = this.r;
    const marks = [];
    if (screen) {
      const [[ax, az], [bx, bz]] = screenEnds(screen);
      const [nx, , nz] = facingVector(screen.facing);
      const g = s('g', { class: 'layout-screen' + (selected === 'screen' ? ' is-selected' : ''), 'data-part': 'screen' });
      g.append(s('line', { class: 'layout-screen-hit', x1: f2(ax), y1: f2(az), x2: f2(bx), y2: f2(bz), 'stroke-width': f2(r * 2.2) }));
      g.append(s('line', { class: 'layout-screen-line', x1: f2(ax), y1: f2(az), x2: f2(bx), y2: f2(bz), 'stroke-width': f2(r * 0.6) }));
      const tip = [screen.x + nx * r * 4, screen.z + nz * r * 4];
      g.append(s('line', { class: 'layout-arrow', x1: f2(screen.x), y1: f2(screen.z), x2: f2(tip[0]), y2: f2(tip[1]), 'stroke-width': f2(r * 0.25) }));
      g.append(s('circle', { class: 'layout-turn', cx: f2(tip[0]), cy: f2(tip[1]), r: f2(r * 0.6), 'data-part': 'screen-turn' }));
      g.append(s('text', { class: 'layout-label', x: f2(screen.x), y: f2(screen.z - nz * r * 1.6 + r * 0.4), 'font-size': f2(r * 1.3) },
        t('layout.screen')));
      marks.push(g);
    }
    spawns.forEach((spawn, i) => {
      const [fx, , fz] = facingVector(spawn.facing);
      const ok = onFloor(i);
      const g = s('g', {
        class: 'layout-spawn' + (selected === i ? ' is-selected' : '') + (ok ? '' : ' is-off-floor'),
        'data-part': 'spawn', 'data-index': i,
      });
      const tip = [spawn.x + fx * r * 3, spawn.z + fz * r * 3];
      g.append(s('line', { class: 'layout-arrow', x1: f2(spawn.x), y1: f2(spawn.z), x2: f2(tip[0]), y2: f2(tip[1]), 'stroke-width': f2(r * 0.3) }));
      g.append(s('circle', { class: 'layout-dot', cx: f2(spawn.x), cy: f2(spawn.z), r: f2(r) }));
      g.append(s('text', { class: 'layout-number', x: f2(spawn.x), y: f2(spawn.z + r * 0.42), 'font-size': f2(r * 1.2) }, String(i + 1)));
      if (selected === i) {
        g.append(s('circle', { class: 'layout-turn', cx: f2(tip[0]), cy: f2(tip[1]), r: f2(r * 0.55), 'data-part': 'spawn-turn', 'data-index': i }));
      }
      marks.push(g);
    });
    this.marks.replaceChildren(...marks);
  }
}
