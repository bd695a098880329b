// The institution's programme: its events, and a form to create or edit one
// (POST /api/institutions/{id}/events, PATCH /api/events/{id}).

import { fill, h } from '../dom.js';
import { LANGUAGES, formatDateTime, t } from '../i18n/i18n.js';
import { eventKindLabel } from '../lobby/labels.js';
import { attendanceDetails } from './attendance.js';
import { call, refusalText } from './portalapi.js';

const $ = (id) => document.getElementById(id);
const KINDS = ['concert', 'performance', 'lecture', 'masterclass', 'qa', 'excursion'];
const LANG_NAMES = { ru: 'Русский', tt: 'Татарча', en: 'English' };

/** A Date as the value of <input type=datetime-local> in the visitor's zone. */
function localInput(date) {
  const d = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export class Programme {
  constructor(institutionId, venues, editable) {
    this.institutionId = institutionId;
    this.venues = venues;
    this.editable = editable;
    this.editing = null; // the event being edited, or null for a new one
    this.form = $('event-form');
    this.buildForm();
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    $('event-cancel').addEventListener('click', () => this.reset());
    $('event-editor').hidden = !editable;
  }

  /** The institution's venues changed (an upload ended): the venue menu follows. */
  setVenues(venues) {
    const select = $('event-venue');
    const chosen = select.value;
    this.venues = venues;
    fill(select, venues.map((v) => h('option', { value: v.id }, v.name)));
    if (venues.some((v) => v.id === chosen)) select.value = chosen;
  }

  buildForm() {
    fill($('event-venue'), this.venues.map((v) => h('option', { value: v.id }, v.name)));
    fill($('event-kind'), KINDS.map((k) => h('option', { value: k }, eventKindLabel(k))));
    fill($('event-lang'), LANGUAGES.map((l) => h('option', { value: l, lang: l }, LANG_NAMES[l])));
    const texts = $('event-texts');
    for (const lang of LANGUAGES) {
      texts.appendChild(h('div.portal-lang', { lang },
        h('label', {}, h('span', {}, t('portal.title_in', { lang: LANG_NAMES[lang] })),
          h('input', { name: 'title_' + lang, maxlength: 200 })),
        h('label', {}, h('span', {}, t('portal.description_in', { lang: LANG_NAMES[lang] })),
          h('textarea', { name: 'description_' + lang, rows: 3, maxlength: 4000 }))));
    }
    this.reset();
  }

  reset() {
    this.editing = null;
    this.form.reset();
    const start = new Date(Date.now() + 7 * 86_400_000);
    start.setHours(19, 0, 0, 0);
    this.form.elements.starts_at.value = localInput(start);
    this.form.elements.ends_at.value = localInput(new Date(start.getTime() + 2 * 3_600_000));
    $('event-editor-title').textContent = t('portal.new_event');
    $('event-error').textContent = '';
  }

  edit(event) {
    this.editing = event;
    const f = this.form.elements;
    f.venue_id.value = event.venue_id;
    f.kind.value = event.kind;
    f.starts_at.value = localInput(new Date(event.starts_at));
    f.ends_at.value = localInput(new Date(event.ends_at));
    f.lang.value = event.title_lang;
    const texts = { ...event.translations, [event.title_lang]: { title: event.title, description: event.description } };
    for (const lang of LANGUAGES) {
      f['title_' + lang].value = texts[lang]?.title || '';
      f['description_' + lang].value = texts[lang]?.description || '';
    }
    $('event-editor-title').textContent = t('portal.edit_event');
    $('event-editor').open = true;
    f.title_en.closest('form').scrollIntoView({ block: 'start' });
  }

  body() {
    const f = this.form.elements;
    const title = {};
    const description = {};
    for (const lang of LANGUAGES) {
      title[lang] = f['title_' + lang].value.trim();
      description[lang] = f['description_' + lang].value.trim();
    }
    const when = (input) => (input.value ? new Date(input.value).toISOString() : null);
    return {
      venue_id: f.venue_id.value,
      kind: f.kind.value,
      starts_at: when(f.starts_at),
      ends_at: when(f.ends_at),
      lang: f.lang.value,
      title,
      description,
    };
  }

  async save() {
    const body = this.body();
    if (!body.title[body.lang]) {
      $('event-error').textContent = t('portal.title_needed');
      return;
    }
    try {
      if (this.editing) {
        await call('PATCH', '/api/events/' + encodeURIComponent(this.editing.id), body);
      } else {
        const made = await call('POST', '/api/institutions/' + encodeURIComponent(this.institutionId) + '/events', body);
        this.showHostLink(made.host_url);
      }
      this.reset();
      $('event-editor').open = false;
      await this.load();
    } catch (err) {
      $('event-error').textContent = refusalText(err);
    }
  }

  showHostLink(path) {
    $('host-link').value = new URL(path, location.origin).href;
    $('host-link-box').hidden = false;
    $('host-link').focus();
    $('host-link').select();
  }

  async load() {
    const { events: all } = await call('GET', '/api/events');
    const own = all.filter((e) => e.institution.id === this.institutionId);
    own.sort((a, b) => new Date(a.starts_at) - new Date(b.starts_at));
    fill($('event-list'), own.length ? own.map((e) => this.row(e)) : h('li.portal-empty', {}, t('portal.no_events')));
  }

  row(event) {
    const when = formatDateTime(new Date(event.starts_at), { dateStyle: 'medium', timeStyle: 'short' });
    const edit = async () => {
      const full = await call('GET', '/api/events/' + encodeURIComponent(event.id) + '?translations=1');
      this.edit(full);
    };
    const relink = async () => {
      try {
        const { host_url: url } = await call('POST', '/api/events/' + encodeURIComponent(event.id) + '/host-link');
        $('programme-error').textContent = '';
        this.showHostLink(url);
      } catch (err) {
        $('programme-error').textContent = refusalText(err);
      }
    };
    return h('li.portal-item', { dataset: { eventId: event.id } },
      h('div', {},
        h('p.portal-item-title', { lang: event.title_lang }, event.title),
        h('p.portal-item-meta', {}, `${when} · ${eventKindLabel(event.kind)} · ${event.venue_name}`),
        event.status === 'past' ? attendanceDetails(event.id) : null),
      h('div.portal-actions', {},
        this.editable ? h('button.button', { type: 'button', on: { click: edit } }, t('portal.edit')) : null,
        // editors and hosts alike: a host gets into the host console this way
        h('button.button.button-quiet', { type: 'button', dataset: { relink: '' }, on: { click: relink } },
          t('portal.new_host_link'))));
  }
}
