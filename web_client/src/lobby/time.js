// Event times in the visitor's own time zone and language (the API sends UTC).

import { formatDateTime, formatRelative, t } from '../i18n/i18n.js';

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "Today", "Tomorrow" or "Sat, 28 Nov" for the day of `date`. */
export function dayLabel(date, now = new Date()) {
  if (sameDay(date, now)) return t('time.today');
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  if (sameDay(date, tomorrow)) return t('time.tomorrow');
  return formatDateTime(date, { weekday: 'short', day: 'numeric', month: 'short' });
}

export function clockLabel(date) {
  return formatDateTime(date, { hour: '2-digit', minute: '2-digit' });
}

/** "in 2 hours", "in 3 days", "in 25 minutes". */
export function untilLabel(date, now = new Date()) {
  return formatRelative(date, now);
}

/** "Started 25 minutes ago · ends 21:30". */
export function liveLabel(start, end, now = new Date()) {
  return t('time.live', { ago: untilLabel(start, now), end: clockLabel(end) });
}
