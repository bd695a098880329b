"""A live-guided tour group in headless Chromium (issue 11): a guide (the event's host
link) and two visitors in the demo gallery's guided tour, one page each, the second
visitor in an emulated headset (iwer, as tests/browser/test_xr.py). The guide starts
a group on the gallery's tour, both visitors join it; the guide walks and gathers
them (their views glide to it), has them follow (the guide walks on, they come
after; in the headset each move is a fade teleport), brings the group to the first
stop (each visitor's narration plays with its captions), points at the work (a
marker in the visitors' halls, cleared by Escape), a visitor opens the work's card
from the group's panel and writes in the group's chat; the guide's roster lists
both; End group closes the visitors' panels.

One test function: every page load costs seconds of CPU. `open_visitor` opens a
visitor, on a page or in the headset."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import (
    DESKTOP,
    READY_TIMEOUT_MS,
    console_errors,
    open_context,
    screenshot,
    still_frame,
    wait_until_ready,
)
from .test_accessibility import assert_accessible, host_token

pytestmark = pytest.mark.browser

EVENT, VENUE, TOUR = "landscapes-tour", "gallery", "gallery-highlights"
WAIT_MS = 60_000
NARRATED_MS = 90_000  # the first two stops are read at the server's start (excerpt)
GATHERED_M = 3.5  # a gathered member stands within this of the guide (rings from 1.6 m)
HEAD = "() => window.__zalTest.view.getPose().position"
WHERE = """() => { const g = window.__zalGroups, v = window.__zalTest.view;
  return { head: v.getPose().position, travelling: v.controls.isTravelling,
    fade: window.__zalXr?.fade?.phase, following: g.motion.following, moves: g.motion.moves,
    guide: g.motion.guidePose()?.position.toArray(), stop: g.tour.player?.index,
    trace: g.motion.trace }; }"""
STOPS: list[dict] = []  # the tour's, for messages
HEADSET = {"width": 480, "height": 270}  # both eyes share it (test_xr.py)
# no glide and no fade teleport under way (a page without a headset has no fade)
STILL = (
    "!window.__zalTest.view.controls.isTravelling"
    " && (!window.__zalXr || !window.__zalXr.fade || window.__zalXr.fade.phase === 'idle')"
)


def open_page(
    browser: Browser, url: str, name: str, viewport=DESKTOP
) -> tuple[BrowserContext, Page]:
    context, page, _ = open_context(browser, viewport=viewport, device_scale_factor=1,
                                    locale="en-GB")  # fmt: skip
    context.add_init_script(f"localStorage.setItem('zal.displayName', {name!r});")
    page.goto(url, wait_until="commit")  # the three pages load side by side
    return context, page


def open_visitor(
    browser: Browser, server, name: str, headset: bool = False
) -> tuple[BrowserContext, Page]:
    """A visitor of the event's hall (not yet waited for: pages load side by side); with
    `headset`, its page can enter the emulated headset (`enter_headset`)."""
    url = f"{server.url}/venue/{VENUE}?event={EVENT}&test=1"
    if headset:
        return open_page(browser, url + "&xr=emulate", name, viewport=HEADSET)
    return open_page(browser, url, name)


def enter_headset(page: Page) -> None:
    """Enter VR in the emulated headset: both eyes drawn, both controllers tracked."""
    page.locator("#vr-button").click(timeout=WAIT_MS)
    page.wait_for_function(
        "() => { const d = window.__zalXr.debug(); return d.presenting"
        " && d.hands.filter((h) => h.tracked).length === 2; }",
        timeout=WAIT_MS, polling=100,
    )


def in_headset(page: Page) -> bool:
    return page.evaluate("() => Boolean(window.__zalXr && window.__zalXr.debug().presenting)")


def ready(page: Page) -> str:
    """Wait for the hall and the live audience; cheap frames; our member id."""
    wait_until_ready(page)
    page.wait_for_function("() => window.__zalLive && window.__zalLive.debug().joined",
                           timeout=READY_TIMEOUT_MS, polling=200)  # fmt: skip
    page.evaluate("() => window.__zalTest.view.quality.pin(0.5)")
    return page.evaluate("window.__zalLive.debug().self.id")


def walk(page: Page, stop: dict) -> None:
    """Glide to a tour stop's place (a floor point), facing its work, and arrive."""
    page.evaluate(
        "([p, yaw]) => window.__zalTest.view.walkTo(p[0], p[1], p[2], {yaw, pitch: 0})",
        [stop["position"], stop["yaw"]],
    )
    page.wait_for_function(f"() => {STILL}", timeout=WAIT_MS, polling=100)


def wait_near(page: Page, point, within: float) -> None:
    """The head has stopped within `within` metres (on the floor plan) of `point`."""
    try:
        page.wait_for_function(
            f"""([x, z]) => {{ const p = window.__zalTest.view.getPose().position;
              return {STILL} && Math.hypot(p[0] - x, p[2] - z) < {within}; }}""",
            arg=[point[0], point[2]], timeout=WAIT_MS, polling=100,
        )
    except PlaywrightTimeout as exc:
        stops = [s["position"] for s in STOPS]
        raise AssertionError(f"not near {point}: {page.evaluate(WHERE)}; {stops}") from exc


def wait_sees(page: Page, member: str, point) -> None:
    """This page shows `member`'s avatar at `point` (its poses arrived)."""
    page.wait_for_function(
        """([id, x, z]) => { const p = window.__zalLive.avatars.positionOf(id);
          return p && Math.hypot(p[0] - x, p[2] - z) < 0.3; }""",
        arg=[member, point[0], point[2]], timeout=WAIT_MS, polling=100,
    )


def flat(a, b) -> float:
    return math.dist((a[0], a[2]), (b[0], b[2]))


def test_a_guide_gathers_leads_and_points_for_two_visitors(browser, zal_server):
    tour = zal_server.get_json(f"/api/tours/{TOUR}")
    stops = tour["stops"]
    STOPS[:] = stops
    token = host_token(zal_server, EVENT)
    contexts = []
    try:
        guide_ctx, guide = open_page(
            browser, f"{zal_server.url}/venue/{VENUE}?event={EVENT}&test=1#host={token}", "Anna"
        )
        contexts.append(guide_ctx)
        visitors = []
        for name, headset in (("Boris", False), ("Cleo", True)):
            ctx, page = open_visitor(browser, zal_server, name, headset)
            contexts.append(ctx)
            visitors.append(page)
        guide_id = ready(guide)
        for page in visitors:
            ready(page)

        # The guide starts a group on the gallery's tour
        guide.locator("#group-button").click()
        dialog = guide.locator("dialog.group-dialog")
        expect(dialog).to_be_visible()
        dialog.locator(".group-name-input").fill("Landscapes with Anna")
        dialog.locator(".group-cap-input").fill("10")
        dialog.locator(".group-tour-select").select_option(TOUR)
        dialog.locator(".group-create").click()
        console = guide.locator(".guide-console")
        expect(console).to_be_visible()
        expect(console.locator(".guide-name")).to_have_text("Landscapes with Anna")
        expect(console.locator(".guide-roster")).to_have_text("Nobody has joined yet.")

        # Both visitors see it under Groups and join
        for page in visitors:
            page.locator("#group-button").click(timeout=WAIT_MS)
            item = page.locator(".group-item", has_text="Landscapes with Anna")
            expect(item.locator(".group-guide")).to_have_text("Guide: Anna")
            item.locator(".group-join").click()
            panel = page.locator(".group-panel")
            expect(panel).to_be_visible()
            expect(panel.locator(".group-panel-guide")).to_have_text("Guide: Anna")
            expect(panel.locator(".group-panel-where")).to_have_text(
                "The guide will start the tour soon."
            )
        boris, cleo = visitors
        enter_headset(cleo)  # the rest of the tour Cleo takes in the headset
        expect(console.locator(".guide-count")).to_have_text("2 of 10 places taken",
                                                             timeout=WAIT_MS)  # fmt: skip
        # the roster: both, with their distances from the guide
        roster = console.locator(".guide-roster-item")
        expect(roster).to_have_count(2, timeout=WAIT_MS)
        expect(roster.locator(".guide-roster-name")).to_have_text(["Boris", "Cleo"])

        # The guide walks off and gathers the group: each visitor's view glides to it
        here = stops[3]
        walk(guide, here)
        for page in visitors:
            wait_sees(page, guide_id, here["position"])
        console.locator(".guide-gather").click()
        for page in visitors:
            wait_near(page, here["position"], GATHERED_M)
            assert flat(page.evaluate(HEAD), here["position"]) > 0.5  # beside, not inside

        # Follow me: the guide walks on, the visitors come after it
        console.locator(".guide-follow").click()
        expect(console.locator(".guide-follow")).to_have_attribute("aria-pressed", "true")
        for page in visitors:
            expect(page.locator(".group-following")).to_be_visible(timeout=WAIT_MS)
        # the nearest stop more than 6 m away: far enough to leave the visitors behind
        there = min((s for s in stops if flat(s["position"], here["position"]) > 6),
                    key=lambda s: flat(s["position"], here["position"]))  # fmt: skip
        walk(guide, there)
        for page in visitors:
            wait_near(page, there["position"], GATHERED_M)
            assert page.evaluate("window.__zalGroups.motion.moves") >= 1

        # The first stop: everyone goes there; the visitors' narration plays with captions
        first = stops[0]
        expect(console.locator(".guide-next")).to_have_text("First stop")
        console.locator(".guide-next").click()
        expect(console.locator(".guide-stop")).to_have_text("Stop 1 of 6")
        for page in visitors:
            panel = page.locator(".group-panel")
            expect(panel.locator(".tour-stop-title")).to_have_text(first["title"],
                                                                   timeout=WAIT_MS)  # fmt: skip
            wait_near(page, first["position"], 0.1)
            page.wait_for_function(
                "() => { const c = document.querySelector('#captions [data-cue=\"tour\"]');"
                " const p = window.__zalGroups.tour.player;"
                " return c && c.textContent.length > 10 && p.playing; }",
                timeout=NARRATED_MS, polling=200,
            )
        # in the headset the captions are on the board before the eyes
        assert in_headset(cleo)
        cleo.wait_for_function("() => window.__zalXr.debug().captions", timeout=WAIT_MS)
        caption = " ".join(visitors[0].locator('#captions [data-cue="tour"]').inner_text().split())
        assert caption[:20] in " ".join(first["narration"].split()), caption

        # The guide points at the work before the group: a marker in every visitor's hall
        wait_near(guide, first["position"], 0.1)
        console.locator(".guide-pointer").click()
        expect(console.locator(".guide-pointer")).to_have_attribute("aria-pressed", "true")
        guide.mouse.click(560, 200)  # the work's upper right, clear of the captions
        guide.wait_for_function("() => window.__zalGroups.groups.mine.pointer",
                                timeout=WAIT_MS)  # fmt: skip
        point = guide.evaluate("window.__zalGroups.groups.mine.pointer")
        assert flat(guide.evaluate(HEAD), point) > 0.5  # on the wall ahead, not underfoot
        for page in visitors:
            page.wait_for_function(
                """(p) => { const m = window.__zalGroups.marker;
                  return m.visible && m.node.position.distanceTo(
                    m.node.position.clone().set(...p)) < 0.01; }""",
                arg=point, timeout=WAIT_MS, polling=100,
            )
        on_screen = boris.evaluate("(p) => window.__zalTest.project(...p)", point)
        assert on_screen["visible"], on_screen
        # what a visitor sees: the work, the guide's marker on it, the group's panel
        # and the narration's captions
        still_frame(visitors[0])
        screenshot(visitors[0], "tour-group.png")
        visitors[0].evaluate(
            "() => { const v = window.__zalTest.view; v.quality.pin(0.5); v.start(); }"
        )

        # the guide's console as the guide sees it, and axe on both sides
        still_frame(guide)
        screenshot(guide, "tour-group-guide.png")
        guide.evaluate("() => { const v = window.__zalTest.view; v.quality.pin(0.5); v.start(); }")
        assert_accessible(guide, zal_server)
        assert_accessible(boris, zal_server)

        guide.keyboard.press("Escape")  # clears the pointer
        for page in visitors:
            page.wait_for_function("() => !window.__zalGroups.marker.visible",
                                   timeout=WAIT_MS)  # fmt: skip
        expect(console.locator(".guide-pointer")).to_have_attribute("aria-pressed", "false")

        # A visitor opens the work's card from the group's panel
        boris.locator(".group-panel .group-card").click()
        card = boris.locator("dialog.art-card")
        expect(card).to_be_visible()
        assert card.get_attribute("data-exhibit-id") == first["exhibit"]
        boris.keyboard.press("Escape")
        expect(card).to_be_hidden()

        # The group's own chat: marked as the group's, seen by the group
        expect(boris.locator(".live-chat-scope")).to_have_attribute("aria-pressed", "true")
        boris.fill(".live-chat-input", "Which room is next?")
        boris.press(".live-chat-input", "Enter")
        for page in (cleo, guide):
            line = page.locator(".live-msg.live-msg-group", has_text="Which room is next?")
            expect(line).to_be_visible(timeout=WAIT_MS)
            expect(line.locator(".live-msg-scope")).to_have_text("Group")

        # End group: the visitors' panels go, with a notice
        console.locator(".guide-end").click()
        expect(console).to_be_hidden()
        for page in visitors:
            expect(page.locator(".group-panel")).to_be_hidden(timeout=WAIT_MS)
            expect(page.locator(".live-chat-error")).to_have_text("The guided group has ended.")
            assert page.locator('#captions [data-cue="tour"]').count() == 0
        for page in (guide, *visitors):
            assert console_errors(page) == []
    finally:
        for context in contexts:
            context.close()
