// An event's page: title, kind, where and when, languages, the way into the hall
// and the calendar. Built with dom.h: every piece of server text lands in textContent.

import { withLang } from '../api.js';
import { fill, h } from '../dom.js';
import { formatDateTime, LANGUAGES, t } from '../i18n/i18n.js';
import { NATIVE_NAMES } from '../i18n/switch.js';
import { poster } from '../lobby/cards.js';
import { eventKindLabel, venueHref } from '../lobby/labels.js';
import { clockLabel, liveLabel, untilLabel } from '../lobby/time.js';

const $ = (id) => document.getElementById(id);
const DATE = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "Wed, 2 Dec 2026, 19:00–20:30", or both dates when it runs past midnight. */
export function whenLabel(start, end) {
  if (sameDay(start, end)) return t('eventpage.when_day', { date: formatDateTime(start, DATE), start: clockLabel(start), end: clockLabel(end) });
  return t('eventpage.when_days', {
    start: formatDateTime(start, DATE) + ', ' + clockLabel(start),
    end: formatDateTime(end, DATE) + ', ' + clockLabel(end),
  });
}

function statusLine(event, start, end, now) {
  if (event.status === 'live') return liveLabel(start, end, now);
  if (event.status === 'past') return t('eventpage.ended', { ago: untilLabel(end, now) });
  return t('eventpage.starts', { in: untilLabel(start, now) });
}

/** The languages the event's texts are written in, each name in its own language. */
function languages(event) {
  const codes = Object.keys(event.translations || {});
  if (!codes.includes(event.title_lang)) codes.push(event.title_lang);
  const known = LANGUAGES.filter((code) => codes.includes(code));
  const other = codes.filter((code) => !LANGUAGES.includes(code)).sort();
  const names = [...known, ...other].map((code) => h('span', { lang: code }, NATIVE_NAMES[code] || code));
  return names.flatMap((name, i) => (i ? [', ', name] : [name]));
}

export function renderEvent(event, now = new Date()) {
  const start = new Date(event.starts_at);
  const end = new Date(event.ends_at);
  document.title = t('eventpage.page_title_named', { title: event.title });

  fill($('event-art'), poster(event.poster_url, event.kind, eventKindLabel(event.kind)));
  fill($('event-kicker'),
    h('span.kind', {}, eventKindLabel(event.kind)),
    event.status === 'live' ? h('span.badge-live', {}, t('lobby.badge_live')) : null,
    event.status === 'past' ? h('span.badge-past', {}, t('programme.ended')) : null);
  const title = $('event-title');
  fill(title, event.title);
  title.lang = event.title_lang;

  fill($('event-when'),
    h('time.event-time', { datetime: event.starts_at }, whenLabel(start, end)),
    h('span.event-status', {}, statusLine(event, start, end, now)));
  fill($('event-venue'), h('a.event-venue-link', { href: venueHref(event.venue_id, event.id), lang: event.venue_name_lang }, event.venue_name));
  fill($('event-institution'), h('span', { lang: event.institution.name_lang }, event.institution.name));
  fill($('event-languages'), languages(event));

  const enter = $('event-enter');
  enter.href = venueHref(event.venue_id, event.id);
  const enterKey = event.status === 'live' ? 'lobby.enter' : 'lobby.look_around';
  enter.dataset.i18n = enterKey;
  enter.textContent = t(enterKey);
  // in the page's language: a calendar app fetching it sends its own Accept-Language
  $('event-ics').href = withLang('/api/events/' + encodeURIComponent(event.id) + '/calendar.ics');

  const description = $('event-description');
  description.textContent = event.description;
  description.lang = event.description_lang;
  $('event-about').hidden = !event.description;
}
