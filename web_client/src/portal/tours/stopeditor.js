// One stop in the tour editor: its number and work, the suggested time, Up /
// Down / Remove, the server's refusal when it names this stop, and (folded) its
// narration in each language with the audio of each.

import { h } from '../../dom.js';
import { LANGUAGES, t } from '../../i18n/i18n.js';
import { NATIVE_NAMES } from '../../i18n/switch.js';
import { StopAudio } from './stopaudio.js';
import { MAX_NARRATION, MAX_SECONDS, MIN_SECONDS } from './tourdraft.js';

export class StopEditor {
  /**
   * @param {object} stop a stop of the draft (tourdraft.js)
   * @param {{player: object, tourId: () => string|null, changed: () => void,
   *   move: (editor: StopEditor, by: number) => void, remove: (editor: StopEditor) => void,
   *   onSaved: (tour: object) => void, refresh: () => Promise<void>}} how
   */
  constructor(stop, how) {
    this.stop = stop;
    this.how = how;
    this.number = 0;
    this.numberText = h('span.tour-stop-number', { 'aria-hidden': 'true' });
    this.seconds = h('input', { type: 'number', name: 'seconds', min: MIN_SECONDS, max: MAX_SECONDS, step: 1, required: true, value: stop.seconds });
    this.seconds.addEventListener('input', () => {
      if (Number.isInteger(this.seconds.valueAsNumber)) stop.seconds = this.seconds.valueAsNumber;
      how.changed();
    });
    this.upButton = h('button.button.button-quiet', { type: 'button', on: { click: () => how.move(this, -1) } }, '↑ ' + t('touredit.up'));
    this.downButton = h('button.button.button-quiet', { type: 'button', on: { click: () => how.move(this, 1) } }, '↓ ' + t('touredit.down'));
    this.removeButton = h('button.button.button-quiet', { type: 'button', on: { click: () => how.remove(this) } }, t('touredit.remove_stop'));
    this.error = h('p.form-error.tour-stop-error', { role: 'alert', tabindex: -1 });
    this.audios = {};
    this.texts = h('details.tour-stop-texts', {},
      h('summary', {}, t('touredit.narration_and_audio')),
      h('div.tour-stop-langs', {}, LANGUAGES.map((lang) => this.language(lang))));
    this.group = h('div.tour-stop', { role: 'group' },
      h('div.tour-stop-head', {},
        this.numberText,
        h('p.tour-stop-name', { lang: stop.nameLang }, stop.name || t('touredit.no_title')),
        h('label.tour-stop-seconds', {}, h('span', {}, t('touredit.seconds')), this.seconds),
        h('div.tour-stop-buttons', {}, this.upButton, this.downButton, this.removeButton)),
      this.error,
      this.texts);
    this.root = h('li', { dataset: { stopKey: stop.key } }, this.group);
    this.showAudio();
  }

  language(lang) {
    const stop = this.stop;
    const text = h('textarea', { name: 'narration_' + lang, rows: 4, lang });
    text.value = stop.narration[lang];
    const count = h('span.tour-count', { 'aria-live': 'off' });
    const counted = () => {
      const n = text.value.trim().length;
      count.textContent = t('touredit.characters', { count: n, limit: MAX_NARRATION });
      count.dataset.over = n > MAX_NARRATION ? 'true' : 'false';
    };
    text.addEventListener('input', () => {
      stop.narration[lang] = text.value;
      counted();
      this.how.changed();
    });
    counted();
    this.audios[lang] = new StopAudio(lang, {
      player: this.how.player,
      path: () => {
        const tourId = this.how.tourId();
        if (!tourId || !stop.id) return null;
        return `/api/tours/${encodeURIComponent(tourId)}/stops/${encodeURIComponent(stop.id)}/audio/${lang}`;
      },
      label: () => t('touredit.stop_n', { number: this.number }),
      onSaved: (tour) => this.how.onSaved(tour),
      onRemoved: () => this.how.refresh(),
    });
    return h('div.tour-stop-lang', { dataset: { lang } },
      h('label', {}, h('span', {}, t('touredit.narration_in', { lang: NATIVE_NAMES[lang] })), text),
      count,
      this.audios[lang].root);
  }

  /** Its place in the tour (1 = the first) of `count`: the number and the buttons' names follow. */
  place(number, count) {
    this.number = number;
    this.numberText.textContent = String(number);
    const name = this.stop.name || t('touredit.no_title');
    this.group.setAttribute('aria-label', t('touredit.stop_named', { number, title: name }));
    this.upButton.disabled = number === 1;
    this.downButton.disabled = number === count;
    this.removeButton.disabled = count === 1;
    this.upButton.setAttribute('aria-label', t('touredit.up_n', { number }));
    this.downButton.setAttribute('aria-label', t('touredit.down_n', { number }));
    this.removeButton.setAttribute('aria-label', t('touredit.remove_n', { number }));
    this.seconds.setAttribute('aria-label', t('touredit.seconds_n', { number }));
    this.root.dataset.stopId = this.stop.id || '';
    this.showAudio();
  }

  showAudio() {
    for (const audio of Object.values(this.audios)) audio.show(this.stop.audios);
  }

  /** The server's refusal naming this stop (or '' to clear it); shown open and focused. */
  refuse(message) {
    this.error.textContent = message;
    this.root.dataset.refused = message ? 'true' : 'false';
    if (!message) return;
    this.texts.open = true;
    this.error.focus();
  }
}
