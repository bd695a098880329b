"""Q&A in Chromium end to end: a host (the console) and two residents in the hall.
The host opens questions with approval; one resident asks; the other sees nothing
until the host approves; both vote (2 votes seen by both); the host puts the
question on the board, answers it; the answer reaches the hall and the API."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .conftest import console_errors, open_context, still_frame, wait_until_ready
from .test_accessibility import assert_accessible, host_token, wait_joined
from .test_host_console import console_url

pytestmark = pytest.mark.browser

EVENT, VENUE = "tram-qa", "lecture-room"
TIMEOUT_MS = 60_000
RESIDENT_VIEW = {"width": 1100, "height": 700}
QUESTION = "When will tram 5 run to the new district? <b>not bold</b>"
ANSWER = "From March: the rails are laid, the stops are being built."

# every `question` event a resident receives, in order (installed once it joined)
RECORD_QUESTIONS = """() => { window.__qaSeen = [];
  window.__zalLive.conn.on('question', (q) => window.__qaSeen.push([q.id, q.status])); }"""


def resident(browser, zal_server, name: str) -> tuple:
    context, page, _ = open_context(browser, viewport=RESIDENT_VIEW, locale="en-GB")
    context.add_init_script(f"localStorage.setItem('zal.displayName', {json.dumps(name)});")
    page.goto(f"{zal_server.url}/venue/{VENUE}?event={EVENT}&test=1")
    return context, page


def item(page: Page):
    return page.locator(".qa-panel .qa-item", has_text="tram 5")


def test_a_qa_session_from_question_to_published_answer(browser, zal_server):
    host_ctx, host, _ = open_context(browser, viewport={"width": 1280, "height": 1000},
                                     locale="en-GB")  # fmt: skip
    anna_ctx, anna = resident(browser, zal_server, "Anna")
    ben_ctx, ben = resident(browser, zal_server, "Ben")
    try:
        for page in (anna, ben):
            wait_until_ready(page)
            wait_joined(page)
            still_frame(page)  # no frame loop: the two halls render on a loaded CPU
        ben.evaluate(RECORD_QUESTIONS)
        expect(anna.locator(".qa-panel")).to_be_hidden()  # closed until the host opens it

        host.goto(console_url(zal_server, EVENT, host_token(zal_server, EVENT)))
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        host.get_by_label("Questions open").check()
        host.wait_for_function("() => window.__zalHost.qa.state.enabled", timeout=TIMEOUT_MS)
        host.get_by_label("Approval required").check()
        host.wait_for_function("() => window.__zalHost.qa.state.moderated", timeout=TIMEOUT_MS)
        for page in (anna, ben):
            expect(page.locator(".qa-panel")).to_be_visible(timeout=TIMEOUT_MS)
            expect(page.locator(".qa-panel")).to_contain_text("approves questions")

        # Anna asks: her question waits for approval, shown only to her and the host
        anna.get_by_label("Your question").fill(QUESTION)
        expect(anna.locator(".qa-counter")).to_have_text(f"{len(QUESTION)}/300")
        anna.get_by_role("button", name="Ask").click()
        expect(item(anna)).to_contain_text("Waiting for approval", timeout=TIMEOUT_MS)
        expect(item(anna).locator(".qa-text")).to_have_text(QUESTION)  # text, not markup
        queued = host.locator(".qa-pending .qa-item", has_text="tram 5")
        expect(queued).to_contain_text("Anna", timeout=TIMEOUT_MS)  # the host knows who asked
        assert ben.locator(".qa-item").count() == 0

        queued.locator("button[data-act='qa_approve']").click()
        for page in (anna, ben):
            expect(item(page)).to_contain_text("0 votes", timeout=TIMEOUT_MS)
        expect(item(anna)).not_to_contain_text("Waiting for approval")
        qid = int(item(ben).get_attribute("data-id"))
        # Ben never received it while it waited (events on one socket keep their order)
        assert ben.evaluate("window.__qaSeen") == [[qid, "visible"]]

        for page in (anna, ben):
            item(page).get_by_role("button", name="Vote").click()
        for page in (anna, ben):
            expect(item(page)).to_contain_text("2 votes", timeout=TIMEOUT_MS)
            expect(item(page).get_by_role("button", name="Vote")).to_have_attribute(
                "aria-pressed", "true"
            )

        shown = host.locator(".qa-shown .qa-item", has_text="tram 5")
        shown.locator("button[data-act='qa_stage']").click()
        for page in (anna, ben):
            expect(page.locator(".qa-board")).to_be_visible(timeout=TIMEOUT_MS)
            expect(page.locator(".qa-board-text")).to_have_text(QUESTION)
            expect(item(page)).to_have_class("qa-item qa-on-stage")
        expect(shown).to_have_class("qa-item qa-on-stage")

        shown.locator(".qa-answer-input").fill(ANSWER)
        shown.locator("button[data-act='qa_answer']").click()
        for page in (anna, ben):
            expect(item(page).locator(".qa-answer")).to_contain_text(ANSWER, timeout=TIMEOUT_MS)
            expect(page.locator(".qa-board-answer")).to_contain_text(ANSWER)

        published = zal_server.get_json(f"/api/events/{EVENT}/questions")["questions"]
        assert [(q["id"], q["text"], q["answer"], q["votes"], q["name"]) for q in published] == [
            (qid, QUESTION, ANSWER, 2, "Anna")
        ]
        assert_accessible(anna, zal_server)
        assert_accessible(host, zal_server)
        for page in (host, anna, ben):
            assert console_errors(page) == []
    finally:
        for context in (ben_ctx, anna_ctx, host_ctx):
            context.close()
