// The assistant host (docs/hosts-qa.md#assistant-host): the host makes, copies and
// revokes a link for a helper who moderates the questions only; a console opened
// with that link (#assistant=TOKEN) shows the Q&A panel and nothing else. The server
// checks every part of it (server/api/assistants.py, docs/PROTOCOL.md 4.10).
import { apiErrorText } from '../api.js';
import { announce } from '../a11y/announce.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n/i18n.js';

/** The assistant host token from `#assistant=TOKEN`, or null. */
export function assistantTokenFromHash(hash = window.location.hash) {
  const token = new URLSearchParams(String(hash || '').replace(/^#/, '')).get('assistant');
  return token && token.length <= 128 ? token : null; // the server refuses longer ones
}

/**
 * The tab's title and the kicker over the event's name say whose console it is:
 * `role` 'host' or 'assistant' (from the link's hash first, then from the server).
 */
export function nameConsole(role, eventTitle, doc = document) {
  const assistant = role === 'assistant';
  doc.title = t(assistant ? 'assistant.page_title' : 'host.page_title', { title: eventTitle });
  const kicker = doc.querySelector('.host-kicker');
  if (kicker) kicker.textContent = t(assistant ? 'assistant.kicker' : 'host.kicker');
}

/** An assistant's console: the Q&A panel only, named as the assistant's. */
export function showAssistantConsole(eventTitle, doc = document) {
  for (const panel of doc.querySelectorAll('.host-panel:not(.host-qa)')) panel.hidden = true;
  nameConsole('assistant', eventTitle, doc);
  doc.body.dataset.role = 'assistant';
}

export class AssistantLinkPanel {
  /** @param {HTMLElement} root @param {import('./hostapi.js').HostApi} api (the host's token) */
  constructor(root, api) {
    this.api = api;
    this.path = `${api._base}/assistant-link`;
    this.status = h('p.assistant-status', { role: 'status' });
    this.link = h('input.assistant-link', {
      type: 'text', readonly: true, hidden: true, 'aria-label': t('assistant.link_label'),
    });
    this.copyButton = this._button('assistant.copy', () => this.copy(), { hidden: true });
    this.makeButton = this._button('assistant.make', () => this.make());
    this.revokeButton = this._button('assistant.revoke', () => this.revoke());
    this.error = h('p.host-error', { role: 'alert', hidden: true });
    fill(root,
      h('p.host-help', {}, t('assistant.help')),
      this.status,
      h('div.assistant-row', {}, this.link, this.copyButton),
      h('div.assistant-row', {}, this.makeButton, this.revokeButton),
      this.error);
    this.active = false;
    this.render();
  }

  _button(key, onClick, extra = {}) {
    return h('button.host-link-button', { type: 'button', on: { click: onClick }, ...extra }, t(key));
  }

  async _call(method) {
    this.error.hidden = true;
    try {
      return await this.api._json(method, this.path);
    } catch (err) {
      this.error.textContent = t('assistant.failed', { reason: apiErrorText(err) });
      this.error.hidden = false;
      return undefined;
    }
  }

  async load() {
    const state = await this._call('GET');
    if (state) this.active = Boolean(state.active);
    this.render();
  }

  async make() {
    const made = await this._call('POST');
    if (!made?.assistant_url) return;
    this.active = true;
    this.link.value = new URL(made.assistant_url, window.location.origin).href;
    this.render();
    this.link.focus();
    this.link.select();
    announce(t('assistant.made'));
  }

  async copy() {
    this.link.select();
    try {
      await navigator.clipboard.writeText(this.link.value);
      announce(t('assistant.copied'));
    } catch {
      // no clipboard permission (an insecure origin): the link stays selected to copy by hand
      announce(t('assistant.copy_by_hand'));
    }
  }

  async revoke() {
    if ((await this._call('DELETE')) === undefined) return;
    this.active = false;
    this.link.value = '';
    this.render();
    announce(t('assistant.revoked'));
  }

  render() {
    this.status.textContent = t(this.active ? 'assistant.active' : 'assistant.none');
    this.link.hidden = this.copyButton.hidden = !this.link.value;
    this.makeButton.textContent = t(this.active ? 'assistant.make_new' : 'assistant.make');
    this.revokeButton.hidden = !this.active;
  }
}
