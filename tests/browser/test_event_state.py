"""What a resident is told about the event itself: it has ended; the host link is wrong."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import console_errors, open_context, wait_until_ready

TIMEOUT_MS = 60_000


def test_a_past_event_says_it_has_ended(browser, zal_server):
    past = zal_server.get_json("/api/events?when=past")["events"][0]
    context, page, _ = open_context(browser, locale="ru-RU", timezone_id="Europe/Moscow")
    try:
        page.goto(f"{zal_server.url}/venue/{past['venue_id']}?event={past['id']}")
        wait_until_ready(page)
        ended = page.locator(".event-notice-ended")
        expect(ended).to_be_visible()
        assert ended.inner_text().startswith("Это событие завершилось")
        assert console_errors(page) == []
    finally:
        context.close()


def test_a_host_link_with_a_wrong_token_says_so_and_the_guest_view_opens(browser, zal_server):
    live = zal_server.get_json("/api/events?when=live")["events"][0]
    context, page, _ = open_context(browser, locale="en-GB")
    try:
        page.goto(f"{zal_server.url}/venue/{live['venue_id']}?event={live['id']}#host=not-the-token")
        wait_until_ready(page)
        notice = page.locator(".event-notice-bad-host")
        expect(notice).to_be_visible(timeout=TIMEOUT_MS)
        assert "not valid" in notice.inner_text()
        assert page.locator(".live-host-tools").is_hidden()  # the guest view, no host tools
        assert page.locator(".event-notice-ended").count() == 0  # live, not ended
        assert console_errors(page) == []
    finally:
        context.close()
