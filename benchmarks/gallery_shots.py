"""Pictures of the demo gallery as a visitor sees it, from the real server and client.

    .venv/bin/python -m benchmarks.screenshots --gallery

Writes docs/images/venues/gallery.png (the first room from its middle, looking
along the paintings of its north wall: the 3D view, the page's HUD hidden),
docs/images/gallery-card.png (the page with a painting's card open, after a
click on the painting), the lobby thumbnail assets/thumbnails/gallery.png (the 3D
view, scaled to 480x270) and docs/images/lobby-venues.png (the lobby's venues, that
thumbnail among them, as the server then serves it). Every
picture is the page's own rendering of the GLB the server sends: the paintings
are the ones in assets/art, hung by the collection pipeline.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

log = logging.getLogger("screenshots")

ROOT = Path(__file__).resolve().parents[1]
READY_MS = 180_000
THUMB = (480, 270)
VIEWPORT = {"width": 1280, "height": 720}

# the visitor in the middle of the first room, turned a little left of the north
# wall, so the wall's paintings run into the room's depth
STAND = """() => {
  const v = window.__zalTest.view;
  const room = v.metadata.rooms[0];
  const x = (room.bounds_min[0] + room.bounds_max[0]) / 2 + 2.5;
  v.controls.placeAt([x, 0, 0.6], [-0.75, 0, -1], 0.0);
}"""

# the north-wall painting nearest the middle of the view, where a click hits it
FIND_WORK = """() => {
  const t = window.__zalTest, v = t.view;
  let best = null;
  for (const s of v.metadata.exhibit_slots) {
    if (!s.exhibit || s.position[2] > 0) continue;
    const p = t.project(...s.position);
    if (!p.visible || v.pickExhibit(p.x, p.y) !== s.exhibit) continue;
    const d = Math.abs(p.x - innerWidth / 2);
    if (!best || d < best.d) best = {x: p.x, y: p.y, d};
  }
  return best;
}"""


def _still(page: Page) -> None:
    page.evaluate(
        "() => { const v = window.__zalTest.view; v.stop(); v.quality.pin(1); v.render(); }"
    )


def shoot_gallery(page: Page, url: str, out: Path, thumbnails: Path) -> list[Path]:
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{url}/venue/gallery?test=1")
    page.locator("body:not([data-state='loading'])").wait_for(state="attached", timeout=READY_MS)
    page.locator("#loading-screen").wait_for(state="hidden", timeout=30_000)
    page.evaluate(STAND)
    _still(page)
    # the 3D view alone for the thumbnail: the HUD hidden for this one shot
    page.evaluate("() => { document.getElementById('hud').hidden = true; }")
    view = page.locator("#stage-canvas").screenshot()
    page.evaluate("() => { document.getElementById('hud').hidden = false; }")
    shot = out / "venues" / "gallery.png"
    thumb = thumbnails / "gallery.png"
    with Image.open(io.BytesIO(view)) as img:
        img.convert("RGB").save(shot, optimize=True)
        img.convert("RGB").resize(THUMB, Image.LANCZOS).save(thumb, optimize=True)
    page.evaluate("() => window.__zalTest.view.start()")
    work = page.evaluate(FIND_WORK)
    if work is None:
        raise RuntimeError("no painting in view to click")
    page.mouse.click(work["x"], work["y"])
    page.locator("dialog.art-card").wait_for(state="visible")
    page.wait_for_function(
        "() => { const i = document.querySelector('.art-card-image');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    _still(page)
    card = out / "gallery-card.png"
    page.screenshot(path=str(card))
    for path in (shot, thumb, card):
        log.info("wrote %s", path)
    return [shot, thumb, card]


def shoot_lobby_venues(page: Page, url: str, path: Path) -> Path:
    """The lobby's venue cards, their thumbnails decoded."""
    page.set_viewport_size({"width": 1280, "height": 1080})
    page.goto(url + "/")
    page.locator("body[data-state='ready']").wait_for(state="attached", timeout=60_000)
    section = page.locator("#venues")
    section.scroll_into_view_if_needed()
    for img in section.locator("img").all():
        img.evaluate("i => i.decode().catch(() => null)")
    section.screenshot(path=str(path))
    log.info("wrote %s", path)
    return path
