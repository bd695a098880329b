"""A visitor's course progress (web_client/src/course/progress.js), run in Node with
a stand-in localStorage: lessons remembered by event, the first one not done is
next, a reordered course keeps what was watched, a damaged entry starts afresh and
a browser that refuses storage still counts for the page."""

from __future__ import annotations

import pytest

SCRIPT = """
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => { if (globalThis.refuse) throw new Error('quota'); store.set(k, String(v)); },
};
const p = await import('./src/course/progress.js');
const lessons = (...ids) => ids.map((event_id) => ({ event_id }));
const out = {};
out.fresh = p.lessonStates(lessons('a', 'b', 'c'), p.doneLessons('c1'));
p.markDone('c1', 'a');
out.one = p.lessonStates(lessons('a', 'b', 'c'), p.doneLessons('c1'));
out.stored = JSON.parse(store.get('zal.course.c1'));
p.markDone('c1', 'c');
out.gap = p.lessonStates(lessons('a', 'b', 'c'), p.doneLessons('c1'));
out.reordered = p.lessonStates(lessons('c', 'b', 'a'), p.doneLessons('c1'));
out.removed = p.lessonStates(lessons('b', 'd'), p.doneLessons('c1'));
p.markNotDone('c1', 'a');
out.undone = [...p.doneLessons('c1')];
out.other = [...p.doneLessons('c2')];
store.set('zal.course.c3', '{not json');
out.damaged = [...p.doneLessons('c3')];
globalThis.refuse = true;
p.markDone('c4', 'x');
out.refused = [...p.doneLessons('c4')];
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def result(node_json) -> dict:
    return node_json(SCRIPT)


def test_the_first_lesson_not_done_is_next(result):
    assert result["fresh"] == {"states": ["next", "not-started", "not-started"], "count": 0}
    assert result["one"] == {"states": ["watched", "next", "not-started"], "count": 1}
    assert result["stored"] == {"done": ["a"]}
    assert result["gap"] == {"states": ["watched", "next", "watched"], "count": 2}


def test_lessons_are_remembered_by_event_when_the_course_changes(result):
    assert result["reordered"] == {"states": ["watched", "next", "watched"], "count": 2}
    assert result["removed"] == {"states": ["next", "not-started"], "count": 0}


def test_undo_other_courses_damage_and_refused_storage(result):
    assert result["undone"] == ["c"]
    assert result["other"] == []
    assert result["damaged"] == []
    # storage refuses the write (a full quota): the page still counts the lesson
    assert result["refused"] == ["x"]
