"""Pictures of what a visitor sees in Russian and in Tatar, for the README.

    .venv/bin/python -m benchmarks.screenshots [--out docs/images]

Starts the real server with the demo programme (its own data folder, the shared
scene cache), opens Debian's Chromium with the browser language set to ru-RU and
then tt-RU (time zone Europe/Moscow, the city's), and writes lobby-<lang>.png and
venue-<lang>.png: the lobby as it opens, and the philharmonic's live event with
the audience panel, once the hall is drawn and the visitor has joined.

With ``--show`` it writes instead, for docs/hosts.md: stage-playing.png (the demo
concert playing on the chamber hall's screen, in Russian) and host-console.png (the
host console of that event, in English). The demo server renders its real stage
media first (ZAL_DEMO_MEDIA=full, cached beside the scenes: minutes on a cold cache).

With ``--gallery`` it writes the demo gallery's pictures and lobby thumbnail
(see benchmarks/gallery_shots.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

log = logging.getLogger("screenshots")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
VENUE = "philharmonic"
LANGUAGES = {"ru": "ru-RU", "tt": "tt-RU"}
ZONE = "Europe/Moscow"
STARTUP_S = 300  # a cold scene cache builds the venues first
READY_MS = 180_000  # SwiftShader draws a frame on the CPU


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server():
    env = dict(os.environ)
    env.setdefault("ZAL_SCENE_CACHE", str(ROOT / "build" / "test-scene-cache"))
    env.setdefault("ZAL_DEMO_MEDIA", "full")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="zal-shots-") as data:
        log_file = open(Path(data) / "server.log", "wb")  # noqa: SIM115 (closed below)
        proc = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--data-dir", data, "--demo"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_S
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited with {proc.returncode}")
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("server not healthy in time") from None
                    time.sleep(0.5)
            yield url, Path(data)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            log_file.close()


def live_event(url: str) -> str:
    with urllib.request.urlopen(url + "/api/events?when=live", timeout=30) as response:
        events = json.load(response)["events"]
    return next(e["id"] for e in events if e["venue_id"] == VENUE)


def shoot_lobby(page: Page, url: str, path: Path) -> None:
    page.goto(url + "/")
    page.locator("body[data-state='ready']").wait_for(state="attached", timeout=60_000)
    # the pictures in view, decoded; lazy ones below the fold never load, so each
    # wait is bounded (decode() of an image that is never fetched never settles)
    for img in page.locator(".live-card img, .venue-card img").all():
        img.evaluate(
            "i => Promise.race([i.decode().catch(() => null),"
            " new Promise((done) => setTimeout(done, 5000))])"
        )
    page.screenshot(path=str(path))


def shoot_venue(page: Page, url: str, event_id: str, path: Path) -> None:
    page.goto(f"{url}/venue/{VENUE}?event={event_id}&test=1")
    page.locator("body:not([data-state='loading'])").wait_for(state="attached", timeout=READY_MS)
    state = page.evaluate("document.body.dataset.state")
    if state != "ready":
        raise RuntimeError(f"venue page is {state!r}")
    page.locator("#loading-screen").wait_for(state="hidden", timeout=30_000)
    # joined: the presence pill shows the head count instead of "connecting"
    page.locator(".live-presence:not(.offline) .live-presence-text").wait_for(timeout=60_000)
    # one still frame at pixel ratio 1: no half-drawn software-rendered frame
    page.evaluate(
        "() => { const v = window.__zalTest.view;"
        " v.goToSpawn(0); v.stop(); v.quality.pin(1); v.render(); }"
    )
    page.screenshot(path=str(path))


SHOW_EVENT, SHOW_VENUE = "string-quartets", "chamber-hall"
MEDIA_READY_S = 900  # a cold cache renders and transcodes the concert first


def _host_token(data: Path, event_id: str) -> str:
    for line in (data / "demo-host-tokens.txt").read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == event_id:
            return fields[1]
    raise KeyError(event_id)


def _wait_for_concert(url: str) -> None:
    deadline = time.monotonic() + MEDIA_READY_S
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/api/events/{SHOW_EVENT}/media", timeout=30) as r:
            if any(m["status"] == "ready" for m in json.load(r)["media"]):
                return
        time.sleep(2)
    raise RuntimeError("the demo concert was not ready in time")


def shoot_show_and_console(out: Path) -> None:
    with demo_server() as (url, data), sync_playwright() as pw:
        _wait_for_concert(url)
        time.sleep(3)  # the autopilot puts it on the stage
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"],
        )  # fmt: skip
        try:
            context = browser.new_context(
                viewport=VIEWPORT, device_scale_factor=1, locale="ru-RU", timezone_id=ZONE
            )
            page = context.new_page()
            page.goto(f"{url}/venue/{SHOW_VENUE}?event={SHOW_EVENT}&test=1")
            page.locator("body[data-state='ready']").wait_for(state="attached", timeout=READY_MS)
            joined = page.locator(".live-presence:not(.offline) .live-presence-text")
            joined.wait_for(timeout=60_000)
            # the music is playing on the screen, past the title card
            page.wait_for_function(
                "() => { const d = window.__zalStage && window.__zalStage.debug();"
                " return d && d.videoOnScreen && d.player.currentTime > 20; }",
                timeout=READY_MS,
                polling=500,
            )
            page.evaluate("() => { const v = window.__zalTest.view; v.goToSpawn(0); }")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / "stage-playing.png"))
            context.close()
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page = context.new_page()
            page.goto(f"{url}/host/{SHOW_EVENT}#host={_host_token(data, SHOW_EVENT)}")
            page.locator("body[data-state='ready']").wait_for(state="attached", timeout=60_000)
            page.locator(".media-item").first.wait_for(timeout=30_000)
            page.locator(".audience-total").wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out / "host-console.png"), full_page=True)
            context.close()
            log.info("wrote stage-playing.png, host-console.png")
        finally:
            browser.close()


def shoot_gallery_pictures(out: Path) -> None:
    from .gallery_shots import shoot_gallery, shoot_lobby_venues

    with demo_server() as (url, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(device_scale_factor=1, locale="en-GB", timezone_id=ZONE)
            page = context.new_page()
            shoot_gallery(page, url, out, ROOT / "assets" / "thumbnails")
            context.close()
        finally:
            browser.close()
    # a second server: it takes the new thumbnail in at its start
    with demo_server() as (url, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(device_scale_factor=1, locale="en-GB", timezone_id=ZONE)
            shoot_lobby_venues(context.new_page(), url, out / "lobby-venues.png")
            context.close()
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument(
        "--show", action="store_true", help="the stage playing and the host console"
    )
    parser.add_argument(
        "--gallery", action="store_true", help="the demo gallery, a card and its thumbnail"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.show:
        shoot_show_and_console(args.out)
        return
    if args.gallery:
        shoot_gallery_pictures(args.out)
        return
    with demo_server() as (url, _), sync_playwright() as pw:
        event_id = live_event(url)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for lang, locale in LANGUAGES.items():
                context = browser.new_context(
                    viewport=VIEWPORT, device_scale_factor=1, locale=locale, timezone_id=ZONE
                )
                page = context.new_page()
                shoot_lobby(page, url, args.out / f"lobby-{lang}.png")
                shoot_venue(page, url, event_id, args.out / f"venue-{lang}.png")
                context.close()
                log.info("wrote %s", ", ".join(f"{p}-{lang}.png" for p in ("lobby", "venue")))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
