// The editor of one tour (issue 11, docs/tours.md): its title and description
// in each language, its stops in order (up, down, remove, and a stop added for a
// work of the gallery, standing where the default tour stands for it), each
// stop's narration and suggested time, and its audio guide. Save is POST (a new
// tour) or PATCH; a refusal that names a stop is shown at that stop.

import { h } from '../../dom.js';
import { LANGUAGES, currentLang, t } from '../../i18n/i18n.js';
import { NATIVE_NAMES } from '../../i18n/switch.js';
import { call, refusalText } from '../portalapi.js';
import { AudioPlayer } from './audioplayer.js';
import { StopEditor } from './stopeditor.js';
import { MAX_STOPS, draftStop, draftTour, moveStop, takeSaved, tourBody, tourLang } from './tourdraft.js';

const POLL_MS = 3000;
const MAX_POLLS = 60; // three minutes of readings being made, then a Save or reopen asks again

export class TourEditor {
  /**
   * @param {string} venueId
   * @param {object|null} tour the tour with ?translations=1, or null for a new one
   * @param {object|null} defaultTour the gallery's default tour (?translations=1): its stops are the works to add
   * @param {{onSaved: (tour: object) => void, onClose: () => void}} how
   */
  constructor(venueId, tour, defaultTour, how) {
    this.venueId = venueId;
    this.draft = draftTour(tour);
    this.works = defaultTour ? defaultTour.stops : [];
    this.how = how;
    this.player = new AudioPlayer();
    this.busy = false;
    this.polls = 0;
    this.heading = h('h3.tour-editor-heading', { tabindex: -1 });
    this.list = h('ol.tour-stops');
    this.status = h('p.tour-status', { role: 'status' });
    this.work = h('select', { name: 'work' }, this.works.map((stop, i) => h('option', { value: i, lang: stop.title_lang }, stop.title)));
    this.saveButton = h('button.button.button-primary', { type: 'submit' }, t('touredit.save'));
    this.form = h('form.portal-form.tour-form', { novalidate: true, dataset: { tourId: this.draft.id || '' } },
      this.heading,
      h('fieldset.portal-langs', {}, h('legend', {}, t('touredit.texts')), LANGUAGES.map((lang) => this.texts(lang))),
      h('fieldset.tour-stops-box', {}, h('legend', {}, t('touredit.stops')),
        h('p.portal-hint', {}, t('touredit.stops_help')),
        this.list,
        this.works.length ? h('div.tour-add', {},
          h('label', {}, h('span', {}, t('touredit.add_work')), this.work),
          h('button.button', { type: 'button', on: { click: () => this.addStop() } }, t('touredit.add_stop'))) : null),
      h('div.portal-actions', {},
        this.saveButton,
        h('button.button.button-quiet', { type: 'button', on: { click: () => this.close() } }, t('touredit.close'))),
      this.status);
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    this.root = h('div.tour-editor-box', {}, this.form);
    this.editors = this.draft.stops.map((stop) => this.stopEditor(stop));
    this.renderStops();
    this.showHeading();
    this.pollReadings();
  }

  texts(lang) {
    const title = h('input', { name: 'title_' + lang, maxlength: 200, lang, value: this.draft.title[lang] });
    title.addEventListener('input', () => { this.draft.title[lang] = title.value; this.changed(); });
    const description = h('textarea', { name: 'description_' + lang, rows: 2, maxlength: 4000, lang });
    description.value = this.draft.description[lang];
    description.addEventListener('input', () => { this.draft.description[lang] = description.value; this.changed(); });
    return h('div.portal-lang', {},
      h('label', {}, h('span', {}, t('portal.title_in', { lang: NATIVE_NAMES[lang] })), title),
      h('label', {}, h('span', {}, t('portal.description_in', { lang: NATIVE_NAMES[lang] })), description));
  }

  showHeading() {
    const lang = tourLang(this.draft, currentLang());
    this.heading.textContent = this.draft.id
      ? t('touredit.editing', { title: lang ? this.draft.title[lang].trim() : '' })
      : t('touredit.new');
  }

  stopEditor(stop) {
    return new StopEditor(stop, {
      player: this.player,
      tourId: () => this.draft.id,
      changed: () => this.changed(),
      move: (editor, by) => this.move(editor, by),
      remove: (editor) => this.removeStop(editor),
      onSaved: (tour) => this.takeAudio(tour),
      refresh: () => this.refreshAudio(),
    });
  }

  renderStops() {
    this.list.replaceChildren(...this.editors.map((editor) => editor.root));
    this.editors.forEach((editor, i) => editor.place(i + 1, this.editors.length));
  }

  changed() {
    this.status.textContent = t('touredit.unsaved');
    this.status.dataset.state = 'unsaved';
  }

  move(editor, by) {
    const i = this.editors.indexOf(editor);
    if (!moveStop(this.draft, i, by)) return;
    [this.editors[i], this.editors[i + by]] = [this.editors[i + by], this.editors[i]];
    this.renderStops();
    this.changed();
    // the focus stays on the button pressed, now at the stop's new place
    const button = by < 0 ? editor.upButton : editor.downButton;
    (button.disabled ? (by < 0 ? editor.downButton : editor.upButton) : button).focus();
  }

  removeStop(editor) {
    const i = this.editors.indexOf(editor);
    if (this.editors.length === 1 || i < 0) return;
    this.draft.stops.splice(i, 1);
    this.editors.splice(i, 1);
    this.renderStops();
    this.changed();
    const next = this.editors[Math.min(i, this.editors.length - 1)];
    next.removeButton.focus();
    this.status.textContent = t('touredit.removed', { number: i + 1 });
  }

  addStop() {
    const work = this.works[Number(this.work.value)];
    if (!work || this.editors.length >= MAX_STOPS) return;
    // where the default tour stands for the work, with its card read out: a new stop
    const stop = draftStop(work, { keepId: false });
    this.draft.stops.push(stop);
    const editor = this.stopEditor(stop);
    this.editors.push(editor);
    this.renderStops();
    this.changed();
    editor.seconds.focus();
  }

  /** The saved audio of every stop from `tour` (an upload's or a read's answer), by stop id. */
  takeAudio(tour) {
    const byId = new Map(tour.stops.map((stop) => [stop.id, stop]));
    for (const editor of this.editors) {
      const saved = editor.stop.id && byId.get(editor.stop.id);
      if (saved) editor.stop.audios = saved.audios || {};
      editor.showAudio();
    }
    this.pollReadings();
  }

  async refreshAudio() {
    if (!this.draft.id) return;
    this.takeAudio(await call('GET', '/api/tours/' + encodeURIComponent(this.draft.id) + '?translations=1'));
  }

  /** While readings are being made, ask again every few seconds (the editor open). */
  pollReadings() {
    clearTimeout(this.pollTimer);
    const pending = this.editors.some((e) => e.stop.audios && Object.values(e.stop.audios).includes(null));
    if (!pending || this.polls >= MAX_POLLS) return;
    this.pollTimer = setTimeout(async () => {
      if (!this.root.isConnected) return;
      this.polls += 1;
      try {
        await this.refreshAudio();
      } catch {
        // a failed read: the next Save or reopen asks again
      }
    }, POLL_MS);
  }

  /** A refusal: at the stop it names (error.stop, 1 = the first), else under the form. */
  refuse(err) {
    const reason = refusalText(err);
    const stop = err.fields && Number.isInteger(err.fields.stop) ? this.editors[err.fields.stop - 1] : null;
    this.status.dataset.state = 'refused';
    if (stop) {
      this.status.textContent = t('touredit.refused_at', { number: err.fields.stop });
      stop.refuse(reason);
    } else {
      this.status.textContent = t('touredit.refused', { reason });
    }
  }

  async save() {
    if (this.busy) return;
    for (const editor of this.editors) editor.refuse('');
    if (!this.editors.length) {
      this.status.dataset.state = 'refused';
      this.status.textContent = t('touredit.needs_stop');
      return;
    }
    if (!tourLang(this.draft, currentLang())) {
      this.status.dataset.state = 'refused';
      this.status.textContent = t('touredit.needs_title');
      this.form.elements['title_' + currentLang()].focus();
      return;
    }
    if (!this.form.reportValidity()) return;
    const body = tourBody(this.draft, currentLang());
    this.busy = true;
    this.saveButton.disabled = true;
    this.status.dataset.state = 'saving';
    this.status.textContent = t('touredit.saving');
    try {
      const { tour } = this.draft.id
        ? await call('PATCH', '/api/tours/' + encodeURIComponent(this.draft.id), body)
        : await call('POST', '/api/venues/' + encodeURIComponent(this.venueId) + '/tours', body);
      takeSaved(this.draft, tour);
      this.form.dataset.tourId = tour.id;
      this.renderStops();
      this.showHeading();
      this.status.dataset.state = 'saved';
      this.status.textContent = t('touredit.saved');
      this.polls = 0;
      this.pollReadings();
      await this.how.onSaved(tour);
    } catch (err) {
      this.refuse(err);
    } finally {
      this.busy = false;
      this.saveButton.disabled = false;
    }
  }

  close() {
    clearTimeout(this.pollTimer);
    this.player.stop();
    this.how.onClose();
  }
}
