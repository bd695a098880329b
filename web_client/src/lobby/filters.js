// The programme's filters: read from and written to the page's query string (a
// filtered view can be linked and survives a reload), and the test of an event
// against them. Pure: no DOM; days are the visitor's own (the lobby shows times
// in the visitor's time zone, lobby/time.js).
//
//   ?kind=lecture&institution=city-museum&date=today|week|2026-12-24&past=1

export const KINDS = ['concert', 'performance', 'lecture', 'masterclass', 'qa', 'excursion'];
export const RECENT_PAST_DAYS = 30; // as far back as the calendar feeds go
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_DAYS = 7;

export const NO_FILTERS = Object.freeze({ kind: '', institution: '', date: '', past: false });

function validDay(text) {
  const m = DAY.exec(text);
  if (!m) return false;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]);
}

/** The filters in `search` ("?kind=..."); unknown or malformed values are dropped. */
export function readFilters(search) {
  const q = new URLSearchParams(search);
  const kind = q.get('kind') || '';
  const date = q.get('date') || '';
  return {
    kind: KINDS.includes(kind) ? kind : '',
    institution: (q.get('institution') || '').slice(0, 64),
    date: date === 'today' || date === 'week' || validDay(date) ? date : '',
    past: q.get('past') === '1',
  };
}

/** "?kind=lecture&past=1", or "" with no filter on: the defaults stay out of the URL. */
export function writeFilters(filters) {
  const q = new URLSearchParams();
  if (filters.kind) q.set('kind', filters.kind);
  if (filters.institution) q.set('institution', filters.institution);
  if (filters.date) q.set('date', filters.date);
  if (filters.past) q.set('past', '1');
  const text = q.toString();
  return text ? '?' + text : '';
}

export function isFiltered(filters) {
  return Boolean(filters.kind || filters.institution || filters.date || filters.past);
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

function addDays(date, days) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** [from, to) of the `date` filter in local time, or null for "any date". */
export function dateRange(date, now = new Date()) {
  if (date === 'today') return [startOfDay(now), addDays(now, 1)];
  if (date === 'week') return [startOfDay(now), addDays(now, WEEK_DAYS)];
  const m = DAY.exec(date || '');
  if (!m) return null;
  const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return [day, addDays(day, 1)];
}

/**
 * Does `event` (from GET /api/events) pass `filters`? An event is on a day when
 * it overlaps it (a concert that began last night is on today too); a past event
 * shows only with `past`, and only if it ended within RECENT_PAST_DAYS.
 */
export function matches(event, filters, now = new Date()) {
  if (filters.kind && event.kind !== filters.kind) return false;
  if (filters.institution && (!event.institution || event.institution.id !== filters.institution)) return false;
  const start = new Date(event.starts_at);
  const end = new Date(event.ends_at);
  if (event.status === 'past') {
    if (!filters.past) return false;
    if (now - end > RECENT_PAST_DAYS * 86_400_000) return false;
  }
  const range = dateRange(filters.date, now);
  return !range || (start < range[1] && end > range[0]);
}
