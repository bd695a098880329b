"""A transcoded package plays in Debian's Chromium through hls.js (the player the
stage uses): both levels are parsed from the master playlist, fMP4 H.264 + AAC
goes through MSE, and the video's time advances."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from server import keys

from .conftest import host

HLS_JS = Path(__file__).resolve().parents[2] / "web_client/node_modules/hls.js/dist/hls.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required",
]

PLAY = """async (url) => {
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  const hls = new Hls({ capLevelToPlayerSize: false });
  const errors = [];
  hls.on(Hls.Events.ERROR, (_, data) => errors.push(data.details));
  const parsed = new Promise((resolve) => hls.on(Hls.Events.MANIFEST_PARSED, (_, d) => resolve(d)));
  hls.loadSource(url);
  hls.attachMedia(video);
  const manifest = await parsed;
  await video.play();
  const started = performance.now();
  while (video.currentTime < 1.0 && performance.now() - started < 20000) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    supported: Hls.isSupported(),
    levels: manifest.levels.map((l) => [l.height, l.videoCodec, l.audioCodec]),
    currentTime: video.currentTime,
    videoHeight: video.videoHeight,
    errors,
  };
}"""


@pytest.mark.skipif(not HLS_JS.is_file(), reason="npm packages not installed (make setup)")
async def test_hls_js_plays_the_package_in_chromium(client, media_files):
    response = await client.post(
        "/api/events/ev1/media?kind=recording",
        data=media_files.recording.read_bytes(),
        headers=host(),
    )
    media_id = (await response.json())["id"]
    await client.server.app[keys.MEDIA_JOBS].join()
    media = await (await client.get(f"/api/media/{media_id}")).json()
    base = str(client.make_url("/"))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page()
            await page.goto(base + "healthz")  # any page of this origin
            await page.add_script_tag(path=str(HLS_JS))
            result = await page.evaluate(PLAY, base.rstrip("/") + media["url"])
        finally:
            await browser.close()
    assert result["supported"] and not result["errors"], result
    assert sorted(level[0] for level in result["levels"]) == [90, 180]
    assert all(v.startswith("avc1.") and a == "mp4a.40.2" for _, v, a in result["levels"])
    assert result["currentTime"] >= 1.0 and result["videoHeight"] in (90, 180), result
