"""The lobby in headless Chromium against the real server with demo data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from .conftest import PHONE, console_errors, open_context, screenshot

pytestmark = pytest.mark.browser


def open_lobby(page, server) -> None:
    page.goto(server.url + "/")
    page.wait_for_function("() => document.body.dataset.state !== 'loading'", timeout=30_000)
    assert page.evaluate("document.body.dataset.state") == "ready"


def test_lobby_shows_live_events_upcoming_events_and_venues_by_institution(page, zal_server):
    live = zal_server.get_json("/api/events?when=live")["events"]
    upcoming = zal_server.get_json("/api/events?when=upcoming")["events"]
    venues = zal_server.get_json("/api/venues")["venues"]
    assert live and upcoming and venues, "the demo programme has something live and next"

    open_lobby(page, zal_server)

    cards = page.locator(".live-card")
    assert cards.count() == len(live)
    for event in live:
        card = page.locator(f'.live-card[data-event-id="{event["id"]}"]')
        assert card.locator(".live-title").inner_text() == event["title"]
        assert card.locator(".badge-live").is_visible()
        assert event["venue_name"] in card.locator(".card-meta").inner_text()
        enter = card.get_by_role("link", name="Enter the hall")
        assert enter.get_attribute("href") == f"/venue/{event['venue_id']}?event={event['id']}"

    items = page.locator(".upcoming-item")
    assert 1 <= items.count() <= len(upcoming)
    first = min(upcoming, key=lambda e: e["starts_at"])
    assert items.first.locator(".upcoming-title").inner_text() == first["title"]

    institutions = {v["institution"]["id"] for v in venues}
    assert page.locator(".institution").count() == len(institutions)
    assert page.locator(".venue-card").count() == len(venues)
    for venue in venues:
        group = page.locator(f'.institution[data-institution-id="{venue["institution"]["id"]}"]')
        card = group.locator(f'.venue-card[data-venue-id="{venue["id"]}"]')
        assert card.locator(".venue-title").inner_text() == venue["name"]
        # a thumbnail, or the drawn placeholder when the venue has none
        assert card.locator(".thumb").is_visible()

    page.set_viewport_size({"width": 1280, "height": 1080})
    page.wait_for_function(
        "() => [...document.querySelectorAll('.live-card img')].every(i => i.complete)",
        timeout=30_000,
    )
    screenshot(page, "lobby.png")
    screenshot(page, "lobby-full.png", full_page=True)
    assert console_errors(page) == []


def test_lobby_shows_start_times_in_the_visitors_time_zone(browser, zal_server):
    upcoming = zal_server.get_json("/api/events?when=upcoming")["events"]
    first = min(upcoming, key=lambda e: e["starts_at"])
    zone = "Asia/Tokyo"
    context, page, console = open_context(
        browser, viewport={"width": 1100, "height": 800}, locale="en-GB", timezone_id=zone
    )
    try:
        open_lobby(page, zal_server)
        start = datetime.fromisoformat(first["starts_at"].replace("Z", "+00:00"))
        expected = start.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        item = page.locator(f'.upcoming-item[data-event-id="{first["id"]}"]')
        assert item.locator(".upcoming-clock").inner_text() == expected
        assert item.locator("time").get_attribute("datetime") == first["starts_at"]
        assert console.unexpected() == []
    finally:
        context.close()


def test_lobby_fits_a_phone_screen(phone_page, zal_server):
    open_lobby(phone_page, zal_server)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], "no sideways scrolling on a phone"
    card = phone_page.locator(".live-card").first.bounding_box()
    assert card and card["width"] <= PHONE["width"]
    button = phone_page.get_by_role("link", name="Enter the hall").first.bounding_box()
    assert button and button["height"] >= 40, "finger-sized buttons"
    screenshot(phone_page, "lobby-phone.png", full_page=True)
    assert console_errors(phone_page) == []

