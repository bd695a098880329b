"""Voice in Chromium against the real Janus the server starts (issue 12): the host
speaks from the console and two residents in the hall hear it from the stage; a
resident who asked a question is invited to speak, accepts, and is heard from
her seat; the host ends her turn; a listener cannot publish; a removed speaker
falls silent. Chromium's fake microphone (a beep) is the voice; an AnalyserNode
on the listener's page measures what arrives."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from .conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    open_context,
    still_frame,
    wait_until_ready,
)
from .test_accessibility import host_token, wait_joined
from .test_host_console import console_url

pytestmark = pytest.mark.browser

EVENT, VENUE = "tram-qa", "lecture-room"
TIMEOUT_MS = 60_000
VIEW = {"width": 1100, "height": 700}
QUESTION = "Can I ask about the night trams aloud?"
# the fake microphone beeps: some energy arrives within a few polls
HEARS = "() => window.__zalVoice.level() > 0.002"
SIT = """() => { const v = window.__zalTest.view, s = v.seats.suggest();
  v.sitAt(s.id); return s.id; }"""
FEEDS = """() => Object.fromEntries(
  [...window.__zalVoice.feeds].map(([id, f]) => [id, f.anchor.name]))"""


@pytest.fixture(scope="module")
def media_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium with a fake microphone (a beep) that needs no permission prompt."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream"],
    )  # fmt: skip
    yield browser
    browser.close()


def resident(browser, zal_server, name: str) -> tuple:
    context, page, _ = open_context(browser, viewport=VIEW, locale="en-GB")
    context.add_init_script(f"localStorage.setItem('zal.displayName', {json.dumps(name)});")
    page.goto(f"{zal_server.url}/venue/{VENUE}?event={EVENT}&test=1")
    return context, page


def feeds(page: Page) -> dict:
    """The voices this page hears: member id -> the name of where it comes from."""
    return page.evaluate(FEEDS)


def test_the_host_speaks_a_resident_is_called_up_and_heard_from_her_seat(media_browser, zal_server):
    anna_ctx, anna = resident(media_browser, zal_server, "Anna")
    ben_ctx, ben = resident(media_browser, zal_server, "Ben")
    host_ctx, host, _ = open_context(media_browser, viewport={"width": 1280, "height": 1000},
                                     locale="en-GB")  # fmt: skip
    try:
        for page in (anna, ben):
            wait_until_ready(page)
            wait_joined(page)
            page.wait_for_function("() => window.__zalVoice && window.__zalVoice.session",
                                   timeout=TIMEOUT_MS)  # fmt: skip
        seat = anna.evaluate(SIT)  # the walk to the seat needs the frame loop: before still_frame
        anna.wait_for_function(f"() => window.__zalLive.self.seat === {json.dumps(seat)}",
                               timeout=TIMEOUT_MS)  # fmt: skip
        for page in (anna, ben):
            still_frame(page)  # no frame loop: the two halls render on a loaded CPU
        anna_id = anna.evaluate("window.__zalLive.self.id")

        # the host speaks from the console; Ben hears it from the stage
        host.goto(console_url(zal_server, EVENT, host_token(zal_server, EVENT)))
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        voices = host.locator("#voice-section")
        expect(voices).to_be_visible()
        voices.get_by_role("button", name="Speak").click()
        host.wait_for_function("() => window.__zalHost.voice.speaking", timeout=TIMEOUT_MS)
        for page in (ben, anna):  # two listeners, each hears the host from the stage
            expect(page.locator(".voice-status")).to_have_text("Speaking: Host",
                                                                timeout=TIMEOUT_MS)  # fmt: skip
            page.get_by_role("button", name="Hear the speakers").click()  # the autoplay rule
            page.wait_for_function("() => window.__zalVoice.feeds.size === 1",
                                   timeout=TIMEOUT_MS)  # fmt: skip
            assert list(feeds(page).values()) == ["voice-stage"]
            page.wait_for_function(HEARS, timeout=TIMEOUT_MS)
        voices.get_by_role("button", name="Stop speaking").click()
        ben.wait_for_function("() => window.__zalVoice.feeds.size === 0", timeout=TIMEOUT_MS)

        # a listener cannot publish: Zal's gateway refuses it before Janus sees it
        refused = ben.evaluate("""async () => {
            const v = window.__zalVoice, handle = await v.session.attach();
            const r = await fetch(`${v.pass.url}/${v.session.id}/${handle.id}`, {method: 'POST',
              body: JSON.stringify({janus: 'message', transaction: 'x',
                body: {request: 'join', ptype: 'publisher', room: v.pass.room}})});
            return (await r.json()).error?.code; }""")
        assert refused == 403

        # Anna asks; the host invites her to speak from the question
        host.get_by_label("Questions open").check()
        host.get_by_label("Approval required").uncheck()
        expect(anna.locator(".qa-panel")).to_be_visible(timeout=TIMEOUT_MS)
        anna.get_by_label("Your question").fill(QUESTION)
        anna.get_by_role("button", name="Ask").click()
        asked = host.locator(".qa-shown .qa-item", has_text="night trams")
        expect(asked).to_be_visible(timeout=TIMEOUT_MS)
        asked.get_by_role("button", name="Invite to speak: Anna").click()
        invite = anna.locator("dialog.voice-invite")
        expect(invite).to_contain_text("Host invites you", timeout=TIMEOUT_MS)
        invite.get_by_role("button", name="Speak").click()
        anna.wait_for_function("() => window.__zalVoice.speaking", timeout=TIMEOUT_MS)
        ben.wait_for_function(
            f"() => window.__zalVoice.feeds.has({json.dumps(anna_id)})", timeout=TIMEOUT_MS
        )
        assert feeds(ben) == {anna_id: f"voice-seat-{seat}"}  # heard from her seat
        seat_eye = ben.evaluate(f"""() => {{
            const s = window.__zalTest.view.metadata.seats.find((s) => s.id === {json.dumps(seat)});
            const a = window.__zalVoice.feeds.get({json.dumps(anna_id)}).anchor.position;
            return [s.eye, [a.x, a.y, a.z]]; }}""")
        assert seat_eye[0] == pytest.approx(seat_eye[1], abs=1e-6)
        ben.wait_for_function(HEARS, timeout=TIMEOUT_MS)
        expect(host.locator(".voice-speaker")).to_contain_text("Anna · from the hall")
        ARTIFACTS.mkdir(exist_ok=True)  # docs/voice.md's picture of the console
        host.locator(".host-voice").screenshot(path=str(ARTIFACTS / "voice-console.png"))

        # the host ends her turn: her microphone closes, Ben hears nobody
        host.get_by_role("button", name="End turn: Anna").click()
        anna.wait_for_function("() => !window.__zalVoice.speaking", timeout=TIMEOUT_MS)
        assert anna.evaluate("window.__zalVoice.publisher") is None
        ben.wait_for_function("() => window.__zalVoice.feeds.size === 0", timeout=TIMEOUT_MS)

        # called up again, then removed while speaking: she falls silent at once
        asked.get_by_role("button", name="Invite to speak: Anna").click()
        invite = anna.locator("dialog.voice-invite")
        invite.get_by_role("button", name="Speak").click()
        ben.wait_for_function("() => window.__zalVoice.feeds.size === 1", timeout=TIMEOUT_MS)
        removed = host.evaluate(
            f"() => window.__zalHost.conn.request('remove', {{member_id: {json.dumps(anna_id)}}})"
        )
        assert removed["ok"], removed
        ben.wait_for_function("() => window.__zalVoice.feeds.size === 0", timeout=TIMEOUT_MS)
        expect(ben.locator(".voice-status")).to_be_hidden()
    finally:
        for context in (anna_ctx, ben_ctx, host_ctx):
            context.close()
