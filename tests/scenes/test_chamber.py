"""Chamber hall and lecture room: flat floor, low platform, lectern, screen;
measured from their GLB, and refusals of specs that do not fit."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.assembly import load_glb, read_glb_json, venue_metadata_from_glb
from scenes.catalog import build_venue, parse_spec, with_changes
from scenes.catalog import builtin_spec_data as spec_data
from scenes.errors import SpecError

ROOMS = ["chamber-hall", "lecture-room"]


@pytest.fixture(scope="module")
def rooms():
    return {name: build_venue(parse_spec(spec_data(name))) for name in ROOMS}


@pytest.mark.parametrize("name", ROOMS)
def test_room_is_light(rooms, name):
    glb = rooms[name].glb
    tree = read_glb_json(glb)
    triangles = sum(len(g.faces) for g in load_glb(glb).geometry.values())
    assert triangles <= 20_000
    assert sum(len(m["primitives"]) for m in tree["meshes"]) <= 25
    assert len(glb) <= 1_000_000


@pytest.mark.parametrize("name", ROOMS)
def test_room_has_a_flat_floor_and_a_low_platform(rooms, name):
    meta = rooms[name].metadata
    assert meta.kind == spec_data(name)["kind"]
    assert {s.floor_y for s in meta.seats} == {0.0}
    assert {s.section for s in meta.seats} == {"floor"}
    assert 0 < meta.stage.height <= 1.2
    # the platform is in front of the audience, the screen above it on the front wall
    assert max(p[2] for p in meta.stage.front_edge) == 0
    assert meta.screen.center[2] < 0
    assert meta.screen.corners[0][1] > meta.stage.height


@pytest.mark.parametrize("name", ROOMS)
def test_room_has_a_lectern_and_a_screen_node(rooms, name):
    names = {n.get("name") for n in read_glb_json(rooms[name].glb)["nodes"]}
    assert {"lectern", "screen", "stage_floor", "seat_fabric", "venue"} <= names


def test_chamber_hall_has_a_piano_and_curved_rows(rooms):
    meta = rooms["chamber-hall"].metadata
    row_a = sorted((s for s in meta.seats if s.row == "A"), key=lambda s: s.number)
    assert row_a[0].position[2] < row_a[len(row_a) // 2].position[2]
    # the piano's black case stands on the platform
    scene = load_glb(rooms["chamber-hall"].glb)
    black = scene.geometry["stage_black"]
    on_platform = black.vertices[(black.vertices[:, 2] < 0) & (black.vertices[:, 1] > 0.6)]
    assert len(on_platform) > 20


def test_lecture_room_has_straight_rows(rooms):
    meta = rooms["lecture-room"].metadata
    by_row: dict[str, list[float]] = {}
    for s in meta.seats:
        by_row.setdefault(s.row, []).append(s.position[2])
    for zs in by_row.values():
        assert np.ptp(zs) < 1e-3
    assert all(s.facing == (0.0, 0.0, -1.0) for s in meta.seats)


@pytest.mark.parametrize("name", ROOMS)
def test_room_metadata_round_trips_through_the_glb(rooms, name):
    assert venue_metadata_from_glb(rooms[name].glb) == rooms[name].metadata
    ids = [s.id for s in rooms[name].metadata.seats]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", ROOMS)
def test_spawn_points_stand_on_the_floor(rooms, name):
    meta = rooms[name].metadata
    for p in meta.spawn_points:
        assert p.position[1] == 0.0
        assert meta.bounds_min[2] < p.position[2] < meta.bounds_max[2]


def test_rows_longer_than_the_room_are_refused():
    data = with_changes(spec_data("lecture-room"), seating={"rows": 14})
    with pytest.raises(
        SpecError, match=r"floor/N: the rows need .* m of room length, the room has 14.0 m"
    ):
        build_venue(parse_spec(data))


def test_seats_wider_than_the_room_are_refused():
    data = with_changes(spec_data("lecture-room"), seating={"seats_per_row": 22})
    with pytest.raises(SpecError, match=r"floor/A/1-\d+,\d+-22: seats do not fit the room width"):
        build_venue(parse_spec(data))


def test_a_flat_room_can_be_given_a_rake():
    data = with_changes(spec_data("lecture-room"), seating={"rise_per_row_m": 0.15})
    built = build_venue(parse_spec(data))
    floors = sorted({s.floor_y for s in built.metadata.seats})
    assert floors[0] == 0 and floors[-1] == pytest.approx(0.15 * 7)
    assert {s.section for s in built.metadata.seats} == {"stalls"}
