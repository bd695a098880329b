// The chat panel: history on join, a send box with a length counter, own messages
// marked, errors explained, host tools. Every piece of user text goes in through
// textContent (via h()), never innerHTML. The server checks every host action again;
// the tools are only hidden from members who could not use them.
import { h } from '../dom.js';
import { formatDateTime, hasKey, t } from '../i18n/i18n.js';
import { announce } from '../a11y/announce.js';

export const MAX_CHAT = 500;
const MAX_SHOWN = 300; // older messages leave the DOM; history is on the server
const SLOW_CHOICES = [0, 5, 10, 30, 60];

function seconds(retryAfter) {
  const count = Math.max(1, Math.ceil(Number(retryAfter) || 1));
  return t('chat.seconds', { count });
}

/** The visitor's words for an error ack: locale key chat.error.<code>, else the server's message. */
export function errorText(error) {
  const code = error?.code || 'internal';
  if (hasKey('chat.error.' + code)) return t('chat.error.' + code, { seconds: seconds(error?.retry_after) });
  return error?.message ? String(error.message) : t('chat.error.unknown');
}

function timeLabel(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return formatDateTime(d, { hour: '2-digit', minute: '2-digit' });
}

export class ChatPanel {
  /**
   * @param {HTMLElement} container where the panel goes (the venue page's chat slot)
   * @param {{send: (text: string) => Promise<object>,
   *          hostAction: (name: string, payload: object) => Promise<object>}} actions
   */
  constructor(container, actions) {
    this.actions = actions;
    this.selfId = null;
    this.isHost = false;
    this.closed = false;
    this.slowMode = 0;
    this.authors = new Map(); // message id -> member id (for host tools)
    this._errorTimer = null;

    this.title = h('h2.live-chat-title', {}, t('chat.title'));
    this.count = h('span.live-chat-count', { 'aria-live': 'polite' }, '');
    this.toggle = h('button.live-chat-toggle', {
      type: 'button', 'aria-expanded': 'true', title: t('chat.hide'),
      on: { click: () => this.setCollapsed(!this.root.classList.contains('collapsed')) },
    }, '–');
    this.state = h('div.live-chat-state', { hidden: true });
    // a log: screen readers read new messages as they come, politely (a div of
    // divs: role="log" on a list would orphan its items)
    // focusable: a keyboard user can scroll back through a long chat (axe: scrollable-region-focusable)
    this.log = h('div.live-chat-log', {
      role: 'log', 'aria-live': 'polite', 'aria-label': t('chat.messages'), tabindex: '0',
    });
    // not a live region itself: showError() reads it out through the page's status regions
    this.error = h('div.live-chat-error', { hidden: true });
    this.input = h('input.live-chat-input', {
      type: 'text', name: 'chat', maxlength: MAX_CHAT, autocomplete: 'off',
      placeholder: t('chat.placeholder'), 'aria-label': t('chat.input'),
    });
    this.counter = h('span.live-chat-counter', {}, `0/${MAX_CHAT}`);
    this.sendButton = h('button.live-chat-send', { type: 'submit' }, t('chat.send'));
    this.form = h('form.live-chat-form', { on: { submit: (ev) => this._submit(ev) } },
      this.input, this.counter, this.sendButton);
    this.hostTools = this._buildHostTools();
    this.root = h('section.live-chat', { 'aria-label': t('chat.title') },
      h('header.live-chat-head', {}, this.title, this.count, this.toggle),
      this.state, this.log, this.error, this.form, this.hostTools);
    this.input.addEventListener('input', () => this._updateCounter());
    // Typing must not walk the camera around (the venue listens for WASD on window).
    for (const ev of ['keydown', 'keyup', 'keypress']) {
      this.root.addEventListener(ev, (e) => e.stopPropagation());
    }
    this.log.addEventListener('click', (ev) => this._onLogClick(ev));
    container.appendChild(this.root);
  }

  _buildHostTools() {
    this.slowSelect = h('select.live-slow', { 'aria-label': t('chat.slow_mode') },
      SLOW_CHOICES.map((s) => h('option', { value: String(s) }, s ? t('chat.slow_option', { count: s }) : t('chat.slow_off'))));
    this.slowSelect.addEventListener('change', () => {
      this._host('slow_mode', { seconds: Number(this.slowSelect.value) });
    });
    this.closeButton = h('button.live-close-chat', {
      type: 'button', on: { click: () => this._host(this.closed ? 'open_chat' : 'close_chat', {}) },
    }, t('chat.close'));
    return h('div.live-host-tools', { hidden: true },
      h('span.live-host-badge', {}, t('chat.host_badge')), this.slowSelect, this.closeButton);
  }

  setCollapsed(collapsed) {
    this.root.classList.toggle('collapsed', collapsed);
    if (!collapsed) this._setUnread(0);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.toggle.textContent = collapsed ? '+' : '–';
    this.toggle.title = t(collapsed ? 'chat.show' : 'chat.hide');
  }

  setSelf(memberId, isHost) {
    this.selfId = memberId;
    this.isHost = Boolean(isHost);
    this.root.classList.toggle('is-host', this.isHost);
    this.hostTools.hidden = !this.isHost;
    for (const li of this.log.children) this._decorate(li);
  }

  setPresence(text) {
    this.count.textContent = text;
  }

  setHistory(messages) {
    this.log.replaceChildren();
    this.authors.clear();
    for (const m of messages || []) this._append(m);
    this._scrollToEnd(true);
  }

  _setUnread(n) {
    this.unread = n;
    this.title.textContent = n ? t('chat.title_unread', { count: n }) : t('chat.title');
  }

  add(message) {
    if (this.log.querySelector(`.live-msg[data-id="${Number(message.id)}"]`)) return;
    if (this.root.classList.contains('collapsed') && message.member_id !== this.selfId) {
      this._setUnread((this.unread || 0) + 1);
    }
    const stick = this._atBottom() || message.member_id === this.selfId;
    this._append(message);
    this._scrollToEnd(stick);
  }

  remove(id) {
    const li = this.log.querySelector(`.live-msg[data-id="${Number(id)}"]`);
    if (li) li.remove();
    this.authors.delete(Number(id));
  }

  setState({ slow_mode: slow = 0, closed = false } = {}) {
    this.slowMode = Number(slow) || 0;
    this.closed = Boolean(closed);
    const parts = [];
    if (this.closed) parts.push(t('chat.state_closed'));
    if (this.slowMode) parts.push(t('chat.state_slow', { seconds: seconds(this.slowMode) }));
    this.state.textContent = parts.join(' ');
    this.state.hidden = parts.length === 0;
    this.root.classList.toggle('chat-closed', this.closed);
    this.closeButton.textContent = t(this.closed ? 'chat.open' : 'chat.close');
    this.slowSelect.value = SLOW_CHOICES.includes(this.slowMode) ? String(this.slowMode) : '0';
  }

  setConnected(connected) {
    this.root.classList.toggle('offline', !connected);
    this.sendButton.disabled = !connected;
  }

  showError(error) {
    this.error.textContent = errorText(error);
    // a notice (seat taken, muted, removed) waits its turn; an error interrupts
    announce(this.error.textContent, { assertive: error?.code !== 'notice' });
    this.error.dataset.code = error?.code || 'internal';
    this.error.hidden = false;
    clearTimeout(this._errorTimer);
    const ms = Math.max(4000, (Number(error?.retry_after) || 0) * 1000);
    this._errorTimer = setTimeout(() => { this.error.hidden = true; }, ms);
  }

  showNotice(text) {
    this.showError({ code: 'notice', message: text });
  }

  _updateCounter() {
    const n = this.input.value.length;
    this.counter.textContent = `${n}/${MAX_CHAT}`;
    this.counter.classList.toggle('near-limit', n > MAX_CHAT - 50);
  }

  async _submit(ev) {
    ev.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.sendButton.disabled = true;
    try {
      const ack = await this.actions.send(text);
      if (ack?.ok) {
        this.input.value = '';
        this._updateCounter();
        this.error.hidden = true;
      } else {
        this.showError(ack?.error);
      }
    } finally {
      this.sendButton.disabled = false;
      this.input.focus();
    }
  }

  async _host(name, payload) {
    const ack = await this.actions.hostAction(name, payload);
    if (!ack?.ok) this.showError(ack?.error);
    return ack;
  }

  _atBottom() {
    const l = this.log;
    return l.scrollHeight - l.scrollTop - l.clientHeight < 40;
  }

  _scrollToEnd(force) {
    if (force) this.log.scrollTop = this.log.scrollHeight;
  }

  _append(m) {
    const id = Number(m.id);
    this.authors.set(id, m.member_id);
    const li = h('div.live-msg',
      { dataset: { id: String(id), member: String(m.member_id ?? '') } },
      // a member's words keep their own direction (an Arabic name, a Hebrew reply)
      // and cannot reorder the line around them: dir="auto" isolates each one
      h('span.live-msg-name', { dir: 'auto' }, String(m.name ?? '')),
      h('time.live-msg-time', { datetime: String(m.sent_at ?? '') }, timeLabel(m.sent_at)),
      h('span.live-msg-text', { dir: 'auto' }, String(m.text ?? '')));
    this._decorate(li);
    this.log.appendChild(li);
    while (this.log.children.length > MAX_SHOWN) {
      this.authors.delete(Number(this.log.firstElementChild.dataset.id));
      this.log.firstElementChild.remove();
    }
  }

  _decorate(li) {
    const own = this.selfId !== null && li.dataset.member === this.selfId;
    li.classList.toggle('own', own);
    li.querySelector('.live-msg-tools')?.remove();
    if (!this.isHost) return;
    const tools = h('span.live-msg-tools', {},
      h('button', { type: 'button', dataset: { act: 'delete' }, title: t('chat.delete_title') }, t('chat.delete')),
      h('button', { type: 'button', dataset: { act: 'pin' }, title: t('chat.pin_title') }, t('chat.pin')));
    if (!own) {
      tools.append(
        h('button', { type: 'button', dataset: { act: 'mute' }, title: t('chat.mute_title') }, t('chat.mute')),
        h('button', { type: 'button', dataset: { act: 'remove' }, title: t('chat.remove_title') }, t('chat.remove')));
    }
    li.appendChild(tools);
  }

  async _onLogClick(ev) {
    const btn = ev.target.closest('button[data-act]');
    if (!btn) return;
    const li = btn.closest('.live-msg');
    const id = Number(li.dataset.id);
    const member = li.dataset.member;
    const act = btn.dataset.act;
    if (act === 'delete') await this._host('delete_message', { message_id: id });
    else if (act === 'mute') await this._host('mute', { member_id: member });
    else if (act === 'remove') await this._host('remove', { member_id: member });
    else if (act === 'pin') await this._host('stage_pin', { message_id: id });
  }
}
