"""Museum gallery: rooms in a row joined by doorways, sized from their exhibits.

A gallery spec lists rooms and the exhibits each room must hold: pictures
(``kind = "wall"``, hung on the long walls) and objects (``kind = "object"``, on
white plinths). The builder makes each room just long enough for its pictures
(the wall run is the sum of picture widths plus gaps, plus a margin at each
corner) and deep enough for a row of plinths, a central walkway and a viewing
distance in front of each wall, so a gallery too small for its collection cannot
be built. Layout (metres, Y up, floor at y = 0): rooms follow one another along
+X, doorways sit on the centre line z = 0, the entrance is in the west wall of the
first room, pictures hang on the north (z < 0) and south (z > 0) walls, plinths
stand in a row north of the walkway and a bench south of it.

A picture may bring its image (``WallExhibit.picture``, the sha256 of JPEG bytes
passed to :func:`build_gallery` in ``pictures``): it is drawn on its slot as its
own textured node ``exhibit/<id>``, so the visitor sees the real work; without
one the slot stays a dark board for the client to label.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .assembly import BuiltVenue, VenueAssembly, export_glb
from .errors import SpecError
from .geometry import Part, box, quad
from .metadata import Exhibit as ExhibitMeta
from .metadata import (
    ExhibitInfo,
    ExhibitSlot,
    Light,
    Room,
    SpawnPoint,
    VenueMetadata,
    WalkableArea,
)
from .texts import LANG_FIELD, Names

WALL_THICKNESS = 0.2
BACKING_DEPTH = 0.03  # the dark board a picture hangs on, proud of the wall
BACKING_MARGIN = 0.04  # how far the backing shows around the picture
PICTURE_MIN_BOTTOM = 0.45  # lowest a picture's bottom edge may hang
CEILING_CLEARANCE = 0.3  # space kept between a picture's top and the ceiling
MAX_SPOTS_PER_WALL = 2  # spot lights cost per fragment on a headset: keep few
PICTURE_OFFSET = 0.004  # a picture's face in front of its backing, against z-fighting
PICTURE_NODE = "exhibit/{id}"  # GLB node of a drawn picture (the client finds it)
# the wall label beside each hung work: a small card to the visitor's right of it,
# its centre at most at LABEL_TOP_Y (readable standing and from a wheelchair)
LABEL_SIZE = (0.2, 0.12)
LABEL_GAP = 0.1  # from the picture's edge
LABEL_DEPTH = 0.008
LABEL_TOP_Y, LABEL_LOW_Y = 1.45, 1.0


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GalleryRoomSpec(_Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Room id used in slot ids")
    name: str = Field(min_length=1, max_length=80)
    names: Names = {}
    wall_height: float = Field(default=4.2, gt=0, le=20)
    min_width: float = Field(default=6.0, gt=0, le=200, description="Along the gallery axis")
    min_depth: float = Field(default=6.0, gt=0, le=200, description="Across the gallery axis")
    spare_wall_slots: int = Field(
        default=0, ge=0, le=50, description="Empty hanging slots for future loans"
    )


class WallExhibit(_Spec):
    """A picture: hung on a wall, ``width`` x ``height`` metres including its frame."""

    kind: Literal["wall"]
    id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    titles: Names = {}
    room: str
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    picture: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="sha256 of the image to draw"
    )
    info: ExhibitInfo = ExhibitInfo()


class ObjectExhibit(_Spec):
    """An object on a plinth: ``footprint`` (width, depth) and ``height`` in metres."""

    kind: Literal["object"]
    id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    titles: Names = {}
    room: str
    footprint: tuple[float, float]
    height: float = Field(gt=0)


Exhibit = Annotated[WallExhibit | ObjectExhibit, Field(discriminator="kind")]


class GallerySpacing(_Spec):
    """Hanging and circulation rules, in metres."""

    eye_height: float = Field(default=1.55, gt=0, description="Height of picture centres")
    picture_gap: float = Field(default=0.9, ge=0, description="Least gap between pictures")
    corner_margin: float = Field(default=0.9, ge=0, description="Wall kept free at corners")
    viewing_distance: float = Field(
        default=2.0, gt=0, description="Floor kept free in front of a hung wall"
    )
    walkway_width: float = Field(default=2.0, gt=0, description="Free band on the door axis")
    plinth_gap: float = Field(default=1.4, ge=0, description="Between plinths in a row")
    plinth_height: float = Field(default=0.9, gt=0)
    plinth_margin: float = Field(default=0.12, ge=0, description="Plinth top beyond object")
    doorway_width: float = Field(default=1.8, gt=0)
    doorway_height: float = Field(default=2.7, gt=0)
    max_wall_length: float = Field(default=40.0, gt=0, description="Longest wall allowed")
    spare_slot_size: tuple[float, float] = (1.0, 0.8)


class GallerySpec(_Spec):
    kind: Literal["gallery"]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=120)
    lang: str = LANG_FIELD
    names: Names = {}
    rooms: list[GalleryRoomSpec]
    exhibits: list[Exhibit] = []
    spacing: GallerySpacing = GallerySpacing()


# --- layout (pure numbers, no geometry) ---------------------------------------


class _Hang:
    """A picture (or spare slot) placed on a wall: centre along the wall, size."""

    def __init__(self, exhibit: str | None, width: float, height: float):
        self.exhibit = exhibit
        self.width = width
        self.height = height
        self.along = 0.0  # x of the centre, set by _spread


class _RoomLayout:
    def __init__(self, spec: GalleryRoomSpec):
        self.spec = spec
        self.walls: dict[str, list[_Hang]] = {"north": [], "south": []}
        self.plinths: list[ObjectExhibit] = []
        self.x0 = 0.0
        self.width = 0.0
        self.depth = 0.0

    @property
    def x1(self) -> float:
        return self.x0 + self.width


def _run(hangs: list[_Hang], gap: float) -> float:
    return sum(h.width for h in hangs) + gap * max(len(hangs) - 1, 0)


def _check(spec: GallerySpec) -> list[str]:
    """Refusals that do not depend on the layout (names the exhibits concerned)."""
    s = spec.spacing
    problems: list[str] = []
    if not spec.rooms:
        problems.append("a gallery needs at least one room")
    room_ids = [r.id for r in spec.rooms]
    for rid in sorted({r for r in room_ids if room_ids.count(r) > 1}):
        problems.append(f"room id {rid!r} is used twice")
    ex_ids = [e.id for e in spec.exhibits]
    for eid in sorted({e for e in ex_ids if ex_ids.count(e) > 1}):
        problems.append(f"exhibit id {eid!r} is used twice")
    heights = {r.id: r.wall_height for r in spec.rooms}
    longest = s.max_wall_length - 2 * s.corner_margin
    for r in spec.rooms:
        if s.doorway_height > r.wall_height - CEILING_CLEARANCE:
            problems.append(
                f"room {r.id!r}: wall height {r.wall_height:.2f} m leaves no room over a "
                f"{s.doorway_height:.2f} m doorway"
            )
    for e in spec.exhibits:
        if e.room not in heights:
            problems.append(f"exhibit {e.id!r}: unknown room {e.room!r} (rooms: {room_ids})")
            continue
        h = heights[e.room]
        if isinstance(e, WallExhibit):
            if e.width > longest:
                problems.append(
                    f"exhibit {e.id!r}: {e.width:.2f} m wide, wider than any wall can hold "
                    f"({longest:.2f} m = max_wall_length less corner margins)"
                )
            top = _picture_centre(e.height, s) + e.height / 2
            if top > h - CEILING_CLEARANCE:
                problems.append(
                    f"exhibit {e.id!r}: {e.height:.2f} m tall picture needs a wall of "
                    f"{top + CEILING_CLEARANCE:.2f} m, room {e.room!r} has {h:.2f} m"
                )
        else:
            if min(e.footprint) <= 0:
                problems.append(f"exhibit {e.id!r}: footprint must be positive")
            if max(e.footprint) + 2 * s.plinth_margin > longest:
                problems.append(f"exhibit {e.id!r}: footprint wider than any room can be")
            if s.plinth_height + e.height > h - CEILING_CLEARANCE:
                problems.append(
                    f"exhibit {e.id!r}: {e.height:.2f} m on a {s.plinth_height:.2f} m plinth "
                    f"does not fit under the {h:.2f} m ceiling of room {e.room!r}"
                )
    return problems


def _picture_centre(height: float, s: GallerySpacing) -> float:
    # centre at eye height unless that would bring a tall picture's bottom too low
    return max(s.eye_height, PICTURE_MIN_BOTTOM + height / 2)


def _layout(spec: GallerySpec) -> list[_RoomLayout]:
    s = spec.spacing
    rooms = {r.id: _RoomLayout(r) for r in spec.rooms}
    for e in spec.exhibits:
        room = rooms[e.room]
        if isinstance(e, WallExhibit):
            # greedy balance: each picture goes to the wall with the shorter run so far
            north, south = room.walls["north"], room.walls["south"]
            target = north if _run(north, s.picture_gap) <= _run(south, s.picture_gap) else south
            target.append(_Hang(e.id, e.width, e.height))
        else:
            room.plinths.append(e)
    for room in rooms.values():
        for _ in range(room.spec.spare_wall_slots):
            north, south = room.walls["north"], room.walls["south"]
            target = north if _run(north, s.picture_gap) <= _run(south, s.picture_gap) else south
            target.append(_Hang(None, *s.spare_slot_size))

    problems: list[str] = []
    x = 0.0
    for room in rooms.values():
        plinth_w = [e.footprint[0] + 2 * s.plinth_margin for e in room.plinths]
        plinth_d = [e.footprint[1] + 2 * s.plinth_margin for e in room.plinths]
        plinth_run = sum(plinth_w) + s.plinth_gap * max(len(plinth_w) - 1, 0)
        needed_w = max(
            _run(room.walls["north"], s.picture_gap) + 2 * s.corner_margin,
            _run(room.walls["south"], s.picture_gap) + 2 * s.corner_margin,
            plinth_run + 2 * s.viewing_distance,
            s.doorway_width + 2 * s.corner_margin,
        )
        # the depth holds: wall viewing distance, plinth row, walkway, bench, viewing distance
        deepest = max(plinth_d, default=0.0)
        needed_d = 2 * (s.viewing_distance + max(deepest, 0.6)) + s.walkway_width
        room.width = max(room.spec.min_width, needed_w)
        room.depth = max(room.spec.min_depth, needed_d, s.doorway_width + 2 * s.corner_margin)
        for what, size in (("length", room.width), ("depth", room.depth)):
            if size > s.max_wall_length:
                problems.append(
                    f"room {room.spec.id!r}: its exhibits need a {size:.2f} m {what}, more "
                    f"than max_wall_length {s.max_wall_length:.2f} m; move some to another room"
                )
        room.x0 = x
        x += room.width + WALL_THICKNESS
        for hangs in room.walls.values():
            _spread(hangs, room, s)
    if problems:
        raise SpecError(spec.id, problems)
    return list(rooms.values())


def _spread(hangs: list[_Hang], room: _RoomLayout, s: GallerySpacing) -> None:
    """Centre the pictures along the wall, widening gaps (up to 2.5x) to use it."""
    if not hangs:
        return
    free = room.width - 2 * s.corner_margin - sum(h.width for h in hangs)
    gap = min(free / (len(hangs) - 1), 2.5 * max(s.picture_gap, 0.4)) if len(hangs) > 1 else 0
    run = sum(h.width for h in hangs) + gap * (len(hangs) - 1)
    cursor = room.x0 + (room.width - run) / 2
    for h in hangs:
        h.along = cursor + h.width / 2
        cursor += h.width + gap


# --- geometry -----------------------------------------------------------------


def _floor_rect(x0: float, x1: float, z0: float, z1: float, y: float, up: bool = True) -> Part:
    # counter-clockwise seen from above (+Y): (x0,z0) -> (x0,z1) -> (x1,z1) -> (x1,z0)
    corners = [(x0, y, z0), (x0, y, z1), (x1, y, z1), (x1, y, z0)]
    return quad(corners if up else corners[::-1])


def _rect_xz(x0: float, x1: float, z0: float, z1: float, y: float = 0.0) -> list:
    return [(x0, y, z0), (x0, y, z1), (x1, y, z1), (x1, y, z0)]


def _free_floor(
    prefix: str,
    room: tuple[float, float, float, float],
    obstacles: list[tuple[float, float, float, float]],
    clearance: float = 0.25,
) -> list[WalkableArea]:
    """The room floor minus obstacles (plinths, benches) as convex rectangles.

    Bands between the obstacles' z edges (grown by ``clearance``, a visitor's body),
    each cut into the x intervals no obstacle covers, so a teleport never lands a
    visitor inside a plinth.
    """
    x0, x1, z0, z1 = room
    grown = [
        (a - clearance, b + clearance, c - clearance, d + clearance) for a, b, c, d in obstacles
    ]
    cuts = sorted({z0, z1, *(min(max(z, z0), z1) for g in grown for z in g[2:])})
    areas: list[WalkableArea] = []
    for za, zb in zip(cuts, cuts[1:], strict=False):
        if zb - za < 0.3:  # a sliver between plinths of unequal depth: nobody stands there
            continue
        blocked = sorted((a, b) for a, b, c, d in grown if c < zb - 1e-9 and d > za + 1e-9)
        cursor = x0
        for a, b in [*blocked, (x1, x1)]:
            if a - cursor > 0.3:  # narrower than a visitor: not worth an area
                n = len(areas) + 1
                areas.append(
                    WalkableArea(id=f"{prefix}/{n}", vertices=_rect_xz(cursor, min(a, x1), za, zb))
                )
            cursor = max(cursor, b)
    return areas


def _wall_with_door(
    x: float, z_half: float, height: float, door_w: float, door_h: float
) -> list[Part]:
    """A cross wall (plane x = const) from z = -z_half to z_half with a centred doorway."""
    t = WALL_THICKNESS
    side = z_half - door_w / 2
    return [
        box((t, height, side), (x, height / 2, -(door_w / 2 + side / 2))),
        box((t, height, side), (x, height / 2, door_w / 2 + side / 2)),
        box((t, height - door_h, door_w), (x, (height + door_h) / 2, 0.0)),
    ]


def _add_all(asm: VenueAssembly, material: str, parts: list[Part]) -> None:
    for part in parts:
        asm.add(material, part)


def _bench(cx: float, cz: float) -> tuple[list[Part], list[Part]]:
    """A gallery bench along X: (wooden top parts, metal leg parts)."""
    top = [box((1.8, 0.06, 0.5), (cx, 0.45, cz), uv_scale=1.0)]
    legs = [box((0.06, 0.42, 0.44), (cx + dx, 0.21, cz), skip=("-y",)) for dx in (-0.75, 0.75)]
    return top, legs


def build_gallery(
    spec: GallerySpec, spec_hash: str, pictures: Mapping[str, bytes] | None = None
) -> BuiltVenue:
    """The gallery's GLB and metadata. ``pictures`` maps a ``WallExhibit.picture``
    sha256 to its JPEG bytes; a named picture missing from it is a ``SpecError``."""
    pictures = pictures or {}
    problems = _check(spec) + _check_pictures(spec, pictures)
    if problems:
        raise SpecError(spec.id, problems)
    s = spec.spacing
    rooms = _layout(spec)
    t = WALL_THICKNESS
    asm = VenueAssembly()
    slots: list[ExhibitSlot] = []
    lights: list[Light] = [
        Light(
            id="ambient",
            type="hemisphere",
            color=(1.0, 0.98, 0.95),
            ground_color=(0.45, 0.38, 0.30),
            intensity=1.0,
        )
    ]
    walkable: list[WalkableArea] = []
    meta_rooms: list[Room] = []
    # exhibit id -> its image bytes, for the pictures that are drawn
    drawn = {
        e.id: pictures[e.picture]
        for e in spec.exhibits
        if isinstance(e, WallExhibit) and e.picture is not None
    }

    for i, room in enumerate(rooms):
        h = room.spec.wall_height
        zh = room.depth / 2
        rid = room.spec.id
        # floor, ceiling, long walls (walls overlap the corners so no seam shows)
        asm.add("gallery_oak", _floor_rect(room.x0, room.x1, -zh, zh, 0.0))
        asm.add("ceiling", _floor_rect(room.x0, room.x1, -zh, zh, h, up=False))
        for sign in (-1, 1):
            asm.add(
                "gallery_wall",
                box(
                    (room.width + 2 * t, h, t),
                    ((room.x0 + room.x1) / 2, h / 2, sign * (zh + t / 2)),
                ),
            )
        meta_rooms.append(
            Room(
                id=rid,
                name=room.spec.name,
                names=dict(room.spec.names),
                bounds_min=(room.x0, 0.0, -zh),
                bounds_max=(room.x1, h, zh),
            )
        )

        # the wall before this room: the entrance (first room) or a doorway
        if i == 0:
            x_wall = room.x0 - t / 2
            _add_all(
                asm,
                "gallery_wall",
                _wall_with_door(x_wall, zh + t, h, s.doorway_width, s.doorway_height),
            )
            # a closed door leaf set in the entrance, flush with the outside face
            asm.add(
                "seat_frame",
                box(
                    (0.06, s.doorway_height, s.doorway_width),
                    (room.x0 - t + 0.03, s.doorway_height / 2, 0),
                ),
            )
            asm.add(
                "metal",
                box((0.04, 0.03, 0.3), (room.x0 - t + 0.08, 1.05, -s.doorway_width / 2 + 0.25)),
            )
        else:
            prev = rooms[i - 1]
            x_wall = room.x0 - t / 2
            zmax = max(zh, prev.depth / 2) + t
            hmax = max(h, prev.spec.wall_height)
            _add_all(
                asm,
                "gallery_wall",
                _wall_with_door(x_wall, zmax, hmax, s.doorway_width, s.doorway_height),
            )
            walkable.append(
                WalkableArea(
                    id=f"door/{prev.spec.id}/{rid}",
                    vertices=_rect_xz(prev.x1, room.x0, -s.doorway_width / 2, s.doorway_width / 2),
                )
            )
            asm.add(
                "gallery_oak",
                _floor_rect(prev.x1, room.x0, -s.doorway_width / 2, s.doorway_width / 2, 0.0),
            )
        if i == len(rooms) - 1:
            asm.add("gallery_wall", box((t, h, room.depth + 2 * t), (room.x1 + t / 2, h / 2, 0.0)))

        # pictures: a dark backing per slot, the slot on its front face
        for wall, sign in (("north", -1), ("south", 1)):
            for n, hang in enumerate(room.walls[wall], start=1):
                cy = _picture_centre(hang.height, s)
                face_z = sign * zh
                asm.add(
                    "frame_slot",
                    box(
                        (
                            hang.width + 2 * BACKING_MARGIN,
                            hang.height + 2 * BACKING_MARGIN,
                            BACKING_DEPTH,
                        ),
                        (hang.along, cy, face_z - sign * BACKING_DEPTH / 2),
                        skip=("+z",) if sign > 0 else ("-z",),
                    ),
                )
                if hang.exhibit in drawn:
                    _add_picture(asm, hang, cy, face_z - sign * BACKING_DEPTH, sign, drawn)
                label = _add_label(asm, hang, cy, face_z, sign) if hang.exhibit else None
                slots.append(
                    ExhibitSlot(
                        id=f"{rid}/{wall}/{n}",
                        room=rid,
                        kind="wall",
                        position=(hang.along, cy, face_z - sign * BACKING_DEPTH),
                        normal=(0.0, 0.0, -float(sign)),
                        size=(hang.width, hang.height, 0.0),
                        exhibit=hang.exhibit,
                        label_center=label,
                        label_size=LABEL_SIZE if label else None,
                    )
                )

        # plinths in a row north of the walkway, a bench south of it
        z_row = -(
            s.walkway_width / 2
            + max((e.footprint[1] for e in room.plinths), default=0) / 2
            + s.plinth_margin
        )
        widths = [e.footprint[0] + 2 * s.plinth_margin for e in room.plinths]
        obstacles: list[tuple[float, float, float, float]] = []
        cursor = (room.x0 + room.x1) / 2 - (
            sum(widths) + s.plinth_gap * max(len(widths) - 1, 0)
        ) / 2
        for n, (e, w) in enumerate(zip(room.plinths, widths, strict=True), start=1):
            d = e.footprint[1] + 2 * s.plinth_margin
            cx = cursor + w / 2
            cursor += w + s.plinth_gap
            asm.add(
                "plinth",
                box((w, s.plinth_height, d), (cx, s.plinth_height / 2, z_row), skip=("-y",)),
            )
            obstacles.append((cx - w / 2, cx + w / 2, z_row - d / 2, z_row + d / 2))
            slots.append(
                ExhibitSlot(
                    id=f"{rid}/plinth/{n}",
                    room=rid,
                    kind="plinth",
                    position=(cx, s.plinth_height, z_row),
                    normal=(0.0, 1.0, 0.0),
                    size=(e.footprint[0], e.height, e.footprint[1]),
                    exhibit=e.id,
                )
            )
        bench_x, bench_z = (room.x0 + room.x1) / 2, s.walkway_width / 2 + 0.45
        top, legs = _bench(bench_x, bench_z)
        _add_all(asm, "lectern", top)
        _add_all(asm, "metal", legs)
        obstacles.append((bench_x - 0.9, bench_x + 0.9, bench_z - 0.25, bench_z + 0.25))
        walkable += _free_floor(f"room/{rid}", (room.x0, room.x1, -zh, zh), obstacles)

        _lighting(asm, lights, room, s)

    x_min = rooms[0].x0 - t
    x_max = rooms[-1].x1 + t
    z_max = max(r.depth for r in rooms) / 2 + t
    y_max = max(r.spec.wall_height for r in rooms)
    metadata = VenueMetadata(
        id=spec.id,
        name=spec.name,
        lang=spec.lang,
        names=dict(spec.names),
        kind="gallery",
        spec_hash=spec_hash,
        bounds_min=(x_min, 0.0, -z_max),
        bounds_max=(x_max, y_max, z_max),
        rooms=meta_rooms,
        exhibits=[_exhibit_meta(e, e.id in drawn) for e in spec.exhibits],
        spawn_points=[
            SpawnPoint(
                id="entrance", position=(rooms[0].x0 + 1.2, 0.0, 0.0), facing=(1.0, 0.0, 0.0)
            )
        ]
        + [
            SpawnPoint(
                id=f"room/{r.spec.id}",
                position=((r.x0 + r.x1) / 2, 0.0, 0.0),
                facing=(0.0, 0.0, -1.0),
            )
            for r in rooms
        ],
        walkable=walkable,
        exhibit_slots=slots,
        lights=lights,
    )
    glb, final = export_glb(asm, metadata)
    return BuiltVenue(glb=glb, metadata=final)


def _check_pictures(spec: GallerySpec, pictures: Mapping[str, bytes]) -> list[str]:
    problems = []
    for e in spec.exhibits:
        if isinstance(e, WallExhibit) and e.picture is not None:
            data = pictures.get(e.picture)
            if data is None:
                problems.append(f"exhibit {e.id!r}: picture {e.picture[:12]}... not given")
            elif hashlib.sha256(data).hexdigest() != e.picture:
                problems.append(f"exhibit {e.id!r}: picture bytes do not match their sha256")
    return problems


def _add_picture(
    asm: VenueAssembly, hang: _Hang, cy: float, face_z: float, sign: int, drawn: dict
) -> None:
    """The picture itself, its own node, just in front of its backing board."""
    z = face_z - sign * PICTURE_OFFSET
    w, h = hang.width / 2, hang.height / 2
    # counter-clockwise seen from the room: on the north wall (sign -1) the
    # viewer looks towards -z, so +x is to the right; on the south wall it is -x
    right = -sign
    corners = [
        (hang.along - right * w, cy - h, z),  # bottom left, as the visitor sees it
        (hang.along + right * w, cy - h, z),
        (hang.along + right * w, cy + h, z),
        (hang.along - right * w, cy + h, z),
    ]
    face = quad(corners)
    # the whole image over the quad (quad's own UVs are in metres)
    uvs = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    part = Part(face.vertices, face.normals, uvs, face.faces)
    asm.add_picture(PICTURE_NODE.format(id=hang.exhibit), part, drawn[hang.exhibit])


def _add_label(
    asm: VenueAssembly, hang: _Hang, cy: float, face_z: float, sign: int
) -> tuple[float, float, float]:
    """A white label card on the wall to the visitor's right of the work; returns the
    centre of its face (the client writes the title, author and date on it)."""
    right = -sign  # +x on the north wall (sign -1), -x on the south wall
    w, h = LABEL_SIZE
    x = hang.along + right * (hang.width / 2 + BACKING_MARGIN + LABEL_GAP + w / 2)
    bottom = cy - hang.height / 2
    y = min(max(bottom + h / 2, LABEL_LOW_Y), LABEL_TOP_Y)
    z = face_z - sign * LABEL_DEPTH / 2
    asm.add("plinth", box((w, h, LABEL_DEPTH), (x, y, z), skip=("+z",) if sign > 0 else ("-z",)))
    return (round(x, 4), round(y, 4), round(face_z - sign * LABEL_DEPTH, 4))


def _exhibit_meta(e: WallExhibit | ObjectExhibit, drawn: bool) -> ExhibitMeta:
    info = e.info.model_dump() if isinstance(e, WallExhibit) else {}
    size = (e.width, e.height) if isinstance(e, WallExhibit) else None
    return ExhibitMeta(
        id=e.id,
        room=e.room,
        title=e.title,
        titles=dict(e.titles),
        size_m=size,
        node=PICTURE_NODE.format(id=e.id) if drawn else None,
        **info,
    )


def _lighting(
    asm: VenueAssembly, lights: list[Light], room: _RoomLayout, s: GallerySpacing
) -> None:
    """Track rails with spots aimed at the hung walls, and a glowing ceiling panel."""
    h = room.spec.wall_height
    zh = room.depth / 2
    rid = room.spec.id
    rail_y = h - 0.05
    track_off = min(1.4, zh / 2)  # rail this far from the wall
    cx = (room.x0 + room.x1) / 2
    for wall, sign in (("north", -1), ("south", 1)):
        z_rail = sign * (zh - track_off)
        asm.add("metal", box((room.width - 0.6, 0.04, 0.06), (cx, rail_y, z_rail), skip=("+y",)))
        count = 1 if room.width <= 9 else MAX_SPOTS_PER_WALL
        seg = room.width / count
        for k in range(count):
            x = room.x0 + seg * (k + 0.5)
            pos = (x, rail_y - 0.25, z_rail)
            target = (x, s.eye_height, sign * zh)
            dist = math.dist(pos, target)
            # cone wide enough to wash this spot's share of the wall
            angle = min(math.atan((seg / 2 + 0.5) / dist), 1.05)
            lights.append(
                Light(
                    id=f"{rid}/spot/{wall}/{k + 1}",
                    type="spot",
                    color=(1.0, 0.95, 0.86),
                    intensity=round(3.0 * dist**2, 1),  # candela: ~3 lux on the wall centre
                    position=pos,
                    target=target,
                    distance=0.0,
                    angle=round(angle, 3),
                    penumbra=0.5,
                )
            )
            asm.add("metal", box((0.1, 0.22, 0.1), (x, rail_y - 0.13, z_rail), skip=("+y",)))
    # a diffuse ceiling panel over the room centre and a point light below it
    pw, pd = min(room.width * 0.5, 6.0), min(room.depth * 0.3, 2.0)
    asm.add(
        "light_fixture", _floor_rect(cx - pw / 2, cx + pw / 2, -pd / 2, pd / 2, h - 0.01, up=False)
    )
    lights.append(
        Light(
            id=f"{rid}/ceiling",
            type="point",
            color=(1.0, 0.96, 0.9),
            intensity=round(2.0 * h**2, 1),
            position=(cx, h - 0.4, 0.0),
            distance=0.0,
        )
    )


__all__ = [
    "GallerySpec",
    "GalleryRoomSpec",
    "GallerySpacing",
    "ObjectExhibit",
    "WallExhibit",
    "build_gallery",
]
