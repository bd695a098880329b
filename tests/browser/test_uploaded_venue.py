"""An editor makes new venues from the portal, as issue 9 asks: signed in with a
token made by the CLI, she picks a GLB in the scene form, watches the portal
follow the job (worker process, gltfpack, validator) to its end, and walks in
through the portal's own link: Chromium draws the meshopt-compressed result
with the screen placed from the metadata. Then three paintings and a CSV
manifest through the collection form become a gallery whose works are drawn
and open their cards."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pytest
import trimesh
from playwright.sync_api import Page, expect
from trimesh.visual.material import PBRMaterial

from .conftest import (
    ARTIFACTS,
    REPO,
    console_errors,
    open_context,
    screenshot,
    still_frame,
    wait_until_ready,
)
from .test_gallery_art import FIND_WORK, PICTURES
from .test_portal import cli_token, sign_in

JOB_TIMEOUT_MS = 180_000
PORTAL_VIEW = {"width": 1100, "height": 900}
WALK_VIEW = {"width": 800, "height": 450}
ART = REPO / "assets" / "art"
# three of the demo's public-domain paintings (docs/art-credits.md), with their texts
WORKS = (
    "degas-dance-class-1874.jpg",
    "van-gogh-irises-1890.jpg",
    "hokusai-under-the-wave-off-kanagawa-1831.jpg",
)
COLUMNS = (
    "file", "title", "author", "year", "medium", "width_cm", "height_cm", "description",
    "credit", "title_ru", "description_ru", "title_tt", "description_tt",
)  # fmt: skip

# every state the upload's status area shows, in order (a job polled once a
# second shows each state it passes through; the observer misses none of them)
WATCH = """(prefix) => {
  const status = document.getElementById(prefix + '-status');
  const text = document.getElementById(prefix + '-progress-text');
  const seen = window.__uploadStates = [];
  const note = () => {
    const last = seen[seen.length - 1];
    const now = [status.dataset.status || '', text.textContent];
    if (!last || last[0] !== now[0] || last[1] !== now[1]) seen.push(now);
  };
  new MutationObserver(note).observe(status, {
    attributes: true, childList: true, characterData: true, subtree: true,
  });
}"""
STATE = "(prefix) => document.getElementById(prefix + '-status').dataset.status"
ENDED = f"(p) => ['done', 'failed', 'error'].includes(({STATE})(p))"


def pillar() -> trimesh.Trimesh:
    mesh = trimesh.creation.cylinder(radius=0.4, height=4)  # along Z
    return mesh.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [1, 0, 0]))


def small_room() -> bytes:
    """A 12 x 9 m floor, two walls and a pillar, as an institution might model it."""
    parts = [
        (trimesh.creation.box(extents=(12, 0.2, 9)), (0, -0.1, 0), [0.55, 0.45, 0.35, 1]),
        (trimesh.creation.box(extents=(12, 4, 0.2)), (0, 2, -4.5), [0.85, 0.82, 0.75, 1]),
        (trimesh.creation.box(extents=(0.2, 4, 9)), (-6, 2, 0), [0.7, 0.74, 0.8, 1]),
        (pillar(), (3, 2, 1), [0.9, 0.9, 0.9, 1]),
    ]
    scene = trimesh.Scene()
    for i, (mesh, offset, colour) in enumerate(parts):
        mesh.apply_translation(offset)
        mesh.visual = trimesh.visual.TextureVisuals(material=PBRMaterial(baseColorFactor=colour))
        scene.add_geometry(mesh, node_name=f"part{i}")
    return scene.export(file_type="glb")


def manifest() -> tuple[bytes, list[dict]]:
    """A CSV manifest of WORKS as a museum would write it, and its rows."""
    demo = {w["file"]: w for w in json.loads((ART / "collection.json").read_text("utf-8"))}
    rows = [{**demo[name], "author": demo[name]["artist"]} for name in WORKS]
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8"), rows


@pytest.fixture(scope="module")
def token(zal_server) -> str:
    return cli_token(zal_server)


def editor_portal(browser, server, token: str) -> tuple:
    context, page, _ = open_context(
        browser, viewport=PORTAL_VIEW, device_scale_factor=1, locale="en-GB"
    )
    sign_in(page, server, token)
    return context, page


def submit_and_watch(page: Page, prefix: str, picture: str) -> list[list[str]]:
    """Send the form, picture the portal while the job runs, and wait for its end:
    the states the portal showed."""
    page.evaluate(WATCH, prefix)
    page.click(f"#{prefix}-form button[type=submit]")
    page.wait_for_function(
        f"(p) => ['processing', 'done', 'failed', 'error'].includes(({STATE})(p))",
        arg=prefix,
        timeout=JOB_TIMEOUT_MS,
    )
    section_picture(page, prefix, picture)
    page.wait_for_function(ENDED, arg=prefix, timeout=JOB_TIMEOUT_MS)
    return page.evaluate("() => window.__uploadStates")


def section_picture(page: Page, prefix: str, name: str) -> None:
    """The portal's part with the upload: the venues and the scene form, or the collections."""
    section = page.locator("#venues" if prefix == "scene" else "#collections")
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / name), animations="disabled")


def follow_open_link(page: Page, prefix: str, venue_id: str) -> None:
    """Walk in through the portal's own link (with the test hook on the page)."""
    link = page.locator(f"#{prefix}-open")
    expect(link).to_have_text("Open the venue")
    assert link.get_attribute("href") == f"/venue/{venue_id}"
    link.evaluate("(a) => { a.href += '?test=1'; }")
    # a smaller window draws faster in software (the portal's size is for its pictures)
    page.set_viewport_size(WALK_VIEW)
    link.click()
    page.wait_for_url(re.compile(rf"/venue/{re.escape(venue_id)}\?test=1$"))
    wait_until_ready(page)


def new_venue_id(page: Page, name: str) -> str:
    item = page.locator("#venue-list li", has_text=name)
    expect(item).to_have_count(1)
    return item.get_attribute("data-venue-id")


def test_an_editor_uploads_a_model_in_the_portal_and_walks_into_it(browser, zal_server, token):
    context, page = editor_portal(browser, zal_server, token)
    try:
        name = "Rehearsal studio"
        page.fill("#scene-form input[name=name]", name)
        page.set_input_files(
            "#scene-form input[name=file]",
            files=[{"name": "studio.glb", "mimeType": "model/gltf-binary", "buffer": small_room()}],
        )
        states = submit_and_watch(page, "scene", "portal-scene-processing.png")
        status, text = states[-1]
        assert status == "done", states
        assert text == "Done: version 1 is live."
        # the portal followed the server's job: its steps before the end
        working = [s for s in states[:-1] if s[0] in ("queued", "processing")]
        assert working, states
        assert all(s[1].endswith("…") for s in working), working
        expect(page.locator("#scene-progress")).to_have_attribute("value", "1")
        # the new venue is listed, with its first version, and the link leads there
        venue_id = new_venue_id(page, name)
        expect(page.locator(f"#venue-list li[data-venue-id='{venue_id}']")).to_contain_text(
            "Version 1"
        )
        section_picture(page, "scene", "portal-scene-done.png")
        assert console_errors(page) == []

        follow_open_link(page, "scene", venue_id)
        assert page.evaluate("() => window.__zalTest.view.screen.present")
        page.evaluate("() => window.__zalTest.view.goToSpawn(0)")
        still_frame(page)
        stats = page.evaluate("() => window.__zalTest.pixelStats()")
        assert stats["distinctColours"] > 50 and 10 < stats["meanValue"] < 245, stats
        screenshot(page, "uploaded-venue.png")
        assert console_errors(page) == []
    finally:
        context.close()


def test_an_editor_makes_a_gallery_from_a_collection_in_the_portal(browser, zal_server, token):
    data, rows = manifest()
    files = [
        {"name": name, "mimeType": "image/jpeg", "buffer": (ART / name).read_bytes()}
        for name in WORKS
    ] + [{"name": "collection.csv", "mimeType": "text/csv", "buffer": data}]
    context, page = editor_portal(browser, zal_server, token)
    try:
        name = "Foyer exhibition"
        page.fill("#collection-form input[name=name]", name)
        page.set_input_files("#collection-form input[name=files]", files=files)
        states = submit_and_watch(page, "collection", "portal-collection-processing.png")
        status, text = states[-1]
        assert status == "done", states
        assert text == "Done: 3 works are hung in the new gallery."
        assert any(s[0] in ("queued", "processing") for s in states[:-1]), states
        venue_id = new_venue_id(page, name)
        assert venue_id == "foyer-exhibition"
        section_picture(page, "collection", "portal-collection-done.png")
        assert console_errors(page) == []

        follow_open_link(page, "collection", venue_id)
        exhibits = page.evaluate("() => window.__zalTest.view.metadata.exhibits")
        assert sorted(e["title"] for e in exhibits) == sorted(r["title"] for r in rows)
        pictures = page.evaluate(PICTURES)
        assert {p["id"] for p in pictures} == {e["id"] for e in exhibits}
        assert all(p["width"] >= 300 and p["height"] >= 300 for p in pictures), pictures

        # from the room's centre, facing a wall with a work on it: a click opens its card
        page.evaluate("() => window.__zalTest.view.goToSpawn(1)")
        work = page.evaluate(FIND_WORK)
        assert work is not None
        page.mouse.click(work["x"], work["y"])
        card = page.locator("dialog.art-card")
        card.wait_for(state="visible")
        assert card.locator(".dialog-title").inner_text() == work["title"]
        screenshot(page, "uploaded-gallery-card.png")
        assert console_errors(page) == []
    finally:
        context.close()
