// Who is here: a small pill ("12 in this hall") that opens into the list of names.
// Names go in through textContent. The list covers this instance (the hall copy the
// avatars share); the protocol has no audience-wide head count.
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';

export class Presence {
  constructor(container, { onRename } = {}) {
    this.members = new Map(); // id -> {name, colour, seat, host}
    this.self = null;
    this.instance = null;
    this.summaryText = h('span.live-presence-text', {}, t('live.connecting'));
    this.list = h('ul.live-presence-list', { 'aria-label': t('live.people_list') });
    this.renameButton = h('button.live-rename', { type: 'button', title: t('live.rename_title') }, t('live.rename'));
    if (onRename) this.renameButton.addEventListener('click', () => onRename());
    else this.renameButton.hidden = true;
    this.root = h('details.live-presence', {},
      h('summary', {}, h('span.live-presence-dot'), this.summaryText),
      this.list);
    container.appendChild(this.root);
  }

  setConnected(on) {
    this.root.classList.toggle('offline', !on);
    if (!on) this.summaryText.textContent = t('live.reconnecting');
    else this._render();
  }

  reset(self, instance, members) {
    this.self = self;
    this.instance = instance;
    this.members.clear();
    for (const m of members || []) this.members.set(m.id, m);
    this._render();
  }

  upsert(m) {
    const old = this.members.get(m.id) || {};
    this.members.set(m.id, { ...old, ...m });
    this._render();
  }

  remove(id) {
    this.members.delete(id);
    this._render();
  }

  get count() {
    return this.members.size + (this.self ? 1 : 0);
  }

  text() {
    const people = t('live.people', { count: this.count });
    const idx = this.instance?.index;
    return idx && idx > 1 ? t('live.in_hall_number', { people, index: idx }) : t('live.in_this_hall', { people });
  }

  _render() {
    this.summaryText.textContent = this.text();
    const rows = [];
    const row = (m, you) => h('li', {},
      swatch(m.colour),
      h('span', {}, h('bdi', {}, String(m.name ?? '')), (you ? ' ' + t('live.you') : '') + (m.host ? ' · ' + t('live.host') : '')));
    if (this.self) rows.push(row(this.self, true));
    const others = [...this.members.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    for (const m of others) rows.push(row(m, false));
    this.list.replaceChildren(...rows, h('li', {}, this.renameButton));
  }
}

// set through the CSSOM: the Content-Security-Policy refuses style="" attributes
function swatch(colour) {
  const node = h('span.swatch');
  node.style.background = safeColour(colour);
  return node;
}

/** Only a #rgb/#rrggbb colour may reach a style. */
export function safeColour(c) {
  return /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(String(c)) ? c : '#888888';
}
