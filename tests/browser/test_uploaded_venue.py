"""An editor makes new venues from the portal, as issue 9 asks: signed in with a
token made by the CLI, she picks a GLB in the scene form, watches the portal
follow the job (worker process, gltfpack, validator) to its end, and walks in
through the portal's own link: Chromium draws the meshopt-compressed result
with the screen placed from the metadata, after she has set a spawn point and
moved the screen in the portal's layout editor. Then three paintings and a CSV
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
from .test_accessibility import assert_accessible
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


# the layout editor's refused save, as Chromium logs it
REFUSED = ("the server responded with a status of 400",)
# page point of a plan point (metres): the plan's own transform
PLAN_POINT = """([id, x, z]) => {
  const svg = document.querySelector(`[data-layout-editor='${id}'] svg.layout-plan`);
  const p = new DOMPoint(x, z).matrixTransform(svg.getScreenCTM());
  return [p.x, p.y];
}"""


def edit_layout(page: Page, server, venue_id: str) -> None:
    """The portal's layout editor of the new venue: a spawn point added by a click
    on the plan and turned by its field, the screen dragged and then typed into,
    a refusal from the server shown in its words, and the saved layout in the API."""
    # the floor found in the model (its slab's top: the model's lowest point is y = 0)
    floor_y = server.get_json(f"/api/venues/{venue_id}")["metadata"]["walkable"][0]["vertices"][0][
        1
    ]
    item = page.locator(f"#venue-list li[data-venue-id='{venue_id}']")
    expect(item.locator("[data-venue-source]")).to_have_text("Uploaded 3D model")
    editor = item.locator("details.layout-editor")
    editor.locator("summary").click()
    expect(editor.locator(".layout-floor")).to_have_count(1)
    expect(editor.locator(".layout-spawn")).to_have_count(1)  # the default, mid-floor
    page.mouse.click(*page.evaluate(PLAN_POINT, [venue_id, -3, 2]))
    rows = editor.locator(".layout-spawn-row")
    expect(rows).to_have_count(2)
    row = rows.nth(1)
    assert abs(float(row.locator("[name=spawn_x]").input_value()) + 3) < 0.2
    row.locator("[name=spawn_facing]").fill("90")
    # the screen dragged 2 m to the left along its wall (near its middle, which holds the arrow)
    x0 = float(editor.locator("[name=screen_x]").input_value())
    z0 = float(editor.locator("[name=screen_z]").input_value())
    page.mouse.move(*page.evaluate(PLAN_POINT, [venue_id, x0 + 1, z0]))
    page.mouse.down()
    page.mouse.move(*page.evaluate(PLAN_POINT, [venue_id, x0 - 1, z0]), steps=4)
    page.mouse.up()
    assert abs(float(editor.locator("[name=screen_x]").input_value()) - (x0 - 2)) < 0.2
    # typed off the floor: marked at once, and the server's refusal names the point
    row.locator("[name=spawn_z]").fill("2")
    row.locator("[name=spawn_x]").fill("40")
    expect(row.locator(".layout-row-note")).to_have_text(
        "Not on the walkable floor: the server will refuse it."
    )
    editor.locator("button[type=submit]").click()
    status = editor.locator(".layout-status")
    expect(status).to_have_text(
        f"Refused: spawn point 'spawn-2' at (40.00, {floor_y:.2f}, 2.00) "
        "is outside the venue's walkable floor"
    )
    row.locator("[name=spawn_x]").fill("-3")
    editor.locator("[name=screen_x]").fill("-1")
    editor.locator("[name=screen_width]").fill("5")
    editor.locator("button[type=submit]").click()
    expect(status).to_have_text("Saved: version 2 is live.")
    expect(item.locator(".portal-versions li")).to_have_count(2)
    editor.screenshot(path=str(ARTIFACTS / "portal-layout-editor.png"), animations="disabled")
    assert_accessible(page, server)  # the portal with the editor open
    metadata = server.get_json(f"/api/venues/{venue_id}")["metadata"]
    spawn = metadata["spawn_points"][1]
    assert (spawn["id"], spawn["position"], spawn["facing"]) == (
        "spawn-2",
        [-3, floor_y, 2],
        [1, 0, 0],
    )
    assert metadata["screen"]["width"] == 5 and metadata["screen"]["center"][0] == -1
    # the height followed the width: still 16:9
    assert abs(5 / metadata["screen"]["height"] - 16 / 9) < 0.01, metadata["screen"]
    assert metadata["screen"]["normal"] == [0, 0, 1]


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
        edit_layout(page, zal_server, venue_id)
        assert console_errors(page, REFUSED) == []

        follow_open_link(page, "scene", venue_id)
        assert page.evaluate("() => window.__zalTest.view.screen.present")
        # the visitor arrives at the spawn point set in the portal, facing +x
        page.evaluate("() => window.__zalTest.view.goToSpawn(1)")
        at = page.evaluate("() => window.__zalTest.cameraPosition()")
        assert abs(at["x"] + 3) < 0.01 and abs(at["z"] - 2) < 0.01, at
        page.evaluate("() => window.__zalTest.view.goToSpawn(0)")
        still_frame(page)
        stats = page.evaluate("() => window.__zalTest.pixelStats()")
        assert stats["distinctColours"] > 50 and 10 < stats["meanValue"] < 245, stats
        screenshot(page, "uploaded-venue.png")
        assert console_errors(page, REFUSED) == []
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
