"""The assistant host in Chromium: the host console makes an assistant link; the
console opened with it shows the questions only and approves a resident's
question, which the host sees; the host sees the assistant marked in the
audience; revoking the link is shown at once. The resident is a real Socket.IO
client (no hall to load: the test stays short)."""

from __future__ import annotations

import asyncio
import re
import threading

import pytest
import socketio
from playwright.sync_api import expect

from .conftest import console_errors, open_context, screenshot
from .test_accessibility import assert_accessible, host_token
from .test_host_console import console_url

pytestmark = pytest.mark.browser

EVENT = "cherry-orchard"  # a demo event no other browser test uses
TIMEOUT_MS = 20_000
QUESTION = "Is there a relaxed performance for families?"


def ask_as_resident(url: str, text: str) -> None:
    """A resident joins the event, asks and leaves (the question stays, pending)."""

    async def run() -> None:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(url, namespaces=["/live"], transports=["websocket"],
                             auth={"name": "Anna"}, wait_timeout=10)  # fmt: skip
        try:
            joined = await client.call("join", {"event_id": EVENT}, namespace="/live")
            assert joined["ok"], joined
            asked = await client.call("qa_ask", {"text": text}, namespace="/live")
            assert asked["question"]["status"] == "pending", asked
        finally:
            await client.disconnect()

    failures: list[BaseException] = []

    def thread() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # reported in the test's own thread
            failures.append(exc)

    worker = threading.Thread(target=thread)
    worker.start()
    worker.join(30)
    assert not worker.is_alive() and not failures, failures


def test_an_assistant_approves_in_a_questions_only_console(browser, zal_server):
    view = {"width": 1280, "height": 900}
    host_ctx, host, _ = open_context(browser, viewport=view, locale="en-GB")
    helper_ctx, helper, _ = open_context(browser, viewport=view, locale="en-GB")
    try:
        host.goto(console_url(zal_server, EVENT, host_token(zal_server, EVENT)))
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        expect(host).to_have_title(re.compile(r" · host console$"))
        panel = host.locator(".host-assistant")
        expect(panel.locator(".assistant-status")).to_have_text("No assistant link.")
        panel.get_by_role("button", name="Make an assistant link").click()
        link = panel.get_by_label("Assistant link")
        expect(link).to_be_visible(timeout=TIMEOUT_MS)
        url = link.input_value()
        assert url.startswith(f"{zal_server.url}/host/{EVENT}#assistant="), url
        expect(panel.locator(".assistant-status")).to_have_text("An assistant link is active.")
        host.get_by_label("Questions open").check()
        # each switch shows the server's answer: the next one waits for it, or the
        # first answer (approval still off) briefly unticks the second box
        host.wait_for_function("() => window.__zalHost.qa.state.enabled", timeout=TIMEOUT_MS)
        host.get_by_label("Approval required").check()
        host.wait_for_function("() => window.__zalHost.qa.state.moderated", timeout=TIMEOUT_MS)
        screenshot(panel, "qa-assistant-link.png")

        helper.goto(url)
        expect(helper.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        expect(helper.locator("body")).to_have_attribute("data-role", "assistant")
        expect(helper.locator(".host-kicker")).to_have_text("Assistant host · questions")
        expect(helper).to_have_title(re.compile(r"^\S.* · assistant host$"))  # not "host console"
        visible = helper.locator(".host-panel:visible")
        expect(visible).to_have_count(1)
        expect(visible).to_have_class("host-panel host-qa")
        expect(helper.locator(".qa-settings")).to_be_hidden()  # Q&A on/off stays the host's

        ask_as_resident(zal_server.url, QUESTION)
        queued = helper.locator(".qa-pending .qa-item", has_text="relaxed performance")
        expect(queued).to_contain_text("Anna", timeout=TIMEOUT_MS)  # who asked, like a host
        screenshot(helper, "qa-assistant-console.png")
        assert_accessible(helper, zal_server)
        assert_accessible(host, zal_server)  # with the link shown in the panel
        queued.locator("button[data-act='qa_approve']").click()
        shown = host.locator(".qa-shown .qa-item", has_text="relaxed performance")
        expect(shown).to_be_visible(timeout=TIMEOUT_MS)

        host.evaluate("() => window.__zalHost.audience.refresh()")
        expect(host.locator(".audience-member", has_text="assistant")).to_have_count(
            1, timeout=TIMEOUT_MS
        )

        panel.get_by_role("button", name="Revoke the link").click()
        expect(panel.locator(".assistant-status")).to_have_text(
            "No assistant link.", timeout=TIMEOUT_MS
        )
        expect(link).to_be_hidden()
        for page in (host, helper):
            assert console_errors(page) == []
    finally:
        # leave the demo event as it was: questions closed, no assistant link
        host.evaluate(
            "() => window.__zalHost?.qa._send('qa_settings', {enabled: false, moderated: false})"
        )
        host.request.delete(
            f"{zal_server.url}/api/events/{EVENT}/assistant-link",
            headers={"Authorization": f"Bearer {host_token(zal_server, EVENT)}"},
        )
        for context in (helper_ctx, host_ctx):
            context.close()
