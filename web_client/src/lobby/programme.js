// The lobby's programme: every live and coming event (and, on request, the
// recently ended ones) with filters by kind, institution and date. The filter
// controls are plain labelled form fields in lobby.html; their state lives in
// the URL's query (lobby/filters.js), so a filtered view can be linked.

import { h, fill } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { emptyState } from './cards.js';
import { isFiltered, matches, NO_FILTERS, readFilters, writeFilters } from './filters.js';
import { eventKindLabel, eventHref, venueHref } from './labels.js';
import { clockLabel, dayLabel } from './time.js';

const $ = (id) => document.getElementById(id);

function byStart(a, b) {
  return new Date(a.starts_at) - new Date(b.starts_at);
}

function statusBadge(event) {
  if (event.status === 'live') return h('span.badge-live', {}, t('lobby.badge_live'));
  if (event.status === 'past') return h('span.badge-past', {}, t('programme.ended'));
  return null;
}

function action(event) {
  if (event.status === 'past') return null;
  const label = event.status === 'live' ? t('lobby.enter') : t('lobby.look_around');
  const cls = event.status === 'live' ? 'a.button.button-primary' : 'a.button.button-quiet';
  return h(cls, { href: venueHref(event.venue_id, event.id) }, label);
}

export function programmeItem(event, now = new Date()) {
  const start = new Date(event.starts_at);
  return h('li.programme-item', { dataset: { eventId: event.id, status: event.status } },
    h('time.upcoming-when', { datetime: event.starts_at },
      h('span.upcoming-day', {}, dayLabel(start, now)),
      h('span.upcoming-clock', {}, clockLabel(start))),
    h('div.upcoming-body', {},
      h('p.card-kicker', {}, h('span.kind', {}, eventKindLabel(event.kind)), statusBadge(event)),
      h('h3.programme-title', {}, h('a.programme-link', { href: eventHref(event.id) }, event.title)),
      h('p.card-meta', {},
        h('span.venue-name', {}, event.venue_name),
        h('span.sep', { 'aria-hidden': 'true' }, ' · '),
        h('span.institution-name', {}, event.institution ? event.institution.name : ''))),
    action(event));
}

function localDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Institutions to choose from: those with a venue or an event, by name. */
function institutionsOf(venues, events) {
  const found = new Map();
  for (const item of [...venues, ...events]) {
    if (item.institution && !found.has(item.institution.id)) found.set(item.institution.id, item.institution.name);
  }
  return [...found].sort((a, b) => a[1].localeCompare(b[1]));
}

export class Programme {
  constructor() {
    this.form = $('programme-filters');
    this.kind = $('filter-kind');
    this.institution = $('filter-institution');
    this.date = $('filter-date');
    this.day = $('filter-day');
    this.dayBox = $('filter-day-box');
    this.past = $('filter-past');
    this.events = [];
    this.institutionKeys = '';
    this.filters = readFilters(location.search);
    this.form.addEventListener('change', () => this.fromControls());
    this.form.addEventListener('submit', (e) => e.preventDefault());
    this.form.addEventListener('reset', (e) => {
      e.preventDefault();
      this.day.value = '';
      this.apply({ ...NO_FILTERS });
      this.kind.focus(); // the clear button hides itself: the focus stays in the form
    });
    window.addEventListener('popstate', () => this.apply(readFilters(location.search), false));
  }

  /** Whether the page was opened on a filtered view (the lobby brings it into sight). */
  get linked() {
    return isFiltered(this.filters);
  }

  update(events, venues) {
    this.events = events;
    this.fillInstitutions(institutionsOf(venues, events));
    this.toControls();
    this.render();
  }

  fillInstitutions(list) {
    const keys = list.map(([id, name]) => id + '\u0000' + name).join('\u0001');
    if (keys === this.institutionKeys) return; // a refresh leaves an open select alone
    this.institutionKeys = keys;
    fill(this.institution,
      h('option', { value: '' }, t('programme.any_institution')),
      list.map(([id, name]) => h('option', { value: id }, name)));
  }

  fromControls() {
    const dateChoice = this.date.value;
    if (dateChoice === 'day' && !this.day.value) this.day.value = localDay(new Date());
    const date = dateChoice === 'day' ? this.day.value : dateChoice;
    this.apply({
      kind: this.kind.value,
      institution: this.institution.value,
      date,
      past: this.past.checked,
    });
  }

  apply(filters, remember = true) {
    this.filters = filters;
    if (remember) {
      history.replaceState(history.state, '', location.pathname + writeFilters(filters) + location.hash);
    }
    this.toControls();
    this.render();
  }

  toControls() {
    const f = this.filters;
    this.kind.value = f.kind;
    // an institution the lobby does not know (an old link) still filters, and says so
    if (f.institution && ![...this.institution.options].some((o) => o.value === f.institution)) {
      this.institution.appendChild(h('option', { value: f.institution }, f.institution));
    }
    this.institution.value = f.institution;
    const isDay = Boolean(f.date) && f.date !== 'today' && f.date !== 'week';
    if (isDay) this.day.value = f.date;
    this.date.value = isDay ? 'day' : f.date;
    this.dayBox.hidden = this.date.value !== 'day';
    this.past.checked = f.past;
  }

  render() {
    const now = new Date();
    const shown = this.events.filter((e) => matches(e, this.filters, now));
    const current = shown.filter((e) => e.status !== 'past').sort(byStart);
    const past = shown.filter((e) => e.status === 'past').sort((a, b) => byStart(b, a));
    fill($('programme-list'), current.length
      ? current.map((e) => programmeItem(e, now))
      : emptyState(t(isFiltered(this.filters) ? 'programme.empty_filtered' : 'lobby.empty_upcoming')));
    $('past-title').hidden = !this.filters.past;
    $('past-list').hidden = !this.filters.past;
    fill($('past-list'), this.filters.past
      ? (past.length ? past.map((e) => programmeItem(e, now)) : emptyState(t('programme.empty_past')))
      : null);
    $('programme-count').textContent = t('programme.count', { count: shown.length });
    $('filter-clear').hidden = !isFiltered(this.filters);
  }
}
