// The seat list: every seat of the hall as a list of sections and rows, free or
// taken, searchable, for visitors who cannot point at a seat in 3D (keyboard,
// screen reader, switch access). Choosing a seat calls view.sitAt(), the very call
// a click on the seat in the hall makes, so both ways seat you the same.
//
// Keys inside the list: arrows move between seats (left/right) and rows (up/down),
// Home/End go to the row's ends, Enter or Space takes the seat. One Tab stop for
// the whole list (a roving tabindex), so Tab still leaves it in one press.
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { announce } from '../a11y/announce.js';
import { Dialog } from '../a11y/dialog.js';
import { groupSeats, seatMatches } from './seatgroups.js';
import { seatLabel, sectionLabel } from './hud.js';

const STATE_LABELS = { free: 'seatlist.seat_free', taken: 'seatlist.seat_taken', yours: 'seatlist.seat_yours' };

export class SeatList {
  /**
   * @param {import('./view.js').VenueView} view
   * @param {HTMLButtonElement} opener the page's "Seat list" button
   */
  constructor(view, opener) {
    this.view = view;
    this.opener = opener;
    this.dialog = null; // built on first open: a big hall has a thousand seats
    this.buttons = new Map(); // seat id -> button
    this.currentId = null;
    opener.hidden = view.seats.count === 0;
    opener.addEventListener('click', () => this.open());
    view.seats.addEventListener('change', () => this._refresh());
    view.addEventListener('seat', () => this._refresh());
  }

  open() {
    if (!this.dialog) this._build();
    this._refresh();
    this.dialog.open(this.search);
  }

  close() {
    this.dialog?.close();
  }

  /** Sit in `seatId` as a click on it in the hall would; false if it is not free. */
  choose(seatId) {
    const seat = this.view.seats.get(seatId);
    if (!seat) return false;
    if (seatId === this.view.seatId) {
      announce(t('seatlist.already_yours', { seat: seatLabel(seat) }));
      return false;
    }
    if (!this.view.seats.isAvailable(seatId)) {
      announce(t('seatlist.taken_announce', { seat: seatLabel(seat) }));
      return false;
    }
    this.close();
    return this.view.sitAt(seatId);
  }

  _build() {
    this.dialog = new Dialog({ title: t('seatlist.title'), className: 'seatlist' });
    const searchId = 'seatlist-search';
    this.search = h('input.seatlist-search', {
      id: searchId, type: 'search', autocomplete: 'off', placeholder: t('seatlist.search_placeholder'),
    });
    this.search.addEventListener('input', () => this._filter());
    this.summary = h('p.seatlist-summary', { 'aria-live': 'polite' });
    const best = h('button.button.button-primary.seatlist-best', {
      type: 'button', on: { click: () => this._chooseBest() },
    }, t('seatlist.best'));
    this.grid = h('div.seatlist-sections');
    this.grid.addEventListener('keydown', (e) => this._onKey(e));
    this.grid.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-seat-id]');
      if (button) this.choose(button.dataset.seatId);
    });
    this.grid.addEventListener('focusin', (e) => {
      const button = e.target.closest('button[data-seat-id]');
      if (button) this._setCurrent(button.dataset.seatId);
    });

    for (const group of groupSeats(this.view.seats.list)) this.grid.appendChild(this._section(group));

    this.dialog.body.append(
      h('p.seatlist-help', {}, t('seatlist.help')),
      h('div.seatlist-tools', {},
        h('label.seatlist-search-label', { for: searchId }, t('seatlist.search')),
        this.search, best),
      this.summary,
      this.grid,
      h('p.seatlist-legend', {},
        h('span.seat-chip.is-free', { 'aria-hidden': 'true' }, '1'), ' ', t('seatlist.legend_free'), ' ',
        h('span.seat-chip.is-taken', { 'aria-hidden': 'true' }, '2'), ' ', t('seatlist.legend_taken'), ' ',
        h('span.seat-chip.is-yours', { 'aria-hidden': 'true' }, '3'), ' ', t('seatlist.legend_yours')));
  }

  _section(group) {
    const label = group.section ? sectionLabel(group.section) : t('seatlist.all_seats');
    const rows = group.rows.map((row) => {
      const labelId = 'seatlist-row-' + cssId(group.section + '-' + row.row);
      const seats = row.seats.map((seat) => {
        const button = h('button.seat-chip', {
          type: 'button', tabindex: '-1', dataset: { seatId: seat.id },
        }, String(seat.number));
        button._seat = seat;
        button._sectionLabel = label;
        this.buttons.set(seat.id, button);
        return button;
      });
      return h('li.seatlist-row', { dataset: { row: row.row } },
        h('span.seatlist-row-label', { id: labelId }, t('seatlist.row', { row: row.row })),
        h('div.seatlist-seats', { role: 'group', 'aria-labelledby': labelId }, seats));
    });
    return h('section.seatlist-section', { dataset: { section: group.section } },
      h('h3.seatlist-section-title', {}, label),
      h('ul.seatlist-rows', {}, rows));
  }

  /** Free / taken / yours on every button, and the counts. */
  _refresh() {
    if (!this.dialog) return;
    const seats = this.view.seats;
    const mine = this.view.seatId;
    for (const [id, button] of this.buttons) {
      const seat = button._seat;
      const state = id === mine ? 'yours' : seats.isAvailable(id) ? 'free' : 'taken';
      if (button.dataset.state === state) continue;
      button.dataset.state = state;
      button.className = 'seat-chip is-' + state;
      button.setAttribute('aria-label', t(STATE_LABELS[state], { seat: seatLabel(seat) }));
      // taken seats stay focusable (aria-disabled, not disabled): a screen reader
      // user walking the row hears them, as a sighted visitor sees them
      if (state === 'free') button.removeAttribute('aria-disabled');
      else button.setAttribute('aria-disabled', 'true');
    }
    this._filter();
  }

  _filter() {
    const query = this.search.value;
    const filler = t('seatlist.filler_words').toLowerCase().split('|');
    let shown = 0;
    let free = 0;
    for (const button of this.buttons.values()) {
      const visible = seatMatches(button._seat, button._sectionLabel, query, filler);
      button.hidden = !visible;
      if (!visible) continue;
      shown += 1;
      if (button.dataset.state === 'free') free += 1;
    }
    for (const row of this.grid.querySelectorAll('.seatlist-row')) {
      row.hidden = !row.querySelector('.seat-chip:not([hidden])');
    }
    for (const section of this.grid.querySelectorAll('.seatlist-section')) {
      section.hidden = !section.querySelector('.seatlist-row:not([hidden])');
    }
    this.summary.textContent = shown
      ? t('seatlist.summary', { count: free, shown })
      : t('seatlist.none_match');
    const current = this.buttons.get(this.currentId);
    if (!current || current.hidden) {
      const first = [...this.buttons.values()].find((b) => !b.hidden && b.dataset.state === 'free') ||
        [...this.buttons.values()].find((b) => !b.hidden);
      this._setCurrent(first ? first.dataset.seatId : null);
    }
  }

  _setCurrent(id) {
    const old = this.buttons.get(this.currentId);
    if (old) old.tabIndex = -1;
    this.currentId = id;
    const button = this.buttons.get(id);
    if (button) button.tabIndex = 0;
  }

  _visibleRows() {
    return [...this.grid.querySelectorAll('.seatlist-row:not([hidden])')]
      .map((row) => [...row.querySelectorAll('.seat-chip:not([hidden])')]);
  }

  _onKey(e) {
    const button = e.target.closest('button[data-seat-id]');
    if (!button) return;
    const rows = this._visibleRows();
    const r = rows.findIndex((row) => row.includes(button));
    if (r < 0) return;
    const c = rows[r].indexOf(button);
    let target = null;
    if (e.key === 'ArrowRight') target = rows[r][c + 1];
    else if (e.key === 'ArrowLeft') target = rows[r][c - 1];
    else if (e.key === 'Home') target = rows[r][0];
    else if (e.key === 'End') target = rows[r][rows[r].length - 1];
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = rows[r + (e.key === 'ArrowDown' ? 1 : -1)];
      // rows differ in length: keep to the same place along the row
      if (next) target = next[Math.round((c / Math.max(1, rows[r].length - 1)) * (next.length - 1))];
    } else {
      return;
    }
    e.preventDefault();
    if (!target) return;
    this._setCurrent(target.dataset.seatId);
    target.focus();
  }

  _chooseBest() {
    const seat = this.view.seats.suggest();
    if (seat) this.choose(seat.id);
    else announce(t('seatlist.none_free'));
  }
}

function cssId(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
}
