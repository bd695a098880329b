// The form a resident asks with: up to 300 characters (a live counter), and
// "anonymous to the hall" (the host still sees who asked).
import { h } from '../dom.js';
import { announce } from '../a11y/announce.js';
import { t } from '../i18n/i18n.js';
import { qaErrorText } from './errors.js';

export const QUESTION_MAX = 300;

export class AskForm {
  /** @param {(text: string, anonymous: boolean) => Promise<object>} ask */
  constructor(ask) {
    this.ask = ask;
    this.input = h('textarea.qa-input', {
      id: 'qa-input', name: 'question', rows: 2, maxlength: QUESTION_MAX,
      'aria-describedby': 'qa-counter',
    });
    this.counter = h('span.qa-counter', { id: 'qa-counter' });
    this.anonymous = h('input.qa-anonymous', { type: 'checkbox', id: 'qa-anonymous', name: 'anonymous' });
    this.button = h('button.button.qa-send', { type: 'submit' }, t('qa.ask'));
    this.error = h('p.qa-error', { hidden: true });
    this.root = h('form.qa-form', { on: { submit: (ev) => this._submit(ev) } },
      h('label.qa-label', { for: 'qa-input' }, t('qa.your_question')),
      this.input,
      h('div.qa-form-row', {},
        h('label.qa-check', { for: 'qa-anonymous' }, this.anonymous, ' ', t('qa.anonymous')),
        this.counter, this.button),
      this.error);
    this.input.addEventListener('input', () => this._count());
    this._count();
  }

  _count() {
    const n = this.input.value.length;
    this.counter.textContent = t('qa.counter', { n, max: QUESTION_MAX });
    this.counter.classList.toggle('qa-counter-full', n >= QUESTION_MAX);
  }

  showError(text) {
    this.error.textContent = text || '';
    this.error.hidden = !text;
    if (text) announce(text, { assertive: true });
  }

  async _submit(ev) {
    ev.preventDefault();
    const text = this.input.value.trim();
    if (!text) {
      this.showError(t('qa.error_empty'));
      this.input.focus();
      return;
    }
    this.button.disabled = true;
    const ack = await this.ask(text, this.anonymous.checked);
    this.button.disabled = false;
    if (!ack?.ok) {
      this.showError(qaErrorText(ack?.error));
      return;
    }
    this.showError('');
    this.input.value = '';
    this._count();
    announce(t(ack.question?.status === 'pending' ? 'qa.sent_pending' : 'qa.sent'));
  }
}
