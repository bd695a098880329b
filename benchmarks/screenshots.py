"""Pictures of what a visitor sees in Russian and in Tatar, for the README.

    .venv/bin/python -m benchmarks.screenshots [--out docs/images]

Starts the real server with the demo programme (its own data folder, the shared
scene cache), opens Debian's Chromium with the browser language set to ru-RU and
then tt-RU (time zone Europe/Moscow, the city's), and writes lobby-<lang>.png and
venue-<lang>.png: the lobby as it opens, and the philharmonic's live event with
the audience panel, once the hall is drawn and the visitor has joined.
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
            yield url
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    with demo_server() as url, sync_playwright() as pw:
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
