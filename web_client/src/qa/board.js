// The board in the hall: the question the host put on stage, over the 3D view
// where everyone sees it, with its answer once given. Read out when it changes.
import { h } from '../dom.js';
import { announce } from '../a11y/announce.js';
import { t } from '../i18n/i18n.js';
import { askerName } from './item.js';

export class QaBoard {
  /** @param {HTMLElement} container the venue page's HUD */
  constructor(container) {
    this.text = h('p.qa-board-text');
    this.who = h('p.qa-board-who');
    this.answer = h('p.qa-board-answer', { hidden: true });
    this.root = h('section.qa-board', { hidden: true, 'aria-labelledby': 'qa-board-title' },
      h('h2.qa-board-title', { id: 'qa-board-title' }, t('qa.board_title')),
      this.text, this.who, this.answer);
    container.appendChild(this.root);
    this.current = null;
  }

  /** @param {object|null} q the question on stage (QaState.on_stage), null for none */
  show(q) {
    const was = this.current;
    this.current = q || null;
    this.root.hidden = !q;
    if (!q) return;
    this.root.dataset.id = String(q.id);
    this.text.textContent = q.text;
    this.who.textContent = askerName(q);
    this.answer.hidden = !(q.status === 'answered' && q.answer);
    this.answer.textContent = q.answer ? t('qa.board_answer', { answer: q.answer }) : '';
    if (was?.id !== q.id) announce(t('qa.board_announce', { text: q.text }));
  }

  /** A changed question: the board follows it if it is the one on stage. */
  update(q) {
    if (this.current && q?.id === this.current.id) {
      if (q.status === 'merged' || q.status === 'rejected') this.show(null);
      else this.show({ ...this.current, ...q });
    }
  }
}
