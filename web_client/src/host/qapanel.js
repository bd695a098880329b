// Questions for the stage in the host console: open or close Q&A and require
// approval; the queue waiting for approval (approve, reject, merge into another);
// the shown questions by votes (put on the board, answer with an optional short
// answer, reject, merge). Each button sends one acked `qa_*` event (docs/PROTOCOL.md
// 4.10); the lists follow the server's `question` and `qa_state` broadcasts.
import { h, fill } from '../dom.js';
import { announce } from '../a11y/announce.js';
import { t } from '../i18n/i18n.js';
import { qaErrorText } from '../qa/errors.js';
import { questionItem } from '../qa/item.js';
import { QuestionList } from '../qa/questions.js';

const ANSWER_MAX = 1000;

export class QaHostPanel {
  /** @param {HTMLElement} root @param {(name: string, payload: object) => Promise<object>} request */
  constructor(root, request, voice = null) {
    this.request = request;
    this.el = root;
    this.voice = voice; // "Invite to speak" for a question's asker (VoicePanel)
    this.questions = new QuestionList();
    this.state = { enabled: false, moderated: false, on_stage: null };
    this.enabled = this._checkbox('qa-enabled', () => this._send('qa_settings', { enabled: this.enabled.checked }));
    this.moderated = this._checkbox('qa-moderated', () => this._send('qa_settings', { moderated: this.moderated.checked }));
    this.boardText = h('p.qa-host-board-text', { role: 'status' });
    this.clearButton = this._button('qa.clear_board', () => this._send('qa_stage', { question_id: null }));
    this.pendingTitle = h('h3', { id: 'qa-pending-title' });
    this.pending = h('ul.qa-list.qa-pending', { 'aria-labelledby': 'qa-pending-title' });
    this.shownTitle = h('h3', { id: 'qa-shown-title' });
    this.shown = h('ul.qa-list.qa-shown', { 'aria-labelledby': 'qa-shown-title' });
    this.error = h('p.host-error', { role: 'alert', hidden: true });
    this.settings = h('div.qa-settings', {},
        h('label.qa-check', { for: 'qa-enabled' }, this.enabled, ' ', t('qa.host_enabled')),
        h('label.qa-check', { for: 'qa-moderated' }, this.moderated, ' ', t('qa.host_moderated')));
    fill(root, this.settings,
      h('div.qa-host-board', {}, this.boardText, this.clearButton),
      this.error, this.pendingTitle, this.pending, this.shownTitle, this.shown);
    this.render();
  }

  _checkbox(id, onChange) {
    return h('input', { type: 'checkbox', id, on: { change: onChange } });
  }

  _button(key, onClick, params) {
    return h('button.host-button', { type: 'button', on: { click: onClick } }, t(key, params));
  }

  /** An assistant host moderates but does not open questions or require approval. */
  setAssistant(assistant) {
    this.settings.hidden = assistant;
  }

  /** The join ack's `qa` (hosts get every pending question, with who asked). */
  reset(qa) {
    this.questions.reset(qa?.questions, qa?.voted);
    this.setState(qa);
  }

  setState(state) {
    this.state = { enabled: Boolean(state?.enabled), moderated: Boolean(state?.moderated),
      on_stage: state?.on_stage ?? null };
    this.render();
  }

  upsert(q) {
    this.questions.upsert(q);
    if (this.state.on_stage?.id === q?.id) {
      this.state.on_stage = q.status === 'merged' || q.status === 'rejected' ? null : { ...this.state.on_stage, ...q };
    }
    this.render();
  }

  async _send(name, payload) {
    this.error.hidden = true;
    const ack = await this.request(name, payload);
    if (!ack?.ok) {
      this.error.textContent = qaErrorText(ack?.error);
      this.error.hidden = false;
      this.render(); // a refused switch goes back to what the server holds
      return ack;
    }
    if (ack.qa) this.setState(ack.qa);
    for (const q of [ack.question, ack.into]) if (q) this.questions.upsert(q);
    if (ack.question || ack.into) this.render();
    announce(t('qa.host_done'));
    return ack;
  }

  render() {
    const kept = this._typedAnswers();
    const focused = document.activeElement?.dataset?.focusKey;
    this.enabled.checked = this.state.enabled;
    this.moderated.checked = this.state.moderated;
    const board = this.state.on_stage;
    this.boardText.textContent = board ? t('qa.host_on_board', { text: board.text }) : t('qa.host_board_empty');
    this.clearButton.disabled = !board;
    const pending = this.questions.list(['pending']);
    const shown = this.questions.list(['visible', 'answered']);
    this.pendingTitle.textContent = t('qa.host_pending', { count: pending.length });
    this.shownTitle.textContent = t('qa.host_shown', { count: shown.length });
    const open = this.questions.list(['pending', 'visible', 'answered']);
    fill(this.pending, pending.map((q) => questionItem(q, { tools: this._pendingTools(q, open) })));
    fill(this.shown, shown.map((q) => questionItem(q, {
      onStage: q.id === board?.id, tools: this._shownTools(q, open, kept.get(q.id)),
    })));
    if (focused) this.el.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
  }

  _typedAnswers() {
    const kept = new Map();
    for (const input of this.shown.querySelectorAll('.qa-answer-input')) {
      if (input.value) kept.set(Number(input.dataset.qid), input.value);
    }
    return kept;
  }

  _action(key, name, payload, focusKey) {
    const button = this._button(key, () => this._send(name, payload));
    button.dataset.act = name;
    button.dataset.focusKey = focusKey;
    return button;
  }

  _pendingTools(q, open) {
    return [
      this._action('qa.approve', 'qa_approve', { question_id: q.id }, `approve-${q.id}`),
      this._action('qa.reject', 'qa_reject', { question_id: q.id }, `reject-${q.id}`),
      this._mergeTools(q, open),
    ];
  }

  _shownTools(q, open, typed) {
    const onBoard = this.state.on_stage?.id === q.id;
    const answer = h('input.qa-answer-input', {
      type: 'text', maxlength: ANSWER_MAX, value: typed ?? q.answer ?? '',
      'aria-label': t('qa.answer_input', { text: q.text.slice(0, 60) }),
      placeholder: t('qa.answer_placeholder'), dataset: { qid: q.id, focusKey: `answer-${q.id}` },
    });
    const answerButton = this._button(q.status === 'answered' ? 'qa.update_answer' : 'qa.mark_answered',
      () => this._send('qa_answer', { question_id: q.id, answer: answer.value.trim() || null }));
    answerButton.dataset.act = 'qa_answer';
    return [
      onBoard ? null : this._action('qa.put_on_board', 'qa_stage', { question_id: q.id }, `board-${q.id}`),
      h('span.qa-answer-row', {}, answer, answerButton),
      q.status === 'visible' ? this._action('qa.reject', 'qa_reject', { question_id: q.id }, `reject-${q.id}`) : null,
      q.status === 'visible' ? this._mergeTools(q, open) : null,
      this.voice?.inviteButton(q, `invite-${q.id}`) ?? null,
    ];
  }

  /** "Merge into" another open question: a duplicate's voters vote for the target. */
  _mergeTools(q, open) {
    const targets = open.filter((o) => o.id !== q.id);
    if (!targets.length) return null;
    const select = h('select.qa-merge-target', { 'aria-label': t('qa.merge_into_label', { text: q.text.slice(0, 60) }) },
      targets.map((o) => h('option', { value: String(o.id) }, `#${o.id} ${o.text.slice(0, 50)}`)));
    const button = this._button('qa.merge', () => this._send('qa_merge', {
      question_id: q.id, into_id: Number(select.value),
    }));
    button.dataset.act = 'qa_merge';
    return h('span.qa-merge', {}, select, button);
  }
}
