// The resident's "Questions" panel: shown while the host has Q&A open. The ask
// form, then the questions by votes with a vote toggle each (aria-pressed); our own
// questions waiting for approval marked so; answered ones with their answer; the
// one on the board highlighted.
import { h, fill } from '../dom.js';
import { announce } from '../a11y/announce.js';
import { t } from '../i18n/i18n.js';
import { AskForm } from './askform.js';
import { qaErrorText } from './errors.js';
import { questionItem } from './item.js';

const SHOWN = ['pending', 'visible', 'answered'];

export class QaPanel {
  /**
   * @param {HTMLElement} container the venue page's side panel
   * @param {import('./questions.js').QuestionList} questions
   * @param {{ask: (text: string, anonymous: boolean) => Promise<object>,
   *          vote: (id: number, up: boolean) => Promise<object>}} actions
   */
  constructor(container, questions, actions) {
    this.questions = questions;
    this.actions = actions;
    this.onStageId = null;
    this.form = new AskForm(actions.ask);
    this.toggle = h('button.qa-toggle', {
      type: 'button', 'aria-expanded': 'true', 'aria-controls': 'qa-body',
      on: { click: () => this.setCollapsed(!this.root.classList.contains('collapsed')) },
    }, t('qa.hide'));
    this.moderated = h('p.qa-note', { hidden: true }, t('qa.moderated_note'));
    this.empty = h('p.qa-note.qa-empty', {}, t('qa.empty'));
    this.list = h('ul.qa-list', { 'aria-labelledby': 'qa-title' });
    this.root = h('section.qa-panel', { hidden: true, 'aria-labelledby': 'qa-title' },
      h('header.qa-head', {}, h('h2.qa-title', { id: 'qa-title' }, t('qa.title')), this.toggle),
      h('div.qa-body', { id: 'qa-body' }, this.moderated, this.form.root, this.empty, this.list));
    // typing a question must not walk the camera (the venue listens for keys on window)
    for (const ev of ['keydown', 'keyup', 'keypress']) this.root.addEventListener(ev, (e) => e.stopPropagation());
    container.prepend(this.root);
  }

  setCollapsed(collapsed) {
    this.root.classList.toggle('collapsed', collapsed);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.toggle.textContent = t(collapsed ? 'qa.show' : 'qa.hide');
  }

  /** QaState: open or closed, approval required or not, what is on the board. */
  setState(state) {
    const open = Boolean(state?.enabled);
    if (open && this.root.hidden) announce(t('qa.opened'));
    this.root.hidden = !open;
    this.moderated.hidden = !state?.moderated;
    this.onStageId = state?.on_stage?.id ?? null;
    this.render();
  }

  render() {
    const focused = document.activeElement?.closest?.('.qa-item')?.dataset.id;
    const items = this.questions.list(SHOWN);
    fill(this.list, items.map((q) => questionItem(q, { onStage: q.id === this.onStageId, tools: this._voteButton(q) })));
    this.empty.hidden = items.length > 0;
    if (focused) this.list.querySelector(`.qa-item[data-id="${CSS.escape(focused)}"] .qa-vote`)?.focus();
  }

  _voteButton(q) {
    if (q.status !== 'visible') return null; // only open questions take votes
    const voted = this.questions.voted.has(q.id);
    return h('button.button.qa-vote', {
      type: 'button', 'aria-pressed': String(voted),
      on: { click: () => this._vote(q.id, !voted) },
    }, t('qa.vote'));
  }

  async _vote(id, up) {
    const ack = await this.actions.vote(id, up);
    if (!ack?.ok) {
      this.form.showError(qaErrorText(ack?.error));
      return;
    }
    this.questions.setVote(id, ack.voted, ack.votes);
    this.render();
  }
}
