"""Pictures of the portal as an editor sees it, for docs/portal.md.

    .venv/bin/python -m benchmarks.portal_shots [--out docs/images]

Starts the real demo server (its own data folder; no stage media), makes an editor
token of the City Philharmonic Society with ``zal tokens create``, signs in on
/portal in Chromium (English, Europe/Moscow) and writes portal-event.png (the new
event form filled in three languages) and portal.png (the programme after saving,
with the new event's host link shown once). The server and its tokens are thrown
away afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from .screenshots import CHROMIUM, CHROMIUM_ARGS, ROOT, ZONE, demo_server

log = logging.getLogger("screenshots")

VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 120_000
TEXTS = {
    "title_ru": "Шостакович: квартеты № 8 и 15",
    "title_tt": "Шостакович: 8 һәм 15 нче квартетлар",
    "title_en": "Shostakovich: Quartets No. 8 and 15",
    "description_ru": "Квартет филармонии. Вступительное слово — за 15 минут до начала.",
    "description_en": "The Philharmonic Quartet. A short talk 15 minutes before the start.",
}


def editor_token(data: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "server", "tokens", "create", "--institution", "city-philharmonic",
         "--role", "editor", "--label", "screenshots", "--data-dir", str(data)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def shoot(page: Page, url: str, token: str, out: Path) -> None:
    page.goto(url + "/portal")
    page.fill("#signin-token", token)
    page.click("#signin-form button[type=submit]")
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=TIMEOUT_MS)
    page.click("#event-editor summary")
    page.select_option("#event-venue", "chamber-hall")
    page.select_option("#event-lang", "ru")
    for name, text in TEXTS.items():
        page.fill(f"[name={name}]", text)
    page.locator("#event-editor").screenshot(path=str(out / "portal-event.png"))
    page.click("#event-save")
    expect(page.locator("#host-link")).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(out / "portal.png"), full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ZAL_DEMO_MEDIA", "off")  # the portal needs no stage media
    with demo_server() as (url, data), sync_playwright() as pw:
        token = editor_token(data)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport=VIEWPORT, device_scale_factor=1, locale="en-GB", timezone_id=ZONE
            )
            shoot(context.new_page(), url, token, args.out)
            context.close()
        finally:
            browser.close()
    log.info("wrote portal.png and portal-event.png in %s", args.out)


if __name__ == "__main__":
    main()
