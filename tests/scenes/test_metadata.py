"""The venue metadata contract: documented, and kept by every built-in venue."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
import trimesh
from pydantic import BaseModel, ValidationError

from scenes import metadata as md
from scenes.cache import build_cached
from scenes.catalog import builtin_spec_paths, load_spec
from scenes.metadata import VenueMetadata

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "venue-metadata.md"
VENUES = [p.stem for p in builtin_spec_paths()]
TOL = 1e-4


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, VenueMetadata]]:
    # one cache per test session (shared with test_gltf_validator.py), or the shared one
    cache_dir = os.environ.get("ZAL_SCENE_CACHE") or tmp_path_factory.getbasetemp() / "scene-cache"
    out = {}
    for path in builtin_spec_paths():
        result = build_cached(load_spec(path), cache_dir)
        out[result.venue_id] = (result.glb_path, result.metadata)
    return out


def _models() -> list[type[BaseModel]]:
    return [
        obj
        for obj in vars(md).values()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__ == md.__name__
        and not obj.__name__.startswith("_")
    ]


def test_metadata_doc_carries_the_current_json_schema():
    text = DOC.read_text()
    block = re.search(r"## JSON Schema.*?```json\n(.*?)```", text, re.S)
    assert block, "docs/venue-metadata.md lost its JSON Schema block"
    assert json.loads(block.group(1)) == VenueMetadata.model_json_schema(), (
        "the schema changed: regenerate the block in docs/venue-metadata.md"
    )


def test_every_metadata_field_is_documented():
    text = DOC.read_text()
    missing = [
        f"{model.__name__}.{name}"
        for model in _models()
        for name in model.model_fields
        if f"`{name}`" not in text
    ]
    assert not missing


def test_metadata_refuses_unknown_fields_and_a_venue_without_spawn_points(built):
    _, meta = next(iter(built.values()))
    data = meta.model_dump(mode="json")
    with pytest.raises(ValidationError, match="extra"):
        VenueMetadata.model_validate({**data, "colour": "red"})
    with pytest.raises(ValidationError, match="spawn_points"):
        VenueMetadata.model_validate({**data, "spawn_points": []})
    assert VenueMetadata.model_validate_json(meta.model_dump_json()) == meta


def _unit(v) -> bool:
    return abs(float(np.linalg.norm(v)) - 1.0) < TOL


def _polygon_normal(vertices: np.ndarray) -> np.ndarray:
    # Newell's method: robust for any planar polygon
    n = np.zeros(3)
    for a, b in zip(vertices, np.roll(vertices, -1, axis=0), strict=True):
        n += np.cross(a, b)
    return n / np.linalg.norm(n)


def _inside_xz(point, vertices: np.ndarray) -> bool:
    # counter-clockwise seen from +Y is clockwise in the (x, z) plane: inside = right of edges
    xz = vertices[:, [0, 2]]
    p = np.asarray(point)[[0, 2]]
    for a, b in zip(xz, np.roll(xz, -1, axis=0), strict=True):
        if (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) > 1e-6:
            return False
    return True


def _height_at(point, vertices: np.ndarray) -> float:
    n = _polygon_normal(vertices)
    return float(
        vertices[0][1]
        - (n[0] * (point[0] - vertices[0][0]) + n[2] * (point[2] - vertices[0][2])) / n[1]
    )


@pytest.mark.parametrize("venue", VENUES)
def test_walkable_areas_are_convex_planar_and_face_up(venue, built):
    _, meta = built[venue]
    ids = [a.id for a in meta.walkable]
    assert len(ids) == len(set(ids))
    for area in meta.walkable:
        v = np.asarray(area.vertices)
        n = _polygon_normal(v)
        assert n[1] > 0, f"{area.id} is clockwise seen from above"
        assert np.allclose((v - v[0]) @ n, 0, atol=1e-3), f"{area.id} is not planar"
        # convex: every corner turns the same way as the whole polygon
        for i in range(len(v)):
            turn = np.cross(v[i] - v[i - 1], v[(i + 1) % len(v)] - v[i])
            assert turn @ n >= -1e-9, f"{area.id} is not convex at vertex {i}"


@pytest.mark.parametrize("venue", VENUES)
def test_spawn_points_stand_on_a_walkable_area(venue, built):
    _, meta = built[venue]
    for spawn in meta.spawn_points:
        assert _unit(spawn.facing)
        areas = [np.asarray(a.vertices) for a in meta.walkable]
        on = [a for a in areas if _inside_xz(spawn.position, a)]
        assert on, f"spawn {spawn.id} is on no walkable area"
        assert any(abs(_height_at(spawn.position, a) - spawn.position[1]) < 0.05 for a in on)


@pytest.mark.parametrize("venue", VENUES)
def test_ids_and_directions_keep_the_contract(venue, built):
    _, meta = built[venue]
    assert meta.id == venue
    seat_ids = [s.id for s in meta.seats]
    assert len(seat_ids) == len(set(seat_ids))
    lo, hi = np.asarray(meta.bounds_min) - TOL, np.asarray(meta.bounds_max) + TOL
    for s in meta.seats:
        assert s.id == f"{s.section}/{s.row}/{s.number}"
        assert _unit(s.facing) and abs(s.facing[1]) < TOL
        assert s.eye[1] == pytest.approx(s.floor_y + 1.15, abs=1e-3)
        assert np.all(np.asarray(s.position) >= lo) and np.all(np.asarray(s.position) <= hi)
    room_ids = {r.id for r in meta.rooms}
    slot_ids = [s.id for s in meta.exhibit_slots]
    assert len(slot_ids) == len(set(slot_ids))
    for slot in meta.exhibit_slots:
        assert slot.room in room_ids
        assert _unit(slot.normal)
        if slot.kind == "plinth":
            assert slot.normal == (0.0, 1.0, 0.0)
        assert np.all(np.asarray(slot.position) >= lo) and np.all(np.asarray(slot.position) <= hi)
    for light in meta.lights:
        if light.type in ("spot", "point", "directional"):
            assert light.position is not None, light.id
    assert meta.stats is not None and meta.stats.triangles > 0


@pytest.mark.parametrize("venue", VENUES)
def test_screen_rect_matches_the_screen_node(venue, built):
    glb_path, meta = built[venue]
    if meta.screen is None:
        pytest.skip(f"{venue} has no screen")
    screen = meta.screen
    corners = np.asarray(screen.corners)
    assert np.allclose(corners.mean(axis=0), screen.center, atol=1e-3)
    assert np.linalg.norm(corners[1] - corners[0]) == pytest.approx(screen.width, abs=1e-3)
    assert np.linalg.norm(corners[3] - corners[0]) == pytest.approx(screen.height, abs=1e-3)
    assert _unit(screen.normal) and _unit(screen.up)
    assert abs(np.dot(screen.normal, screen.up)) < TOL
    # the picture faces the audience: bottom-left -> bottom-right -> top-left is counter-clockwise
    assert np.cross(corners[1] - corners[0], corners[3] - corners[0]) @ screen.normal > 0

    scene = trimesh.load(io.BytesIO(glb_path.read_bytes()), file_type="glb", force="scene")
    node = scene.geometry["screen"]
    uv = np.asarray(node.visual.uv)
    assert uv.min(axis=0) == pytest.approx([0, 0]) and uv.max(axis=0) == pytest.approx([1, 1])
    world = trimesh.transform_points(node.vertices, scene.graph.get("screen")[0])
    for corner in corners:
        assert np.min(np.linalg.norm(world - corner, axis=1)) < 1e-3
