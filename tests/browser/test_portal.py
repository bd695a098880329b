"""The portal in Chromium: an editor signs in with a token made by `zal tokens
create`, creates an event, and the lobby lists it; a museum's editor copies the
gallery's default tour, edits it and records a stop; axe-core on the portal's
pages (signed out and signed in) in English, Russian and Tatar."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import REPO, console_errors, open_context, screenshot
from .test_accessibility import axe_violations, readable

INSTITUTION = "city-philharmonic"
TIMEOUT_MS = 60_000
LOCALES = {"en-GB": "en", "ru-RU": "ru", "tt-RU": "tt"}


def cli_token(server, role: str = "editor", institution: str = INSTITUTION) -> str:
    """A token made the way an administrator makes one: the CLI on the server's data."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "server",
            "tokens",
            "create",
            "--institution",
            institution,
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


def a_recording(folder: Path) -> Path:
    """Two seconds of a tone as Ogg Opus: what an institution's recording is to the server."""
    path = folder / "guide.ogg"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
         "-c:a", "libopus", "-b:a", "24k", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path


def test_an_editor_copies_the_default_tour_reorders_rewrites_and_records_it(
    browser, zal_server, tmp_path
):
    token = cli_token(zal_server, institution="city-museum")
    context, page, _ = open_context(
        browser, viewport={"width": 1100, "height": 900}, locale="en-GB"
    )
    tour_id = None
    try:
        sign_in(page, zal_server, token)
        tours = page.locator("details[data-tours-venue=gallery]")
        tours.locator("summary").click()
        default = tours.locator("[data-tour-id=default]")
        expect(default).to_contain_text("Default", timeout=TIMEOUT_MS)
        default.get_by_role("button", name="Copy the default tour to edit").click()
        form = tours.locator("form.tour-form")
        expect(form).not_to_have_attribute("data-tour-id", "", timeout=TIMEOUT_MS)
        tour_id = form.get_attribute("data-tour-id")
        assert tour_id and tour_id.startswith("tour-")
        stops = form.locator("ol.tour-stops > li")
        expect(stops).to_have_count(24)
        first, second = (stops.nth(i).get_attribute("data-stop-id") for i in (0, 1))

        # the first two stops change places; the new first gets an English narration
        form.get_by_role("button", name="Move stop 1 down").click()
        assert [stops.nth(i).get_attribute("data-stop-id") for i in (0, 1)] == [second, first]
        top = stops.nth(0)
        top.get_by_text("Narration and audio").click()
        told = "Road menders under the plane trees of Saint-Rémy: <b>look</b> at the trunks."
        top.locator("textarea[name=narration_en]").fill(told)
        # stop 3 too long to be read: the server refuses, naming it, and it is shown there
        third = stops.nth(2)
        third.get_by_text("Narration and audio").click()
        third.locator("textarea[name=narration_tt]").fill("Ә" * 2001)
        expect(third.locator("[data-lang=tt] .tour-count")).to_have_attribute("data-over", "true")
        form.get_by_role("button", name="Save the tour").click()
        expect(third.locator(".tour-stop-error")).to_have_text(
            "stop 3: the narration in tt has 2001 characters; the speech limit is 2000",
            timeout=TIMEOUT_MS,
        )
        expect(form.locator(".tour-status")).to_have_text("Not saved: see stop 3.")
        assert page.evaluate("document.activeElement.classList.contains('tour-stop-error')")
        third.locator("textarea[name=narration_tt]").fill("Кыска гына.")
        # a 25th stop, for the Harvesters again: where the default tour stands for it
        form.get_by_label("Work").select_option(label="The Harvesters")
        form.get_by_role("button", name="Add a stop for this work").click()
        expect(stops).to_have_count(25)
        form.get_by_role("button", name="Save the tour").click()
        expect(form.locator(".tour-status")).to_have_attribute("data-state", "saved")
        expect(third.locator(".tour-stop-error")).to_be_empty()

        # a recording replaces the reading of the first stop in English
        audio = top.locator(".tour-audio[data-lang=en]")
        audio.locator("input[type=file]").set_input_files(str(a_recording(tmp_path)))
        expect(audio).to_have_attribute("data-audio", "recording", timeout=TIMEOUT_MS)
        expect(audio.locator(".tour-audio-status")).to_have_text("Recorded · 0:02")
        expect(
            audio.get_by_role("button", name="Remove the recording: stop 1, English")
        ).to_be_visible()
        audio.get_by_role("button", name="Play: stop 1, English").click()
        expect(audio.get_by_role("button", name="Stop playing: stop 1, English")).to_be_visible()
        # the picture for docs/tours.md: the editor's head and its first stop, opened
        page.set_viewport_size({"width": 1100, "height": 1250})
        form.evaluate("(f) => { f.scrollIntoView({ block: 'start' }); scrollBy(0, -12); }")
        screenshot(page, "portal-tour-editor.png")
        violations = axe_violations(page, zal_server)
        assert not violations, "axe (tour editor):\n" + readable(violations)

        saved = zal_server.get_json(f"/api/tours/{tour_id}?translations=1")
        assert [s["id"] for s in saved["stops"][:2]] == [second, first]
        assert saved["stops"][0]["translations"]["en"]["narration"] == told
        assert saved["stops"][2]["translations"]["tt"]["narration"] == "Кыска гына."
        assert saved["stops"][0]["audios"]["en"]["source"] == "recording"
        assert saved["stop_count"] == 25
        default_tour = zal_server.get_json("/api/venues/gallery/tours/default")
        harvesters = next(s for s in default_tour["stops"] if s["title"] == "The Harvesters")
        added = saved["stops"][24]
        assert added["exhibit"] == harvesters["exhibit"] and added["id"] != harvesters["id"]
        assert (added["position"], added["yaw"]) == (harvesters["position"], harvesters["yaw"])

        # Remove the recording: the reading is back
        audio.get_by_role("button", name="Remove the recording: stop 1, English").click()
        expect(audio).to_have_attribute("data-audio", re.compile("speech|pending"))
        again = zal_server.get_json(f"/api/tours/{tour_id}?translations=1")
        assert (again["stops"][0]["audios"]["en"] or {"source": "speech"})["source"] == "speech"

        # the list has the copy; Delete asks, then removes it with its recording
        row = tours.locator(f"li[data-tour-id='{tour_id}']")
        row.get_by_role("button", name="Delete").click()
        row.get_by_role("button", name="Yes, delete").click()
        expect(row).to_have_count(0, timeout=TIMEOUT_MS)
        with pytest.raises(urllib.error.HTTPError) as gone:
            zal_server.get_json(f"/api/tours/{tour_id}")
        assert gone.value.code == 404
        tour_id = None
        # the refused save's 422 is the only error the page saw
        assert console_errors(page, allowed=("422 (Unprocessable",)) == []
    finally:
        context.close()
        if tour_id:  # the gallery's own tour stays the demo's alone (test_tours)
            request = urllib.request.Request(
                f"{zal_server.url}/api/tours/{tour_id}", method="DELETE",
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 204


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
