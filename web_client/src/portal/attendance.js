// A past event's attendance in the portal's programme list (issue 8): a disclosure
// that reads GET /api/events/{id}/attendance (the session's editor or host) the
// first time it is opened, so a long programme costs no request until asked.

import { fill, h } from '../dom.js';
import { formatNumber, t } from '../i18n/i18n.js';
import { call, refusalText } from './portalapi.js';

/** "Peak audience at once: 3 · Unique visitors: 3 · ..." for the API's answer. */
export function attendanceLine(figures) {
  const n = (key) => formatNumber(figures[key] ?? 0);
  return [
    `${t('attendance.peak')}: ${n('peak_concurrent')}`,
    `${t('attendance.visitors')}: ${n('unique_visitors')}`,
    `${t('attendance.chat')}: ${n('chat_messages')}`,
    `${t('attendance.questions')}: ${n('questions')} (${n('questions_answered')} ${t('attendance.answered')})`,
  ].join(' · ');
}

/** The disclosure for one past event. */
export function attendanceDetails(eventId) {
  const text = h('p.portal-item-meta.portal-attendance-figures', { role: 'status' });
  const details = h('details.portal-attendance', { dataset: { attendance: eventId } },
    h('summary', {}, t('attendance.title')), text);
  let asked = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || asked) return;
    asked = true;
    try {
      const figures = await call('GET', '/api/events/' + encodeURIComponent(eventId) + '/attendance');
      fill(text, attendanceLine(figures));
    } catch (err) {
      asked = false; // may be asked again
      fill(text, t('attendance.failed', { reason: refusalText(err) }));
    }
  });
  return details;
}
