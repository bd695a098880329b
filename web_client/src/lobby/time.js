// Event times in the visitor's own time zone and language (the API sends UTC).

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "Today", "Tomorrow" or "Sat, 28 Nov" for the day of `date`. */
export function dayLabel(date, now = new Date()) {
  if (sameDay(date, now)) return 'Today';
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  if (sameDay(date, tomorrow)) return 'Tomorrow';
  return dayFormat.format(date);
}

export function clockLabel(date) {
  return timeFormat.format(date);
}

/** "in 2 hours", "in 3 days", "in 25 minutes". */
export function untilLabel(date, now = new Date()) {
  const minutes = Math.round((date - now) / 60000);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 36) return relative.format(hours, 'hour');
  return relative.format(Math.round(hours / 24), 'day');
}

/** "Started 25 minutes ago · ends 21:30". */
export function liveLabel(start, end, now = new Date()) {
  return 'Started ' + untilLabel(start, now) + ' · ends ' + clockLabel(end);
}
