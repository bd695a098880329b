"""Name tag comfort (web_client/src/live/nametag.js, tagComfort), run in Node: a tag
between the viewer and the stage, or close to the viewer, fades and shrinks; one
off to the side at a talking distance shows as usual."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "web_client"

SCRIPT = """
import { tagComfort } from './src/live/nametag.js';
const viewer = { x: 0, y: 1.2, z: 10 };
const stage = { x: 0, y: 2.5, z: 0 };
const look = (x, y, z, s = stage) => ({ ...tagComfort(viewer, x, y, z, s, {}) });
console.log(JSON.stringify({
  rowAhead: look(0, 1.6, 7.5),        // a seated avatar's tag two rows ahead, before the stage
  beside: look(3, 1.5, 9),            // to the side, 3 m away
  behind: look(0, 1.5, 12),           // behind the viewer, 2 m: not before the stage
  close: look(0.6, 1.3, 10.5),        // at arm's length
  beyondStage: look(0, 2.5, -3),      // farther than the stage: never "in the way"
  noStage: look(0, 1.6, 7.5, null),
}));
"""


@pytest.fixture(scope="module")
def looks() -> dict:
    if not shutil.which("node") or not (CLIENT / "node_modules" / "three").is_dir():
        pytest.skip("needs node and web_client/node_modules (make setup)")
    out = subprocess.run(["node", "--input-type=module", "-e", SCRIPT], cwd=CLIENT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return json.loads(out)


def test_a_tag_before_the_stage_fades_and_shrinks(looks):
    assert looks["rowAhead"]["opacity"] <= 0.3
    assert looks["rowAhead"]["scale"] <= 0.75
    assert looks["noStage"] == {"opacity": 1, "scale": 1}  # no stage: only nearness counts


def test_a_tag_off_the_stage_line_and_far_enough_shows_as_usual(looks):
    assert looks["beside"] == {"opacity": 1, "scale": 1}
    assert looks["behind"] == {"opacity": 1, "scale": 1}
    assert looks["beyondStage"] == {"opacity": 1, "scale": 1}


def test_a_close_tag_fades_and_shrinks(looks):
    assert looks["close"]["opacity"] <= 0.4
    assert looks["close"]["scale"] <= 0.65
