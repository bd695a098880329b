"""The portal in Chromium: an editor signs in with a token made by `zal tokens
create`, creates an event, and the lobby lists it; axe-core on the portal's
pages (signed out and signed in) in English, Russian and Tatar."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import Page, expect

from .conftest import REPO, console_errors, open_context, screenshot
from .test_accessibility import axe_violations, readable

INSTITUTION = "city-philharmonic"
TIMEOUT_MS = 60_000
LOCALES = {"en-GB": "en", "ru-RU": "ru", "tt-RU": "tt"}


def cli_token(server, role: str = "editor") -> str:
    """A token made the way an administrator makes one: the CLI on the server's data."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "server",
            "tokens",
            "create",
            "--institution",
            INSTITUTION,
            "--role",
            role,
            "--label",
            "browser test",
            "--data-dir",
            str(server.data_dir),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def editor_token(zal_server) -> str:
    return cli_token(zal_server)


def sign_in(page: Page, server, token: str) -> None:
    page.goto(server.url + "/portal")
    page.wait_for_function("() => document.body.dataset.state === 'signin'", timeout=TIMEOUT_MS)
    page.fill("#signin-token", token)
    page.click("#signin-form button[type=submit]")
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=TIMEOUT_MS)


def test_editor_signs_in_creates_an_event_and_the_lobby_shows_it(browser, zal_server, editor_token):
    context, page, _ = open_context(
        browser, viewport={"width": 1100, "height": 900}, locale="en-GB"
    )
    try:
        sign_in(page, zal_server, editor_token)
        expect(page.locator("#who-institution")).to_have_text("City Philharmonic Society")
        cookie = next(c for c in context.cookies() if c["name"] == "zal_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert editor_token not in cookie["value"]

        title = f"Portal evening {uuid.uuid4().hex[:6]}"
        page.click("#event-editor summary")
        page.select_option("#event-venue", "philharmonic")
        # soon, so that it is among the lobby's first "coming up", and right after the
        # demo's live concert in this hall (-40..+70 min): a venue holds one event at
        # a time, an overlap is refused (409 event_clash)
        page.evaluate("""() => {
          const local = (d) =>
            new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
          const f = document.getElementById('event-form').elements;
          f.starts_at.value = local(new Date(Date.now() + 75 * 60000));
          f.ends_at.value = local(new Date(Date.now() + 135 * 60000));
        }""")
        page.fill("input[name=title_en]", title)
        page.fill("input[name=title_ru]", "Вечер портала")
        page.fill("textarea[name=description_en]", "<script>alert(1)</script> stays text")
        page.click("#event-save")
        host_link = page.locator("#host-link")
        expect(host_link).to_be_visible(timeout=TIMEOUT_MS)
        assert f"{zal_server.url}/host/ev-" in host_link.input_value()
        expect(page.locator("#event-list")).to_contain_text(title, timeout=TIMEOUT_MS)
        screenshot(page, "portal.png", full_page=True)
        first_link = host_link.input_value()
        page.locator("#event-list li", has_text=title).locator("[data-relink]").click()
        expect(host_link).not_to_have_value(first_link, timeout=TIMEOUT_MS)

        page.goto(zal_server.url + "/")
        expect(page.locator("#upcoming-list")).to_contain_text(title, timeout=TIMEOUT_MS)
        assert console_errors(page) == []
    finally:
        context.close()


@pytest.fixture(params=list(LOCALES))
def portal_page(browser, request):
    context, page, _ = open_context(
        browser, viewport={"width": 800, "height": 600}, locale=request.param
    )
    yield page, LOCALES[request.param]
    context.close()


def test_the_portal_passes_axe_signed_out_and_in(portal_page, zal_server, editor_token):
    page, lang = portal_page
    page.goto(zal_server.url + "/portal")
    page.wait_for_function("() => document.body.dataset.state === 'signin'", timeout=TIMEOUT_MS)
    assert page.evaluate("document.documentElement.lang") == lang
    violations = axe_violations(page, zal_server)
    assert not violations, "axe (signed out):\n" + readable(violations)
    page.fill("#signin-token", "zal_wrong")
    page.click("#signin-form button[type=submit]")
    expect(page.locator("#signin-error")).not_to_be_empty(timeout=TIMEOUT_MS)

    sign_in(page, zal_server, editor_token)
    page.click("#event-editor summary")
    violations = axe_violations(page, zal_server)
    assert not violations, "axe (signed in):\n" + readable(violations)
    # only the refused sign-in's 401 shows
    assert console_errors(page, allowed=("401 (Unauthorized)",)) == []
