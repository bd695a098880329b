"""What a resident is told about the event itself: it has ended; the host link is wrong."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request

from playwright.sync_api import expect

from .conftest import console_errors, open_context, wait_until_ready
from .test_accessibility import host_token

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


def _small_recording(path) -> bytes:
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=30",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=30",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path.read_bytes()


def test_a_past_event_offers_its_recording_and_plays_it(browser, zal_server, tmp_path):
    past = zal_server.get_json("/api/events?when=past")["events"][0]
    token = host_token(zal_server, past["id"])
    upload = urllib.request.Request(
        f"{zal_server.url}/api/events/{past['id']}/media?kind=recording&title=Archive",
        data=_small_recording(tmp_path / "archive.mp4"),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "video/mp4"},
        method="POST",
    )
    with urllib.request.urlopen(upload, timeout=60) as response:
        media_id = json.load(response)["id"]
    deadline = time.monotonic() + 120
    while zal_server.get_json(f"/api/media/{media_id}")["status"] == "processing":
        assert time.monotonic() < deadline, "the recording was never ready"
        time.sleep(0.5)
    assert zal_server.get_json(f"/api/media/{media_id}")["status"] == "ready"

    context, page, _ = open_context(browser, locale="en-GB")
    try:
        page.goto(f"{zal_server.url}/venue/{past['venue_id']}?event={past['id']}")
        wait_until_ready(page)
        watch = page.locator(".event-watch")
        expect(watch).to_have_text("Watch the recording: Archive", timeout=TIMEOUT_MS)
        watch.click()
        # the recording goes on this visitor's stage; playback itself is the stage
        # player's, tested in test_stage.py
        page.wait_for_function(
            "(id) => { const d = window.__zalStage.debug();"
            " return d.state.media && d.state.media.id === id && d.state.playing"
            " && d.player && d.player.url === d.state.media.url; }",
            arg=media_id,
            timeout=TIMEOUT_MS,
        )
        expect(watch).to_be_disabled()
        assert console_errors(page) == []
    finally:
        context.close()
