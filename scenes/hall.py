"""Concert halls and proscenium theatres (kinds ``concert_hall`` and ``theatre``:
one builder, the kind only says what the venue is called).

Layout (metres, Y up): the stage front edge lies on z = 0 at x in
[-stage width / 2, +stage width / 2], the stage floor at the stage height, the
auditorium floor at y = 0 in front of the stage. The stage (and the proscenium,
the screen behind it) is at z < 0; the audience sits at z > 0 and **looks towards
-Z**. House left (seat number 1) is -X. Stalls rows are arcs around a point behind
the stage front, on a progressive rake; an optional balcony at the back shares
the arcs' centre and overhangs the rear stalls.

A drama theatre is the same builder with other numbers (a narrower proscenium,
a screen that fills it, dark frame). The spec is what an institution edits:
see ``scenes/specs/philharmonic.toml``.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import hall_hints, seating
from .assembly import BuiltVenue, VenueAssembly, export_glb
from .errors import SpecError
from .geometry import (
    Part,
    box,
    concatenate,
    cylinder,
    flipped,
    inward_box,
    quads,
    translation,
    unit_quad_uv,
    vertical_strip,
)
from .metadata import Light, Room, ScreenRect, SpawnPoint, Stage, VenueMetadata, WalkableArea
from .texts import LANG_FIELD, Names, builtin_room_name

log = logging.getLogger(__name__)

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
PROSCENIUM_THICKNESS = 0.6
BALCONY_SLAB = 0.45  # balcony floor to soffit
PARAPET_DEPTH = 0.2
MIN_HEADROOM = 2.3  # soffit above a tread, and ceiling above the top balcony tread
MIN_PARAPET = 0.6
FRONT_STRIP = 0.4  # least floor between the stage front and the first tread
VALANCE = 0.6  # curtain border across the top of the proscenium opening


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoomSpec(_Spec):
    """The auditorium box; its length follows from the rows."""

    width_m: float = Field(gt=4, le=80)
    height_m: float = Field(gt=3, le=40)
    rear_walkway_m: float = Field(
        default=1.6, ge=0.8, le=10, description="Foyer strip behind the last row"
    )
    wall_panels: bool = True


class StageSpec(_Spec):
    width_m: float = Field(gt=1, le=60)
    depth_m: float = Field(gt=1, le=40, description="From the stage front edge to the back wall")
    height_m: float = Field(
        ge=0, le=2, description="Stage floor above the auditorium floor at its front"
    )
    apron_m: float = Field(default=1.5, ge=0, le=10, description="Stage in front of the proscenium")


class ProsceniumSpec(_Spec):
    width_m: float = Field(gt=1, le=60, description="Opening width")
    height_m: float = Field(gt=1, le=30, description="Opening height above the stage floor")
    style: Literal["gilt", "dark"] = "gilt"
    curtains: bool = True
    curtain_width_m: float = Field(
        default=1.2, ge=0, le=10, description="Drawn curtain on each side"
    )


class ScreenSpec(_Spec):
    width_m: float = Field(gt=0.5, le=40)
    height_m: float = Field(gt=0.3, le=25)
    bottom_m: float = Field(ge=0, le=20, description="Bottom edge above the stage floor")
    setback_m: float = Field(default=0.5, ge=0.05, le=20, description="Behind the proscenium")


class _RowsSpec(_Spec):
    rows: int = Field(ge=1, le=60)
    seats_per_row: int = Field(ge=1, le=200, description="Seats in row A")
    seats_added_per_row: float = Field(
        default=0.0,
        ge=-5,
        le=10,
        description="Each row has this many more seats than the one in front",
    )
    seat_width_m: float = Field(default=0.55, ge=0.45, le=0.9)
    row_spacing_m: float = Field(default=0.95, ge=0.75, le=1.6)
    aisles: int = Field(default=2, ge=0, le=8)
    aisle_width_m: float = Field(default=1.1, ge=0.6, le=4)
    side_aisle_width_m: float = Field(
        default=1.2, ge=0.0, le=6, description="Between the end seats and the side wall"
    )
    rise_per_row_m: float | None = Field(default=None, ge=0, le=1.0, description="Constant rake")
    design_c_value_mm: float | None = Field(
        default=None, ge=0, le=300, description="Progressive rake giving this C-value"
    )
    max_rise_per_row_m: float = Field(default=0.6, gt=0, le=1.0)
    min_c_value_mm: float = Field(
        default=60, ge=60, le=300, description="Refuse the spec below this"
    )

    @model_validator(mode="after")
    def _one_rake(self):
        if (self.rise_per_row_m is None) == (self.design_c_value_mm is None):
            raise ValueError("give exactly one of rise_per_row_m and design_c_value_mm")
        return self

    def counts(self) -> np.ndarray:
        r = np.arange(self.rows)
        return np.maximum(np.round(self.seats_per_row + r * self.seats_added_per_row), 0).astype(
            int
        )


class StallsSpec(_RowsSpec):
    first_row_distance_m: float = Field(
        default=3.0, ge=1.0, le=20, description="Stage front to row A, on the centre line"
    )
    row_curve_radius_m: float | None = Field(
        default=None, gt=2, description="Radius of row A; omit for straight rows"
    )


class BalconySpec(_RowsSpec):
    floor_height_m: float | None = Field(
        default=None, gt=2, le=30, description="Balcony front floor above y = 0"
    )
    clearance_m: float | None = Field(
        default=None,
        ge=MIN_HEADROOM,
        le=10,
        description="Or: headroom under the balcony over the highest stalls row it overhangs "
        "(the balcony then follows the stalls: fewer rows, a lower balcony)",
    )
    overhang_m: float = Field(
        default=4.0, ge=0, le=20, description="How far the front reaches over the stalls"
    )
    parapet_height_m: float = Field(default=0.8, ge=MIN_PARAPET, le=1.2)

    @model_validator(mode="after")
    def _one_height(self):
        if (self.floor_height_m is None) == (self.clearance_m is None):
            raise ValueError("give exactly one of floor_height_m and clearance_m")
        return self

    @property
    def height_setting(self) -> str:
        return "floor_height_m" if self.floor_height_m is not None else "clearance_m"


class HallSpec(_Spec):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=120)
    lang: str = LANG_FIELD
    names: Names = {}
    kind: Literal["concert_hall", "theatre"]
    room: RoomSpec
    stage: StageSpec
    proscenium: ProsceniumSpec
    screen: ScreenSpec
    stalls: StallsSpec
    balcony: BalconySpec | None = None

    def min_c_mm(self) -> dict[str, float]:
        """The least C-value (mm) each seating section must reach."""
        out = {"stalls": self.stalls.min_c_value_mm}
        if self.balcony is not None:
            out["balcony"] = self.balcony.min_c_value_mm
        return out


# --- builder ----------------------------------------------------------------------------


@dataclass
class _Hall:
    """What the parts of a hall are added to while it is built."""

    spec: HallSpec
    asm: VenueAssembly = field(default_factory=VenueAssembly)
    problems: list[str] = field(default_factory=list)
    walk: list[WalkableArea] = field(default_factory=list)
    spawns: list[SpawnPoint] = field(default_factory=list)
    layouts: list[seating.SectionLayout] = field(default_factory=list)
    hints: list[hall_hints.Hint] = field(default_factory=list)  # shown with a refusal

    @property
    def half(self) -> float:
        return self.spec.room.width_m / 2

    @property
    def z_pro(self) -> float:
        """The audience face of the proscenium wall."""
        return -self.spec.stage.apron_m

    def focus(self) -> tuple[np.ndarray, np.ndarray]:
        """The stage front edge, which every seat must see over the heads in front."""
        st = self.spec.stage
        return (
            np.array([-st.width_m / 2, st.height_m, 0.0]),
            np.array([st.width_m / 2, st.height_m, 0.0]),
        )

    def spawn(self, spawn_id: str, x: float, y: float, z: float) -> None:
        self.spawns.append(
            SpawnPoint(id=spawn_id, position=_r3([x, y, z]), facing=(0.0, 0.0, -1.0))
        )


@dataclass(frozen=True)
class _Stalls:
    center_z: float
    back_z: float  # the straight back wall of the stalls
    back_y: float  # floor height of the rear walkway
    layout: seating.SectionLayout


def build_hall(spec: HallSpec, spec_hash: str) -> BuiltVenue:
    """Build a concert hall or theatre; raise :class:`SpecError` naming the seats
    and reasons when the spec cannot make a good one."""
    t0 = time.perf_counter()
    hall = _Hall(spec)
    x_edges = _columns(spec.room.width_m)
    _check_frame(hall)
    stalls = _stalls(hall, x_edges)
    z_end = stalls.back_z
    if spec.balcony is not None:
        z_end = _balcony(hall, spec.balcony, stalls, x_edges)
    screen = _stage(hall)
    _auditorium(hall, z_end, stalls.back_z)
    for ly in hall.layouts:
        fabric, frame = seating.seat_parts(ly)
        hall.asm.add("seat_fabric", fabric)
        hall.asm.add("seat_frame", frame)
    if hall.problems:
        raise SpecError(spec.id, hall.problems)
    meta = _metadata(hall, spec_hash, screen, z_end)
    meta = _checked(hall.asm, meta, spec.min_c_mm(), hall.hints)
    glb, meta = export_glb(hall.asm, meta)
    log.info("built %s: %d seats in %.2f s", spec.id, len(meta.seats), time.perf_counter() - t0)
    return BuiltVenue(glb=glb, metadata=meta)


def _check_frame(hall: _Hall) -> None:
    spec = hall.spec
    W, H = spec.room.width_m, spec.room.height_m
    st, pr, sc = spec.stage, spec.proscenium, spec.screen
    if pr.width_m > W - 1:
        hall.problems.append(
            f"proscenium: opening {pr.width_m} m does not fit the room width {W} m"
        )
    if pr.width_m > st.width_m:
        hall.problems.append(
            f"proscenium: opening {pr.width_m} m wider than the stage {st.width_m} m"
        )
    if st.height_m + pr.height_m > H - 0.5:
        hall.problems.append(
            f"proscenium: opening top {st.height_m + pr.height_m:.1f} m reaches the ceiling"
        )
    if st.width_m > W:
        hall.problems.append(f"stage: width {st.width_m} m wider than the room {W} m")
    if st.depth_m < st.apron_m + PROSCENIUM_THICKNESS + sc.setback_m + 1:
        hall.problems.append("stage: too shallow for its apron, proscenium and screen")


def _section(
    hall: _Hall, name: str, rows: _RowsSpec, center_z: float, radius_a: float, first_floor: float
) -> seating.SectionLayout:
    """Lay out one section's seats on its arcs and raise its rows (the rake)."""
    radii = radius_a + rows.row_spacing_m * np.arange(rows.rows)
    lay = seating.layout_section(
        name, center_z, radii, rows.counts(), rows.seat_width_m, rows.aisles, rows.aisle_width_m
    )
    c_design = None if rows.design_c_value_mm is None else rows.design_c_value_mm / 1000
    floors = seating.design_rake(
        lay, hall.focus(), first_floor, c_design, rows.rise_per_row_m, rows.max_rise_per_row_m
    )
    hint = hall_hints.rake_hint(
        name, lay, hall.focus(), first_floor, c_design, rows.max_rise_per_row_m
    )
    if hint is not None:
        hall.hints.append(hint)
    lay = lay.with_floors(floors)
    hall.problems.extend(_fit_problems(lay, hall.half, rows.side_aisle_width_m))
    hall.layouts.append(lay)
    return lay


def _stalls(hall: _Hall, x_edges: np.ndarray) -> _Stalls:
    """Stalls seats, their treads, the floor in front and the rear walkway."""
    spec, asm = hall.spec, hall.asm
    st, stalls, room = spec.stage, spec.stalls, spec.room
    s = stalls.row_spacing_m
    radius_a = stalls.row_curve_radius_m or seating.STRAIGHT_RADIUS
    zc = stalls.first_row_distance_m - radius_a
    lay = _section(hall, "stalls", stalls, zc, radius_a, 0.0)
    radii = lay.radii
    back_z = float(zc + radii[-1] + s / 2 + room.rear_walkway_m)
    edges = np.concatenate([radii - s / 2, [radii[-1] + s / 2]])
    tr = seating.arc_treads("stalls", zc, edges, lay.floors, x_edges, 0.0, z_min=FRONT_STRIP)
    asm.add("carpet", tr.tops)
    asm.add("wall_panel", tr.risers)
    hall.walk += tr.walkable
    front, front_walk = seating.band("front", x_edges, 0.0, tr.z_edges[0], 0.0)
    asm.add("parquet", front)
    hall.walk += front_walk
    back_y = float(lay.floors[-1])
    rear = np.full_like(x_edges, back_z)
    foyer, foyer_walk = seating.band("stalls-foyer", x_edges, tr.z_edges[-1], rear, back_y)
    asm.add("parquet", foyer)
    hall.walk += foyer_walk
    # floor beside the stage, between the proscenium and the stage front
    for sign, side in ((-1, "left"), (1, "right")):
        x0, x1 = sorted((sign * st.width_m / 2, sign * hall.half))
        if x1 - x0 > 0.01 and st.apron_m > 0:
            asm.add("parquet", seating.floor_rect(x0, x1, hall.z_pro, 0.0, 0.0))
            hall.walk.append(
                seating.rect_walkable(f"stage-side/{side}", x0, x1, hall.z_pro, 0.0, 0.0)
            )
    z_spawn = back_z - room.rear_walkway_m / 2
    hall.spawn("stalls-back", 0.0, back_y, z_spawn)
    for sign, side in ((-1, "left"), (1, "right")):
        hall.spawn(
            f"stalls-back-{side}",
            sign * (hall.half - stalls.side_aisle_width_m / 2),
            back_y,
            z_spawn,
        )
    hall.spawns.extend(_aisle_spawns(lay))
    return _Stalls(zc, back_z, back_y, lay)


def _balcony(hall: _Hall, bal: BalconySpec, stalls: _Stalls, x_edges: np.ndarray) -> float:
    """The balcony over the rear stalls: raked treads, parapet with a gilt rail,
    soffit; returns the back wall's z (the balcony may reach further back)."""
    spec, asm = hall.spec, hall.asm
    room = spec.room
    zc = stalls.center_z
    bs = bal.row_spacing_m
    front_r = stalls.back_z - bal.overhang_m - zc
    floor_y = _balcony_floor(spec.stalls, bal, stalls, front_r)
    lay = _section(hall, "balcony", bal, zc, front_r + PARAPET_DEPTH + bs / 2, floor_y)
    radii = lay.radii
    z_end = max(stalls.back_z, float(zc + radii[-1] + bs / 2 + room.rear_walkway_m))
    edges = np.concatenate([[front_r + PARAPET_DEPTH], radii[1:] - bs / 2, [radii[-1] + bs / 2]])
    tr = seating.arc_treads("balcony", zc, edges, lay.floors, x_edges, floor_y)
    asm.add("carpet", tr.tops)
    asm.add("wall_panel", tr.risers)
    hall.walk += tr.walkable
    top_y = float(lay.floors[-1])
    rear = np.full_like(x_edges, z_end)
    foyer, foyer_walk = seating.band("balcony-foyer", x_edges, tr.z_edges[-1], rear, top_y)
    asm.add("parquet", foyer)
    hall.walk += foyer_walk
    hall.spawn("balcony-back", 0.0, top_y, z_end - room.rear_walkway_m / 2)

    # parapet: fascia towards the stage, gilt rail on top, plain back face; soffit below
    soffit_y = floor_y - BALCONY_SLAB
    rail_y = floor_y + bal.parapet_height_m
    zf = seating.arc_z(zc, front_r, x_edges)
    zf2 = seating.arc_z(zc, front_r + PARAPET_DEPTH, x_edges)
    asm.add("wall", vertical_strip(x_edges, zf, soffit_y, rail_y - 0.12))
    asm.add("gilt", vertical_strip(x_edges, zf, rail_y - 0.12, rail_y))
    rail, _ = seating.band("rail", x_edges, zf, zf2, rail_y)
    asm.add("gilt", rail)
    asm.add("wall", vertical_strip(x_edges, zf2, floor_y, rail_y, facing_stage=False))
    soffit, _ = seating.band("soffit", x_edges, zf, rear, soffit_y)
    asm.add("ceiling", flipped(soffit))
    if stalls.back_z < z_end:
        # the wall closing the space under the balcony behind the stalls
        wall = vertical_strip(x_edges[[0, -1]], [stalls.back_z] * 2, stalls.back_y, soffit_y)
        asm.add("wall_panel", wall)

    sl = stalls.layout
    under = sl.radii + spec.stalls.row_spacing_m / 2 > front_r
    for r in np.nonzero(under)[0]:
        headroom = soffit_y - sl.floors[r]
        if headroom < MIN_HEADROOM:
            hall.problems.append(
                f"stalls/{seating.row_label(int(r))}: only {headroom:.2f} m under the balcony "
                f"(at least {MIN_HEADROOM} m; raise balcony.{bal.height_setting} by "
                f"{MIN_HEADROOM - headroom:.2f} m or reduce its overhang)"
            )
    if room.height_m - top_y < MIN_HEADROOM + 0.5:
        hall.problems.append(
            f"balcony: last row {room.height_m - top_y:.2f} m below the ceiling "
            "(room.height_m too low)"
        )
    height = bal.floor_height_m if bal.floor_height_m is not None else bal.clearance_m
    hint = hall_hints.balcony_front_hint(
        lay, hall.focus(), front_r, rail_y, height_setting=bal.height_setting,
        height_value=float(height or 0.0), parapet_m=bal.parapet_height_m,
        min_parapet_m=MIN_PARAPET,
    )  # fmt: skip
    if hint is not None:
        hall.hints.append(hint)
    return z_end


def _balcony_floor(
    stalls_spec: StallsSpec, bal: BalconySpec, stalls: _Stalls, front_r: float
) -> float:
    """The balcony front's floor height: as given, or ``clearance_m`` above the
    highest stalls tread under it (plus the slab), so it follows the stalls."""
    if bal.floor_height_m is not None:
        return bal.floor_height_m
    sl = stalls.layout
    under = sl.radii + stalls_spec.row_spacing_m / 2 > front_r
    base = float(sl.floors[under].max()) if under.any() else stalls.back_y
    return round(base + float(bal.clearance_m or 0.0) + BALCONY_SLAB, 3)


def _stage(hall: _Hall) -> np.ndarray:
    """Stage, stage house, proscenium with frame and curtains, and the screen;
    returns the screen's corners (bottom-left, bottom-right, top-right, top-left)."""
    spec, asm = hall.spec, hall.asm
    st, pr, sc = spec.stage, spec.proscenium, spec.screen
    H, half = spec.room.height_m, hall.half
    sh, sw, depth = st.height_m, st.width_m, st.depth_m
    z_pro = hall.z_pro
    z_back = z_pro - PROSCENIUM_THICKNESS
    frame = "gilt" if pr.style == "gilt" else "stage_black"
    asm.add("stage_floor", seating.floor_rect(-sw / 2, sw / 2, -depth, 0.0, sh))
    asm.add("stage_black", box((sw, sh, 0.02), (0, sh / 2, 0.0), skip=("-y", "+y", "-z")))
    asm.add(frame, box((sw, 0.06, 0.04), (0, sh - 0.03, 0.02), skip=("-y",)))
    # stage house: a dark box behind the proscenium
    house_h = sh + pr.height_m + 3
    hw = max(sw, pr.width_m + 2) / 2
    asm.add("stage_black", inward_box(-hw, hw, 0.0, house_h, -depth, z_back))
    if sw / 2 < hw:
        for sign in (-1, 1):
            x0, x1 = sorted((sign * sw / 2, sign * hw))
            asm.add("stage_black", seating.floor_rect(x0, x1, -depth, z_back, sh))

    # proscenium wall around its opening, seen from the audience only
    ow, oh = pr.width_m / 2, sh + pr.height_m
    t = PROSCENIUM_THICKNESS
    side = (half - ow, H, t)
    asm.add(
        "wall", box(side, (-(half + ow) / 2, H / 2, z_pro - t / 2), skip=("-z", "-y", "+y", "-x"))
    )
    asm.add(
        "wall", box(side, ((half + ow) / 2, H / 2, z_pro - t / 2), skip=("-z", "-y", "+y", "+x"))
    )
    top = (2 * ow, H - oh, t)
    asm.add("wall", box(top, (0, (H + oh) / 2, z_pro - t / 2), skip=("-z", "+y", "-x", "+x")))
    fw = 0.45
    post = (fw, oh + fw, 0.25)
    asm.add(frame, box(post, (-ow - fw / 2, (oh + fw) / 2, z_pro + 0.125), skip=("-y", "-z")))
    asm.add(frame, box(post, (ow + fw / 2, (oh + fw) / 2, z_pro + 0.125), skip=("-y", "-z")))
    asm.add(
        frame, box((2 * ow, fw, 0.25), (0, oh + fw / 2, z_pro + 0.125), skip=("-z", "-x", "+x"))
    )
    if pr.curtains and pr.curtain_width_m > 0:
        cz, cw = z_back - 0.15, pr.curtain_width_m
        asm.add("curtain", _pleats(-ow, -ow + cw, cz, sh, oh))
        asm.add("curtain", _pleats(ow - cw, ow, cz, sh, oh))
        asm.add("curtain", _pleats(-ow, ow, cz + 0.02, oh - VALANCE, oh))  # valance

    # the screen, on a black border, hung behind the proscenium
    zs = z_back - sc.setback_m
    y0 = sh + sc.bottom_m
    y1 = y0 + sc.height_m
    hw_s = sc.width_m / 2
    corners = np.array([[-hw_s, y0, zs], [hw_s, y0, zs], [hw_s, y1, zs], [-hw_s, y1, zs]])
    asm.add_named("screen", "screen", unit_quad_uv(corners))
    border = (sc.width_m + 0.3, sc.height_m + 0.3, 0.08)
    asm.add("stage_black", box(border, (0, (y0 + y1) / 2, zs - 0.05), skip=("-z",)))
    if zs < -depth + 0.2:
        hall.problems.append("screen: set back behind the stage's back wall")
    return corners


def _auditorium(hall: _Hall, z_end: float, stalls_back: float) -> None:
    """Side and back walls, ceiling, panelling, light fixtures."""
    spec, asm = hall.spec, hall.asm
    H, half, z0 = spec.room.height_m, hall.half, hall.z_pro
    walls = np.array(
        [
            [[-half, 0, z_end], [-half, 0, z0], [-half, H, z0], [-half, H, z_end]],
            [[half, 0, z0], [half, 0, z_end], [half, H, z_end], [half, H, z0]],
            [[half, 0, z_end], [-half, 0, z_end], [-half, H, z_end], [half, H, z_end]],
        ]
    )
    asm.add("wall", quads(walls))
    ceiling = [[-half, H, z0], [half, H, z0], [half, H, z_end], [-half, H, z_end]]
    asm.add("ceiling", quads(np.array([ceiling])))
    if spec.room.wall_panels:
        _wall_decor(asm, half, H, z0, z_end)
    _ceiling_lights(asm, half, H, z0, z_end)
    if spec.proscenium.style == "gilt":
        _chandeliers(asm, H, np.linspace(5.0, stalls_back - 5.0, 3))
        # coffered ceiling: wooden beams across the hall, between the light rows
        beams = [
            box((2 * half, 0.45, 0.5), (0, H - 0.225, z), skip=("+y", "-x", "+x"))
            for z in np.arange(z0 + 1.5, z_end - 1.0, 5.0)
        ]
        asm.add("wall_panel", concatenate(beams))


def _metadata(hall: _Hall, spec_hash: str, corners: np.ndarray, z_end: float) -> VenueMetadata:
    spec = hall.spec
    st, sc, pr = spec.stage, spec.screen, spec.proscenium
    H, half = spec.room.height_m, hall.half
    house_h = st.height_m + pr.height_m + 3
    hw = max(st.width_m, pr.width_m + 2) / 2
    focus = hall.focus()
    seats = [seat for ly in hall.layouts for seat in seating.seat_metadata(ly)]
    auditorium_name, auditorium_names = builtin_room_name("auditorium", spec.lang)
    stage_name, stage_names = builtin_room_name("stage", spec.lang)
    return VenueMetadata(
        id=spec.id,
        name=spec.name,
        lang=spec.lang,
        names=dict(spec.names),
        kind=spec.kind,
        spec_hash=spec_hash,
        bounds_min=_r3([-half, 0, -st.depth_m]),
        bounds_max=_r3([half, max(H, house_h), z_end]),
        rooms=[
            Room(
                id="auditorium",
                name=auditorium_name,
                names=auditorium_names,
                bounds_min=_r3([-half, 0, hall.z_pro]),
                bounds_max=_r3([half, H, z_end]),
            ),
            Room(
                id="stage",
                name=stage_name,
                names=stage_names,
                bounds_min=_r3([-hw, 0, -st.depth_m]),
                bounds_max=_r3([hw, house_h, 0]),
            ),
        ],
        stage=Stage(
            height=st.height_m,
            width=st.width_m,
            depth=st.depth_m,
            front_edge=(_r3(focus[0]), _r3(focus[1])),
            center=_r3([0, st.height_m, -st.depth_m / 2]),
        ),
        screen=ScreenRect(
            center=_r3(corners.mean(axis=0)),
            normal=(0.0, 0.0, 1.0),
            up=(0.0, 1.0, 0.0),
            width=sc.width_m,
            height=sc.height_m,
            corners=tuple(_r3(c) for c in corners),  # type: ignore[arg-type]
        ),
        seats=seats,
        spawn_points=hall.spawns,
        walkable=hall.walk,
        lights=_lights(spec, H, z_end, st.depth_m),
    )


def _r3(v) -> tuple[float, float, float]:
    return tuple(round(float(c), 3) + 0.0 for c in v)  # type: ignore[return-value]


def _columns(width: float, target: float = 2.0) -> np.ndarray:
    m = max(2, 2 * math.ceil(width / (2 * target)))  # even: x = 0 is a column edge
    return np.linspace(-width / 2, width / 2, m + 1)


def _fit_problems(layout: seating.SectionLayout, half_room: float, side_aisle: float) -> list[str]:
    """Seats whose outer edge crosses into the side aisle or the wall."""
    limit = half_room - side_aisle
    reach = (
        np.abs(layout.x)
        + layout.seat_width / 2 * np.abs(np.cos(layout.yaw))
        + 0.3 * np.abs(np.sin(layout.yaw))
    )
    problems = []
    for r in np.unique(layout.row[reach > limit + 1e-6]):
        sel = (layout.row == r) & (reach > limit + 1e-6)
        label = seating.row_label(int(r))
        problems.append(
            f"{layout.name}/{label}/{seating.number_ranges(layout.number[sel])}: seats do not fit "
            f"the room width (they reach {reach[sel].max():.2f} m from the centre line, "
            f"{limit:.2f} m allowed inside {side_aisle:.2f} m side aisles)"
        )
    return problems


def _pleats(x0: float, x1: float, z: float, y0: float, y1: float, depth: float = 0.12) -> Part:
    """A gathered curtain: vertical strips zig-zagging in z, facing +Z."""
    n = max(2, int(abs(x1 - x0) / 0.16))
    xs = np.linspace(x0, x1, n + 1)
    zs = z + depth * (np.arange(n + 1) % 2)
    return vertical_strip(xs[::-1], zs[::-1], y0, y1)


def _checked(
    asm: VenueAssembly,
    meta: VenueMetadata,
    min_c: dict[str, float],
    hints: list[hall_hints.Hint] | None = None,
) -> VenueMetadata:
    """Run the theatre checks on the built geometry; refuse the spec if any fails,
    saying first what to change (the hints that concern the failures)."""
    from .checks import geometry_from_assembly, run_checks

    report = run_checks(geometry_from_assembly(asm), meta, min_c_mm=min_c)
    if report.problems:
        raise SpecError(
            meta.id, hall_hints.relevant(hints or [], report.problems) + report.problems
        )
    return meta.model_copy(update={"sightlines": report.sightlines})


def _wall_decor(asm: VenueAssembly, half: float, H: float, z0: float, z1: float) -> None:
    """Wooden pilasters and a gilt cornice along the side walls."""
    n = max(2, int((z1 - z0) / 4.0))
    zs = np.linspace(z0 + 2.0, z1 - 1.5, n)
    parts = []
    for sign in (-1, 1):
        x = sign * (half - 0.08)
        for z in zs:
            parts.append(
                box(
                    (0.16, H - 1.2, 0.7),
                    (x, (H - 1.2) / 2, z),
                    skip=("-y", "+x" if sign > 0 else "-x"),
                )
            )
    asm.add("wall_panel", concatenate(parts))
    cornice = [
        box(
            (0.3, 0.35, z1 - z0),
            (sign * (half - 0.15), H - 0.175, (z0 + z1) / 2),
            skip=("+x" if sign > 0 else "-x", "+y"),
        )
        for sign in (-1, 1)
    ]
    asm.add("gilt", concatenate(cornice))


def _chandeliers(asm: VenueAssembly, H: float, zs) -> None:
    """Glowing drums in gilt rings hanging on rods over the centre of the stalls."""
    glow, gilt, rods = [], [], []
    for z in zs:
        y = H - 2.6
        glow.append(cylinder(0.75, 0.7, sections=12).transformed(translation((0, y - 0.7, z))))
        gilt.append(cylinder(1.05, 0.12, sections=12).transformed(translation((0, y - 0.35, z))))
        gilt.append(cylinder(0.5, 0.25, sections=8).transformed(translation((0, y, z))))
        rods.append(cylinder(0.03, 2.4, sections=4).transformed(translation((0, y + 0.2, z))))
    asm.add("light_fixture", concatenate(glow))
    asm.add("gilt", concatenate(gilt))
    asm.add("metal", concatenate(rods))


def _ceiling_lights(asm: VenueAssembly, half: float, H: float, z0: float, z1: float) -> None:
    """Rows of round-ish ceiling fixtures (flattened boxes) hanging just below it."""
    xs = np.linspace(-half * 0.6, half * 0.6, 3)
    zs = np.arange(z0 + 4.0, z1 - 2.0, 5.0)
    parts = [box((1.2, 0.25, 1.2), (x, H - 0.4, z), skip=("+y",)) for x in xs for z in zs]
    asm.add("light_fixture", concatenate(parts))
    # wall sconces: a glowing shade on a gilt back plate
    sconces, plates = [], []
    for sign in (-1, 1):
        out = "+x" if sign > 0 else "-x"
        for z in np.arange(z0 + 4.0, z1 - 1.0, 4.0):
            plates.append(box((0.04, 0.8, 0.45), (sign * (half - 0.02), H * 0.45, z), skip=(out,)))
            sconces.append(
                box((0.22, 0.4, 0.3), (sign * (half - 0.15), H * 0.45 + 0.1, z), skip=(out,))
            )
    asm.add("gilt", concatenate(plates))
    asm.add("light_fixture", concatenate(sconces))


def _aisle_spawns(lay: seating.SectionLayout) -> list[SpawnPoint]:
    """A spawn point in each aisle, at the middle row, facing the stage."""
    r = len(lay.radii) // 2
    sel = np.nonzero(lay.row == r)[0]
    out = []
    lasts = sel[lay.last[sel]][:-1]
    for k, i in enumerate(lasts):
        j = i + 1
        th = (lay.yaw[i] + lay.yaw[j]) / 2
        rad = lay.radii[r]
        x = rad * math.sin(th)
        z = lay.center_z + rad * math.cos(th)
        out.append(
            SpawnPoint(
                id=f"{lay.name}-aisle-{k + 1}",
                position=_r3([x, lay.floors[r], z]),
                facing=(round(-math.sin(th), 5), 0.0, round(-math.cos(th), 5)),
            )
        )
    return out


def _lights(spec: HallSpec, H: float, z_end: float, depth: float) -> list[Light]:
    sh = spec.stage.height_m
    sw = spec.stage.width_m
    lights = [
        Light(
            id="house-fill",
            type="hemisphere",
            color=(1.0, 0.9, 0.75),
            ground_color=(0.62, 0.5, 0.4),
            intensity=1.1,
        ),
    ]
    for k, x in enumerate((-sw / 4, 0.0, sw / 4)):
        lights.append(
            Light(
                id=f"stage-spot-{k + 1}",
                type="spot",
                color=(1.0, 0.92, 0.8),
                intensity=900.0,
                position=_r3([x, H - 1.0, 6.0]),
                target=_r3([x * 0.8, sh, -depth / 3]),
                angle=0.35,
                penumbra=0.6,
                distance=0.0,
            )
        )
    for k, z in enumerate(np.linspace(4.0, z_end - 3.0, 3)):
        lights.append(
            Light(
                id=f"house-{k + 1}",
                type="point",
                color=(1.0, 0.85, 0.65),
                intensity=120.0,
                position=_r3([0, H - 1.5, z]),
                distance=0.0,
            )
        )
    return lights


__all__ = [
    "BalconySpec",
    "HallSpec",
    "ProsceniumSpec",
    "RoomSpec",
    "ScreenSpec",
    "StageSpec",
    "StallsSpec",
    "build_hall",
]
