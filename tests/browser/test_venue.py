"""The venue page in headless Chromium: loading, drawing, sitting, walking, keys,
touch, and the not-found page, against the real server and its demo venues."""

from __future__ import annotations

import math

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import (
    READY_TIMEOUT_MS,
    console_errors,
    screenshot,
    still_frame,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

VENUE = "philharmonic"
STANDING_EYE = 1.6

# A seat whose cushion is on screen and is what a click there would hit (the
# page's own picking, walls included), nearest the middle of the view.
FIND_SEAT = """() => {
  const t = window.__zalTest, v = t.view;
  const w = innerWidth, h = innerHeight;
  let best = null;
  for (const s of v.seats.list) {
    const p = t.project(s.position[0], s.position[1] + 0.15, s.position[2]);
    if (!p.visible || p.x < w * 0.15 || p.x > w * 0.6 || p.y < h * 0.3 || p.y > h * 0.85) continue;
    const hit = v.pick(p.x, p.y, {occlusion: true});
    if (!hit || hit.kind !== 'seat' || hit.seat.id !== s.id) continue;
    const d = Math.hypot(p.x - w * 0.4, p.y - h * 0.6);
    if (!best || d < best.d) best = {id: s.id, x: p.x, y: p.y, d, eye: s.eye};
  }
  return best;
}"""

# A walkable spot a few metres away that a click at (x, y) would walk to.
FIND_FLOOR = """() => {
  const t = window.__zalTest, v = t.view;
  const here = t.cameraPosition();
  const w = innerWidth, h = innerHeight;
  for (let y = h * 0.95; y > h * 0.45; y -= h * 0.04) {
    for (let x = w * 0.2; x < w * 0.6; x += w * 0.05) {
      const hit = v.pick(x, y, {occlusion: true});
      if (!hit || hit.kind !== 'floor') continue;
      const p = hit.point;
      const d = Math.hypot(p.x - here.x, p.z - here.z);
      if (d > 1.5) return {x, y, point: [p.x, p.y, p.z]};
    }
  }
  return null;
}"""

AT_REST = "() => !window.__zalTest.view.controls.isTravelling"

# The top bar's parts as boxes: the back link, the title, each button and the
# language switch (its options are inside it).
HUD_BOXES = """() => [document.getElementById('back-link'), document.getElementById('hud-title'),
    ...document.querySelectorAll('#hud-actions .button, #hud-actions .lang-switch')]
  .map((el) => [el.id || el.className, el.getBoundingClientRect()])
  .filter(([, r]) => r.width > 0 && r.height > 0)
  .map(([name, r]) => ({name, x: r.left, y: r.top, w: r.width, h: r.height}))"""
LANDSCAPE_PHONES = [{"width": 844, "height": 390}, {"width": 667, "height": 375}]


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["name"], b["name"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
    ]  # fmt: skip


def open_venue(page, server, path: str) -> None:
    page.goto(server.url + path)
    wait_until_ready(page)
    # start from the first spawn point, so every run sees the same view
    page.evaluate("() => window.__zalTest.view.goToSpawn(0)")


def camera(page) -> tuple[float, float, float]:
    p = page.evaluate("() => window.__zalTest.cameraPosition()")
    return p["x"], p["y"], p["z"]


def distance(a, b) -> float:
    return math.dist(a, b)


def test_enter_the_live_event_from_the_lobby_and_the_hall_is_drawn(page, zal_server):
    live = zal_server.get_json("/api/events?when=live")["events"]
    event = next(e for e in live if e["venue_id"] == VENUE)
    venue = zal_server.get_json(f"/api/venues/{VENUE}")

    page.goto(zal_server.url + "/")
    card = page.locator(f'.live-card[data-event-id="{event["id"]}"]')
    card.get_by_role("link", name="Enter the hall").click()
    page.wait_for_url(f"**/venue/{VENUE}?event={event['id']}")
    # the test hook only exists with ?test=1: reopen the same link with it
    page.goto(page.url + "&test=1")
    wait_until_ready(page)

    assert page.locator("#hud-event").inner_text() == event["title"]
    assert venue["name"] in page.locator("#hud-venue").inner_text()
    assert page.get_by_role("link", name="Lobby").get_attribute("href") == "/"
    # the curtain opens, then hides after its 0.7 s transition (is_hidden() would not wait)
    expect(page.locator("#loading-screen")).to_be_hidden(timeout=15_000)

    # really drawn: thousands of colours, not one blank fill
    stats = page.evaluate("() => window.__zalTest.pixelStats()")
    assert stats["distinctColours"] > 1000, stats
    assert 10 < stats["meanValue"] < 245, stats

    # the GLB's merged meshes: about one draw call per material
    info = page.evaluate("() => window.__zalTest.renderInfo()")
    assert info["calls"] <= venue["metadata"]["stats"]["draw_calls"] + 12, info

    # the stage screen got our material (poster or placeholder), not the GLB's grey
    assert page.evaluate(
        "() => { const s = window.__zalTest.view.screen; "
        "return s.present && s.meshes.every(m => m.material === s.material); }"
    )

    page.set_viewport_size({"width": 1280, "height": 720})
    page.evaluate("() => window.__zalTest.view.goToSpawn(0)")
    still_frame(page)
    shot = screenshot(page, "venue.png")
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 1000
    assert console_errors(page) == []


def test_click_a_seat_to_sit_there(page, zal_server):
    open_venue(page, zal_server, f"/venue/{VENUE}?test=1")
    page.wait_for_function(AT_REST, timeout=READY_TIMEOUT_MS)
    target = page.evaluate(FIND_SEAT)
    assert target, "some seat is in view from the entrance"

    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])
    page.wait_for_function(
        "id => window.__zalTest.view.seatId === id", arg=target["id"], timeout=READY_TIMEOUT_MS
    )
    assert distance(camera(page), target["eye"]) < 0.03
    assert page.locator("#seat-button").inner_text() == "Stand up"
    row = target["id"].split("/")[1]
    assert f"row {row}" in page.locator("#hud-hint").inner_text()

    page.locator("#seat-button").click()
    page.wait_for_function(
        "() => { const v = window.__zalTest.view;"
        " return v.seatId === null && !v.controls.isTravelling; }",
        timeout=READY_TIMEOUT_MS,
    )
    assert page.locator("#seat-button").inner_text() == "Take a seat"
    assert console_errors(page) == []


def test_click_the_floor_to_walk_there(page, zal_server):
    open_venue(page, zal_server, f"/venue/{VENUE}?test=1")
    page.wait_for_function(AT_REST, timeout=READY_TIMEOUT_MS)
    spot = page.evaluate(FIND_FLOOR)
    assert spot, "some floor is in view from the entrance"
    page.mouse.click(spot["x"], spot["y"])
    x, y, z = spot["point"]
    goal = (x, y + STANDING_EYE, z)
    page.wait_for_function(
        "g => { const p = window.__zalTest.cameraPosition(); const v = window.__zalTest.view;"
        " return !v.controls.isTravelling"
        " && Math.hypot(p.x - g[0], p.y - g[1], p.z - g[2]) < 0.05; }",
        arg=goal,
        timeout=READY_TIMEOUT_MS,
    )
    assert distance(camera(page), goal) < 0.05
    assert console_errors(page) == []


def test_w_walks_forward_and_d_steps_right_on_the_floor(page, zal_server):
    open_venue(page, zal_server, f"/venue/{VENUE}?test=1")
    start = camera(page)
    yaw = page.evaluate("() => window.__zalTest.view.controls.yaw")
    forward = (-math.sin(yaw), -math.cos(yaw))
    right = (math.cos(yaw), -math.sin(yaw))

    def hold(key: str, metres: float) -> tuple[float, float, float]:
        before = camera(page)
        page.keyboard.down(key)
        try:
            page.wait_for_function(
                "([b, m]) => { const p = window.__zalTest.cameraPosition();"
                " return Math.hypot(p.x - b[0], p.z - b[2]) > m; }",
                arg=[list(before), metres],
                timeout=READY_TIMEOUT_MS,
            )
        finally:
            page.keyboard.up(key)
        return camera(page)

    after_w = hold("w", 0.5)
    dx, dz = after_w[0] - start[0], after_w[2] - start[2]
    assert dx * forward[0] + dz * forward[1] > 0.45, "W walks the way the camera faces"

    after_d = hold("d", 0.3)
    dx, dz = after_d[0] - after_w[0], after_d[2] - after_w[2]
    assert dx * right[0] + dz * right[1] > 0.25, "D steps to the right"

    # still standing on a walkable area at eye height
    floor = page.evaluate(
        "([x, y, z]) => window.__zalTest.view.floor.heightAt(x, z, y - 1.6, 0.6)", list(after_d)
    )
    assert floor is not None
    page.wait_for_timeout(500)
    assert abs(camera(page)[1] - STANDING_EYE - floor) < 0.1
    assert console_errors(page) == []


def test_unknown_venue_shows_a_friendly_not_found_page(page, zal_server):
    response = page.goto(zal_server.url + "/venue/no-such-hall")
    assert response is not None and response.status == 404
    heading = page.locator("h1")
    assert heading.is_visible()
    assert "not" in heading.inner_text().lower()
    assert "no-such-hall" in page.locator("body").inner_text()
    lobby = page.get_by_role("link", name="Back to the lobby")
    assert lobby.get_attribute("href") == "/"
    # styled like the rest of the site, not a bare browser error
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.curtain')).backgroundImage"
    )
    assert "gradient" in background
    screenshot(page, "venue-not-found.png")
    lobby.click()
    page.wait_for_url(zal_server.url + "/")
    assert console_errors(page, allowed=("404",)) == []


def test_phone_renders_the_hall_and_tap_sits_down(phone_page, zal_server):
    page = phone_page
    open_venue(page, zal_server, f"/venue/{VENUE}?test=1")
    stats = page.evaluate("() => window.__zalTest.pixelStats()")
    assert stats["distinctColours"] > 500, stats
    ratio = page.evaluate("() => window.__zalTest.view.renderer.getPixelRatio()")
    assert ratio <= 1.5, "pixel ratio capped on phones"
    assert page.locator("#joystick").is_visible()
    assert "Tap a seat" in page.locator("#hud-hint").inner_text()

    page.wait_for_function(AT_REST, timeout=READY_TIMEOUT_MS)
    still_frame(page)
    screenshot(page, "venue-phone.png")
    page.evaluate("() => window.__zalTest.view.start()")
    target = page.evaluate(FIND_SEAT)
    assert target, "some seat is in view on a phone"
    page.touchscreen.tap(target["x"], target["y"])
    page.wait_for_function(
        "id => window.__zalTest.view.seatId === id", arg=target["id"], timeout=READY_TIMEOUT_MS
    )
    assert distance(camera(page), target["eye"]) < 0.03
    still_frame(page)
    screenshot(page, "venue-phone-seated.png")

    # held sideways, the top bar still fits: the VR button is short with its reason
    # in a tooltip, the title keeps room, nothing overlaps or leaves the screen
    vr = page.locator("#vr-button")
    expect(vr).to_have_text("VR", timeout=READY_TIMEOUT_MS)
    assert vr.get_attribute("title") == "No VR headset found"
    for size in LANDSCAPE_PHONES:
        page.set_viewport_size(size)
        page.wait_for_function("w => innerWidth === w", arg=size["width"])
        boxes = page.evaluate(HUD_BOXES)
        assert overlaps(boxes) == [], boxes
        assert all(b["x"] >= 0 and b["x"] + b["w"] <= size["width"] for b in boxes), boxes
        assert page.evaluate("document.getElementById('hud-event').clientWidth") >= 200
    still_frame(page)
    screenshot(page, "venue-phone-landscape.png")
    assert console_errors(page) == []


def test_the_curtain_shows_the_venue_until_its_hall_has_loaded(page, zal_server):
    venue = zal_server.get_json(f"/api/venues/{VENUE}")
    held = []
    page.route("**/scenes/*.glb", lambda route: held.append(route))  # hold the download
    page.goto(zal_server.url + f"/venue/{VENUE}?test=1")
    page.wait_for_function(
        "name => document.getElementById('loading-title').textContent === name",
        arg=venue["name"],
        timeout=30_000,
    )
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the page asked for the venue's GLB"
    assert held[0].request.url.endswith(venue["scene_url"])
    assert page.evaluate("document.body.dataset.state") == "loading"
    assert page.locator("#loading-screen").is_visible()
    assert page.get_by_role("progressbar").is_visible()

    held[0].continue_()
    wait_until_ready(page)
    # the curtain opens, then hides after its 0.7 s transition (is_hidden() would not wait)
    expect(page.locator("#loading-screen")).to_be_hidden(timeout=15_000)
    assert page.locator("#progress").get_attribute("aria-valuenow") == "100"
    assert console_errors(page) == []


def test_gallery_has_no_seats_to_take(page, zal_server):
    # its paintings and their cards: tests/browser/test_gallery_art.py
    venue = zal_server.get_json("/api/venues/gallery")
    assert venue["metadata"]["exhibit_slots"] and not venue["metadata"]["seats"]
    open_venue(page, zal_server, "/venue/gallery?test=1")
    assert page.locator("#seat-button").is_hidden()
    assert "seat" not in page.locator("#hud-hint").inner_text().lower()
    stats = page.evaluate("() => window.__zalTest.pixelStats()")
    assert stats["distinctColours"] > 500, stats
    assert console_errors(page) == []
