"""The layout an editor sets for an uploaded venue (server/scene_uploads/layout.py):
spawn points on the walkable floor, a screen inside the venue, refusals that name
the point at fault in the asker's language."""

from __future__ import annotations

import pytest

from scenes.metadata import SpawnPoint, VenueMetadata, WalkableArea
from server.scene_uploads.layout import BadLayout, LayoutEdit, apply_layout, screen_corners


def venue() -> VenueMetadata:
    """A 12 x 9 m room (x -6..6, z -4.5..4.5) whose floor is its left two thirds."""
    return VenueMetadata(
        id="studio",
        name="Studio",
        kind="gallery",
        spec_hash="0" * 64,
        bounds_min=(-6.0, 0.0, -4.5),
        bounds_max=(6.0, 4.0, 4.5),
        spawn_points=[SpawnPoint(id="entrance", position=(0, 0, 0), facing=(0, 0, -1))],
        walkable=[
            WalkableArea(
                id="floor/0", vertices=[(-6, 0, -4.5), (-6, 0, 4.5), (2, 0, 4.5), (2, 0, -4.5)]
            )
        ],
    )


def edit(**fields) -> LayoutEdit:
    return LayoutEdit.model_validate(fields)


def refusal(**fields) -> BadLayout:
    with pytest.raises(BadLayout) as caught:
        apply_layout(venue(), edit(**fields))
    return caught.value


def test_spawn_points_on_the_floor_are_kept_facing_along_it():
    meta = apply_layout(
        venue(),
        edit(spawn_points=[
            {"id": "door", "position": [-5, 0, 4], "facing": [0, 0.5, -2]},
            {"id": "edge", "position": [2.03, 0.2, 0], "facing": [1, 0, 1]},  # on the outline
        ]),
    )  # fmt: skip
    assert [p.id for p in meta.spawn_points] == ["door", "edge"]
    assert meta.spawn_points[0].facing == (0.0, 0.0, -1.0)
    assert meta.spawn_points[1].facing == pytest.approx((0.7071, 0.0, 0.7071))
    assert meta.screen is None  # untouched


def test_a_spawn_point_off_the_floor_is_refused_by_name_and_place():
    beside = refusal(
        spawn_points=[{"id": "stage door", "position": [4, 0, 0], "facing": [0, 0, -1]}]
    )
    assert beside.code == "bad_layout"
    assert beside.message == (
        "spawn point 'stage door' at (4.00, 0.00, 0.00) is outside the venue's walkable floor"
    )
    assert beside.localized("ru") == (
        "Точка появления «stage door» в (4.00, 0.00, 0.00) — "
        "вне пола зала, по которому можно ходить"
    )
    above = refusal(spawn_points=[{"id": "loft", "position": [0, 2.5, 0], "facing": [0, 0, -1]}])
    assert "'loft' at (0.00, 2.50, 0.00)" in above.message


def test_a_spawn_point_facing_up_or_named_twice_is_refused():
    up = refusal(spawn_points=[{"id": "a", "position": [0, 0, 0], "facing": [0, 1, 0]}])
    assert up.message == "spawn point 'a' must face along the floor, not straight up or down"
    twice = [{"id": "a", "position": [0, 0, 0], "facing": [0, 0, 1]}] * 2
    assert "two spawn points are called 'a'" in refusal(spawn_points=twice).message


def test_the_screen_gets_its_corners_worked_out():
    screen = {"center": [-3, 2, -4.4], "normal": [0, 0, 2], "width": 4, "height": 2.25}
    meta = apply_layout(venue(), edit(screen=screen))
    assert meta.screen is not None
    assert meta.screen.normal == (0.0, 0.0, 1.0)
    # seen by the audience (looking along -z): bottom-left is at -x
    assert meta.screen.corners == (
        (-5.0, 0.875, -4.4), (-1.0, 0.875, -4.4), (-1.0, 3.125, -4.4), (-5.0, 3.125, -4.4),
    )  # fmt: skip
    # a screen on the left wall facing +x: its bottom-left is towards +z
    side = screen_corners((-5.9, 2, 0), (1, 0, 0), (0, 1, 0), 4, 2)
    assert side[0] == (-5.9, 1.0, 2.0) and side[1] == (-5.9, 1.0, -2.0)


def test_a_screen_outside_the_venue_is_refused_naming_the_point():
    wide = refusal(screen={"center": [4, 2, -4.4], "normal": [0, 0, 1], "width": 6, "height": 2})
    assert wide.message == (
        "the screen centred at (4.00, 2.00, -4.40) reaches outside the venue at "
        "(7.00, 1.00, -4.40); the venue spans (-6.00, 0.00, -4.50) to (6.00, 4.00, 4.50)"
    )
    assert "(7.00, 1.00, -4.40)" in wide.localized("tt")


def test_a_screen_with_bad_directions_or_corners_is_refused():
    tilted = {"center": [0, 2, -4], "normal": [0, 0, 1], "up": [0, 1, 1], "width": 2, "height": 1}
    assert "right angles" in refusal(screen=tilted).message
    made = screen_corners((0, 2, -4), (0, 0, 1), (0, 1, 0), 2, 1)
    wrong = {**tilted, "up": [0, 1, 0], "corners": [made[1], made[0], made[2], made[3]]}
    assert "corners do not match" in refusal(screen=wrong).message
    assert apply_layout(venue(), edit(screen={**wrong, "corners": made})).screen is not None
