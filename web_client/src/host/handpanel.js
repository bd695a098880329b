// Raised hands in the host console (lectures, master classes; docs/PROTOCOL.md
// 4.11): who has the floor (with "End turn"), "Next" (calls the first in line), and
// the line in order — name, seat, how long each has waited, "Lower hand". Follows
// the server's `hand_queue` and `hand_called`; every control is a plain button.
import { announce } from '../a11y/announce.js';
import { h, fill } from '../dom.js';
import { formatNumber, t } from '../i18n/i18n.js';
import { seatName } from '../hands/seatname.js';

const TICK_MS = 1000;

/** "1:05" for 65 seconds. */
export function waitedText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class HandQueuePanel {
  /** @param {HTMLElement} root @param {(name: string, payload: object) => Promise<object>} request */
  constructor(root, request, voice = null) {
    this.root = root;
    this.request = request;
    this.voice = voice; // "Invite to speak" for the member with the floor (VoicePanel)
    this.queue = []; // Who, in order, each with raisedAt (ms, this page's clock)
    this.called = null;
    this.calledText = h('p.hands-called', { role: 'status' });
    this.endTurn = this._button('hands.host_end_turn', () => this._lower(this.called));
    this.endTurn.dataset.act = 'end_turn';
    this.next = this._button('hands.host_next', () => this._next());
    this.next.dataset.act = 'hand_next';
    this.next.dataset.focusKey = 'next';
    this.title = h('h3', { id: 'hands-queue-title' });
    this.list = h('ol.hands-queue', { 'aria-labelledby': 'hands-queue-title' });
    this.empty = h('p.hands-empty', {}, t('hands.host_empty'));
    this.error = h('p.host-error', { role: 'alert', hidden: true });
    this.inviteSlot = h('span.hands-invite');
    fill(root, h('div.hands-floor', {}, this.calledText, this.inviteSlot, this.endTurn), h('div.hands-tools', {}, this.next),
      this.error, this.title, this.empty, this.list);
    this._timer = setInterval(() => this._tick(), TICK_MS);
    this.render();
  }

  _button(key, onClick) {
    return h('button.host-button', { type: 'button', on: { click: onClick } }, t(key));
  }

  /** The join ack's `hands` (a host gets the whole line). */
  reset(hands) {
    this.called = hands?.called ?? null;
    this.setQueue(hands?.queue ?? []);
  }

  setQueue(queue) {
    const now = performance.now();
    const known = new Map(this.queue.map((w) => [w.member_id, w.raisedAt]));
    this.queue = (queue || []).map((w) => ({
      ...w,
      // keep the first estimate: a later list must not make someone jump
      raisedAt: known.get(w.member_id) ?? now - (w.waited_s || 0) * 1000,
    }));
    this.render();
  }

  setCalled(called) {
    this.called = called ?? null;
    this.render();
  }

  async _next() {
    const ack = await this._send('hand_next', {});
    if (ack?.ok) {
      this.setCalled(ack.called);
      announce(ack.called ? t('hands.host_called', { name: ack.called.name }) : t('hands.host_empty'));
    }
  }

  async _lower(who) {
    if (!who) return;
    const ack = await this._send('lower_hand', { member_id: who.member_id });
    if (ack?.ok) announce(t('hands.host_lowered', { name: who.name }));
  }

  async _send(name, payload) {
    this.error.hidden = true;
    const ack = await this.request(name, payload);
    if (!ack?.ok) {
      this.error.textContent = t('hands.host_failed', { reason: ack?.error?.message ?? '' });
      this.error.hidden = false;
    }
    return ack;
  }

  render() {
    const hadFocus = this.root.contains(document.activeElement);
    const focused = document.activeElement?.dataset?.focusKey;
    const called = this.called;
    this.calledText.textContent = called
      ? t('hands.host_speaking', { name: called.name, seat: seatName(called.seat) })
      : t('hands.host_nobody');
    this.endTurn.hidden = !called;
    fill(this.inviteSlot, called ? this.voice?.inviteButton(called, 'invite-called') : null);
    this.next.disabled = this.queue.length === 0;
    this.title.textContent = t('hands.host_queue', { count: this.queue.length });
    this.empty.hidden = this.queue.length > 0;
    fill(this.list, this.queue.map((who, i) => this._item(who, i)));
    if (!hadFocus) return;
    const again = focused && this.root.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`);
    // the lowered entry is gone: keep the keyboard in the panel (the next entry, or Next)
    (again || this.list.querySelector('button:not([disabled])') || this.next).focus();
  }

  _item(who, i) {
    const lower = h('button.host-button.hands-lower', {
      type: 'button', 'aria-label': t('hands.host_lower_named', { name: who.name }),
      dataset: { act: 'lower_hand', focusKey: `lower-${who.member_id}` },
      on: { click: () => this._lower(who) },
    }, t('hands.host_lower'));
    return h('li.hands-entry', { dataset: { memberId: who.member_id } },
      h('span.hands-place', { 'aria-hidden': 'true' }, formatNumber(i + 1)),
      h('span.hands-who', {},
        h('bdi.hands-name', {}, who.name),
        h('span.hands-seat', {}, seatName(who.seat)),
        h('span.hands-waited', { dataset: { raisedAt: String(who.raisedAt) } }, this._waited(who.raisedAt))),
      lower);
  }

  _waited(raisedAt) {
    return t('hands.host_waited', { time: waitedText((performance.now() - raisedAt) / 1000) });
  }

  _tick() {
    if (document.hidden) return;
    for (const span of this.list.querySelectorAll('.hands-waited')) {
      span.textContent = this._waited(Number(span.dataset.raisedAt));
    }
  }
}
