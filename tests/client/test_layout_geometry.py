"""The portal layout editor's numbers (web_client/src/portal/layoutgeometry.js), run
in Node and held against the server's (server/scene_uploads/layout.py): facings in
degrees on the plan, the screen's ends as the audience sees them, the floor's
height under a point."""

from __future__ import annotations

import pytest

from server.scene_uploads.layout import screen_corners

SCRIPT = """
import * as g from './src/portal/layoutgeometry.js';
const floor = [{ vertices: [[-6, 0.2, -4.5], [-6, 0.2, 4.5], [2, 0.2, 4.5], [2, 0.2, -4.5]] }];
const screens = [[0, -4.4, 180], [-5.9, 0, 90], [3, 1, 225]].map(([x, z, facing]) => {
  const screen = { x, y: 2, z, width: 4, height: 2, facing };
  return { facing, body: g.screenBody(screen), ends: g.screenEnds(screen),
    back: g.screenFrom(g.screenBody(screen, 0.2), 0.2), raised: g.screenBody(screen, 0.2).center };
});
console.log(JSON.stringify({
  vectors: [0, 90, 180, 270].map(g.facingVector),
  degrees: [[0, 0, -1], [1, 0, 0], [0, 0, 1], [-1, 0, 0], [1, 0, 1]].map(g.facingDegrees),
  towards: g.degreesTowards(0, 0, 0, -3),
  onFloor: g.floorAt(floor, -1, 4), offFloor: g.floorAt(floor, 3, 0),
  screens,
}));
"""


@pytest.fixture(scope="module")
def answer(node_json) -> dict:
    return node_json(SCRIPT)


def test_facing_degrees_run_clockwise_from_the_top_of_the_plan(answer):
    assert answer["vectors"] == [[0, 0, -1], [1, 0, 0], [0, 0, 1], [-1, 0, 0]]
    assert answer["degrees"] == [0, 90, 180, 270, 135]
    assert answer["towards"] == 0


def test_the_floor_height_is_found_under_a_point_and_none_off_it(answer):
    assert answer["onFloor"] == 0.2 and answer["offFloor"] is None


def test_the_screens_ends_match_the_corners_the_server_works_out(answer):
    for screen in answer["screens"]:
        body = screen["body"]
        corners = screen_corners(body["center"], body["normal"], body["up"], 4, 2)
        bottom_left, bottom_right = corners[0], corners[1]
        assert screen["ends"][0] == pytest.approx([bottom_left[0], bottom_left[2]], abs=1e-3)
        assert screen["ends"][1] == pytest.approx([bottom_right[0], bottom_right[2]], abs=1e-3)
        # and back from what the API keeps to the editor's fields
        assert screen["back"]["facing"] == screen["facing"]
        assert screen["back"]["width"] == 4 and screen["back"]["y"] == 2
        # the editor's height is above the floor (here 0.2 m above the model's lowest point)
        assert screen["raised"][1] == 2.2
