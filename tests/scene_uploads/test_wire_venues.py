"""What is served for the built-in venues: gltfpack's meshopt GLB passes the
Khronos validator and keeps what the client looks for (the root ``venue`` node
with the metadata in its extras, the ``screen`` node)."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from scenes.assembly import ROOT_NODE, read_glb_json
from scenes.cache import build_cached
from scenes.catalog import builtin_spec_paths, load_spec
from server.scene_uploads import compress

from .conftest import validate

MAX_WIRE_BYTES = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def wire_glbs(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """venue id -> (builder GLB, served GLB), compressed as venues_build does."""
    assert compress.available(), "gltfpack is needed: npm ci in web_client"
    cache = os.environ.get("ZAL_SCENE_CACHE") or tmp_path_factory.getbasetemp() / "scene-cache"
    work = tmp_path_factory.mktemp("wire")
    out = {}
    for path in builtin_spec_paths():
        built = build_cached(load_spec(path), Path(cache))
        raw = work / f"{built.venue_id}.glb"
        shutil.copyfile(built.glb_path, raw)
        out[built.venue_id] = (raw, asyncio.run(compress.wire_copy(raw)))
    return out


def test_served_venues_pass_the_validator_and_are_smaller(wire_glbs):
    reports = validate([served for _, served in wire_glbs.values()])
    assert {f: r["messages"] for f, r in reports.items() if r["errors"]} == {}
    for venue, (raw, served) in wire_glbs.items():
        assert served != raw and served.stat().st_size < raw.stat().st_size, venue
        assert served.stat().st_size <= MAX_WIRE_BYTES


def test_served_venues_keep_their_metadata_and_named_nodes(wire_glbs):
    for venue, (raw, served) in wire_glbs.items():
        before, after = read_glb_json(raw.read_bytes()), read_glb_json(served.read_bytes())
        assert "EXT_meshopt_compression" in after["extensionsRequired"]
        root = after["nodes"][after["scenes"][after.get("scene", 0)]["nodes"][0]]
        assert root["name"] == ROOT_NODE and root["extras"]["id"] == venue
        names = {n.get("name") for n in before["nodes"]} - {None}
        assert names <= {n.get("name") for n in after["nodes"]}, venue
