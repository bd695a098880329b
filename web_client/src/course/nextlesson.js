// On the venue page opened from a course (?event=<id>&course=<id>): counts the
// lesson as done and shows a small bar, "Lesson 1 of 3 · Next lesson: ...", so
// the next lesson opens from this one. Its own module, loaded beside the venue
// page's entry; it needs nothing from the hall and waits for none of it.
//
// Why opening counts as done: lessons are live events, past events' recordings
// and excursions. Without an account, and without watching how long someone
// stays (that would be tracking people), the honest signal we have is the
// visitor's own act of opening the lesson from the course; the course page has
// "Mark as not done" for a lesson opened by mistake and "Mark as done" for one
// seen elsewhere. It counts as soon as the page opens, not when the 3D hall
// has loaded: a slow phone should not lose the step it took.

import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { getCourse } from './courseapi.js';
import { doneLessons, markDone } from './progress.js';

function courseBar(course, index) {
  const lesson = course.lessons[index];
  const next = course.lessons[index + 1];
  const courseLink = h('a.course-bar-course', { href: '/course/' + encodeURIComponent(course.id) }, course.title);
  const where = h('p.course-bar-where', {},
    h('span.course-bar-step', {}, t('course.lesson_of', { number: lesson.number, count: course.lessons.length })),
    h('span.sep', { 'aria-hidden': 'true' }, ' · '),
    courseLink);
  let onward;
  if (next) {
    onward = h('a.button.button-primary.next-lesson', { href: next.url },
      t('course.next_lesson', { title: next.title }), h('span', { 'aria-hidden': 'true' }, ' →'));
  } else {
    const all = doneLessons(course.id).size >= course.lessons.length;
    onward = h('a.button.next-lesson.course-bar-end', { href: '/course/' + encodeURIComponent(course.id) },
      t(all ? 'course.finished_back' : 'course.back_to_course'));
  }
  return h('nav.course-bar', { 'aria-label': t('course.bar_label'), dataset: { lesson: String(lesson.number) } },
    where, onward);
}

async function attachCourse() {
  const params = new URLSearchParams(location.search);
  const courseId = params.get('course');
  const eventId = params.get('event');
  if (!courseId || !eventId) return;
  let course;
  try {
    course = await getCourse(courseId);
  } catch (err) {
    console.warn('course: not shown:', err.message); // the hall opens all the same
    return;
  }
  const index = course.lessons.findIndex((lesson) => lesson.event_id === eventId);
  if (index < 0) return; // a link from an older version of the course
  markDone(course.id, eventId);
  document.body.appendChild(courseBar(course, index));
}

attachCourse();
