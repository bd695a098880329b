// The group's own chat inside the hall's chat panel: while in a group a "Group"
// switch by the message box sends to the group only (chat {scope: "group"},
// docs/PROTOCOL.md 4.6); the group's messages, and its history on joining, are
// marked "Group" in the log. The panel itself is the hall's (live/chat.js).

import { h } from '../../dom.js';
import { t } from '../../i18n/i18n.js';

export class GroupChat {
  /**
   * @param {import('../../live/chat.js').ChatPanel} chat
   * @param {import('../../live/net.js').LiveConnection} conn
   */
  constructor(chat, conn) {
    this.chat = chat;
    this.toGroup = false;
    this.toggle = h('button.live-chat-scope', {
      type: 'button', hidden: true, 'aria-pressed': 'false', title: t('group.chat_scope_title'),
      on: { click: () => this.setToGroup(!this.toGroup) },
    }, t('group.chat_scope'));
    chat.form.insertBefore(this.toggle, chat.input);
    // the panel sends through its actions: to the hall, or now to the group
    const hallSend = chat.actions.send;
    chat.actions.send = (text) => (this.toGroup ? conn.request('chat', { text, scope: 'group' }) : hallSend(text));
    conn.on('chat_message', (m) => {
      if (m?.scope === 'group') this._mark(m.id);
    });
  }

  /** In a group (true) or not: the switch shows, and starts on the group. */
  setInGroup(on) {
    this.toggle.hidden = !on;
    this.setToGroup(on);
  }

  setToGroup(on) {
    this.toGroup = on;
    this.toggle.setAttribute('aria-pressed', String(on));
    this.chat.input.placeholder = t(on ? 'group.chat_placeholder' : 'chat.placeholder');
    this.chat.root.classList.toggle('to-group', on);
  }

  /** The group's history on joining: into the log, marked. */
  addHistory(messages) {
    for (const m of messages || []) {
      this.chat.add(m);
      this._mark(m.id);
    }
  }

  _mark(id) {
    const li = this.chat.log.querySelector(`.live-msg[data-id="${Number(id)}"]`);
    if (!li || li.classList.contains('live-msg-group')) return;
    li.classList.add('live-msg-group');
    li.prepend(h('span.live-msg-scope', {}, t('group.chat_badge')));
  }
}
