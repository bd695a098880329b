"""The concert hall builder: the philharmonic and the drama theatre, measured from
their GLB (loaded back with trimesh), and the refusals of bad hall specs."""

from __future__ import annotations

import io
import re
import struct

import numpy as np
import pytest
from PIL import Image

from scenes.assembly import load_glb, read_glb_json, venue_metadata_from_glb
from scenes.catalog import build_venue, parse_spec, with_changes
from scenes.catalog import builtin_spec_data as spec_data
from scenes.errors import SpecError

HEADSET = {"triangles": 75_000, "draw_calls": 25, "glb_bytes": 3_000_000, "texture_px": 1024}


@pytest.fixture(scope="module")
def philharmonic():
    return build_venue(parse_spec(spec_data("philharmonic")))


@pytest.fixture(scope="module")
def drama():
    return build_venue(parse_spec(spec_data("drama-theatre")))


def glb_budget(glb: bytes) -> dict:
    """Budget figures measured from the GLB itself, not the builder's stats."""
    tree = read_glb_json(glb)
    scene = load_glb(glb)
    triangles = sum(len(g.faces) for g in scene.geometry.values())
    draw_calls = sum(len(m["primitives"]) for m in tree["meshes"])
    bin_start = 20 + struct.unpack_from("<I", glb, 12)[0] + 8
    sizes = []
    for image in tree.get("images", []):
        view = tree["bufferViews"][image["bufferView"]]
        start = bin_start + view.get("byteOffset", 0)
        png = glb[start : start + view["byteLength"]]
        sizes.append(max(Image.open(io.BytesIO(png)).size))
    return {
        "triangles": triangles,
        "draw_calls": draw_calls,
        "glb_bytes": len(glb),
        "texture_px": max(sizes, default=0),
    }


@pytest.mark.parametrize("venue", ["philharmonic", "drama"])
def test_hall_fits_a_standalone_headset(venue, request):
    built = request.getfixturevalue(venue)
    measured = glb_budget(built.glb)
    for key, limit in HEADSET.items():
        assert measured[key] <= limit, f"{key}: {measured[key]} > {limit}"
    assert built.metadata.stats.triangles == measured["triangles"]
    assert built.metadata.stats.draw_calls == measured["draw_calls"]


def test_philharmonic_seats_over_a_thousand_with_a_balcony(philharmonic):
    sections = {s.section for s in philharmonic.metadata.seats}
    assert len(philharmonic.metadata.seats) >= 1000
    assert sections == {"stalls", "balcony"}
    balcony = [s for s in philharmonic.metadata.seats if s.section == "balcony"]
    stalls = [s for s in philharmonic.metadata.seats if s.section == "stalls"]
    assert min(s.floor_y for s in balcony) > max(s.floor_y for s in stalls) + 2.3


def test_drama_theatre_is_a_proscenium_theatre_of_about_500_seats(drama):
    assert 400 <= len(drama.metadata.seats) <= 600
    assert {s.section for s in drama.metadata.seats} == {"stalls"}


@pytest.mark.parametrize("venue", ["philharmonic", "drama"])
def test_seat_metadata_is_consistent(venue, request):
    meta = request.getfixturevalue(venue).metadata
    ids = [s.id for s in meta.seats]
    assert len(set(ids)) == len(ids)
    rows: dict[tuple[str, str], list] = {}
    for s in meta.seats:
        assert re.fullmatch(r"[a-z]+/[A-Z]+/[1-9][0-9]*", s.id)
        assert s.id == f"{s.section}/{s.row}/{s.number}"
        assert s.eye[1] == pytest.approx(s.floor_y + 1.15, abs=1e-3)
        assert s.position[1] == pytest.approx(s.floor_y + 0.45, abs=1e-3)
        assert (s.eye[0], s.eye[2]) == (s.position[0], s.position[2])
        assert np.hypot(s.facing[0], s.facing[2]) == pytest.approx(1, abs=1e-4)
        assert s.facing[1] == 0
        assert s.facing[2] < 0  # the audience looks towards -Z
        rows.setdefault((s.section, s.row), []).append(s)
    for section in {s.section for s in meta.seats}:
        labels = sorted((r for sec, r in rows if sec == section), key=lambda r: (len(r), r))
        assert labels[0] == "A"
        assert [ord(r[-1]) - 65 for r in labels[:26]] == list(range(min(26, len(labels))))
    for row in rows.values():
        row.sort(key=lambda s: s.number)
        assert [s.number for s in row] == list(range(1, len(row) + 1))
        xs = [s.position[0] for s in row]
        assert xs == sorted(xs), "seat 1 is house left (-X), numbers grow to house right"


def test_rows_are_curved_and_raked(philharmonic):
    seats = philharmonic.metadata.seats
    row_a = [s for s in seats if s.section == "stalls" and s.row == "A"]
    ends = [s for s in row_a if s.number in (1, len(row_a))]
    middle = min(row_a, key=lambda s: abs(s.position[0]))
    # curved rows: the ends are closer to the stage than the middle
    assert all(e.position[2] < middle.position[2] - 0.3 for e in ends)
    floors = {}
    for s in seats:
        if s.section == "stalls":
            floors[s.row] = s.floor_y
    heights = [floors[r] for r in sorted(floors, key=lambda r: (len(r), r))]
    assert heights == sorted(heights) and heights[-1] > heights[0] + 2


def test_screen_is_its_own_node_with_unit_uvs(philharmonic):
    tree = read_glb_json(philharmonic.glb)
    node = next(n for n in tree["nodes"] if n.get("name") == "screen")
    prim = tree["meshes"][node["mesh"]]["primitives"][0]
    uv = tree["accessors"][prim["attributes"]["TEXCOORD_0"]]
    assert uv["min"] == [0, 0] and uv["max"] == [1, 1]
    pos = tree["accessors"][prim["attributes"]["POSITION"]]
    corners = np.array(philharmonic.metadata.screen.corners)
    assert np.allclose(pos["min"], corners.min(axis=0), atol=1e-3)
    assert np.allclose(pos["max"], corners.max(axis=0), atol=1e-3)
    screen = philharmonic.metadata.screen
    assert screen.normal == (0.0, 0.0, 1.0)
    assert screen.width >= 10 and screen.height >= 5


def test_hall_has_the_parts_a_resident_recognises(philharmonic):
    names = {n.get("name") for n in read_glb_json(philharmonic.glb)["nodes"]}
    for part in (
        "stage_floor",
        "seat_fabric",
        "seat_frame",
        "curtain",
        "gilt",
        "carpet",
        "wall",
        "wall_panel",
        "ceiling",
        "light_fixture",
        "screen",
        "venue",
    ):
        assert part in names
    lights = {light.type for light in philharmonic.metadata.lights}
    assert {"hemisphere", "spot", "point"} <= lights


def test_glb_carries_the_same_metadata_as_the_manifest(philharmonic):
    assert venue_metadata_from_glb(philharmonic.glb) == philharmonic.metadata


def test_stalls_meet_the_philharmonic_c_value(philharmonic):
    by_section = {s.section: s for s in philharmonic.metadata.sightlines}
    assert by_section["stalls"].worst_mm >= 90
    assert by_section["balcony"].worst_mm >= 60
    assert by_section["stalls"].median_mm >= by_section["stalls"].worst_mm


def test_spawn_points_face_the_stage(philharmonic):
    ids = {p.id for p in philharmonic.metadata.spawn_points}
    assert {"stalls-back", "balcony-back"} <= ids
    assert any("aisle" in i for i in ids)
    for p in philharmonic.metadata.spawn_points:
        assert p.facing[2] < -0.9


def test_same_spec_builds_the_same_bytes(drama):
    again = build_venue(parse_spec(spec_data("drama-theatre")))
    assert again.glb == drama.glb


def test_seats_wider_than_the_room_are_refused():
    data = with_changes(spec_data("drama-theatre"), stalls={"seats_per_row": 50})
    with pytest.raises(SpecError) as err:
        build_venue(parse_spec(data))
    text = str(err.value)
    assert "do not fit the room width" in text
    assert re.search(r"stalls/A/1-\d+,\d+-50", text), text


def test_balcony_too_low_over_the_stalls_is_refused():
    data = with_changes(
        spec_data("philharmonic"), balcony={"floor_height_m": 6.0, "clearance_m": None}
    )
    with pytest.raises(SpecError, match=r"stalls/V: only .* m under the balcony"):
        build_venue(parse_spec(data))


def test_fewer_stalls_rows_keep_a_good_balcony_that_follows_them():
    """The first edit a new user makes (fewer rows) builds: the balcony comes down
    with the stalls it overhangs, keeping the same headroom under it."""
    base = build_venue(parse_spec(spec_data("philharmonic"))).metadata
    fewer = build_venue(
        parse_spec(with_changes(spec_data("philharmonic"), stalls={"rows": 14}))
    ).metadata

    def balcony_floor(meta):
        return min(s.floor_y for s in meta.seats if s.section == "balcony")

    def stalls_back(meta):
        return max(s.floor_y for s in meta.seats if s.section == "stalls")

    assert {s.row for s in fewer.seats if s.section == "stalls"} == set("ABCDEFGHIJKLMN")
    assert balcony_floor(fewer) < balcony_floor(base) - 1.5
    # the same clearance over the last stalls row as in the built-in hall
    headroom = [balcony_floor(m) - stalls_back(m) for m in (base, fewer)]
    assert headroom[0] == pytest.approx(headroom[1], abs=0.02)
    assert balcony_floor(base) == pytest.approx(8.0, abs=0.01)


def test_a_refusal_names_the_setting_to_change_and_by_how_much():
    """A balcony fixed at 8 m over only 14 stalls rows: the refusal says which
    numbers to change and to what, and following it builds."""
    data = with_changes(
        spec_data("philharmonic"),
        stalls={"rows": 14},
        balcony={"floor_height_m": 8.0, "clearance_m": None},
    )
    with pytest.raises(SpecError) as err:
        build_venue(parse_spec(data))
    problems = err.value.problems
    rake = re.search(r"raise balcony\.max_rise_per_row_m from 0\.6 to (\d\.\d\d)", problems[0])
    front = re.search(
        r"lower the balcony by (\d\.\d\d) m \(balcony\.floor_height_m from 8 to (\d\.\d\d)\)",
        problems[1],
    )
    assert rake and front, problems[:3]
    assert any("C-value" in p for p in problems[2:]), problems
    assert any("hidden by the balcony front" in p for p in problems[2:]), problems
    lowered = with_changes(data, balcony={"floor_height_m": float(front.group(2))})
    assert build_venue(parse_spec(lowered)).metadata.seats


def test_spec_needs_exactly_one_kind_of_rake():
    stalls = {**spec_data("drama-theatre")["stalls"], "rise_per_row_m": 0.2}
    with pytest.raises(ValueError, match="exactly one"):
        parse_spec({**spec_data("drama-theatre"), "stalls": stalls})


def test_unknown_spec_fields_are_refused():
    data = with_changes(spec_data("drama-theatre"), stage={"colour": "red"})
    with pytest.raises(ValueError, match="colour"):
        parse_spec(data)


def _plan_area(vertices) -> float:
    v = np.array(vertices)[:, [0, 2]]
    w = np.roll(v, -1, axis=0)
    return 0.5 * float(np.sum(v[:, 0] * w[:, 1] - w[:, 0] * v[:, 1]))


@pytest.mark.parametrize("venue", ["philharmonic", "drama"])
def test_walkable_areas_are_flat_convex_and_counter_clockwise(venue, request):
    meta = request.getfixturevalue(venue).metadata
    ids = [a.id for a in meta.walkable]
    assert len(ids) == len(set(ids))
    assert any(i.startswith("stalls/") for i in ids)
    assert any(i.startswith("stalls-foyer/") for i in ids)
    for area in meta.walkable:
        v = np.array(area.vertices)
        assert np.ptp(v[:, 1]) == 0, area.id
        # counter-clockwise seen from +Y is a negative area in the (x, z) plane
        assert _plan_area(area.vertices) < -0.01, area.id
        e = np.roll(v, -1, axis=0) - v
        turn = e[:, 0] * np.roll(e, -1, axis=0)[:, 2] - e[:, 2] * np.roll(e, -1, axis=0)[:, 0]
        assert np.all(turn <= 1e-9), area.id


def test_spawn_points_stand_on_walkable_areas(philharmonic):
    meta = philharmonic.metadata
    for p in meta.spawn_points:
        inside = False
        for area in meta.walkable:
            v = np.array(area.vertices)
            if abs(v[0, 1] - p.position[1]) > 0.01:
                continue
            xz = v[:, [0, 2]]
            e = np.roll(xz, -1, axis=0) - xz
            rel = np.array([p.position[0], p.position[2]]) - xz
            if np.all(e[:, 0] * rel[:, 1] - e[:, 1] * rel[:, 0] <= 1e-9):
                inside = True
                break
        assert inside, p.id
