// A gallery's tours in the portal (issue 11, docs/tours.md): folded under the
// venue until opened, then its own tours and its default tour (made from the
// hanging, marked as such; copied to be edited), New tour, Edit and Delete
// (asked twice), and the editor of the tour chosen below the list.

import { fill, h } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { call, refusalText } from '../portalapi.js';
import { TourEditor } from './toureditor.js';

const venuePath = (venueId) => '/api/venues/' + encodeURIComponent(venueId);
const tourPath = (tourId) => '/api/tours/' + encodeURIComponent(tourId);

function summary(tour) {
  return t('tour.summary', { count: tour.stop_count, minutes: Math.max(1, Math.round(tour.seconds / 60)) });
}

export class TourList {
  /** @param {string} venueId a gallery */
  constructor(venueId) {
    this.venueId = venueId;
    this.defaultTour = null;
    this.editor = null;
    this.list = h('ul.tour-list');
    this.status = h('p.tour-status', { role: 'status' });
    this.editorBox = h('div.tour-editor-slot');
    this.newButton = h('button.button', { type: 'button', on: { click: () => this.open(null) } }, t('touredit.new'));
    this.body = h('div.tour-body', {},
      h('p.portal-hint', {}, t('touredit.help')), this.list, h('div.portal-actions', {}, this.newButton), this.status, this.editorBox);
    this.root = h('details.tour-editor', { dataset: { toursVenue: venueId } }, h('summary', {}, t('touredit.title')), this.body);
    this.loaded = false;
    this.root.addEventListener('toggle', () => {
      if (this.root.open && !this.loaded) this.load();
    });
  }

  async load() {
    this.loaded = true;
    this.status.textContent = t('touredit.loading');
    try {
      const [{ tours }, fallback] = await Promise.all([
        call('GET', venuePath(this.venueId) + '/tours'),
        // a gallery that hangs nothing has no default tour (404)
        call('GET', venuePath(this.venueId) + '/tours/default?translations=1').catch((err) => {
          if (err.status === 404) return null;
          throw err;
        }),
      ]);
      this.defaultTour = fallback;
      const own = tours.filter((tour) => !tour.default);
      fill(this.list, own.map((tour) => this.row(tour)), fallback ? this.defaultRow(fallback) : null);
      if (!own.length && !fallback) this.list.append(h('li.portal-empty', {}, t('touredit.none')));
      this.status.textContent = '';
    } catch (err) {
      this.loaded = false; // opening it again asks again
      this.status.textContent = refusalText(err);
    }
  }

  row(tour) {
    const actions = h('div.portal-actions', {},
      h('button.button', { type: 'button', 'aria-label': t('touredit.edit_n', { title: tour.title }), on: { click: () => this.open(tour.id) } }, t('touredit.edit')),
      h('button.button.button-quiet', { type: 'button', 'aria-label': t('touredit.delete_n', { title: tour.title }), on: { click: () => this.askDelete(tour, actions) } }, t('touredit.delete')));
    return h('li.portal-item.tour-row', { dataset: { tourId: tour.id } },
      h('div', {},
        h('p.portal-item-title', { lang: tour.title_lang }, tour.title),
        h('p.portal-item-meta', {}, summary(tour))),
      actions);
  }

  defaultRow(tour) {
    return h('li.portal-item.tour-row', { dataset: { tourId: 'default' } },
      h('div', {},
        h('p.portal-item-title', {}, h('span', { lang: tour.title_lang }, tour.title), ' ', h('span.tour-badge', {}, t('touredit.default_badge'))),
        h('p.portal-item-meta', {}, summary(tour) + ' · ' + t('touredit.default_help'))),
      h('div.portal-actions', {},
        h('button.button', { type: 'button', dataset: { copyDefault: '' }, on: { click: () => this.copyDefault() } }, t('touredit.copy_default'))));
  }

  /** Delete asks first, in place of the row's buttons. */
  askDelete(tour, actions) {
    const keep = h('button.button.button-quiet', { type: 'button', on: { click: () => { asking.replaceWith(actions); actions.querySelector('button').focus(); } } }, t('touredit.keep'));
    const yes = h('button.button', { type: 'button', dataset: { confirmDelete: '' }, on: { click: () => this.remove(tour) } }, t('touredit.delete_yes'));
    const asking = h('div.portal-actions', { role: 'group', 'aria-label': t('touredit.delete_n', { title: tour.title }) },
      h('span.tour-confirm', {}, t('touredit.delete_ask')), yes, keep);
    actions.replaceWith(asking);
    keep.focus();
  }

  async remove(tour) {
    try {
      await call('DELETE', tourPath(tour.id));
      if (this.editor && this.editor.draft.id === tour.id) this.closeEditor();
      await this.load();
      this.status.textContent = t('touredit.deleted', { title: tour.title });
    } catch (err) {
      this.status.textContent = refusalText(err);
    }
  }

  async copyDefault() {
    this.status.textContent = t('touredit.copying');
    try {
      const { tour } = await call('POST', venuePath(this.venueId) + '/tours/default/copy');
      await this.load();
      this.show(tour);
    } catch (err) {
      this.status.textContent = refusalText(err);
    }
  }

  /** Open the editor on a saved tour (its id) or a new one (null). */
  async open(tourId) {
    if (!tourId) return this.show(null);
    this.status.textContent = t('touredit.loading');
    try {
      this.show(await call('GET', tourPath(tourId) + '?translations=1'));
      this.status.textContent = '';
    } catch (err) {
      this.status.textContent = refusalText(err);
    }
  }

  show(tour) {
    if (this.editor) this.editor.close();
    this.editor = new TourEditor(this.venueId, tour, this.defaultTour, {
      onSaved: () => this.load(),
      onClose: () => this.closeEditor(),
    });
    fill(this.editorBox, this.editor.root);
    this.editor.heading.focus();
  }

  closeEditor() {
    const editor = this.editor;
    this.editor = null;
    fill(this.editorBox);
    if (editor) this.newButton.focus();
  }
}
