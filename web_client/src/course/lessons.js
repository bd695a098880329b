// One row per lesson on the course page: its number, what and where it is, its
// state for this visitor and the button that marks it done or not. Server text
// goes in through dom.h (textContent) only.

import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { eventKindLabel } from '../lobby/labels.js';
import { clockLabel, dayLabel } from '../lobby/time.js';

const STATE_KEYS = { watched: 'course.state.watched', next: 'course.state.next', 'not-started': 'course.state.not_started' };

function whenLabel(event, now) {
  if (event.status === 'live') return h('span.badge-live', {}, t('lobby.badge_live'));
  const start = new Date(event.starts_at);
  const day = dayLabel(start, now);
  const text = event.status === 'upcoming'
    ? t('course.when_upcoming', { day, clock: clockLabel(start) })
    : t('course.when_past', { day });
  return h('time.lesson-when', { datetime: event.starts_at }, text);
}

/**
 * @param lesson  a lesson of GET /api/courses/{id}
 * @param state   'watched' | 'next' | 'not-started'
 * @param onToggle called with the lesson when its done button is pressed
 */
export function lessonItem(lesson, state, onToggle, now = new Date()) {
  const done = state === 'watched';
  const event = lesson.event;
  return h('li.lesson', { dataset: { eventId: lesson.event_id, state } },
    h('span.lesson-number', { 'aria-hidden': 'true' }, done ? '✓' : String(lesson.number)),
    h('div.lesson-body', {},
      h('p.card-kicker', {},
        h('span.visually-hidden', {}, t('course.lesson_number', { number: lesson.number }) + ': '),
        h('span.kind', {}, eventKindLabel(event.kind)),
        whenLabel(event, now)),
      h('h3.lesson-title', {}, h('a.lesson-link', { href: lesson.url }, lesson.title)),
      h('p.card-meta', {}, event.venue_name),
      lesson.note ? h('p.lesson-note', {}, lesson.note) : null),
    h('div.lesson-side', {},
      h('span.lesson-state.lesson-state-' + state, {}, t(STATE_KEYS[state])),
      h('button.button.button-quiet.lesson-toggle', {
        type: 'button',
        'aria-pressed': done ? 'true' : 'false',
        on: { click: () => onToggle(lesson, !done) },
      }, t(done ? 'course.mark_not_done' : 'course.mark_done'))));
}
