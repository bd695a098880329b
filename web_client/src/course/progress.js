// A visitor's progress through a course, kept in this browser only: no account,
// nothing sent to the server. localStorage key `zal.course.<course id>` holds
// {"done": [event ids]}. Lessons are remembered by their event, not their
// number, so a course the institution reorders keeps what was watched.

const PREFIX = 'zal.course.';
// storage refused (a private window, a full quota): progress lasts for this page
const memory = new Map();

function read(courseId) {
  let raw = memory.get(courseId) || null; // a write storage refused is the latest
  if (raw === null) {
    try {
      raw = localStorage.getItem(PREFIX + courseId);
    } catch {
      // no storage at all: nothing saved yet
    }
  }
  try {
    const value = JSON.parse(raw || '{}');
    return new Set(Array.isArray(value.done) ? value.done.filter((id) => typeof id === 'string') : []);
  } catch {
    return new Set(); // a damaged entry starts the course afresh
  }
}

function write(courseId, done) {
  const raw = JSON.stringify({ done: [...done] });
  try {
    localStorage.setItem(PREFIX + courseId, raw);
    memory.delete(courseId);
  } catch {
    memory.set(courseId, raw);
  }
}

/** The event ids of the lessons done in `courseId`. */
export function doneLessons(courseId) {
  return read(courseId);
}

export function markDone(courseId, eventId) {
  const done = read(courseId);
  done.add(eventId);
  write(courseId, done);
}

export function markNotDone(courseId, eventId) {
  const done = read(courseId);
  done.delete(eventId);
  write(courseId, done);
}

/** Is `event` (a storage event) about `courseId`'s progress (another tab)? */
export function isProgressChange(event, courseId) {
  return event.key === null || event.key === PREFIX + courseId;
}

/**
 * Each lesson's state: 'watched', 'next' (the first one not done, in order) or
 * 'not-started'; and `count`, the lessons done that are still in the course.
 */
export function lessonStates(lessons, done) {
  let nextFound = false;
  const states = lessons.map((lesson) => {
    if (done.has(lesson.event_id)) return 'watched';
    if (!nextFound) {
      nextFound = true;
      return 'next';
    }
    return 'not-started';
  });
  return { states, count: states.filter((s) => s === 'watched').length };
}
