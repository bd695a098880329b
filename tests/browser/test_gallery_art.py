"""The demo gallery in headless Chromium: the real paintings are drawn as textures
on its walls (no placards), each with its wall label, and clicking one, or
choosing it from the works list with the keyboard, opens its card with the
title, larger image and credit."""

from __future__ import annotations

import pytest

from .conftest import console_errors, screenshot, wait_until_ready

pytestmark = pytest.mark.browser

# every work with a drawn picture: its mesh, and what that mesh's texture holds
PICTURES = """() => {
  const v = window.__zalTest.view;
  return [...v.pictures].map(([mesh, id]) => {
    const map = mesh.material.map;
    const img = map && map.image;
    return {id, width: img ? img.width : 0, height: img ? img.height : 0};
  });
}"""

# a north-wall work in the middle of the view from the first room's centre, where
# a click at (x, y) would land on it (the page's own picking) and on the hall, not
# on a panel over it (a narrow window puts the chat over part of the view)
FIND_WORK = """() => {
  const t = window.__zalTest, v = t.view;
  let best = null;
  for (const e of v.metadata.exhibits) {
    const slot = v.metadata.exhibit_slots.find((s) => s.exhibit === e.id);
    if (!slot || slot.position[2] > 0) continue;
    const p = t.project(...slot.position);
    if (!p.visible || v.pickExhibit(p.x, p.y) !== e.id) continue;
    if (document.elementFromPoint(p.x, p.y) !== v.canvas) continue;
    const d = Math.abs(p.x - innerWidth / 2);
    if (!best || d < best.d) best = {id: e.id, title: e.title, credit: e.credit, x: p.x, y: p.y, d};
  }
  return best;
}"""


def test_demo_gallery_shows_the_paintings_and_opens_their_cards(page, zal_server):
    venue = zal_server.get_json("/api/venues/gallery")
    exhibits = venue["metadata"]["exhibits"]
    assert len(exhibits) == 24 and all(e["node"] and e["image_url"] for e in exhibits)
    page.goto(zal_server.url + "/venue/gallery?test=1")
    wait_until_ready(page)

    pictures = page.evaluate(PICTURES)
    assert {p["id"] for p in pictures} == {e["id"] for e in exhibits}
    # the real images (the wall textures are up to 1024 px), not a placard atlas
    assert all(p["width"] >= 300 and p["height"] >= 300 for p in pictures), pictures
    assert page.evaluate("() => window.__zalTest.view.exhibits") is None
    # a wall label beside each, its text drawn by the page
    assert page.evaluate("() => window.__zalTest.view.labels.userData.count") == len(exhibits)

    # stand in the first room, facing its north wall, and click the work ahead
    page.evaluate("() => window.__zalTest.view.goToSpawn(1)")
    work = page.evaluate(FIND_WORK)
    assert work is not None
    page.mouse.click(work["x"], work["y"])
    card = page.locator("dialog.art-card")
    card.wait_for(state="visible")
    assert card.locator(".dialog-title").inner_text() == work["title"]
    assert work["credit"] in card.locator(".art-card-credit").inner_text()
    page.wait_for_function(
        "() => { const i = document.querySelector('.art-card-image');"
        " return i && i.complete && i.naturalWidth > 300; }"
    )
    screenshot(page, "gallery-card.png")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")

    # the keyboard way: the works list, a work chosen with Enter opens the same card
    page.locator("#works-button").focus()
    page.keyboard.press("Enter")
    first = page.locator("dialog.art-list button.art-list-work").first
    assert first.evaluate("(b) => document.activeElement === b")
    page.keyboard.press("Enter")
    card.wait_for(state="visible")
    assert card.locator(".dialog-title").inner_text() == exhibits[0]["title"]
    page.keyboard.press("Escape")  # back to the list, on the work it came from
    card.wait_for(state="hidden")
    assert first.evaluate("(b) => document.activeElement === b")
    assert console_errors(page) == []
