"""A live stream on the stage, end to end: ffmpeg pushes RTMP into Debian's nginx
with the RTMP module, nginx writes HLS, Zal serves it, the host puts it on the stage
and a resident's Chromium plays it on the screen (video time advances, the screen's
pixels come from the video and change), host and resident the same time behind real
time (the playlist is dated). Then the encoder stops and the stall card shows."""

from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import expect

from ..media.nginx_rtmp import nginx_rtmp, wait_for_file
from .conftest import console_errors, open_context, wait_until_ready
from .test_accessibility import host_token

EVENT, VENUE = "tram-qa", "lecture-room"  # a small hall; no demo autopilot on its stage
TIMEOUT_MS = 90_000


def _register_ingest(server, event: str, token: str) -> dict:
    request = urllib.request.Request(
        f"{server.url}/api/events/{event}/streams",
        data=json.dumps({"title": "Rehearsal", "ingest": True}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return json.load(response)


# seconds between real time and the screen, and the hall's delay for this playlist
LIVE_BEHIND = """() => {
  const show = window.__zalStage;
  const segment = show.player.segmentSeconds;
  return { behind: show.debug().liveBehind, delay: Math.max(6, 3 * (segment || 0)) };
}"""
SETTLED_LIVE = f"""() => {{
  const b = ({LIVE_BEHIND})();
  return b.behind !== null && Math.abs(b.behind - b.delay) < 0.15;
}}"""


def _hall_page(browser, server, fragment: str = ""):
    context, page, _ = open_context(browser, viewport={"width": 660, "height": 372}, locale="en-GB")
    page.goto(f"{server.url}/venue/{VENUE}?event={EVENT}&test=1{fragment}")
    wait_until_ready(page)
    page.wait_for_function(
        "() => window.__zalLive && window.__zalLive.debug().joined && window.__zalStage",
        timeout=TIMEOUT_MS,
    )
    return context, page


def _screen_sample(page) -> list[int]:
    """A few pixels of what the stage screen's video shows now."""
    return page.evaluate(
        """() => {
          const v = window.__zalStage.player.video;
          const c = document.createElement('canvas');
          c.width = 32; c.height = 18;
          const g = c.getContext('2d');
          g.drawImage(v, 0, 0, 32, 18);
          return Array.from(g.getImageData(0, 0, 32, 18).data.filter((_, i) => i % 37 === 0));
        }"""
    )


def test_an_rtmp_push_plays_on_the_stage_screen_and_a_stop_shows_the_stall_card(
    browser, zal_server, tmp_path
):
    token = host_token(zal_server, EVENT)
    with nginx_rtmp(
        tmp_path / "nginx", zal_server.url, hls_dir=zal_server.data_dir / "live"
    ) as ingest:
        made = _register_ingest(zal_server, EVENT, token)
        key = made["ingest"]["stream_key"]
        push = ingest.push(key, seconds=None, size="320x180")
        host_ctx = guest_ctx = host = None
        try:
            wait_for_file(ingest.playlist(key), timeout_s=30)
            host_ctx, host = _hall_page(browser, zal_server, f"#host={token}")
            guest_ctx, guest = _hall_page(browser, zal_server)
            for name, payload in (("stage_media", {"media_id": made["id"]}), ("stage_play", {})):
                ack = host.evaluate(
                    "([n, p]) => window.__zalLive.conn.request(n, p)", [name, payload]
                )
                assert ack["ok"], ack
            guest.wait_for_function(
                "() => { const d = window.__zalStage.debug();"
                " return d.state.live && d.videoOnScreen && d.player.currentTime > 1; }",
                timeout=TIMEOUT_MS,
            )
            first_time = guest.evaluate("window.__zalStage.player.video.currentTime")
            first = _screen_sample(guest)
            guest.wait_for_function(
                "(t) => window.__zalStage.player.video.currentTime > t + 1.5",
                arg=first_time,
                timeout=TIMEOUT_MS,
            )
            assert _screen_sample(guest) != first  # testsrc2 moves every frame

            # the dated playlist puts the whole hall the same time behind real time
            for page in (host, guest):
                page.wait_for_function(SETTLED_LIVE, timeout=TIMEOUT_MS)
            behind = [page.evaluate(LIVE_BEHIND) for page in (host, guest)]
            assert all(b["delay"] >= 6 for b in behind), behind
            assert abs(behind[0]["behind"] - behind[1]["behind"]) < 0.3, behind

            push.stop()  # the encoder dies mid-show
            guest.wait_for_function(
                "() => window.__zalStage.debug().card === 'resume'", timeout=TIMEOUT_MS
            )
            expect(guest.locator("body")).to_have_attribute("data-state", "ready")
            # nginx drops a dead stream's playlist after a while: the player's retries
            # may meet that 404, which is the stream's end, not a fault of the page
            assert console_errors(guest, allowed=("/live/",)) == []
        finally:
            push.stop()
            if host is not None:  # the shared demo event's stage empty for the tests after
                ack = host.evaluate(
                    "() => window.__zalLive.conn.request('stage_media', {media_id: null})"
                )
                assert ack["ok"], ack
            for context in (guest_ctx, host_ctx):
                if context is not None:
                    context.close()
