"""Pictures of a Q&A session for docs/hosts-qa.md, taken from the real pages.

    .venv/bin/python -m benchmarks.qa_shots [--out docs/images]

Starts the demo server (its own data folder, no stage media), opens the host
console of the demo Q&A session (tram-qa) with its host link and two residents in
the hall (Chromium, English). The host opens questions with approval; the
residents ask four, one of them anonymously; the host approves two, answers one
and puts the other on the board; both residents vote. Writes qa-resident.png
(Anna's hall: the board and her Questions panel) and qa-host.png (the console's
Q&A panel, two questions still waiting for approval).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from .screenshots import CHROMIUM, CHROMIUM_ARGS, ROOT, ZONE, demo_server

log = logging.getLogger("screenshots")

EVENT, VENUE = "tram-qa", "lecture-room"
TIMEOUT_MS = 240_000
ASKED = [  # (who, text, anonymous)
    ("Anna", "When will tram 5 reach the new Yashlek district?", False),
    ("Anna", "Will night trams run on weekends in the summer?", True),
    ("Anna", "Will every new stop have a ramp and a tactile strip?", False),
    ("Ben", "Is tram 5 going to the new district this year?", False),
]
STILL_FRAME = "() => { const v = window.__zalTest.view; v.stop(); v.quality.pin(1); v.render(); }"
ANSWER = "Yes, from June: Fridays and Saturdays until 2 a.m., every 20 minutes."


def host_token(data: Path) -> str:
    for line in (data / "demo-host-tokens.txt").read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == EVENT:
            return fields[1]
    raise KeyError(EVENT)


def resident(browser: Browser, url: str, name: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1,
                                  locale="en-GB", timezone_id=ZONE)  # fmt: skip
    context.add_init_script(f"localStorage.setItem('zal.displayName', {json.dumps(name)});")
    page = context.new_page()
    page.goto(f"{url}/venue/{VENUE}?event={EVENT}&test=1")
    page.wait_for_function("() => window.__zalLive && window.__zalLive.debug().joined",
                           timeout=TIMEOUT_MS)  # fmt: skip
    page.set_default_timeout(TIMEOUT_MS)
    page.evaluate(STILL_FRAME)  # a loaded machine: no frame loop slowing every click
    return page


def host_item(host: Page, where: str, text: str):
    # by the question's own words (the merge choices of the others quote it too)
    return host.locator(f"{where} .qa-item", has=host.locator(".qa-text", has_text=text))


def host_clicks(host: Page, text: str, act: str) -> None:
    host_item(host, ".host-qa", text).locator(f"button[data-act='{act}']").click()


def run_session(host: Page, people: dict[str, Page]) -> None:
    host.get_by_label("Questions open").check()
    host.wait_for_function("() => window.__zalHost.qa.state.enabled", timeout=TIMEOUT_MS)
    host.get_by_label("Approval required").check()
    host.wait_for_function("() => window.__zalHost.qa.state.moderated", timeout=TIMEOUT_MS)
    for who, text, anonymous in ASKED:
        page = people[who]
        expect(page.locator(".qa-panel")).to_be_visible(timeout=TIMEOUT_MS)
        page.get_by_label("Your question").fill(text)
        page.get_by_label("Anonymous to the hall").set_checked(anonymous)
        page.get_by_role("button", name="Ask").click()
        queued = host_item(host, ".qa-pending", text)
        expect(queued).to_be_visible(timeout=TIMEOUT_MS)
    host_clicks(host, "tram 5 reach", "qa_approve")
    host_clicks(host, "night trams", "qa_approve")
    for page in people.values():
        for text in ("tram 5 reach", "night trams"):
            item = page.locator(".qa-panel .qa-item", has_text=text)
            item.get_by_role("button", name="Vote").click()
            pressed = item.get_by_role("button", name="Vote")
            expect(pressed).to_have_attribute("aria-pressed", "true")
    night = host_item(host, ".qa-shown", "night trams")
    night.locator(".qa-answer-input").fill(ANSWER)
    night.locator("button[data-act='qa_answer']").click()
    host_clicks(host, "tram 5 reach", "qa_stage")
    for page in people.values():
        expect(page.locator(".qa-board")).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.locator(".qa-answer", has_text="June")).to_be_visible(timeout=TIMEOUT_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ZAL_DEMO_MEDIA", "off")
    with demo_server() as (url, data), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            people = {name: resident(browser, url, name) for name in ("Anna", "Ben")}
            host_ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB",
                                           device_scale_factor=1, timezone_id=ZONE)  # fmt: skip
            host = host_ctx.new_page()
            host.goto(f"{url}/host/{EVENT}#host={host_token(data)}")
            ready = expect(host.locator("body"))
            ready.to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
            run_session(host, people)
            host.locator(".host-qa").screenshot(path=str(args.out / "qa-host.png"))
            anna = people["Anna"]
            anna.evaluate(
                "() => { document.querySelector('.qa-body').scrollTop = 0;"
                " window.__zalTest.view.render(); }"
            )
            anna.screenshot(path=str(args.out / "qa-resident.png"))
        finally:
            browser.close()
    log.info("wrote qa-resident.png and qa-host.png in %s", args.out)


if __name__ == "__main__":
    main()
