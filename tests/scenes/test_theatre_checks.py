"""Theatre checks computed from the built geometry of every seated demo venue
(loaded back from the GLB), the checks catching broken seats, and specs refused
for what the checks find."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from scenes.catalog import build_venue, parse_spec, with_changes
from scenes.catalog import builtin_spec_data as spec_data
from scenes.checks import SegmentCaster, geometry_from_glb, run_checks
from scenes.errors import SpecError

SEATED = ["philharmonic", "drama-theatre", "chamber-hall", "lecture-room"]


@pytest.fixture(scope="module")
def venues():
    """Each seated demo venue built once: (spec, built venue, geometry from its GLB)."""
    out = {}
    for name in SEATED:
        data = spec_data(name)
        spec = parse_spec(data)
        built = build_venue(spec)
        out[name] = (spec, built, geometry_from_glb(built.glb))
    return out


@pytest.mark.parametrize("name", SEATED)
def test_every_seat_passes_the_theatre_checks(venues, name):
    data, built, geometry = venues[name]
    report = run_checks(geometry, built.metadata, min_c_mm=data.min_c_mm())
    assert report.problems == []
    assert set(report.c_values_mm) == {s.id for s in built.metadata.seats}
    assert report.hidden == {}


@pytest.mark.parametrize("name", SEATED)
def test_sightline_stats_match_the_seats(venues, name):
    data, built, geometry = venues[name]
    report = run_checks(geometry, built.metadata, min_c_mm=data.min_c_mm())
    assert report.sightlines == built.metadata.sightlines
    for stat in report.sightlines:
        values = [
            c
            for sid, c in report.c_values_mm.items()
            if sid.startswith(stat.section + "/") and np.isfinite(c)
        ]
        assert stat.worst_mm == pytest.approx(min(values), abs=0.1)
        assert stat.median_mm == pytest.approx(float(np.median(values)), abs=0.1)
        assert stat.worst_mm >= 60


def test_every_row_but_the_first_has_a_c_value(venues):
    _, built, geometry = venues["philharmonic"]
    report = run_checks(geometry, built.metadata)
    for seat in built.metadata.seats:
        c = report.c_values_mm[seat.id]
        if seat.row == "A":
            assert np.isnan(c)
        elif seat.section == "stalls" and seat.number not in (1,):
            # inner seats always have someone in front
            if 3 < seat.number < 20:
                assert np.isfinite(c), seat.id


def test_c_value_matches_the_textbook_formula():
    """Straight rows on a constant rake: C = (D (N + R) / (D + T)) - R, with the
    eye N above the focus, R the rise per row, T the row spacing and D the distance
    from the eye in front to the stage edge."""
    data = spec_data("drama-theatre")
    stalls = {
        k: v
        for k, v in data["stalls"].items()
        if k not in ("design_c_value_mm", "row_curve_radius_m")
    }
    stalls.update(
        rise_per_row_m=0.3, rows=8, seats_per_row=14, seats_added_per_row=0, min_c_value_mm=60
    )
    spec = parse_spec({**data, "stalls": stalls})
    built = build_venue(spec)
    report = run_checks(geometry_from_glb(built.glb), built.metadata)
    stage_h = data["stage"]["height_m"]
    t = stalls["row_spacing_m"]
    r = 0.3
    for seat in built.metadata.seats:
        if seat.row in ("A",) or seat.number != 7:
            continue
        d = seat.position[2] - t  # the row in front, from the stage front at z = 0
        n = seat.eye[1] - r - stage_h  # eye in front above the stage edge
        expected = (d * (n + r) / (d + t) - n) * 1000
        assert report.c_values_mm[seat.id] == pytest.approx(expected, abs=1.0), seat.id


def test_segment_caster_agrees_with_trimesh_ray_casting(venues):
    _, built, geometry = venues["philharmonic"]
    mesh = trimesh.util.concatenate([m for n, m in geometry.items() if n != "screen"])
    rng = np.random.default_rng(3)
    lo, hi = mesh.bounds
    start = rng.uniform(lo, hi, (200, 3))
    end = rng.uniform(lo, hi, (200, 3))
    caster = SegmentCaster(mesh.vertices, mesh.faces)
    t, _ = caster.first_hit(start, end)
    d = end - start
    length = np.linalg.norm(d, axis=1)
    locations, index_ray, _ = mesh.ray.intersects_location(
        start, d / length[:, None], multiple_hits=True
    )
    first = np.full(len(start), np.inf)
    for loc, i in zip(locations, index_ray, strict=True):
        dist = np.linalg.norm(loc - start[i])
        if dist < length[i]:
            first[i] = min(first[i], dist)
    ours = t * length
    both = np.isfinite(first) & np.isfinite(ours)
    assert (np.isfinite(first) == np.isfinite(ours)).mean() > 0.97  # grazing hits may differ
    assert np.allclose(ours[both], first[both], atol=1e-6)


def test_checks_catch_a_seat_floating_above_its_floor(venues):
    _, built, geometry = venues["chamber-hall"]
    seats = list(built.metadata.seats)
    s = seats[5]
    lifted = s.model_copy(
        update={
            "floor_y": s.floor_y + 0.3,
            "position": (s.position[0], s.position[1] + 0.3, s.position[2]),
            "eye": (s.eye[0], s.eye[1] + 0.3, s.eye[2]),
        }
    )
    seats[5] = lifted
    report = run_checks(geometry, built.metadata.model_copy(update={"seats": seats}))
    assert any(
        p.startswith(f"{s.section}/{s.row}/{s.number}: floor found at y=0.00 m")
        for p in report.problems
    )
    assert any(
        p.startswith(f"{s.section}/{s.row}/{s.number}: not inside a walkable area")
        for p in report.problems
    )


def test_checks_catch_overlapping_seats(venues):
    _, built, geometry = venues["lecture-room"]
    seats = list(built.metadata.seats)
    s = seats[0]
    ghost = s.model_copy(
        update={
            "id": f"{s.section}/{s.row}/99",
            "number": 99,
            "position": (s.position[0] + 0.2, s.position[1], s.position[2]),
            "eye": (s.eye[0] + 0.2, s.eye[1], s.eye[2]),
        }
    )
    report = run_checks(geometry, built.metadata.model_copy(update={"seats": [*seats, ghost]}))
    assert f"{s.id} and {ghost.id}: seats overlap" in report.problems


def test_checks_catch_a_seat_facing_away(venues):
    _, built, geometry = venues["drama-theatre"]
    seats = list(built.metadata.seats)
    s = seats[10]
    seats[10] = s.model_copy(update={"facing": (-s.facing[0], 0.0, -s.facing[2])})
    report = run_checks(geometry, built.metadata.model_copy(update={"seats": seats}))
    lines = [p for p in report.problems if p.startswith(f"{s.id}: faces ")]
    assert len(lines) == 1 and len(report.problems) == 1, report.problems
    assert int(lines[0].split()[2]) > 90  # "faces 153 degrees away from the stage"


def test_too_little_rake_for_the_rows_is_refused():
    data = spec_data("drama-theatre")
    stalls = {k: v for k, v in data["stalls"].items() if k != "design_c_value_mm"}
    stalls["rise_per_row_m"] = 0.08
    with pytest.raises(SpecError) as err:
        build_venue(parse_spec({**data, "stalls": stalls}))
    problems = err.value.problems
    assert err.value.venue_id == "drama-theatre"
    c_lines = [p for p in problems if "C-value" in p]
    assert c_lines, problems
    # each line names a row's seats and the numbers
    assert any(
        p.startswith("stalls/R/1-") and "mm < 90 mm (rake too small for 18 rows)" in p
        for p in c_lines
    ), c_lines


def test_a_balcony_that_blocks_the_screen_is_refused():
    data = with_changes(
        spec_data("philharmonic"),
        balcony={"floor_height_m": 7.7, "clearance_m": None, "overhang_m": 10.0},
    )
    with pytest.raises(SpecError) as err:
        build_venue(parse_spec(data))
    text = "\n".join(err.value.problems)
    assert "stalls/V/1-55: screen top-left corner hidden by the balcony front" in text
    assert all("screen" in p and "balcony front" in p for p in err.value.problems)


def test_a_screen_hidden_behind_the_proscenium_is_refused():
    data = with_changes(spec_data("drama-theatre"), screen={"width_m": 11.8, "height_m": 5.5})
    with pytest.raises(SpecError) as err:
        build_venue(parse_spec(data))
    text = "\n".join(err.value.problems)
    assert "screen" in text and ("curtain" in text or "frame" in text or "wall" in text)


def test_a_screen_too_low_for_a_flat_lecture_room_is_refused():
    data = with_changes(spec_data("lecture-room"), screen={"bottom_m": 0.6})
    with pytest.raises(SpecError, match=r"floor/[A-H]/[0-9,-]+: C-value -?\d+ mm < 60 mm"):
        build_venue(parse_spec(data))
