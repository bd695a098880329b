// The lobby's "Courses" section: each course with its institution and number of
// lessons, linking to its page (web_client/src/course/). Its own module, loaded
// beside the lobby's main.js; it leaves the section hidden when there are none.

import { h, fill } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { listCourses } from '../course/courseapi.js';
import { doneLessons } from '../course/progress.js';

function courseCard(course) {
  const done = Math.min(doneLessons(course.id).size, course.lesson_count);
  return h('a.course-card', { href: course.url, dataset: { courseId: course.id } },
    // the section says these are courses: the kicker names whose
    h('p.card-kicker', {}, h('span.institution-name', {}, course.institution.name)),
    h('h3.course-card-title', {}, course.title),
    course.description ? h('p.card-description', {}, course.description) : null,
    h('p.card-meta', {}, done
      ? t('course.progress', { done, count: course.lesson_count })
      : t('course.lessons_count', { count: course.lesson_count })));
}

async function showCourses() {
  const section = document.getElementById('courses');
  if (!section) return;
  try {
    const courses = (await listCourses()).filter((c) => c.lesson_count > 0);
    fill(document.getElementById('course-list'), courses.map(courseCard));
    section.hidden = courses.length === 0;
  } catch (err) {
    console.warn('lobby: courses not shown:', err.message);
  }
}

showCourses();
