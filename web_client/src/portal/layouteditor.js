// The layout editor of an uploaded venue in the portal (issue 9): where visitors
// appear (spawn points, with the way they face) and where the screen hangs, on a
// plan of the walkable floor seen from above. Click the floor to add a spawn
// point, drag a point or the screen to move it, drag the small handle at the end
// of an arrow to turn it; every number is also a field, for the keyboard. Saving
// is PUT /api/venues/{id}/layout: a new version; the server's refusal (which
// names the point at fault) is shown as it says it.

import { fill, h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import {
  cm, degreesTowards, facingDegrees, facingVector, floorAt, screenBody, screenFrom,
} from './layoutgeometry.js';
import { LayoutPlan } from './layoutplan.js';
import { call, refusalText } from './portalapi.js';

const MAX_SPAWNS = 32; // as the server takes
const SCREEN_FIELDS = [
  ['x', 'layout.screen_x'], ['z', 'layout.screen_z'], ['y', 'layout.screen_y'],
  ['width', 'layout.screen_width'], ['height', 'layout.screen_height'], ['facing', 'layout.facing'],
];

/** A metres field: arrow keys move by 0.1 m (with Shift by 1 m); any value may be typed. */
function metresInput(name, value, onChange) {
  const input = h('input', { name, type: 'number', step: 'any', inputmode: 'decimal', required: true, value: cm(value) });
  input.addEventListener('input', () => { if (input.value !== '' && Number.isFinite(input.valueAsNumber)) onChange(input.valueAsNumber); });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    const by = (e.shiftKey ? 1 : 0.1) * (e.key === 'ArrowUp' ? 1 : -1);
    input.value = String(cm((Number.isFinite(input.valueAsNumber) ? input.valueAsNumber : 0) + by));
    onChange(input.valueAsNumber);
  });
  return input;
}

function degreesInput(name, value, onChange) {
  const input = h('input', { name, type: 'number', step: 1, min: -360, max: 720, required: true, value });
  input.addEventListener('input', () => { if (input.value !== '' && Number.isFinite(input.valueAsNumber)) onChange(((Math.round(input.valueAsNumber) % 360) + 360) % 360); });
  return input;
}

const field = (label, input) => h('label.layout-field', {}, h('span', {}, label), input);

export class LayoutEditor {
  /** @param {string} venueId @param {(version: object) => void} onSaved after a saved edit */
  constructor(venueId, onSaved) {
    this.venueId = venueId;
    this.onSaved = onSaved;
    this.body = h('div.layout-body');
    this.root = h('details.layout-editor', { dataset: { layoutEditor: venueId } },
      h('summary', {}, t('layout.title')), this.body);
    this.loaded = false;
    this.root.addEventListener('toggle', () => {
      if (this.root.open && !this.loaded) this.load();
    });
  }

  async load() {
    this.loaded = true;
    fill(this.body, h('p.portal-item-meta', { role: 'status' }, t('layout.loading')));
    try {
      const venue = await call('GET', '/api/venues/' + encodeURIComponent(this.venueId));
      this.start(venue.metadata);
    } catch (err) {
      this.loaded = false; // opening it again asks again
      fill(this.body, h('p.form-error', { role: 'alert' }, refusalText(err)));
    }
  }

  /** Take the layout from the metadata (the saved one) and build the editor. */
  start(metadata) {
    this.metadata = metadata;
    this.spawns = metadata.spawn_points.map((p) => ({
      id: p.id, x: cm(p.position[0]), y: p.position[1], z: cm(p.position[2]), facing: facingDegrees(p.facing),
    }));
    // the screen's height is given above the main floor (the model's lowest point may be under it)
    const main = metadata.walkable[0].vertices;
    this.floorY = cm(main.reduce((sum, v) => sum + v[1], 0) / main.length);
    this.screen = metadata.screen ? screenFrom(metadata.screen, this.floorY) : this.defaultScreen();
    this.selected = 0;
    this.plan = new LayoutPlan(metadata);
    this.listenToPlan(this.plan.svg);
    this.rows = h('ol.layout-spawn-list');
    this.addButton = h('button.button.button-quiet', { type: 'button', on: { click: () => this.addSpawn() } }, t('layout.add_spawn'));
    this.status = h('p.layout-status', { role: 'status' });
    this.form = h('form.portal-form.layout-form', { novalidate: true },
      h('fieldset.layout-group', {}, h('legend', {}, t('layout.spawns')), this.rows, this.addButton),
      h('fieldset.layout-group', { dataset: { part: 'screen' } }, h('legend', {}, t('layout.screen')),
        h('div.layout-screen-fields', {}, SCREEN_FIELDS.map(([key, label]) => field(t(label), key === 'facing'
          ? degreesInput('screen_' + key, this.screen[key], (v) => this.setScreen(key, v))
          : metresInput('screen_' + key, this.screen[key], (v) => this.setScreen(key, v)))),
        h('label.layout-keep', {}, h('input', { type: 'checkbox', name: 'keep_ratio', checked: true }), t('layout.keep_ratio')))),
      h('div.portal-actions', {},
        h('button.button.button-primary', { type: 'submit' }, t('layout.save')),
        h('button.button.button-quiet', { type: 'button', on: { click: () => this.start(this.metadata) } }, t('layout.undo'))),
      this.status);
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    fill(this.body,
      h('p.portal-hint', {}, t('layout.help')),
      h('div.layout-columns', {}, h('div.layout-plan-box', {}, this.plan.svg), this.form));
    this.renderRows();
    this.redraw();
  }

  defaultScreen() {
    const [x0, , z0] = this.metadata.bounds_min;
    const [x1] = this.metadata.bounds_max;
    return { x: cm((x0 + x1) / 2), y: 1.5, z: cm(z0 + 0.1), width: 4, height: 2.25, facing: 180 };
  }

  onFloor(i) {
    const p = this.spawns[i];
    const y = floorAt(this.metadata.walkable, p.x, p.z);
    return y !== null && Math.abs(y - p.y) <= 0.5;
  }

  redraw() {
    this.plan.draw(this.spawns, this.screen, this.selected, (i) => this.onFloor(i));
    for (const row of this.rows.querySelectorAll('.layout-spawn-row')) {
      const i = Number(row.dataset.spawnRow);
      row.classList.toggle('is-selected', i === this.selected);
      row.querySelector('.layout-row-note').textContent = this.onFloor(i) ? '' : t('layout.off_floor');
    }
  }

  renderRows() {
    fill(this.rows, this.spawns.map((p, i) => {
      const set = (key) => (v) => this.setSpawn(i, key, v);
      const name = h('input', { name: 'spawn_id', maxlength: 40, required: true, value: p.id, autocomplete: 'off' });
      name.addEventListener('input', () => { this.spawns[i].id = name.value.trim(); this.changed(); });
      const row = h('div.layout-spawn-row', { dataset: { spawnRow: i }, role: 'group', 'aria-label': t('layout.spawn_n', { number: i + 1 }) },
        h('span.layout-row-number', { 'aria-hidden': 'true' }, String(i + 1)),
        field(t('layout.name'), name),
        field(t('layout.x'), metresInput('spawn_x', p.x, set('x'))),
        field(t('layout.z'), metresInput('spawn_z', p.z, set('z'))),
        field(t('layout.facing'), degreesInput('spawn_facing', p.facing, set('facing'))),
        h('button.button.button-quiet.layout-remove', {
          type: 'button', disabled: this.spawns.length === 1,
          'aria-label': t('layout.remove_n', { number: i + 1 }),
          on: { click: () => this.removeSpawn(i) },
        }, t('layout.remove')),
        h('p.layout-row-note', { 'aria-live': 'polite' }));
      row.addEventListener('focusin', () => { if (this.selected !== i) { this.selected = i; this.redraw(); } });
      return h('li', {}, row);
    }));
    this.addButton.disabled = this.spawns.length >= MAX_SPAWNS;
  }

  /** Put a row's fields to the spawn point's numbers (after a drag). */
  showRow(i) {
    const row = this.rows.children[i];
    if (!row) return;
    const p = this.spawns[i];
    row.querySelector('[name=spawn_x]').value = cm(p.x);
    row.querySelector('[name=spawn_z]').value = cm(p.z);
    row.querySelector('[name=spawn_facing]').value = p.facing;
  }

  showScreen() {
    for (const [key] of SCREEN_FIELDS) this.form.elements['screen_' + key].value = this.screen[key];
  }

  changed() {
    this.status.textContent = t('layout.unsaved');
    this.status.dataset.state = 'unsaved';
  }

  setSpawn(i, key, value) {
    const p = this.spawns[i];
    p[key] = key === 'facing' ? value : cm(value);
    if (key !== 'facing') p.y = floorAt(this.metadata.walkable, p.x, p.z) ?? p.y;
    this.selected = i;
    this.changed();
    this.redraw();
  }

  setScreen(key, value) {
    const ratio = this.screen.width / this.screen.height;
    this.screen[key] = key === 'facing' ? value : cm(value);
    // a wider screen stays as tall for its width (16:9 stays 16:9) unless asked not to
    if ((key === 'width' || key === 'height') && this.form.elements.keep_ratio.checked && value > 0) {
      const other = key === 'width' ? 'height' : 'width';
      this.screen[other] = cm(key === 'width' ? value / ratio : value * ratio);
      this.form.elements['screen_' + other].value = this.screen[other];
    }
    this.selected = 'screen';
    this.changed();
    this.redraw();
  }

  /** A new spawn point at (x, z), or in the middle of the floor, facing the screen. */
  addSpawn(x = null, z = null) {
    if (this.spawns.length >= MAX_SPAWNS) return;
    if (x === null) {
      const area = this.metadata.walkable[0].vertices;
      x = area.reduce((s, v) => s + v[0], 0) / area.length;
      z = area.reduce((s, v) => s + v[2], 0) / area.length;
    }
    const taken = new Set(this.spawns.map((p) => p.id));
    let n = this.spawns.length + 1;
    while (taken.has('spawn-' + n)) n++;
    this.spawns.push({
      id: 'spawn-' + n, x: cm(x), z: cm(z), y: floorAt(this.metadata.walkable, x, z) ?? 0,
      facing: degreesTowards(x, z, this.screen.x, this.screen.z),
    });
    this.selected = this.spawns.length - 1;
    this.renderRows();
    this.changed();
    this.redraw();
  }

  removeSpawn(i) {
    if (this.spawns.length === 1) return;
    this.spawns.splice(i, 1);
    this.selected = Math.min(i, this.spawns.length - 1);
    this.renderRows();
    this.changed();
    this.redraw();
    this.rows.children[this.selected].querySelector('input').focus();
  }

  listenToPlan(svg) {
    let drag = null;
    svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      const [x, z] = this.plan.toWorld(e.clientX, e.clientY);
      const part = e.target.closest('[data-part]');
      const kind = part ? part.dataset.part : null;
      const index = part ? Number(part.dataset.index) : null;
      if (kind === 'spawn' || kind === 'spawn-turn') {
        this.selected = index;
        drag = { kind, index, dx: this.spawns[index].x - x, dz: this.spawns[index].z - z };
      } else if (kind === 'screen' || kind === 'screen-turn') {
        this.selected = 'screen';
        drag = { kind, dx: this.screen.x - x, dz: this.screen.z - z };
      } else if (floorAt(this.metadata.walkable, x, z) !== null) {
        this.addSpawn(x, z);
        drag = { kind: 'spawn', index: this.selected, dx: 0, dz: 0 };
      } else {
        this.status.textContent = t('layout.click_floor');
        return;
      }
      e.preventDefault();
      svg.setPointerCapture(e.pointerId);
      this.redraw();
    });
    svg.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const [x, z] = this.plan.toWorld(e.clientX, e.clientY);
      if (drag.kind === 'spawn') {
        const p = this.spawns[drag.index];
        p.x = cm(x + drag.dx);
        p.z = cm(z + drag.dz);
        p.y = floorAt(this.metadata.walkable, p.x, p.z) ?? p.y;
      } else if (drag.kind === 'spawn-turn') {
        const p = this.spawns[drag.index];
        p.facing = degreesTowards(p.x, p.z, x, z);
      } else if (drag.kind === 'screen') {
        this.screen.x = cm(x + drag.dx);
        this.screen.z = cm(z + drag.dz);
      } else {
        this.screen.facing = degreesTowards(this.screen.x, this.screen.z, x, z);
      }
      if (drag.kind.startsWith('spawn')) this.showRow(drag.index);
      else this.showScreen();
      this.changed();
      this.redraw();
    });
    const end = () => { drag = null; };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
  }

  async save() {
    if (!this.form.reportValidity()) return;
    const body = {
      spawn_points: this.spawns.map((p) => ({
        id: p.id, position: [cm(p.x), cm(p.y), cm(p.z)], facing: facingVector(p.facing),
      })),
      screen: screenBody(this.screen, this.floorY),
    };
    this.status.dataset.state = 'saving';
    this.status.textContent = t('layout.saving');
    try {
      const { version } = await call('PUT', '/api/venues/' + encodeURIComponent(this.venueId) + '/layout', body);
      this.status.dataset.state = 'saved';
      this.status.textContent = t('layout.saved', { number: version.number });
      // what was saved is the new starting point for Undo
      this.metadata = { ...this.metadata, spawn_points: body.spawn_points, screen: body.screen };
      if (this.onSaved) await this.onSaved(version);
    } catch (err) {
      this.status.dataset.state = 'refused';
      this.status.textContent = t('layout.refused', { reason: refusalText(err) });
    }
  }
}
