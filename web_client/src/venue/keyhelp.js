// The keyboard shortcuts of the hall, listed in a dialog behind the page's "?"
// button: everything a visitor can do with the mouse can be done from here.
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { Dialog } from '../a11y/dialog.js';

// [keys shown, what they do] as locale keys; the key caps are the same everywhere
export const SHORTCUTS = [
  [['W', '↑'], 'keys.forward'],
  [['S', '↓'], 'keys.back'],
  [['A', 'D'], 'keys.sideways'],
  [['Q', 'E', '←', '→'], 'keys.turn'],
  [['Shift'], 'keys.run'],
  [['Esc'], 'keys.stand_or_close'],
  [['Tab'], 'keys.tab'],
  [['Enter'], 'keys.enter'],
];

export class KeyHelp {
  /** @param {HTMLButtonElement} opener the page's "?" button */
  constructor(opener, { hasSeats = true } = {}) {
    this.dialog = null;
    this.hasSeats = hasSeats;
    opener.addEventListener('click', () => this.open());
  }

  open() {
    if (!this.dialog) this._build();
    this.dialog.open();
  }

  _build() {
    this.dialog = new Dialog({ title: t('keys.title'), className: 'keyhelp' });
    const rows = SHORTCUTS.map(([caps, what]) => h('div.keyhelp-row', {},
      h('dt', {}, caps.map((cap, i) => [i ? ' ' : '', h('kbd', {}, cap)])),
      h('dd', {}, t(what))));
    this.dialog.body.append(
      h('dl.keyhelp-list', {}, rows),
      this.hasSeats ? h('p.keyhelp-note', {}, t('keys.seat_list_note')) : null);
  }
}
