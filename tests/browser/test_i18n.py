"""The interface in Russian, Tatar and English: chosen from the browser's languages,
switched with the masthead / HUD switch and remembered, dates in the visitor's
time zone. Headless Chromium against the real server with demo data."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .conftest import READY_TIMEOUT_MS, open_context

pytestmark = pytest.mark.browser

VENUE = "philharmonic"
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәөүҗңһ")


def open_lobby(page, server) -> None:
    page.goto(server.url + "/")
    # a locator wait, not wait_for_function: the page's CSP forbids eval
    page.locator("body[data-state='ready']").wait_for(state="attached", timeout=30_000)


def language_context(browser, locale: str, zone: str = "Europe/Moscow"):
    return open_context(
        browser,
        viewport={"width": 1100, "height": 800},
        locale=locale,
        timezone_id=zone,
    )


def expected_day(start: datetime, zone: str, today: str, tomorrow: str) -> str | None:
    """The lobby's day label when it is a word, else None (a date)."""
    local = start.astimezone(ZoneInfo(zone)).date()
    now = datetime.now(ZoneInfo(zone)).date()
    if local == now:
        return today
    if local == now + timedelta(days=1):
        return tomorrow
    return None


def test_lobby_in_russian_with_times_in_the_visitors_zone(browser, zal_server):
    zone = "Asia/Yekaterinburg"  # neither UTC nor the server's zone: a real conversion
    upcoming = zal_server.get_json("/api/events?when=upcoming", lang="ru")["events"]
    live = zal_server.get_json("/api/events?when=live", lang="ru")["events"]
    context, page, console = language_context(browser, "ru-RU", zone)
    try:
        open_lobby(page, zal_server)
        assert page.evaluate("document.documentElement.lang") == "ru"
        assert page.locator("#live-title").inner_text().strip() == "Сейчас в эфире"
        assert page.locator("#upcoming-title").inner_text().strip() == "Скоро"
        assert page.locator("#venues-title").inner_text().strip() == "Залы"
        assert "концерты" in page.title()
        assert page.get_by_role("button", name="Русский").get_attribute("aria-pressed") == "true"
        assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "false"

        card = page.locator(f'.live-card[data-event-id="{live[0]["id"]}"]')
        assert card.locator(".live-title").inner_text() == live[0]["title"]
        assert card.get_by_role("link", name="Войти в зал").is_visible()
        assert card.locator(".card-time").inner_text().startswith("Началось")

        first = min(upcoming, key=lambda e: e["starts_at"])
        start = datetime.fromisoformat(first["starts_at"].replace("Z", "+00:00"))
        item = page.locator(f'.upcoming-item[data-event-id="{first["id"]}"]')
        clock = start.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        assert item.locator(".upcoming-clock").inner_text() == clock
        day = item.locator(".upcoming-day").text_content()  # CSS upper-cases it on screen
        word = expected_day(start, zone, "Сегодня", "Завтра")
        if word:
            assert day == word
        else:
            assert str(start.astimezone(ZoneInfo(zone)).day) in day and CYRILLIC & set(day.lower())
        assert item.locator(".until").inner_text().startswith("через ")

        footer = page.locator(".site-footer").inner_text()
        assert "часовом поясе" in footer and "Asia/Yekaterinburg" in footer
        assert console.unexpected() == []
    finally:
        context.close()


def test_lobby_in_tatar_without_tatar_data_in_the_browser(browser, zal_server):
    # Chromium has no Tatar Intl data: relative times and month names come from tt.json
    context, page, console = language_context(browser, "tt-RU")
    try:
        open_lobby(page, zal_server)
        assert page.evaluate("document.documentElement.lang") == "tt"
        assert page.locator("#live-title").inner_text().strip() == "Хәзер туры эфирда"
        assert page.locator("#upcoming-title").inner_text().strip() == "Тиздән"
        assert page.get_by_role("link", name="Залга керү").first.is_visible()
        assert page.get_by_role("button", name="Татарча").get_attribute("aria-pressed") == "true"
        untils = page.locator(".upcoming-item .until").all_inner_texts()
        assert untils and all(
            u.endswith(("минуттан", "сәгатьтән", "көннән")) or u == "хәзер" for u in untils
        ), untils
        for text in page.locator(".venue-card .card-meta").all_inner_texts():
            assert "урын" in text or "Урыннарсыз" in text, text
        assert console.unexpected() == []
    finally:
        context.close()


def test_a_browser_asking_for_neither_russian_nor_tatar_gets_english(browser, zal_server):
    context, page, console = language_context(browser, "de-DE")
    try:
        open_lobby(page, zal_server)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("#live-title").inner_text().strip() == "Live now"
        assert console.unexpected() == []
    finally:
        context.close()


def test_the_switch_changes_the_language_and_is_remembered(browser, zal_server):
    context, page, console = language_context(browser, "en-US")
    try:
        open_lobby(page, zal_server)
        assert page.locator("#upcoming-title").inner_text().strip() == "Coming up"
        assert page.get_by_role("group", name="Language").is_visible()

        with page.expect_navigation():
            page.get_by_role("button", name="Татарча").click()
        page.locator("body[data-state='ready']").wait_for(state="attached", timeout=30_000)
        assert page.locator("#upcoming-title").inner_text().strip() == "Тиздән"
        assert page.evaluate("localStorage.getItem('zal.lang')") == "tt"

        page.reload()
        page.locator("body[data-state='ready']").wait_for(state="attached", timeout=30_000)
        assert page.locator("#upcoming-title").inner_text().strip() == "Тиздән"

        # keyboard: the switch is a group of ordinary buttons
        page.get_by_role("button", name="Русский").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.locator("body[data-state='ready']").wait_for(state="attached", timeout=30_000)
        assert page.locator("#upcoming-title").inner_text().strip() == "Скоро"
        assert page.evaluate("document.documentElement.lang") == "ru"
        assert console.unexpected() == []
    finally:
        context.close()


def test_venue_in_russian_hud_chat_and_reactions(browser, zal_server):
    live = zal_server.get_json("/api/events?when=live", lang="ru")["events"]
    event = next(e for e in live if e["venue_id"] == VENUE)
    context, page, console = language_context(browser, "ru-RU")
    try:
        page.goto(f"{zal_server.url}/venue/{VENUE}?event={event['id']}")
        page.locator("body:not([data-state='loading'])").wait_for(
            state="attached", timeout=READY_TIMEOUT_MS
        )
        assert page.evaluate("document.body.dataset.state") == "ready", console.errors
        assert page.locator("#hud-event").inner_text() == event["title"]
        assert page.locator("#seat-button").inner_text() == "Сесть"
        assert page.get_by_role("link", name="Афиша").get_attribute("href") == "/"
        assert page.locator("#stage-canvas").get_attribute("aria-label") == "Зал в 3D"
        assert "Нажмите на кресло" in page.locator("#hud-hint").inner_text()
        assert page.get_by_role("button", name="Русский").get_attribute("aria-pressed") == "true"
        assert page.get_by_role("toolbar", name="Реакции").is_visible()
        assert page.get_by_role("button", name="Аплодисменты").is_visible()
        assert page.locator(".live-chat-title").inner_text() == "Чат"
        assert page.locator(".live-chat-input").get_attribute("placeholder").startswith("Напишите")
        page.locator(".live-presence-text", has_text="в этом зале").wait_for(timeout=60_000)
        assert console.unexpected() == []
    finally:
        context.close()
