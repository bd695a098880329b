"""A course in Chromium: the demo museum's three lessons, progress kept in the
browser across reloads, the next lesson opened from the previous one.

The course bar and the progress need nothing from the 3D hall, so the hall is
held back here: three.js and the scene files are refused, the venue page's own
entry never starts, and no software-rendered hall loads on a CPU the other browser
tests share (each one cost 10-20 s). The test so also shows that a lesson counts
and the next one is offered while the hall is still loading, or cannot load.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from .conftest import ARTIFACTS, console_errors, screenshot
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

COURSE = "city-and-its-art"
LESSONS = ["icons-lecture", "landscapes-tour", "river-lecture"]
TIMEOUT_MS = 90_000  # a loaded machine; every wait ends as soon as its state is there


def states(page) -> list[str]:
    return page.eval_on_selector_all(".lesson", "items => items.map(i => i.dataset.state)")


def wait_for_progress(page, done: int) -> None:
    page.wait_for_function(
        "() => document.body.dataset.state === 'ready'"
        f" && document.body.dataset.progress === '{done}'",
        timeout=TIMEOUT_MS,
    )


def wait_for_course_bar(page, number: int) -> None:
    page.wait_for_selector(f'.course-bar[data-lesson="{number}"]', timeout=TIMEOUT_MS)


def test_a_course_with_three_lessons_keeps_progress_across_reloads(page, zal_server):
    page.set_default_timeout(TIMEOUT_MS)
    for held_back in ("**/scenes/*.glb", "**/vendor/three/**"):
        page.route(held_back, lambda route: route.abort())
    course = zal_server.get_json(f"/api/courses/{COURSE}")
    assert [lesson["event_id"] for lesson in course["lessons"]] == LESSONS
    titles = [lesson["title"] for lesson in course["lessons"]]

    page.goto(zal_server.url + f"/course/{COURSE}")
    wait_for_progress(page, 0)
    assert page.locator("#course-title").inner_text() == course["title"]
    assert page.locator("#progress-text").inner_text() == "0 of 3 lessons watched"
    assert states(page) == ["next", "not-started", "not-started"]
    assert [t.strip() for t in page.locator(".lesson-title").all_inner_texts()] == titles

    # lesson 1 from the course page: the venue page counts it and offers lesson 2
    page.locator(f'.lesson[data-event-id="{LESSONS[0]}"] .lesson-link').click()
    page.wait_for_url(f"**/venue/lecture-room?event={LESSONS[0]}&course={COURSE}")
    wait_for_course_bar(page, 1)
    bar = page.locator(".course-bar")
    assert "Lesson 1 of 3" in bar.inner_text()
    next_link = bar.locator(".next-lesson")
    assert next_link.inner_text().startswith(f"Next lesson: {titles[1]}")
    assert next_link.get_attribute("href") == course["lessons"][1]["url"]

    page.go_back(wait_until="commit")
    wait_for_progress(page, 1)
    assert page.locator("#progress-text").inner_text() == "1 of 3 lessons watched"
    assert states(page) == ["watched", "next", "not-started"]
    assert page.locator("#progress-meter").get_attribute("aria-valuenow") == "1"
    page.set_viewport_size({"width": 1100, "height": 900})
    screenshot(page, "course.png", full_page=True)
    assert_accessible(page, zal_server)

    page.reload()
    wait_for_progress(page, 1)
    assert states(page) == ["watched", "next", "not-started"]

    # lesson 2 from the course's "Continue", lesson 3 from lesson 2's venue page
    continue_link = page.locator(".course-continue")
    assert continue_link.inner_text() == f"Continue with lesson 2: {titles[1]}"
    continue_link.click()
    wait_for_course_bar(page, 2)
    page.locator(".course-bar .next-lesson").click()
    page.wait_for_url(f"**/venue/lecture-room?event={LESSONS[2]}&course={COURSE}")
    wait_for_course_bar(page, 3)
    end = page.locator(".course-bar .next-lesson")
    assert end.inner_text() == "Course complete: back to the course"
    end.click()
    wait_for_progress(page, 3)
    assert states(page) == ["watched", "watched", "watched"]
    assert page.locator(".course-finished").is_visible()

    # a lesson opened by mistake: "Mark as not done" makes it the next one again
    page.locator(f'.lesson[data-event-id="{LESSONS[1]}"] .lesson-toggle').click()
    wait_for_progress(page, 2)
    assert states(page) == ["watched", "next", "watched"]
    page.reload()
    wait_for_progress(page, 2)
    assert page.locator("#progress-text").inner_text() == "2 of 3 lessons watched"
    stored = page.evaluate(f"() => JSON.parse(localStorage.getItem('zal.course.{COURSE}'))")
    assert sorted(stored["done"]) == sorted([LESSONS[0], LESSONS[2]])

    # the lobby lists the course with this browser's progress
    page.goto(zal_server.url + "/")
    card = page.locator(f'.course-card[data-course-id="{COURSE}"]')
    card.wait_for(timeout=TIMEOUT_MS)
    assert course["title"] in card.inner_text() and "2 of 3 lessons watched" in card.inner_text()
    assert card.get_attribute("href") == f"/course/{COURSE}"
    page.set_viewport_size({"width": 1100, "height": 700})
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#courses").screenshot(path=str(ARTIFACTS / "lobby-courses.png"))
    # the refused files of the hall are reported as such; nothing else goes wrong
    allowed = ("net::ERR_FAILED", "net::ERR_ABORTED", "AbortError")
    assert console_errors(page, allowed=allowed) == []


def test_an_unknown_course_page_is_a_404(zal_server):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(zal_server.url + "/course/no-such-course", timeout=30)
    assert refused.value.code == 404
