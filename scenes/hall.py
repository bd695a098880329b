"""Concert halls and proscenium theatres (kind ``concert_hall``).

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
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import seating
from .assembly import BuiltVenue, VenueAssembly, export_glb
from .errors import SpecError
from .geometry import Part, box, concatenate, cylinder, quads, translation, unit_quad_uv
from .metadata import (
    Light,
    Room,
    ScreenRect,
    Seat,
    SpawnPoint,
    Stage,
    VenueMetadata,
    WalkableArea,
)

log = logging.getLogger(__name__)

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
PROSCENIUM_THICKNESS = 0.6
BALCONY_SLAB = 0.45  # balcony floor to soffit
PARAPET_DEPTH = 0.2
MIN_HEADROOM = 2.3  # soffit above a tread, and ceiling above the top balcony tread
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
    floor_height_m: float = Field(gt=2, le=30, description="Balcony front floor above y = 0")
    overhang_m: float = Field(
        default=4.0, ge=0, le=20, description="How far the front reaches over the stalls"
    )
    parapet_height_m: float = Field(default=0.8, ge=0.6, le=1.2)


class HallSpec(_Spec):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["concert_hall"]
    room: RoomSpec
    stage: StageSpec
    proscenium: ProsceniumSpec
    screen: ScreenSpec
    stalls: StallsSpec
    balcony: BalconySpec | None = None


# --- builder ----------------------------------------------------------------------------


def _r3(v) -> tuple[float, float, float]:
    return tuple(round(float(c), 3) for c in v)  # type: ignore[return-value]


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
        nums = layout.number[sel]
        label = seating.row_label(int(r))
        problems.append(
            f"{layout.name}/{label}/{_ranges(nums)}: seats do not fit the room width "
            f"(they reach {reach[sel].max():.2f} m from the centre line, "
            f"{limit:.2f} m allowed inside {side_aisle:.2f} m side aisles)"
        )
    return problems


def _ranges(nums) -> str:
    nums = sorted(int(n) for n in nums)
    out, start, prev = [], nums[0], nums[0]
    for n in nums[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(out)


def _vertical_strip(x_edges, z_edges, y_lo, y_hi, facing_stage: bool = True) -> Part:
    """Vertical quads along a polyline (x_edges, z_edges) from y_lo to y_hi,
    facing -Z (the stage) or +Z."""
    xe, ze = np.asarray(x_edges), np.asarray(z_edges)
    lo = np.broadcast_to(np.asarray(y_lo, dtype=float), xe.shape)
    hi = np.broadcast_to(np.asarray(y_hi, dtype=float), xe.shape)
    a = np.stack([xe[1:], lo[1:], ze[1:]], -1)
    b = np.stack([xe[:-1], lo[:-1], ze[:-1]], -1)
    c = np.stack([xe[:-1], hi[:-1], ze[:-1]], -1)
    d = np.stack([xe[1:], hi[1:], ze[1:]], -1)
    q = np.stack([a, b, c, d], axis=1)
    if not facing_stage:
        q = q[:, ::-1]
    return quads(q)


def _pleats(x0: float, x1: float, z: float, y0: float, y1: float, depth: float = 0.12) -> Part:
    """A gathered curtain: vertical strips zig-zagging in z, facing +Z."""
    n = max(2, int(abs(x1 - x0) / 0.16))
    xs = np.linspace(x0, x1, n + 1)
    zs = z + depth * (np.arange(n + 1) % 2)
    return _vertical_strip(xs[::-1], zs[::-1], y0, y1)


def build_hall(spec: HallSpec, spec_hash: str) -> BuiltVenue:
    t0 = time.perf_counter()
    asm = VenueAssembly()
    problems: list[str] = []
    room, st, pr, sc, stalls = spec.room, spec.stage, spec.proscenium, spec.screen, spec.stalls
    W, H = room.width_m, room.height_m
    half = W / 2
    sh = st.height_m
    apron = st.apron_m
    z_pro = -apron  # audience face of the proscenium wall
    z_pro_back = z_pro - PROSCENIUM_THICKNESS
    if pr.width_m > W - 1:
        problems.append(f"proscenium: opening {pr.width_m} m does not fit the room width {W} m")
    if sh + pr.height_m > H - 0.5:
        problems.append(f"proscenium: opening top {sh + pr.height_m:.1f} m above the ceiling")
    if st.width_m > W:
        problems.append(f"stage: width {st.width_m} m wider than the room {W} m")
    if st.depth_m < apron + PROSCENIUM_THICKNESS + sc.setback_m + 1:
        problems.append("stage: too shallow for its apron, proscenium and screen")

    # --- seating layout -------------------------------------------------------------
    s = stalls.row_spacing_m
    radius_a = stalls.row_curve_radius_m or seating.STRAIGHT_RADIUS
    zc = stalls.first_row_distance_m - radius_a
    x_edges = _columns(W)
    focus = (np.array([-st.width_m / 2, sh, 0.0]), np.array([st.width_m / 2, sh, 0.0]))
    radii = radius_a + s * np.arange(stalls.rows)
    lay = seating.layout_section(
        "stalls",
        zc,
        radii,
        stalls.counts(),
        stalls.seat_width_m,
        stalls.aisles,
        stalls.aisle_width_m,
    )
    c_design = None if stalls.design_c_value_mm is None else stalls.design_c_value_mm / 1000
    lay = lay.with_floors(
        seating.design_rake(
            lay, focus, 0.0, c_design, stalls.rise_per_row_m, stalls.max_rise_per_row_m
        )
    )
    problems += _fit_problems(lay, half, stalls.side_aisle_width_m)
    layouts = [lay]
    stalls_back = float(zc + radii[-1] + s / 2 + room.rear_walkway_m)
    z_end = stalls_back
    walk: list[WalkableArea] = []
    spawns: list[SpawnPoint] = []

    # --- stalls floor ---------------------------------------------------------------------
    edges = np.concatenate([radii - s / 2, [radii[-1] + s / 2]])
    tr = seating.arc_treads("stalls", zc, edges, lay.floors, x_edges, 0.0, z_min=FRONT_STRIP)
    first_edge = tr.z_edges[0]
    asm.add("carpet", tr.tops)
    asm.add("wall_panel", tr.risers)
    walk += tr.walkable
    front, fwalk = seating.band("front", x_edges, 0.0, first_edge, 0.0)
    asm.add("parquet", front)
    walk += fwalk
    last_h = float(lay.floors[-1])
    z_last = tr.z_edges[-1]
    foyer, wwalk = seating.band(
        "stalls-foyer", x_edges, z_last, np.full_like(x_edges, stalls_back), last_h
    )
    asm.add("parquet", foyer)
    walk += wwalk
    # floor beside the stage, between the proscenium and the stage front
    for sign in (-1, 1):
        x0, x1 = sorted((sign * st.width_m / 2, sign * half))
        if x1 - x0 > 0.01 and apron > 0:
            asm.add("parquet", seating.floor_rect(x0, x1, z_pro, 0.0, 0.0))
            walk.append(
                seating.rect_walkable(
                    f"stage-side/{'left' if sign < 0 else 'right'}", x0, x1, z_pro, 0.0, 0.0
                )
            )
    spawns.append(
        SpawnPoint(
            id="stalls-back",
            position=(0.0, round(last_h, 3), round(stalls_back - room.rear_walkway_m / 2, 3)),
            facing=(0.0, 0.0, -1.0),
        )
    )
    for sign, side in ((-1, "left"), (1, "right")):
        x = sign * (half - stalls.side_aisle_width_m / 2)
        spawns.append(
            SpawnPoint(
                id=f"stalls-back-{side}",
                position=(
                    round(x, 3),
                    round(last_h, 3),
                    round(stalls_back - room.rear_walkway_m / 2, 3),
                ),
                facing=(0.0, 0.0, -1.0),
            )
        )
    spawns += _aisle_spawns(lay)

    # --- balcony --------------------------------------------------------------------------
    bal = spec.balcony
    soffit_y = None
    if bal is not None:
        bs = bal.row_spacing_m
        front_r = stalls_back - bal.overhang_m - zc
        r_a = front_r + PARAPET_DEPTH + bs / 2
        bradii = r_a + bs * np.arange(bal.rows)
        blay = seating.layout_section(
            "balcony", zc, bradii, bal.counts(), bal.seat_width_m, bal.aisles, bal.aisle_width_m
        )
        bc = None if bal.design_c_value_mm is None else bal.design_c_value_mm / 1000
        blay = blay.with_floors(
            seating.design_rake(
                blay, focus, bal.floor_height_m, bc, bal.rise_per_row_m, bal.max_rise_per_row_m
            )
        )
        problems += _fit_problems(blay, half, bal.side_aisle_width_m)
        layouts.append(blay)
        bal_back = float(zc + bradii[-1] + bs / 2 + room.rear_walkway_m)
        z_end = max(z_end, bal_back)
        bedges = np.concatenate(
            [[front_r + PARAPET_DEPTH], bradii[1:] - bs / 2, [bradii[-1] + bs / 2]]
        )
        btr = seating.arc_treads("balcony", zc, bedges, blay.floors, x_edges, bal.floor_height_m)
        asm.add("carpet", btr.tops)
        asm.add("wall_panel", btr.risers)
        walk += btr.walkable
        top_h = float(blay.floors[-1])
        zb_last = seating.arc_z(zc, bedges[-1], x_edges)
        bfoyer, bwalk = seating.band(
            "balcony-foyer", x_edges, zb_last, np.full_like(x_edges, z_end), top_h
        )
        asm.add("parquet", bfoyer)
        walk += bwalk
        spawns.append(
            SpawnPoint(
                id="balcony-back",
                position=(0.0, round(top_h, 3), round(z_end - room.rear_walkway_m / 2, 3)),
                facing=(0.0, 0.0, -1.0),
            )
        )
        # parapet: fascia towards the stage, gilt rail on top, plain back face
        soffit_y = bal.floor_height_m - BALCONY_SLAB
        rail_y = bal.floor_height_m + bal.parapet_height_m
        zf = seating.arc_z(zc, front_r, x_edges)
        zf2 = seating.arc_z(zc, front_r + PARAPET_DEPTH, x_edges)
        asm.add("wall", _vertical_strip(x_edges, zf, soffit_y, rail_y - 0.12))
        asm.add("gilt", _vertical_strip(x_edges, zf, rail_y - 0.12, rail_y))
        rail, _ = seating.band("rail", x_edges, zf, zf2, rail_y)
        asm.add("gilt", rail)
        asm.add(
            "wall", _vertical_strip(x_edges, zf2, bal.floor_height_m, rail_y, facing_stage=False)
        )
        soffit, _ = seating.band("soffit", x_edges, zf, np.full_like(x_edges, z_end), soffit_y)
        asm.add("ceiling", _flip(soffit))
        # headroom under the balcony
        under = lay.radii + s / 2 > front_r
        for r in np.nonzero(under)[0]:
            room_left = soffit_y - lay.floors[r]
            if room_left < MIN_HEADROOM:
                problems.append(
                    f"stalls/{seating.row_label(int(r))}: only {room_left:.2f} m under the balcony "
                    f"(at least {MIN_HEADROOM} m; raise balcony.floor_height_m "
                    "or reduce its overhang)"
                )
        if H - top_h < MIN_HEADROOM + 0.5:
            problems.append(
                f"balcony: last row {H - top_h:.2f} m below the ceiling (room.height_m too low)"
            )
        if stalls_back < z_end:
            # wall closing the space under the balcony behind the stalls
            asm.add(
                "wall_panel", _vertical_strip(x_edges[[0, -1]], [stalls_back] * 2, last_h, soffit_y)
            )

    # --- stage, proscenium, screen, curtains ---------------------------------------------------
    depth = st.depth_m
    sw = st.width_m
    asm.add("stage_floor", seating.floor_rect(-sw / 2, sw / 2, -depth, 0.0, sh))
    asm.add("stage_black", box((sw, sh, 0.02), (0, sh / 2, 0.0), skip=("-y", "+y", "-z")))
    asm.add(
        "gilt" if pr.style == "gilt" else "stage_black",
        box((sw, 0.06, 0.04), (0, sh - 0.03, 0.02), skip=("-y",)),
    )
    # stage house: dark box behind the proscenium
    house_h = sh + pr.height_m + 3
    hw = max(sw, pr.width_m + 2) / 2
    asm.add("stage_black", _inward_box(-hw, hw, 0.0, house_h, -depth, z_pro_back))
    if sw / 2 < hw:
        for sign in (-1, 1):
            x0, x1 = sorted((sign * sw / 2, sign * hw))
            asm.add("stage_black", seating.floor_rect(x0, x1, -depth, z_pro_back, sh))
    # proscenium wall with its opening
    ow, oh = pr.width_m / 2, sh + pr.height_m
    wall_mat = "wall"
    asm.add(
        wall_mat,
        box(
            (half - ow, H, PROSCENIUM_THICKNESS),
            (-(half + ow) / 2, H / 2, z_pro - PROSCENIUM_THICKNESS / 2),
            skip=("-z", "-y", "+y", "-x"),
        ),
    )
    asm.add(
        wall_mat,
        box(
            (half - ow, H, PROSCENIUM_THICKNESS),
            ((half + ow) / 2, H / 2, z_pro - PROSCENIUM_THICKNESS / 2),
            skip=("-z", "-y", "+y", "+x"),
        ),
    )
    asm.add(
        wall_mat,
        box(
            (2 * ow, H - oh, PROSCENIUM_THICKNESS),
            (0, (H + oh) / 2, z_pro - PROSCENIUM_THICKNESS / 2),
            skip=("-z", "+y", "-x", "+x"),
        ),
    )
    frame = "gilt" if pr.style == "gilt" else "stage_black"
    fw = 0.45
    asm.add(
        frame,
        box((fw, oh + fw, 0.25), (-ow - fw / 2, (oh + fw) / 2, z_pro + 0.125), skip=("-y", "-z")),
    )
    asm.add(
        frame,
        box((fw, oh + fw, 0.25), (ow + fw / 2, (oh + fw) / 2, z_pro + 0.125), skip=("-y", "-z")),
    )
    asm.add(
        frame, box((2 * ow, fw, 0.25), (0, oh + fw / 2, z_pro + 0.125), skip=("-z", "-x", "+x"))
    )
    if pr.curtains and pr.curtain_width_m > 0:
        cz = z_pro_back - 0.15
        cw = pr.curtain_width_m
        asm.add("curtain", _pleats(-ow, -ow + cw, cz, sh, oh))
        asm.add("curtain", _pleats(ow - cw, ow, cz, sh, oh))
        asm.add("curtain", _pleats(-ow, ow, cz + 0.02, oh - VALANCE, oh))  # valance
    # screen: on a black border, hung behind the proscenium
    zs = z_pro_back - sc.setback_m
    y0 = sh + sc.bottom_m
    y1 = y0 + sc.height_m
    hw_s = sc.width_m / 2
    corners = np.array([[-hw_s, y0, zs], [hw_s, y0, zs], [hw_s, y1, zs], [-hw_s, y1, zs]])
    asm.add_named("screen", "screen", unit_quad_uv(corners))
    asm.add(
        "stage_black",
        box(
            (sc.width_m + 0.3, sc.height_m + 0.3, 0.08), (0, (y0 + y1) / 2, zs - 0.05), skip=("-z",)
        ),
    )
    if zs < -depth + 0.2:
        problems.append("screen: set back behind the stage's back wall")

    # --- auditorium walls and ceiling ------------------------------------------------------
    zl = z_end
    asm.add(
        "wall",
        quads(
            np.array(
                [
                    [[-half, 0, zl], [-half, 0, z_pro], [-half, H, z_pro], [-half, H, zl]],
                    [[half, 0, z_pro], [half, 0, zl], [half, H, zl], [half, H, z_pro]],
                    [[half, 0, zl], [-half, 0, zl], [-half, H, zl], [half, H, zl]],
                ]
            )
        ),
    )
    asm.add(
        "ceiling",
        quads(np.array([[[-half, H, z_pro], [half, H, z_pro], [half, H, zl], [-half, H, zl]]])),
    )
    if room.wall_panels:
        _wall_decor(asm, half, H, z_pro, zl)
    _ceiling_lights(asm, half, H, z_pro, zl)
    if pr.style == "gilt":
        _chandeliers(asm, H, np.linspace(5.0, stalls_back - 5.0, 3))

    # --- metadata ----------------------------------------------------------------------------
    seats: list[Seat] = []
    for ly in layouts:
        seats += seating.seat_metadata(ly)
        fabric, frame_part = seating.seat_parts(ly)
        asm.add("seat_fabric", fabric)
        asm.add("seat_frame", frame_part)
    sc_rect = ScreenRect(
        center=_r3([0, (y0 + y1) / 2, zs]),
        normal=(0.0, 0.0, 1.0),
        up=(0.0, 1.0, 0.0),
        width=sc.width_m,
        height=sc.height_m,
        corners=tuple(_r3(c) for c in corners),  # type: ignore[arg-type]
    )
    stage_md = Stage(
        height=sh,
        width=sw,
        depth=depth,
        front_edge=(_r3(focus[0]), _r3(focus[1])),
        center=_r3([0, sh, -depth / 2]),
    )
    meta = VenueMetadata(
        id=spec.id,
        name=spec.name,
        kind=spec.kind,
        spec_hash=spec_hash,
        bounds_min=_r3([-half, 0, -depth]),
        bounds_max=_r3([half, max(H, house_h), z_end]),
        rooms=[
            Room(
                id="auditorium",
                name="Auditorium",
                bounds_min=_r3([-half, 0, z_pro]),
                bounds_max=_r3([half, H, z_end]),
            ),
            Room(
                id="stage",
                name="Stage",
                bounds_min=_r3([-hw, 0, -depth]),
                bounds_max=_r3([hw, house_h, 0]),
            ),
        ],
        stage=stage_md,
        screen=sc_rect,
        seats=seats,
        spawn_points=spawns,
        walkable=walk,
        lights=_lights(spec, H, z_end, depth),
    )
    if problems:
        raise SpecError(spec.id, problems)
    meta = _checked(asm, meta, {ly.name: _min_c(spec, ly.name) for ly in layouts})
    glb, meta = export_glb(asm, meta)
    log.info("built %s: %d seats in %.2f s", spec.id, len(seats), time.perf_counter() - t0)
    return BuiltVenue(glb=glb, metadata=meta)


def _min_c(spec: HallSpec, section: str) -> float:
    if section == "balcony" and spec.balcony is not None:
        return spec.balcony.min_c_value_mm
    return spec.stalls.min_c_value_mm


def _checked(asm: VenueAssembly, meta: VenueMetadata, min_c: dict[str, float]) -> VenueMetadata:
    """Run the theatre checks on the built geometry; refuse the spec if any fails."""
    from .checks import geometry_from_assembly, run_checks

    report = run_checks(geometry_from_assembly(asm), meta, min_c_mm=min_c)
    if report.problems:
        raise SpecError(meta.id, report.problems)
    return meta.model_copy(update={"sightlines": report.sightlines})


def _flip(part: Part) -> Part:
    return Part(part.vertices, -part.normals, part.uvs, part.faces[:, ::-1].copy())


def _inward_box(x0, x1, y0, y1, z0, z1) -> Part:
    """The inside faces of a box (walls, back, ceiling) seen from within; open at +Z."""
    return quads(
        np.array(
            [
                [[x0, y0, z1], [x0, y0, z0], [x0, y1, z0], [x0, y1, z1]],  # left wall faces +x
                [[x1, y0, z0], [x1, y0, z1], [x1, y1, z1], [x1, y1, z0]],  # right wall faces -x
                [[x0, y0, z0], [x1, y0, z0], [x1, y1, z0], [x0, y1, z0]],  # back wall faces +z
                [[x0, y1, z0], [x1, y1, z0], [x1, y1, z1], [x0, y1, z1]],  # ceiling faces -y
            ]
        )
    )


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
