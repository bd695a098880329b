"""Chamber halls and lecture rooms (kinds ``chamber_hall`` and ``lecture_room``).

A box room with a flat floor (optionally a gentle constant rake), a low platform
(the stage) against the front wall with a lectern and, in a chamber hall, a grand
piano; the screen hangs on the front wall above the platform. Same conventions as
:mod:`scenes.hall`: the platform's front edge on z = 0, the platform at z < 0, the
audience at z > 0 **looking towards -Z**, house left (seat 1) at -X, floor at y = 0.

On a flat floor the sightline to the platform edge runs down into the heads in
front, so these rooms are checked against what the audience watches here, the
screen: C-values are taken to the bottom edge of the screen (see
:func:`scenes.checks.sightline_focus`).
"""

from __future__ import annotations

import logging
import math
import time
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import seating
from .assembly import BuiltVenue, VenueAssembly, export_glb
from .errors import SpecError
from .geometry import box, concatenate, cylinder, prism, quads, translation, unit_quad_uv
from .hall import SLUG, _checked, _fit_problems, _r3
from .metadata import Light, Room, ScreenRect, SpawnPoint, Stage, VenueMetadata, WalkableArea
from .texts import LANG_FIELD, Names

log = logging.getLogger(__name__)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChamberRoomSpec(_Spec):
    width_m: float = Field(gt=3, le=40)
    length_m: float = Field(
        gt=3, le=60, description="Front wall (behind the platform) to back wall"
    )
    height_m: float = Field(gt=2.4, le=20)
    finish: Literal["wood", "plain"] = "wood"
    floor: Literal["parquet", "carpet"] = "parquet"
    rear_walkway_m: float = Field(default=1.2, ge=0.8, le=10)


class PlatformSpec(_Spec):
    width_m: float = Field(gt=1, le=40)
    depth_m: float = Field(gt=1, le=20)
    height_m: float = Field(ge=0, le=1.2)
    lectern: bool = True
    piano: bool = False


class WallScreenSpec(_Spec):
    width_m: float = Field(gt=0.5, le=30)
    height_m: float = Field(gt=0.3, le=15)
    bottom_m: float = Field(ge=0, le=10, description="Bottom edge above the platform floor")


class ChamberSeatingSpec(_Spec):
    rows: int = Field(ge=1, le=40)
    seats_per_row: int = Field(ge=1, le=80, description="Seats in row A")
    seats_added_per_row: float = Field(default=0.0, ge=-5, le=10)
    seat_width_m: float = Field(default=0.52, ge=0.45, le=0.9)
    row_spacing_m: float = Field(default=0.9, ge=0.75, le=1.6)
    aisles: int = Field(default=1, ge=0, le=6)
    aisle_width_m: float = Field(default=1.0, ge=0.6, le=4)
    side_aisle_width_m: float = Field(default=0.9, ge=0.0, le=6)
    first_row_distance_m: float = Field(
        default=2.0, ge=0.8, le=15, description="Platform edge to row A"
    )
    row_curve_radius_m: float | None = Field(
        default=None, gt=2, description="Omit for straight rows"
    )
    rise_per_row_m: float = Field(default=0.0, ge=0, le=0.6, description="0 = flat floor")
    min_c_value_mm: float = Field(default=60, ge=60, le=300)


class ChamberSpec(_Spec):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=120)
    lang: str = LANG_FIELD
    names: Names = {}
    kind: Literal["chamber_hall", "lecture_room"]
    room: ChamberRoomSpec
    stage: PlatformSpec
    screen: WallScreenSpec
    seating: ChamberSeatingSpec

    def min_c_mm(self) -> dict[str, float]:
        """The least C-value (mm) the seats must reach (section "floor", or
        "stalls" when the rows are raked)."""
        section = "floor" if self.seating.rise_per_row_m == 0 else "stalls"
        return {section: self.seating.min_c_value_mm}


def build_chamber(spec: ChamberSpec, spec_hash: str) -> BuiltVenue:
    t0 = time.perf_counter()
    asm = VenueAssembly()
    problems: list[str] = []
    room, st, sc, se = spec.room, spec.stage, spec.screen, spec.seating
    W, H, L = room.width_m, room.height_m, room.length_m
    half = W / 2
    z_front = -st.depth_m  # the front wall, behind the platform
    z_back = L - st.depth_m
    sh = st.height_m
    if st.width_m > W:
        problems.append(f"stage: width {st.width_m} m wider than the room {W} m")
    if sc.width_m > W - 0.4:
        problems.append(f"screen: width {sc.width_m} m does not fit the front wall")
    if sh + sc.bottom_m + sc.height_m > H - 0.1:
        problems.append("screen: its top is above the ceiling")

    s = se.row_spacing_m
    radius_a = se.row_curve_radius_m or seating.STRAIGHT_RADIUS
    zc = se.first_row_distance_m - radius_a
    radii = radius_a + s * np.arange(se.rows)
    lay = seating.layout_section(
        "floor" if se.rise_per_row_m == 0 else "stalls",
        zc,
        radii,
        _counts(se),
        se.seat_width_m,
        se.aisles,
        se.aisle_width_m,
    )
    lay = lay.with_floors(se.rise_per_row_m * np.arange(se.rows))
    problems += _fit_problems(lay, half, se.side_aisle_width_m)
    x_edges = np.linspace(-half, half, 2 * max(1, math.ceil(W / 4)) + 1)
    last_edge = radii[-1] + s / 2
    needed = float(seating.arc_z(zc, last_edge, np.array([0.0]))[0]) + room.rear_walkway_m
    if needed > z_back + 1e-6:
        problems.append(
            f"{lay.name}/{seating.row_label(se.rows - 1)}: the rows need "
            f"{needed + st.depth_m:.2f} m of room length, the room has {L} m"
        )
    if problems:
        raise SpecError(spec.id, problems)

    floor_mat = room.floor
    walk: list[WalkableArea] = []
    if se.rise_per_row_m == 0:
        asm.add(floor_mat, seating.floor_rect(-half, half, z_front, z_back, 0.0))
        walk.append(seating.rect_walkable("floor", -half, half, 0.0, z_back, 0.0))
        back_y = 0.0
    else:
        edges = np.concatenate([radii - s / 2, [last_edge]])
        tr = seating.arc_treads(lay.name, zc, edges, lay.floors, x_edges, 0.0, z_min=0.4)
        first_edge = tr.z_edges[0]
        asm.add(floor_mat, seating.floor_rect(-half, half, z_front, 0.0, 0.0))
        front, fwalk = seating.band("front", x_edges, 0.0, first_edge, 0.0)
        asm.add(floor_mat, front)
        walk += fwalk
        asm.add(floor_mat, tr.tops)
        asm.add("wall_panel", tr.risers)
        walk += tr.walkable
        back_y = float(lay.floors[-1])
        z_last = tr.z_edges[-1]
        foyer, wwalk = seating.band("rear", x_edges, z_last, np.full_like(x_edges, z_back), back_y)
        asm.add(floor_mat, foyer)
        walk += wwalk
    for sign, side in ((-1, "left"), (1, "right")):
        x0, x1 = sorted((sign * st.width_m / 2, sign * half))
        if x1 - x0 > 0.3 and se.rise_per_row_m == 0:
            walk.append(seating.rect_walkable(f"platform-side/{side}", x0, x1, z_front, 0.0, 0.0))

    # platform
    sw = st.width_m
    if sh > 0:
        asm.add("stage_floor", seating.floor_rect(-sw / 2, sw / 2, z_front, 0.0, sh))
        asm.add(
            "wall_panel",
            box((sw, sh, st.depth_m), (0, sh / 2, z_front / 2), skip=("-y", "+y", "-z")),
        )
    else:
        asm.add("stage_floor", seating.floor_rect(-sw / 2, sw / 2, z_front, 0.0, 0.005))
    if st.lectern:
        _lectern(asm, sw / 2 * 0.6, sh, z_front * 0.45)
    if st.piano:
        _piano(asm, -sw / 2 * 0.35, sh, z_front * 0.5)

    # screen on the front wall, in a dark frame
    zs = z_front + 0.06
    y0 = sh + sc.bottom_m
    y1 = y0 + sc.height_m
    hw = sc.width_m / 2
    corners = np.array([[-hw, y0, zs], [hw, y0, zs], [hw, y1, zs], [-hw, y1, zs]])
    asm.add_named("screen", "screen", unit_quad_uv(corners))
    asm.add(
        "stage_black",
        box(
            (sc.width_m + 0.2, sc.height_m + 0.2, 0.05),
            (0, (y0 + y1) / 2, z_front + 0.025),
            skip=("-z",),
        ),
    )

    # walls, wainscot, ceiling, lights
    wall_quads = np.array(
        [
            [[-half, 0, z_back], [-half, 0, z_front], [-half, H, z_front], [-half, H, z_back]],
            [[half, 0, z_front], [half, 0, z_back], [half, H, z_back], [half, H, z_front]],
            [[half, 0, z_back], [-half, 0, z_back], [-half, H, z_back], [half, H, z_back]],
            [[-half, 0, z_front], [half, 0, z_front], [half, H, z_front], [-half, H, z_front]],
        ]
    )
    asm.add("wall", quads(wall_quads))
    asm.add(
        "ceiling",
        quads(
            np.array(
                [[[-half, H, z_front], [half, H, z_front], [half, H, z_back], [-half, H, z_back]]]
            )
        ),
    )
    if room.finish == "wood":
        dado = 1.1 + back_y
        panels = [
            box(
                (0.04, dado, L),
                (sign * (half - 0.02), dado / 2, (z_front + z_back) / 2),
                skip=("-y", "+x" if sign > 0 else "-x"),
            )
            for sign in (-1, 1)
        ]
        panels.append(box((W, dado, 0.04), (0, dado / 2, z_back - 0.02), skip=("-y", "+z")))
        # the front wall behind the platform is panelled to the ceiling, the side
        # walls carry slender wooden ribs (acoustic panelling, and it reads as a hall)
        panels.append(
            quads(
                np.array(
                    [
                        [
                            [-half, 0, z_front + 0.005],
                            [half, 0, z_front + 0.005],
                            [half, H, z_front + 0.005],
                            [-half, H, z_front + 0.005],
                        ]
                    ]
                )
            )
        )
        for sign in (-1, 1):
            for z in np.arange(z_front + 1.0, z_back - 0.5, 1.6):
                panels.append(
                    box(
                        (0.08, H - dado - 0.3, 0.18),
                        (sign * (half - 0.04), (H + dado - 0.3) / 2, z),
                        skip=("-y", "+x" if sign > 0 else "-x"),
                    )
                )
        asm.add("wall_panel", concatenate(panels))
    fixtures = [
        box((0.9, 0.08, 0.9), (x, H - 0.04, z), skip=("+y",))
        for x in np.linspace(-half / 2, half / 2, 2 if W < 14 else 3)
        for z in np.arange(z_front + 2.0, z_back - 0.5, 3.0)
    ]
    asm.add("light_fixture", concatenate(fixtures))

    seats = seating.seat_metadata(lay)
    fabric, frame = seating.seat_parts(lay)
    asm.add("seat_fabric", fabric)
    asm.add("seat_frame", frame)

    spawns = [
        SpawnPoint(
            id="back",
            position=(0.0, back_y, round(z_back - room.rear_walkway_m / 2, 3)),
            facing=(0.0, 0.0, -1.0),
        ),
        SpawnPoint(
            id="side",
            position=(
                round(-half + max(0.4, se.side_aisle_width_m / 2), 3),
                back_y,
                round(z_back - room.rear_walkway_m / 2, 3),
            ),
            facing=(0.0, 0.0, -1.0),
        ),
    ]
    meta = VenueMetadata(
        id=spec.id,
        name=spec.name,
        lang=spec.lang,
        names=dict(spec.names),
        kind=spec.kind,
        spec_hash=spec_hash,
        bounds_min=_r3([-half, 0, z_front]),
        bounds_max=_r3([half, H, z_back]),
        rooms=[
            Room(
                id="room",
                name=spec.name,
                names=dict(spec.names),
                bounds_min=_r3([-half, 0, z_front]),
                bounds_max=_r3([half, H, z_back]),
            )
        ],
        stage=Stage(
            height=sh,
            width=sw,
            depth=st.depth_m,
            front_edge=(_r3([-sw / 2, sh, 0]), _r3([sw / 2, sh, 0])),
            center=_r3([0, sh, z_front / 2]),
        ),
        screen=ScreenRect(
            center=_r3([0, (y0 + y1) / 2, zs]),
            normal=(0.0, 0.0, 1.0),
            up=(0.0, 1.0, 0.0),
            width=sc.width_m,
            height=sc.height_m,
            corners=tuple(_r3(c) for c in corners),  # type: ignore[arg-type]
        ),
        seats=seats,
        spawn_points=spawns,
        walkable=walk,
        lights=_lights(W, H, z_front, z_back, sh),
    )
    meta = _checked(asm, meta, spec.min_c_mm())
    glb, meta = export_glb(asm, meta)
    log.info("built %s: %d seats in %.2f s", spec.id, len(seats), time.perf_counter() - t0)
    return BuiltVenue(glb=glb, metadata=meta)


def _counts(se: ChamberSeatingSpec) -> np.ndarray:
    r = np.arange(se.rows)
    return np.maximum(np.round(se.seats_per_row + r * se.seats_added_per_row), 0).astype(int)


def _lectern(asm: VenueAssembly, x: float, y: float, z: float) -> None:
    body = box((0.6, 1.0, 0.45), (x, y + 0.5, z), skip=("-y",))
    top = box((0.7, 0.06, 0.55), (x, y + 1.05, z), skip=())
    asm.add("lectern", concatenate([body, top]))
    mic = cylinder(0.012, 0.35, sections=6).transformed(translation((x, y + 1.08, z - 0.15)))
    asm.add("metal", mic)


def _piano(asm: VenueAssembly, x: float, y: float, z: float) -> None:
    """A grand piano: curved case on three legs, lid up; keyboard towards house right."""
    t = np.linspace(0, math.pi, 9)
    # the case outline (x, z) counter-clockwise from above: straight spine, curved tail
    outline = [(-0.75, 0.7), (0.75, 0.7)] + [
        (0.75 - 0.5 * (1 - math.cos(a)) * 0.3, -0.2 - 0.9 * math.sin(a / 2)) for a in t[1:]
    ]
    outline = [(px + x, pz + z) for px, pz in outline]
    ring = np.array(outline)[::-1]
    case = prism(ring, y + 0.62, y + 0.98)
    legs = concatenate(
        [
            cylinder(0.05, 0.62, sections=6).transformed(translation((x + dx, y, z + dz)))
            for dx, dz in ((-0.6, 0.55), (0.6, 0.55), (0.2, -0.9))
        ]
    )
    lid = box((1.4, 0.03, 1.4), (x, y + 1.4, z - 0.2), skip=())
    asm.add("stage_black", concatenate([case, legs, lid]))
    asm.add("ceiling", box((1.3, 0.05, 0.22), (x, y + 0.75, z + 0.8), skip=("-y",)))  # keys


def _lights(W: float, H: float, z0: float, z1: float, sh: float) -> list[Light]:
    lights = [
        Light(
            id="room-fill",
            type="hemisphere",
            color=(1.0, 0.94, 0.84),
            ground_color=(0.62, 0.52, 0.42),
            intensity=1.3,
        )
    ]
    lights.append(
        Light(
            id="platform-spot",
            type="spot",
            color=(1.0, 0.93, 0.82),
            intensity=200.0,
            position=_r3([0, H - 0.3, 2.5]),
            target=_r3([0, sh, z0 / 2]),
            angle=0.6,
            penumbra=0.5,
            distance=0.0,
        )
    )
    for k, z in enumerate(np.linspace(z0 + 2, z1 - 1.5, 2)):
        lights.append(
            Light(
                id=f"room-{k + 1}",
                type="point",
                color=(1.0, 0.88, 0.7),
                intensity=40.0,
                position=_r3([0, H - 0.5, z]),
                distance=0.0,
            )
        )
    return lights


__all__ = [
    "ChamberRoomSpec",
    "ChamberSeatingSpec",
    "ChamberSpec",
    "PlatformSpec",
    "WallScreenSpec",
    "build_chamber",
]
