"""Hand raising in a lecture, in Chromium: a host (the console) and two residents in
the hall. Both raise their hands; the host sees the line in order with the seats;
"Next" gives the first the floor (its page says so, its seat lights up in both
halls), the second moves up to 1st; "Lower hand" on the second empties the line."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    ARTIFACTS,
    console_errors,
    open_context,
    screenshot,
    still_frame,
    wait_until_ready,
)
from .test_accessibility import assert_accessible, host_token, wait_joined
from .test_host_console import console_url

pytestmark = pytest.mark.browser

EVENT, VENUE = "river-lecture", "lecture-room"
TIMEOUT_MS = 60_000
RESIDENT_VIEW = {"width": 1100, "height": 700}

HAND = "() => window.__zalHands.hand.debug()"
LIT = "() => window.__zalHands.mark.state()"
# the camera on the stage, looking at seat `id` (for the picture; nothing is sent)
FROM_THE_STAGE = """(id) => {
  const view = window.__zalTest.view;
  const stage = view.seats.metadata.stage;
  const c = stage.center;
  const a = view.seats.get(id);
  const facing = [a.position[0] - c[0], 0, a.position[2] - c[2]];
  view.controls.placeAt([c[0], stage.height, c[2]], facing, -0.22);
  view.render();
}"""
# a seat two rows or so behind `id`, a little to its right: both are in the picture
# from the stage, she in front
BEHIND_TO_THE_RIGHT = """(id) => {
  const seats = window.__zalTest.view.seats;
  const a = seats.get(id);
  const c = seats.metadata.stage.center;
  const away = (s) => Math.hypot(s.position[0] - c[0], s.position[2] - c[2]);
  const right = (s) => (s.position[0] - a.position[0]) * -a.facing[2]
    + (s.position[2] - a.position[2]) * a.facing[0];
  const score = (s) => Math.abs(away(s) - away(a) - 2.2) + Math.abs(right(s) - 0.9);
  return seats.list.filter((s) => s.id !== id).sort((p, q) => score(p) - score(q))[0].id;
}"""


def resident(browser, zal_server, name: str) -> tuple:
    # reduced motion: taking a seat lands on the next frame instead of a glide
    context, page, _ = open_context(browser, viewport=RESIDENT_VIEW, locale="en-GB",
                                    reduced_motion="reduce")  # fmt: skip
    context.add_init_script(f"localStorage.setItem('zal.displayName', {json.dumps(name)});")
    # not waiting for "load" here: wait_until_ready waits (long) for the hall itself
    page.goto(f"{zal_server.url}/venue/{VENUE}?event={EVENT}&test=1", wait_until="commit")
    return context, page


def sit(page: Page, seat_id: str) -> None:
    """Take the seat the way a visitor does (the view glides there, live claims it),
    then stop the frame loop: the halls render on a loaded CPU."""
    assert page.evaluate("(id) => window.__zalTest.view.sitAt(id)", seat_id)
    page.wait_for_function(
        "(id) => window.__zalLive.debug().self?.seat === id", arg=seat_id, timeout=TIMEOUT_MS
    )
    still_frame(page)


def hand_state(page: Page, predicate: str) -> None:
    """Wait until `predicate` (JS, over `s` = the page's HandRaise.debug()) holds."""
    script = f"() => {{ const s = ({HAND})(); return {predicate}; }}"
    page.wait_for_function(script, timeout=TIMEOUT_MS)


def test_hands_go_up_in_order_and_the_host_gives_the_floor(browser, zal_server):
    host_ctx, host, _ = open_context(browser, viewport={"width": 1280, "height": 900},
                                     locale="en-GB")  # fmt: skip
    anna_ctx, anna = resident(browser, zal_server, "Anna")
    ben_ctx, ben = resident(browser, zal_server, "Ben")
    try:
        token = host_token(zal_server, EVENT)
        host.goto(console_url(zal_server, EVENT, token), wait_until="commit")
        for page in (anna, ben):
            wait_until_ready(page)
            wait_joined(page)
        # Anna on the centre line; Ben behind her, her seat in his view
        anna_seat = anna.evaluate("() => window.__zalTest.view.seats.suggest().id")
        ben_seat = ben.evaluate(BEHIND_TO_THE_RIGHT, anna_seat)
        sit(anna, anna_seat)
        sit(ben, ben_seat)
        button = "button.hand-button"
        expect(anna.locator(button)).to_have_text("Raise hand")
        expect(anna.locator(button)).to_have_attribute("aria-pressed", "false")

        anna.locator(button).click()
        expect(anna.locator(".hand-status")).to_have_text("You are 1st in line", timeout=TIMEOUT_MS)
        expect(anna.locator(button)).to_have_attribute("aria-pressed", "true")
        ben.locator(button).click()
        expect(ben.locator(".hand-status")).to_have_text("You are 2nd in line", timeout=TIMEOUT_MS)

        # the host's line: in order, each with the seat and how long it has waited
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        entries = host.locator(".hands-queue .hands-entry")
        expect(entries).to_have_count(2, timeout=TIMEOUT_MS)
        anna_seat_name = host.evaluate(
            "(id) => import('/client/src/hands/seatname.js').then((m) => m.seatName(id))", anna_seat
        )
        expect(entries.nth(0)).to_contain_text("Anna")
        expect(entries.nth(0)).to_contain_text(anna_seat_name)
        expect(entries.nth(0)).to_contain_text("waiting 0:")
        expect(entries.nth(1)).to_contain_text("Ben")
        expect(host.locator("#hands-title")).to_have_text("Raised hands")
        expect(host.locator(".hands-called")).to_have_text("Nobody has the floor.")
        host.locator("#hands-section").screenshot(path=screenshot_path("hands-host-queue.png"))

        # keyboard: "Next" focused, Enter; Anna gets the floor
        host.locator("button[data-act='hand_next']").focus()
        host.keyboard.press("Enter")
        expect(anna.locator(".hand-status")).to_have_text("You have the floor", timeout=TIMEOUT_MS)
        expect(anna.locator(button)).to_have_attribute("aria-pressed", "false")
        expect(anna.locator("button.hand-done")).to_be_visible()
        expect(ben.locator(".hand-status")).to_have_text("You are 1st in line", timeout=TIMEOUT_MS)
        expect(host.locator(".hands-called")).to_have_text(
            f"Speaking now: Anna · {anna_seat_name}", timeout=TIMEOUT_MS
        )
        expect(entries).to_have_count(1)
        expect(entries.nth(0)).to_contain_text("Ben")
        lit = f"() => {{ const s = ({LIT})(); return s.visible && s.seatId === '{anna_seat}'; }}"
        for page in (anna, ben):  # her seat is lit in every hall
            page.wait_for_function(lit, timeout=TIMEOUT_MS)
        assert anna.evaluate(HAND)["calledMe"] and not ben.evaluate(HAND)["calledMe"]
        # Ben's hall as the lecturer sees it from the stage: her seat in a column of light
        ben.evaluate(FROM_THE_STAGE, anna_seat)
        screenshot(ben, "hands-hall-called-seat.png")
        host.locator("#hands-section").screenshot(path=screenshot_path("hands-host-called.png"))

        # "Lower hand" on Ben: the line is empty, Ben is told
        ben_entry = host.locator(".hands-entry", has_text="Ben")
        ben_entry.get_by_role("button", name="Lower Ben's hand").click()
        expect(host.locator(".hands-empty")).to_be_visible(timeout=TIMEOUT_MS)
        expect(entries).to_have_count(0)
        hand_state(ben, "!s.raised && s.position === null")
        expect(ben.locator(".hand-status")).to_be_hidden()
        expect(ben.locator(button)).to_have_attribute("aria-pressed", "false")
        assert_accessible(host, zal_server)

        # the host ends Anna's turn: no seat is lit any more
        host.locator("button[data-act='end_turn']").click()
        nobody = host.locator(".hands-called")
        expect(nobody).to_have_text("Nobody has the floor.", timeout=TIMEOUT_MS)
        for page in (anna, ben):
            page.wait_for_function(f"() => !({LIT})().visible", timeout=TIMEOUT_MS)
        expect(anna.locator(".hand-status")).to_be_hidden()
        for page in (host, anna, ben):
            assert console_errors(page) == []
    finally:
        for context in (ben_ctx, anna_ctx, host_ctx):
            context.close()


def screenshot_path(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)
