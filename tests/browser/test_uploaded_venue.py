"""An uploaded model becomes a venue a visitor walks into: an editor's token
(made by the CLI) uploads a GLB over HTTP, the job converts it (worker process,
gltfpack, validator), and Chromium draws the meshopt-compressed result with the
screen placed from the metadata."""

from __future__ import annotations

import json
import urllib.request

import numpy as np
import trimesh
from playwright.sync_api import Page
from trimesh.visual.material import PBRMaterial

from .conftest import console_errors, screenshot, still_frame, wait_until_ready
from .test_portal import INSTITUTION, cli_token

JOB_TIMEOUT_MS = 180_000


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


def upload(server, token: str, data: bytes) -> dict:
    request = urllib.request.Request(
        f"{server.url}/api/institutions/{INSTITUTION}/venues?name=Studio",
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "model/gltf-binary"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        return json.load(response)["job"]


def test_an_uploaded_model_is_a_venue_a_visitor_walks_into(page: Page, zal_server):
    token = cli_token(zal_server)
    job = upload(zal_server, token, small_room())
    page.goto(zal_server.url + "/")
    # the page follows the job as the portal does, until it has ended (or 3 minutes)
    done = page.evaluate(
        """async ([id, token, timeoutMs]) => {
            const until = Date.now() + timeoutMs;
            for (;;) {
                const headers = {Authorization: 'Bearer ' + token};
                const {job} = await (await fetch('/api/jobs/' + id, {headers})).json();
                const ended = !['queued', 'processing'].includes(job.status);
                if (ended || Date.now() > until) return job;
                await new Promise((next) => setTimeout(next, 500));
            }
        }""",
        [job["id"], token, JOB_TIMEOUT_MS],
    )
    assert done["status"] == "done", done
    venue_id = done["result"]["venue_id"]

    page.goto(f"{zal_server.url}/venue/{venue_id}?test=1")
    wait_until_ready(page)
    assert page.evaluate("() => window.__zalTest.view.screen.present")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.evaluate("() => window.__zalTest.view.goToSpawn(0)")
    still_frame(page)
    stats = page.evaluate("() => window.__zalTest.pixelStats()")
    assert stats["distinctColours"] > 50 and 10 < stats["meanValue"] < 245, stats
    screenshot(page, "uploaded-venue.png")
    assert console_errors(page) == []
