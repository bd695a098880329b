"""Accessibility in headless Chromium: an axe-core audit of every page (lobby, venue
as a guest, venue with the host tools, the 404 page), the whole visit done with the
keyboard alone (lobby -> hall -> seat list -> seat -> chat), and reduced motion.

axe-core is the npm package the server serves under /vendor (same origin, so the
pages' Content-Security-Policy lets it load). A violation of impact "serious" or
"critical" fails the test, printed rule by rule with the offending elements.
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    READY_TIMEOUT_MS,
    console_errors,
    open_context,
    screenshot,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

AXE_URL = "/vendor/axe-core/axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
LIVE_EVENT = "tchaikovsky-five"  # live in the demo programme, in the philharmonic
LIVE_VENUE = "philharmonic"
HOST_EVENT = "river-lecture"
HOST_VENUE = "lecture-room"
VIEWPORT = {"width": 800, "height": 600}
SYNC_TIMEOUT_MS = 30_000

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                summary: n.failureSummary})),
  }));
}"""


def axe_violations(page: Page, server) -> list[dict]:
    """Serious and critical axe violations of the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=server.url + AXE_URL)
    found = page.evaluate(RUN_AXE)
    return [v for v in found if v["impact"] in FAILING_IMPACTS]


def readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['url']})")
        for n in v["nodes"][:8]:
            lines.append(f"    {n['target']}  {n['html']}")
            lines.append("      " + n["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Page, server) -> None:
    violations = axe_violations(page, server)
    assert not violations, "axe found problems:\n" + readable(violations)


def host_token(server, event_id: str) -> str:
    for line in (server.data_dir / "demo-host-tokens.txt").read_text().splitlines():
        fields = line.split()  # event id, token, host link
        if fields and fields[0] == event_id:
            return fields[1]
    raise KeyError(event_id)


def wait_joined(page: Page) -> None:
    page.wait_for_function(
        "() => window.__zalLive && window.__zalLive.debug().joined",
        timeout=READY_TIMEOUT_MS,
        polling=200,
    )


@pytest.fixture
def small_page(browser):
    context, page, _ = open_context(browser, viewport=VIEWPORT, locale="en-GB")
    yield page
    context.close()


# every language the interface speaks: a translation can break a label or a contrast
LOCALES = {"en-GB": "en", "ru-RU": "ru", "tt-RU": "tt"}


@pytest.fixture(params=list(LOCALES))
def page_in_each_language(browser, request):
    context, page, _ = open_context(browser, viewport=VIEWPORT, locale=request.param)
    yield page, LOCALES[request.param]
    context.close()


def test_the_lobby_passes_axe(page_in_each_language, zal_server):
    page, lang = page_in_each_language
    page.goto(zal_server.url + "/")
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=SYNC_TIMEOUT_MS)
    assert page.evaluate("document.documentElement.lang") == lang
    assert_accessible(page, zal_server)
    assert console_errors(page) == []


def test_the_venue_page_as_a_guest_passes_axe(page_in_each_language, zal_server):
    page, lang = page_in_each_language
    page.goto(f"{zal_server.url}/venue/{HOST_VENUE}?event={HOST_EVENT}")
    wait_until_ready(page)
    wait_joined(page)
    assert page.evaluate("document.documentElement.lang") == lang
    assert_accessible(page, zal_server)
    assert console_errors(page) == []


def test_the_venue_page_with_host_tools_passes_axe(small_page, zal_server):
    page = small_page
    token = host_token(zal_server, HOST_EVENT)
    page.goto(f"{zal_server.url}/venue/{HOST_VENUE}?event={HOST_EVENT}#host={token}")
    wait_until_ready(page)
    wait_joined(page)
    page.fill(".live-chat-input", "a message so the host tools show on it")
    page.press(".live-chat-input", "Enter")
    expect(page.locator(".live-msg-tools").first).to_be_attached(timeout=SYNC_TIMEOUT_MS)
    expect(page.locator(".live-host-tools")).to_be_visible()
    assert_accessible(page, zal_server)
    assert console_errors(page) == []


def test_the_not_found_page_passes_axe(small_page, zal_server):
    page = small_page
    response = page.goto(zal_server.url + "/venue/no-such-hall")
    assert response is not None and response.status == 404
    assert_accessible(page, zal_server)
    assert console_errors(page, allowed=("404",)) == []


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    focused = page.evaluate("document.activeElement?.outerHTML.slice(0, 120)")
    raise AssertionError(f"{selector} never got the focus by Tab (last: {focused})")


FOCUS_RING = """() => {
  const s = getComputedStyle(document.activeElement);
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor};
}"""

AT_SEAT = """(id) => {
  const v = window.__zalLive.view;
  if (v.seatId !== id || v.controls.isTravelling) return false;
  const p = v.getPose().position, e = v.seats.get(id).eye;
  return Math.hypot(p[0] - e[0], p[1] - e[1], p[2] - e[2]) < 0.03;
}"""


def test_keyboard_alone_from_the_lobby_to_a_seat_and_the_chat(small_page, zal_server):
    page = small_page
    page.goto(zal_server.url + "/")
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=SYNC_TIMEOUT_MS)

    enter = f'.live-card[data-event-id="{LIVE_EVENT}"] .enter-link'
    tab_to(page, enter)
    ring = page.evaluate(FOCUS_RING)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    page.locator(enter).scroll_into_view_if_needed()
    screenshot(page, "a11y-focus-outline.png")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/venue/{LIVE_VENUE}?event={LIVE_EVENT}")
    wait_until_ready(page)
    wait_joined(page)

    # the seat list, opened from its button; the search box has the focus
    tab_to(page, "#seat-list-button")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.seatlist")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('seatlist-search')")
    page.keyboard.type("b")  # row B only, in every section
    rows = page.locator(".seatlist-row:not([hidden])")
    assert rows.count() >= 1
    assert all(r == "B" for r in rows.evaluate_all("els => els.map(e => e.dataset.row)"))
    # Tab: the "best seat" button, then into the list (one stop), arrows walk it
    tab_to(page, "dialog.seatlist .seat-chip[tabindex='0']", limit=4)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    focused = page.evaluate("document.activeElement.dataset.seatId")
    assert focused and "/B/" in focused, focused
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.endswith(", free"), label
    page.wait_for_timeout(50)  # let the frame loop run once; nothing waits on it
    screenshot(page, "a11y-seat-list.png")
    page.keyboard.press("Enter")

    # seated exactly as a click on that seat in the hall seats you
    expect(dialog).to_be_hidden()
    page.wait_for_function(AT_SEAT, arg=focused, timeout=READY_TIMEOUT_MS)
    page.wait_for_function(
        "() => document.getElementById('a11y-status').textContent.includes('You are sitting in')",
        timeout=SYNC_TIMEOUT_MS,
    )
    # focus went back to the button that opened the list
    assert page.evaluate("document.activeElement.id") == "seat-list-button"
    page.wait_for_function(
        "(id) => window.__zalLive.debug().seat === id", arg=focused, timeout=SYNC_TIMEOUT_MS
    )

    # on to the chat, type and send with Enter, and the message is in the log
    tab_to(page, ".live-chat-input")
    page.keyboard.type("Hello from the keyboard")
    page.keyboard.press("Enter")
    line = page.locator(".live-chat-log[role='log'] .live-msg", has_text="Hello from the keyboard")
    expect(line).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    assert console_errors(page) == []


def test_escape_closes_dialogs_without_standing_and_applause_is_captioned(small_page, zal_server):
    page = small_page
    page.goto(f"{zal_server.url}/venue/{HOST_VENUE}?event={HOST_EVENT}")
    wait_until_ready(page)
    wait_joined(page)
    tab_to(page, "#keys-button")
    page.keyboard.press("Enter")
    help_dialog = page.locator("dialog.keyhelp")
    expect(help_dialog).to_be_visible()
    assert "WASD" not in help_dialog.inner_text()  # keys are listed one by one
    assert help_dialog.locator("kbd", has_text="W").count() == 1
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "keys-button"

    # arrows in the open seat list move between seats, not the visitor in the hall
    before = page.evaluate("() => window.__zalLive.view.getPose().position")
    tab_to(page, "#seat-list-button")
    page.keyboard.press("Enter")
    tab_to(page, "dialog.seatlist .seat-chip[tabindex='0']", limit=4)
    page.keyboard.down("ArrowUp")
    page.wait_for_timeout(300)
    page.keyboard.up("ArrowUp")
    page.keyboard.press("Escape")
    expect(page.locator("dialog.seatlist")).to_be_hidden()
    after = page.evaluate("() => window.__zalLive.view.getPose().position")
    assert math.dist(before, after) < 1e-6

    # applause is heard and also read: a caption (in the same hall, one load fewer)
    page.locator(".live-reaction[data-kind='applause']").click()
    cue = page.locator("#captions .caption-cue[data-cue='applause']")
    expect(cue).to_have_text("[applause]", timeout=SYNC_TIMEOUT_MS)
    assert console_errors(page) == []


def test_the_applause_caption_grows_louder_and_dies_away(small_page, zal_server):
    page = small_page
    page.goto(zal_server.url + "/")
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=SYNC_TIMEOUT_MS)
    seen = page.evaluate("""async () => {
      const {ApplauseCaption} = await import('/client/src/live/applause-caption.js');
      const {Captions} = await import('/client/src/captions/captions.js');
      const area = document.body.appendChild(document.createElement('div'));
      const captions = new Captions(area);
      let now = 1000;
      const caption = new ApplauseCaption({captions, now: () => now});
      caption.add(1);
      const one = captions.text('applause');
      caption.add(60);
      const many = captions.text('applause');
      now += 1500; caption.update();
      const fading = captions.text('applause');
      now += 20000; caption.update();
      return {one, many, fading, after: captions.text('applause'), hidden: area.hidden};
    }""")
    assert seen == {
        "one": "[applause]", "many": "[thunderous applause]", "fading": "[applause]",
        "after": None, "hidden": True,
    }


def test_reduced_motion_jumps_instead_of_gliding(browser, zal_server):
    context, page, _ = open_context(
        browser, viewport=VIEWPORT, locale="en-GB", reduced_motion="reduce"
    )
    try:
        page.goto(zal_server.url + "/")
        page.wait_for_function(
            "() => document.body.dataset.state === 'ready'", timeout=SYNC_TIMEOUT_MS
        )
        pulse = page.evaluate(
            "getComputedStyle(document.querySelector('.badge-live'), '::before').animationName"
        )
        assert pulse == "none"

        page.goto(f"{zal_server.url}/venue/{HOST_VENUE}?event={HOST_EVENT}&test=1")
        wait_until_ready(page)
        # the curtain went at once, not after parting for 0.7 s
        assert page.evaluate("document.getElementById('loading-screen').hidden")
        wait_joined(page)
        page.locator("#seat-list-button").click()
        seat = page.locator("dialog.seatlist .seat-chip.is-free").nth(3)
        seat_id = seat.get_attribute("data-seat-id")
        # frames by hand: one 16 ms step must land in the seat (a glide takes 0.45 s+)
        page.evaluate("() => window.__zalTest.view.stop()")
        seat.click()
        landed = page.evaluate("""(id) => {
          const v = window.__zalTest.view;
          v.controls.update(0.016);
          const p = v.getPose().position, e = v.seats.get(id).eye;
          return Math.hypot(p[0] - e[0], p[1] - e[1], p[2] - e[2]);
        }""", seat_id)
        assert landed < 0.03
        page.evaluate("() => window.__zalTest.view.start()")
        assert console_errors(page) == []
    finally:
        context.close()


INSIDE = """(sel) => {
  const r = document.querySelector(sel).getBoundingClientRect();
  return r.width > 0 && r.left >= 0 && r.top >= 0
    && r.right <= innerWidth && r.bottom <= innerHeight;
}"""


def test_at_200_percent_zoom_nothing_is_cut_off(browser, zal_server):
    # 200% zoom of a 1280x720 window: 640x360 CSS pixels at twice the density
    context, page, _ = open_context(
        browser, viewport={"width": 640, "height": 360}, device_scale_factor=2, locale="en-GB"
    )
    try:
        page.goto(zal_server.url + "/")
        page.wait_for_function(
            "() => document.body.dataset.state === 'ready'", timeout=SYNC_TIMEOUT_MS
        )
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        screenshot(page, "a11y-zoom-lobby.png")

        page.goto(f"{zal_server.url}/venue/{HOST_VENUE}?event={HOST_EVENT}")
        wait_until_ready(page)
        wait_joined(page)
        for button in ("#back-link", "#seat-list-button", "#seat-button", "#keys-button"):
            assert page.evaluate(INSIDE, button), f"{button} is off screen"
        page.locator("#seat-list-button").click()
        for part in ("dialog.seatlist .dialog-close", "dialog.seatlist .seatlist-search"):
            assert page.evaluate(INSIDE, part), f"{part} is off screen"
        screenshot(page, "a11y-zoom-seat-list.png")
        assert console_errors(page) == []
    finally:
        context.close()
