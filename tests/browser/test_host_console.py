"""The host console: opened with the host link, it sees the audience, moderates the
chat, pins a message for the hall, and tells a wrong link apart."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from .conftest import console_errors, open_context, wait_until_ready
from .test_accessibility import assert_accessible, host_token

EVENT, VENUE = "tram-qa", "lecture-room"
TIMEOUT_MS = 60_000


def console_url(server, event: str, token: str) -> str:
    return f"{server.url}/host/{event}#host={token}"


def test_the_console_sees_the_hall_moderates_and_pins(browser, zal_server):
    token = host_token(zal_server, EVENT)
    host_ctx, host, _ = open_context(browser, viewport={"width": 1280, "height": 900},
                                     locale="en-GB")  # fmt: skip
    guest_ctx, guest, _ = open_context(browser, locale="en-GB")
    try:
        host.goto(console_url(zal_server, EVENT, token))
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        expect(host.locator(".stage-now")).to_contain_text("Nothing on the stage")
        expect(host.locator(".audience-total")).to_have_text("1 person in the hall")

        guest.goto(f"{zal_server.url}/venue/{VENUE}?event={EVENT}")
        wait_until_ready(guest)
        expect(host.locator(".audience-total")).to_have_text("2 people in the hall",
                                                              timeout=TIMEOUT_MS)  # fmt: skip
        guest.fill(".live-chat-input", "When will the new tram line open?")
        guest.press(".live-chat-input", "Enter")
        line = host.locator(".live-msg", has_text="new tram line")
        expect(line).to_be_visible(timeout=TIMEOUT_MS)
        line.locator("button[data-act='pin']").click()
        expect(host.locator(".stage-pinned")).to_contain_text("When will the new tram line open?")
        assert host.evaluate("window.__zalHost.stage.stage.pinned.text") == (
            "When will the new tram line open?"
        )
        assert_accessible(host, zal_server)
        assert console_errors(host) == [] and console_errors(guest) == []
    finally:
        guest_ctx.close()
        host_ctx.close()


def test_the_console_refuses_a_wrong_link_and_a_missing_one(browser, zal_server):
    context, page, _ = open_context(browser, locale="ru-RU")
    try:
        page.goto(console_url(zal_server, EVENT, "not-the-token"))
        expect(page.locator("body")).to_have_attribute("data-state", "not-host", timeout=TIMEOUT_MS)
        expect(page.locator("#host-problem")).to_contain_text("Ссылка ведущего недействительна")
        assert page.locator("#host-main").is_hidden()
        page.goto(f"{zal_server.url}/host/{EVENT}")
        expect(page.locator("body")).to_have_attribute("data-state", "no-token")
        response = page.goto(f"{zal_server.url}/host/no-such-event#host=x")
        assert response is not None and response.status == 404
    finally:
        context.close()


def _media_ready(server, event: str, kind: str) -> None:
    deadline = time.monotonic() + 240  # the demo renders and transcodes it at start
    while time.monotonic() < deadline:
        media = server.get_json(f"/api/events/{event}/media")["media"]
        if any(m["kind"] == kind and m["status"] == "ready" for m in media):
            return
        time.sleep(1)
    raise AssertionError(f"the demo's {kind} of {event} was never ready")


def test_the_console_drives_the_demo_concert_and_the_lecture_slides(browser, zal_server):
    concert, lecture = "string-quartets", "river-lecture"
    _media_ready(zal_server, concert, "recording")
    _media_ready(zal_server, lecture, "slides")
    guest_ctx, guest, _ = open_context(browser, viewport={"width": 660, "height": 372})
    host_ctx, host, _ = open_context(browser, viewport={"width": 1280, "height": 900},
                                     locale="en-GB")  # fmt: skip
    try:
        guest.goto(f"{zal_server.url}/venue/chamber-hall?event={concert}&test=1")
        wait_until_ready(guest)
        # the demo concert plays on the screen: real music, the same moment for everyone
        guest.wait_for_function(
            "() => { const d = window.__zalStage && window.__zalStage.debug();"
            " return d && d.state && d.state.playing && d.videoOnScreen"
            " && d.player.currentTime > 0.5; }",
            timeout=TIMEOUT_MS,
        )
        # a phone in the same hall gets the lower of the recording's two renditions
        phone_ctx, phone, _ = open_context(
            browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        try:
            phone.goto(f"{zal_server.url}/venue/chamber-hall?event={concert}&test=1")
            wait_until_ready(phone)
            phone.wait_for_function(
                "() => { const d = window.__zalStage && window.__zalStage.debug();"
                " return d && d.player && d.player.levels === 2 && d.player.cap === 0"
                " && d.player.level === 0 && d.player.currentTime > 0.5; }",
                timeout=TIMEOUT_MS,
            )
            assert phone.evaluate("window.__zalStage.player.video.videoHeight") == 360
        finally:
            phone_ctx.close()
        desktop = guest.evaluate("window.__zalStage.debug().player")
        assert desktop["levels"] == 2 and desktop["cap"] == -1, desktop

        host.goto(console_url(zal_server, concert, host_token(zal_server, concert)))
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        expect(host.locator(".stage-now")).to_contain_text("Гайдн")

        host.get_by_role("button", name="Pause").click()
        guest.wait_for_function("() => !window.__zalStage.debug().state.playing",
                                timeout=TIMEOUT_MS)  # fmt: skip
        host.locator(".stage-seek").evaluate(
            "(el) => { el.value = '5'; el.dispatchEvent(new Event('change')); }"
        )
        guest.wait_for_function(
            "() => Math.abs(window.__zalStage.debug().state.position - 5) < 0.01",
            timeout=TIMEOUT_MS,
        )
        host.get_by_role("button", name="Play").click()
        guest.wait_for_function(
            "() => { const d = window.__zalStage.debug();"
            " return d.state.playing && d.player.currentTime > 5.5; }",
            timeout=TIMEOUT_MS,
        )

        host.goto(console_url(zal_server, lecture, host_token(zal_server, lecture)))
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        expect(host.locator(".stage-slide-label")).to_contain_text("of 8")
        before = host.evaluate("window.__zalHost.stage.stage.slide")
        host.get_by_role("button", name="Previous slide" if before else "Next slide").click()
        host.wait_for_function(
            "(b) => window.__zalHost.stage.stage.slide !== b", arg=before, timeout=TIMEOUT_MS
        )
        assert console_errors(host) == [] and console_errors(guest) == []
    finally:
        host_ctx.close()
        guest_ctx.close()
