// Course page (GET /course/{id}): the course, its lessons in order and this
// visitor's progress (kept in the browser, web_client/src/course/progress.js).

import { apiErrorText } from '../api.js';
import { fill, h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { languageSwitch } from '../i18n/switch.js';
import { getCourse } from './courseapi.js';
import { lessonItem } from './lessons.js';
import { doneLessons, isProgressChange, lessonStates, markDone, markNotDone } from './progress.js';

function courseIdFromPath() {
  const match = /^\/course\/([^/]+)\/?$/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

function nextAction(course, states, count, onRestart) {
  const total = course.lessons.length;
  if (!total) return h('p.empty', {}, t('course.empty'));
  if (count === total) {
    return [
      h('p.course-finished', {}, t('course.finished')),
      h('button.button', { type: 'button', on: { click: onRestart } }, t('course.start_again')),
    ];
  }
  const next = course.lessons[states.indexOf('next')];
  const key = count ? 'course.continue' : 'course.start';
  return h('a.button.button-primary.course-continue', { href: next.url },
    t(key, { number: next.number, title: next.title }));
}

function render(course) {
  const done = doneLessons(course.id);
  const { states, count } = lessonStates(course.lessons, done);
  const total = course.lessons.length;

  document.getElementById('progress-text').textContent = t('course.progress', { done: count, count: total });
  const meter = document.getElementById('progress-meter');
  meter.setAttribute('aria-valuemax', String(total));
  meter.setAttribute('aria-valuenow', String(count));
  // CSSOM, not a style attribute: the page's CSP allows no inline styles
  document.getElementById('progress-bar').style.width = total ? (100 * count / total) + '%' : '0';
  const rerender = () => render(course);
  fill(document.getElementById('course-next'), nextAction(course, states, count, () => {
    for (const lesson of course.lessons) markNotDone(course.id, lesson.event_id);
    rerender();
  }));
  document.getElementById('course-progress').hidden = false;

  const toggle = (lesson, nowDone) => {
    if (nowDone) markDone(course.id, lesson.event_id);
    else markNotDone(course.id, lesson.event_id);
    rerender();
  };
  fill(document.getElementById('lesson-list'),
    total ? course.lessons.map((lesson, i) => lessonItem(lesson, states[i], toggle)) : []);
  document.body.dataset.progress = String(count);
}

function showCourse(course) {
  document.title = t('course.page_title_named', { title: course.title });
  // one run of text, so a long institution name wraps like words do
  document.getElementById('course-kicker').textContent = t('course.kicker') + ' · ' + course.institution.name;
  fill(document.getElementById('course-title'), course.title);
  document.getElementById('course-description').textContent = course.description;
  render(course);
}

async function boot() {
  document.getElementById('lang-switch').appendChild(languageSwitch());
  const courseId = courseIdFromPath();
  let course;
  try {
    course = await getCourse(courseId || '');
  } catch (err) {
    document.getElementById('course-error-text').textContent = t('course.load_failed', { reason: apiErrorText(err) });
    document.getElementById('course-error').hidden = false;
    fill(document.getElementById('lesson-list'));
    fill(document.getElementById('course-title'), t('course.page_title'));
    document.body.dataset.state = 'error';
    return;
  }
  showCourse(course);
  // progress made elsewhere shows here too: another tab, or this page coming
  // back from the browser's back-forward cache after a lesson
  window.addEventListener('storage', (e) => { if (isProgressChange(e, course.id)) render(course); });
  window.addEventListener('pageshow', (e) => { if (e.persisted) render(course); });
  document.body.dataset.state = 'ready';
}

boot();
