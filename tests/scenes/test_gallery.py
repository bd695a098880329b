"""The gallery builder: rooms sized from their exhibits, slots on real geometry."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import trimesh

from scenes.assembly import load_glb, read_glb_json, venue_metadata_from_glb
from scenes.errors import SpecError
from scenes.gallery import GallerySpec, build_gallery

# an invented collection with objects on plinths (the demo gallery is hung from
# assets/art through server/collections, see tests/server/test_collections*.py)
SPEC_PATH = Path(__file__).parent / "data" / "gallery-example.toml"
HASH = "0" * 64


def _spec_data() -> dict:
    with open(SPEC_PATH, "rb") as f:
        return tomllib.load(f)


def _build(data: dict):
    return build_gallery(GallerySpec.model_validate(data), HASH)


@pytest.fixture(scope="module")
def demo():
    built = _build(_spec_data())
    scene = load_glb(built.glb)
    mesh = trimesh.util.concatenate(list(scene.dump()))
    return built, mesh


def _ray_hit_distance(mesh: trimesh.Trimesh, origin, direction) -> float | None:
    locations, _, _ = mesh.ray.intersects_location([origin], [direction])
    if len(locations) == 0:
        return None
    return float(np.min(np.linalg.norm(locations - np.asarray(origin), axis=1)))


def _inside(point_xz, area) -> bool:
    # convex polygon, counter-clockwise seen from above: inside = left of every edge
    verts = np.asarray(area.vertices)[:, [0, 2]]
    p = np.asarray(point_xz)
    for a, b in zip(verts, np.roll(verts, -1, axis=0), strict=True):
        # with x right and z towards the viewer, "left" in (x, z) has this sign
        cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
        if cross > 1e-9:
            return False
    return True


def test_demo_gallery_has_two_rooms_joined_by_a_doorway(demo):
    built, _ = demo
    meta = built.metadata
    assert meta.kind == "gallery"
    assert [r.id for r in meta.rooms] == ["old-masters", "modern"]
    assert any(a.id.startswith("door/") for a in meta.walkable)


def test_every_exhibit_gets_its_own_slot(demo):
    built, _ = demo
    spec = GallerySpec.model_validate(_spec_data())
    slots = {s.exhibit: s for s in built.metadata.exhibit_slots if s.exhibit}
    assert set(slots) == {e.id for e in spec.exhibits}
    for e in spec.exhibits:
        slot = slots[e.id]
        assert slot.room == e.room
        assert slot.kind == ("wall" if e.kind == "wall" else "plinth")
    spare = [s for s in built.metadata.exhibit_slots if s.exhibit is None]
    assert len(spare) == 2  # spare_wall_slots of the modern room


def test_pictures_on_a_wall_keep_the_gap_and_stay_inside_the_room(demo):
    built, _ = demo
    spec = GallerySpec.model_validate(_spec_data())
    rooms = {r.id: r for r in built.metadata.rooms}
    walls: dict[tuple[str, float], list] = {}
    for s in built.metadata.exhibit_slots:
        if s.kind == "wall":
            walls.setdefault((s.room, s.normal[2]), []).append(s)
    for (room_id, _), slots in walls.items():
        room = rooms[room_id]
        spans = sorted(
            (s.position[0] - s.size[0] / 2, s.position[0] + s.size[0] / 2) for s in slots
        )
        assert spans[0][0] >= room.bounds_min[0] + spec.spacing.corner_margin - 1e-6
        assert spans[-1][1] <= room.bounds_max[0] - spec.spacing.corner_margin + 1e-6
        for (_, right), (left, _) in zip(spans, spans[1:], strict=False):
            assert left - right >= spec.spacing.picture_gap - 1e-6
        for s in slots:
            top = s.position[1] + s.size[1] / 2
            assert top < room.bounds_max[1]


def test_wall_slots_lie_on_the_wall_and_face_into_the_room(demo):
    built, mesh = demo
    for slot in built.metadata.exhibit_slots:
        if slot.kind != "wall":
            continue
        normal = np.asarray(slot.normal)
        origin = np.asarray(slot.position) + normal * 0.5
        # straight back along the normal, the first thing hit is the slot's backing
        assert _ray_hit_distance(mesh, origin, -normal) == pytest.approx(0.5, abs=1e-3), slot.id
        room = next(r for r in built.metadata.rooms if r.id == slot.room)
        centre_z = (room.bounds_min[2] + room.bounds_max[2]) / 2
        assert np.sign(centre_z - slot.position[2]) == np.sign(normal[2])


def test_plinth_slots_are_plinth_tops_that_hold_their_object(demo):
    built, mesh = demo
    spec = GallerySpec.model_validate(_spec_data())
    objects = {e.id: e for e in spec.exhibits if e.kind == "object"}
    for slot in built.metadata.exhibit_slots:
        if slot.kind != "plinth":
            continue
        top = np.asarray(slot.position)
        assert _ray_hit_distance(mesh, top + (0, 0.5, 0), (0, -1, 0)) == pytest.approx(
            0.5, abs=1e-3
        )
        # nothing above the object's height over the plinth (the ceiling is far above)
        above = _ray_hit_distance(mesh, top + (0, 0.01, 0), (0, 1, 0))
        assert above is not None and above > objects[slot.exhibit].height


def test_walkable_areas_are_floor_and_the_path_through_the_doorways_is_clear(demo):
    built, mesh = demo
    meta = built.metadata
    for area in meta.walkable:
        centre = np.mean(np.asarray(area.vertices), axis=0)
        assert _ray_hit_distance(mesh, centre + (0, 1.0, 0), (0, -1, 0)) == pytest.approx(1.0)
    spawn = meta.spawn_points[0]
    assert spawn.id == "entrance"
    far_end = meta.rooms[-1].bounds_max[0] - 0.5
    # walk along the door axis at knee and chest height: nothing blocks it
    for y in (0.4, 1.3):
        origin = np.asarray(spawn.position) + (0, y, 0)
        hit = _ray_hit_distance(mesh, origin, (1, 0, 0))
        assert hit is not None and hit >= far_end - spawn.position[0]
    for x in np.linspace(spawn.position[0], far_end, 60):
        assert any(_inside((x, 0.0), a) for a in meta.walkable), x


def test_no_walkable_area_lets_a_visitor_stand_inside_a_plinth(demo):
    built, _ = demo
    meta = built.metadata
    for slot in meta.exhibit_slots:
        if slot.kind == "plinth":
            x, _, z = slot.position
            w, _, d = slot.size
            for px, pz in ((x, z), (x - w / 2, z - d / 2), (x + w / 2, z + d / 2)):
                assert not any(_inside((px, pz), a) for a in meta.walkable), slot.id
    # but every room keeps most of its floor
    for room in meta.rooms:
        floor = (room.bounds_max[0] - room.bounds_min[0]) * (
            room.bounds_max[2] - room.bounds_min[2]
        )
        walk = sum(
            (max(v[0] for v in a.vertices) - min(v[0] for v in a.vertices))
            * (max(v[2] for v in a.vertices) - min(v[2] for v in a.vertices))
            for a in meta.walkable
            if a.id.startswith(f"room/{room.id}/")
        )
        assert 0.75 * floor < walk < floor


def test_a_room_grows_with_the_pictures_it_must_hold():
    data = _spec_data()
    before = _build(data).metadata.rooms[0]
    more = [
        {
            "kind": "wall",
            "id": f"extra-{i}",
            "title": "Extra",
            "room": "old-masters",
            "width": 2.0,
            "height": 1.0,
        }
        for i in range(6)
    ]
    after = _build({**data, "exhibits": data["exhibits"] + more}).metadata.rooms[0]
    grown = (after.bounds_max[0] - after.bounds_min[0]) - (
        before.bounds_max[0] - before.bounds_min[0]
    )
    assert grown >= 6 * (2.0 + 0.9) / 2 - 1e-6  # half of the new run lands on each long wall


def test_gallery_refuses_a_picture_wider_than_any_wall():
    data = _spec_data()
    data["exhibits"][0] = {**data["exhibits"][0], "width": 60.0}
    with pytest.raises(SpecError) as err:
        _build(data)
    assert "portrait-of-a-merchant" in str(err.value)
    assert "wider than any wall" in str(err.value)


def test_gallery_refuses_a_picture_taller_than_its_room():
    data = _spec_data()
    data["exhibits"][0] = {**data["exhibits"][0], "height": 6.0}
    with pytest.raises(SpecError, match="portrait-of-a-merchant.*needs a wall"):
        _build(data)


def test_gallery_refuses_zero_rooms_and_unknown_rooms():
    with pytest.raises(SpecError, match="at least one room"):
        _build({**_spec_data(), "rooms": [], "exhibits": []})
    data = _spec_data()
    data["exhibits"][0] = {**data["exhibits"][0], "room": "attic"}
    with pytest.raises(SpecError, match="unknown room 'attic'"):
        _build(data)


def test_gallery_refuses_more_pictures_than_the_longest_wall_holds():
    data = _spec_data()
    many = [
        {"kind": "wall", "id": f"p{i}", "title": "P", "room": "modern", "width": 3.0, "height": 1}
        for i in range(30)
    ]
    with pytest.raises(SpecError, match="room 'modern'.*max_wall_length"):
        _build({**data, "exhibits": data["exhibits"] + many})


def test_gallery_glb_nodes_are_named_by_material_under_the_venue_root(demo):
    built, _ = demo
    tree = read_glb_json(built.glb)
    names = {n.get("name") for n in tree["nodes"]}
    assert {"venue", "gallery_oak", "gallery_wall", "plinth", "frame_slot"} <= names
    assert venue_metadata_from_glb(built.glb) == built.metadata


def test_track_spots_hang_inside_their_room_and_aim_at_its_hung_walls(demo):
    built, mesh = demo
    meta = built.metadata
    rooms = {r.id: r for r in meta.rooms}
    spots = [light for light in meta.lights if light.type == "spot"]
    assert len(spots) >= 2 * len(rooms)
    for light in spots:
        room = rooms[light.id.split("/")[0]]
        pos, target = np.asarray(light.position), np.asarray(light.target)
        assert np.all(pos > np.asarray(room.bounds_min)) and np.all(
            pos < np.asarray(room.bounds_max)
        )
        assert target[2] in (pytest.approx(room.bounds_min[2]), pytest.approx(room.bounds_max[2]))
        # nothing stands between the spot and the wall it lights (a picture's backing
        # board, 3 cm proud of the wall, may catch the beam just before the wall)
        direction = (target - pos) / np.linalg.norm(target - pos)
        hit = _ray_hit_distance(mesh, pos, direction)
        assert hit is not None
        assert np.linalg.norm(target - pos) - 0.1 < hit <= np.linalg.norm(target - pos) + 1e-3
