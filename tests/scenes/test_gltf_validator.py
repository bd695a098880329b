"""Every built-in venue: valid glTF (the real Khronos validator) and within the
headset budget, measured on the GLB as a client loads it, not from builder stats."""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
import trimesh
from PIL import Image

from scenes.assembly import ROOT_NODE, read_glb_json
from scenes.cache import build_cached
from scenes.catalog import builtin_spec_paths, load_spec
from scenes.metadata import VenueMetadata

ROOT = Path(__file__).parents[2]
VALIDATOR = ROOT / "web_client" / "tools" / "validate_gltf.mjs"
DEMO_VENUES = {"philharmonic", "drama-theatre", "chamber-hall", "lecture-room", "gallery"}

MAX_DRAW_CALLS = 25
MAX_TRIANGLES = 75_000
MAX_GLB_BYTES = 3 * 1024 * 1024
MAX_TEXTURE_PX = 1024

SPEC_PATHS = builtin_spec_paths()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """venue id -> (glb path, manifest path); built once, through the cache."""
    # one cache per test session (shared with test_metadata.py), or the shared one
    cache_dir = os.environ.get("ZAL_SCENE_CACHE") or tmp_path_factory.getbasetemp() / "scene-cache"
    out = {}
    for path in SPEC_PATHS:
        result = build_cached(load_spec(path), Path(cache_dir))
        out[result.venue_id] = (result.glb_path, result.manifest_path)
    return out


@pytest.fixture(scope="module")
def validator_reports(built) -> dict[str, dict]:
    node = shutil.which("node")
    assert node, "node is needed to run the Khronos glTF validator"
    files = {str(glb): venue for venue, (glb, _) in built.items()}
    proc = subprocess.run(
        [node, str(VALIDATOR), *files], capture_output=True, text=True, timeout=240, cwd=ROOT
    )
    reports = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(reports) == len(files), proc.stderr
    return {files[r["file"]]: r for r in reports}


def _bin_chunk(glb: bytes) -> bytes:
    json_len = struct.unpack_from("<I", glb, 12)[0]
    offset = 20 + json_len
    bin_len, bin_type = struct.unpack_from("<I4s", glb, offset)
    assert bin_type == b"BIN\x00"
    return glb[offset + 8 : offset + 8 + bin_len]


def test_every_demo_venue_has_a_builtin_spec():
    assert DEMO_VENUES <= {p.stem for p in SPEC_PATHS}
    for path in SPEC_PATHS:
        assert load_spec(path).id == path.stem


@pytest.mark.parametrize("venue", [p.stem for p in SPEC_PATHS])
def test_venue_glb_passes_the_khronos_validator(venue, validator_reports):
    report = validator_reports[venue]
    assert report["errors"] == 0, report["messages"]


@pytest.mark.parametrize("venue", [p.stem for p in SPEC_PATHS])
def test_venue_glb_fits_the_headset_budget(venue, built):
    glb = built[venue][0].read_bytes()
    assert len(glb) <= MAX_GLB_BYTES

    tree = read_glb_json(glb)
    # a draw call per primitive of every mesh a node draws
    draw_calls = sum(
        len(tree["meshes"][node["mesh"]]["primitives"]) for node in tree["nodes"] if "mesh" in node
    )
    assert 0 < draw_calls <= MAX_DRAW_CALLS

    scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene")
    triangles = sum(len(scene.geometry[g].faces) for _, g in _node_geometries(scene))
    assert 0 < triangles <= MAX_TRIANGLES

    blob = _bin_chunk(glb)
    for image in tree.get("images", []):
        view = tree["bufferViews"][image["bufferView"]]
        start = view.get("byteOffset", 0)
        with Image.open(io.BytesIO(blob[start : start + view["byteLength"]])) as img:
            assert max(img.size) <= MAX_TEXTURE_PX, img.size


def _node_geometries(scene: trimesh.Scene):
    for node in scene.graph.nodes_geometry:
        _, geometry = scene.graph[node]
        yield node, geometry


@pytest.mark.parametrize("venue", [p.stem for p in SPEC_PATHS])
def test_venue_metadata_in_the_glb_equals_the_manifest(venue, built):
    glb_path, manifest_path = built[venue]
    tree = read_glb_json(glb_path.read_bytes())
    roots = tree["scenes"][tree.get("scene", 0)]["nodes"]
    assert len(roots) == 1
    root = tree["nodes"][roots[0]]
    assert root["name"] == ROOT_NODE
    manifest = json.loads(manifest_path.read_bytes())
    assert root["extras"] == manifest
    meta = VenueMetadata.model_validate(manifest)
    assert meta.id == venue
    assert meta.stats is not None and meta.stats.glb_bytes == glb_path.stat().st_size
