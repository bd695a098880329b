"""Seating shared by the hall and chamber builders: curved rows with aisles, the
stepped floor (treads) they stand on, the seat mesh template and the rake.

Conventions (the same in :mod:`scenes.hall` and :mod:`scenes.chamber`): the stage
front edge lies on z = 0, the stage is at z < 0, the audience sits at z > 0 and
looks towards -Z. House left (seat number 1) is -X. Rows are arcs of circles
around one centre ``(0, center_z)`` behind the stage front (``center_z < 0``);
straight rows are arcs of a very large radius. A row's radius is the radius of
its seats' cushion centres; its tread is the band between the midpoints to the
neighbouring rows.

Everything per seat is vectorised with numpy: a row is a handful of array
operations, a seat template is placed with :func:`scenes.geometry.instances`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .geometry import Array, Part, box, concatenate, instances, quads, translation, yaw_matrices
from .metadata import Seat, WalkableArea

EYE_HEIGHT = 1.15  # seated eye above the floor the seat stands on (theatre convention)
CUSHION_TOP = 0.45  # seat position: top centre of the cushion, above the floor
BACK_TOP = 1.0  # top of the backrest above the floor
STRAIGHT_RADIUS = 1.0e5  # "straight" rows: an arc this large is flat to a micrometre


def row_label(index: int) -> str:
    """Ticket row labels: A..Z, then AA, AB, ..."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def number_ranges(numbers) -> str:
    """Seat numbers as ticket-style ranges: [1, 2, 3, 7, 9, 10] -> "1-3,7,9-10"."""
    nums = sorted(int(n) for n in numbers)
    out, start, prev = [], nums[0], nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(out)


def split_blocks(seats: int, blocks: int) -> np.ndarray:
    """Seats per block when a row of ``seats`` is cut by aisles into ``blocks``;
    the remainder goes to the middle blocks (the best seats)."""
    base = np.full(blocks, seats // blocks)
    extra = seats - base.sum()
    order = np.argsort(np.abs(np.arange(blocks) - (blocks - 1) / 2), kind="stable")
    base[order[:extra]] += 1
    return base


@dataclass(frozen=True)
class SectionLayout:
    """Seats of one section (``stalls``, ``balcony``, ``floor``) on concentric arcs.

    Per row: ``radii`` (rows,), ``floors`` (rows,) tread heights.
    Per seat (k,): ``row`` index, ``number`` (1 = house left), ``x``, ``z``, ``yaw``
    (radians, 0 = facing -Z), ``first``/``last`` (seat at a block's house-left /
    house-right end, where an extra armrest goes).
    """

    name: str
    center_z: float
    seat_width: float
    radii: Array
    floors: Array
    row: Array
    number: Array
    x: Array
    z: Array
    yaw: Array
    first: Array
    last: Array

    @property
    def count(self) -> int:
        return int(len(self.x))

    def with_floors(self, floors: ArrayLike) -> SectionLayout:
        return SectionLayout(
            self.name,
            self.center_z,
            self.seat_width,
            self.radii,
            np.asarray(floors),
            self.row,
            self.number,
            self.x,
            self.z,
            self.yaw,
            self.first,
            self.last,
        )

    def seat_floor(self) -> Array:
        return self.floors[self.row]


def layout_section(
    name: str,
    center_z: float,
    radii: ArrayLike,
    counts: ArrayLike,
    seat_width: float,
    aisles: int,
    aisle_width: float,
) -> SectionLayout:
    """Place ``counts[r]`` seats on the arc of radius ``radii[r]`` around
    ``(0, center_z)``, centred on x = 0, cut into ``aisles + 1`` blocks."""
    radii = np.asarray(radii, dtype=float)
    counts = np.asarray(counts, dtype=int)
    rows, numbers, xs, zs, yaws, firsts, lasts = [], [], [], [], [], [], []
    for r, (radius, n) in enumerate(zip(radii, counts, strict=True)):
        n = int(n)
        if n <= 0:
            continue
        blocks = split_blocks(n, aisles + 1)
        block_of = np.repeat(np.arange(aisles + 1), blocks)
        i = np.arange(n)
        length = n * seat_width + aisles * aisle_width
        s = (i + 0.5) * seat_width + block_of * aisle_width - length / 2
        ends = np.cumsum(blocks)
        rows.append(np.full(n, r))
        numbers.append(i + 1)
        if radius >= STRAIGHT_RADIUS / 2:  # exactly straight, everyone facing -Z
            xs.append(s)
            zs.append(np.full(n, center_z + radius))
            yaws.append(np.zeros(n))
        else:
            theta = s / radius
            xs.append(radius * np.sin(theta))
            zs.append(center_z + radius * np.cos(theta))
            yaws.append(theta)  # facing the arc centre: (-sin, -cos)
        firsts.append(np.isin(i, ends - blocks))
        lasts.append(np.isin(i, ends - 1))
    cat = np.concatenate
    return SectionLayout(
        name,
        center_z,
        seat_width,
        np.asarray(radii, dtype=float),
        np.zeros(len(radii)),
        cat(rows),
        cat(numbers),
        cat(xs),
        cat(zs),
        cat(yaws),
        cat(firsts),
        cat(lasts),
    )


def arc_z(center_z: float, radius: float | Array, x: Array) -> Array:
    """z of the arc of ``radius`` around ``(0, center_z)`` at ``x`` (audience side)."""
    radius = np.asarray(radius, dtype=float)
    arc = center_z + np.sqrt(np.maximum(radius**2 - x**2, 0.0))
    return np.where(radius >= STRAIGHT_RADIUS / 2, center_z + radius, arc)


def segment_arc_fraction(start: Array, end: Array, center_z: float, radius: Array) -> Array:
    """Fraction t in (0, 1) along the horizontal segments ``start`` -> ``end``
    ((k, 2) x/z) where they cross the arc of ``radius`` ((k,) or scalar) around
    ``(0, center_z)``; NaN where they do not."""
    c = np.array([0.0, center_z])
    d = end - start
    f = start - c
    a = np.einsum("ij,ij->i", d, d)
    b = 2 * np.einsum("ij,ij->i", f, d)
    cc = np.einsum("ij,ij->i", f, f) - np.asarray(radius) ** 2
    disc = b * b - 4 * a * cc
    root = np.sqrt(np.maximum(disc, 0))
    t1 = (-b - root) / (2 * a)
    t2 = (-b + root) / (2 * a)
    # the viewer is outside the arc in front, so the first crossing is the one
    t = np.where((t1 > 1e-9) & (t1 < 1), t1, np.where((t2 > 1e-9) & (t2 < 1), t2, np.nan))
    return np.where(disc >= 0, t, np.nan)


def nearest_on_segment(points: Array, p0: Array, p1: Array) -> Array:
    """Nearest points ((k, 3)) on the segment p0-p1 to ``points`` in plan (x/z):
    the sightline focus of each seat (e.g. the nearest point of the stage edge)."""
    d = p1 - p0
    dd = d[[0, 2]] @ d[[0, 2]]
    t = np.clip(((points[:, [0, 2]] - p0[[0, 2]]) @ d[[0, 2]]) / dd, 0, 1)
    return p0 + t[:, None] * d


def design_rake(
    layout: SectionLayout,
    focus: tuple[Array, Array],
    first_floor: float,
    c_value: float | None,
    rise_per_row: float | None,
    max_rise: float,
    step: float = 0.01,
) -> Array:
    """Tread heights per row.

    With ``rise_per_row`` the rake is constant. With ``c_value`` (metres) each row is
    raised just enough that the sightline of every seat in it to its nearest point
    of the ``focus`` segment clears the eyes of the row in front by ``c_value``
    (the progressive rake theatre designers draw), in ``step`` increments, never
    more than ``max_rise`` per row.
    """
    rows = len(layout.radii)
    floors = np.zeros(rows)
    floors[0] = first_floor
    for r in range(1, rows):
        prev = floors[r - 1]
        if rise_per_row is not None or c_value is None:
            floors[r] = prev + (rise_per_row or 0.0)
            continue
        sel = layout.row == r
        pts = np.column_stack([layout.x[sel], np.zeros(sel.sum()), layout.z[sel]])
        target = nearest_on_segment(pts, *focus)
        t = segment_arc_fraction(
            pts[:, [0, 2]], target[:, [0, 2]], layout.center_z, layout.radii[r - 1]
        )
        t = t[np.isfinite(t)]
        if len(t) == 0:
            floors[r] = prev
            continue
        eye_prev = prev + EYE_HEIGHT
        fy = focus[0][1]
        need_eye = (c_value + eye_prev - t * fy) / (1 - t)
        need = float(need_eye.max()) - EYE_HEIGHT
        need = np.ceil(round(need / step, 6)) * step
        floors[r] = min(max(need, prev), prev + max_rise)
    return floors


# --- seat template -------------------------------------------------------------------


def seat_templates(seat_width: float) -> tuple[Part, Part, Part]:
    """One theatre seat, facing -Z, its origin on the floor below the cushion centre.

    Returns (fabric: cushion + front and top of the backrest; shell: the backrest's
    wooden back; panel: one armrest/side panel, placed at +X). Hidden faces are left
    out (bottoms, and the cushion's and backrest's sides, which touch the side
    panels): 10 fabric, 2 shell and 10 panel triangles a seat.
    """
    w = seat_width - 0.05
    hidden = ("-y", "+x", "-x")
    cushion = box((w, 0.10, 0.46), (0, CUSHION_TOP - 0.05, 0.0), skip=hidden)
    back_size, back_center = (w, 0.56, 0.08), (0, BACK_TOP - 0.28, 0.27)
    back = box(back_size, back_center, skip=(*hidden, "+z"))
    shell = box(back_size, back_center, skip=("-y", "+x", "-x", "+y", "-z"))
    panel = box((0.05, 0.64, 0.56), (0, 0.32, 0.04), skip=("-y",))
    return concatenate([cushion, back]), shell, panel


def seat_parts(layout: SectionLayout) -> tuple[Part, Part]:
    """All seats of a section as (fabric, frame) parts, vectorised."""
    fabric_t, shell_t, panel_t = seat_templates(layout.seat_width)
    pos = np.column_stack([layout.x, layout.seat_floor(), layout.z])
    mats = yaw_matrices(pos, layout.yaw)
    half = layout.seat_width / 2
    right = mats @ translation((half, 0, 0))
    left = mats[layout.first] @ translation((-half, 0, 0))
    fabric = instances(fabric_t, mats)
    frame = concatenate(
        [instances(shell_t, mats), instances(panel_t, np.concatenate([right, left]))]
    )
    return fabric, frame


def seat_metadata(layout: SectionLayout, ndigits: int = 3) -> list[Seat]:
    floors = layout.seat_floor()
    fx, fz = -np.sin(layout.yaw), -np.cos(layout.yaw)
    out = []
    for i in range(layout.count):
        label = row_label(int(layout.row[i]))
        x, z, fy = (round(float(v), ndigits) + 0.0 for v in (layout.x[i], layout.z[i], floors[i]))
        out.append(
            Seat(
                id=f"{layout.name}/{label}/{int(layout.number[i])}",
                section=layout.name,
                row=label,
                number=int(layout.number[i]),
                position=(x, round(fy + CUSHION_TOP, ndigits), z),
                floor_y=fy,
                eye=(x, round(fy + EYE_HEIGHT, ndigits), z),
                facing=(round(float(fx[i]), 5) + 0.0, 0.0, round(float(fz[i]), 5) + 0.0),
            )
        )
    return out


# --- stepped floor ---------------------------------------------------------------------


@dataclass(frozen=True)
class Treads:
    tops: Part  # horizontal tread surfaces (walkable)
    risers: Part  # vertical faces between treads, facing the stage
    walkable: list[WalkableArea]
    z_edges: Array  # (rows + 1, m + 1) z of the tread boundaries at each column edge


def arc_treads(
    name: str,
    center_z: float,
    edges: Array,
    heights: Array,
    x_edges: Array,
    floor_below: float,
    back_z: float | None = None,
    z_min: float | None = None,
    ndigits: int = 3,
) -> Treads:
    """Stepped floor of curved treads, cut into columns so each piece is a convex
    quad (two vertical sides, two chords).

    edges : (rows + 1,) radii of the tread boundaries, front to back
    heights : (rows,) tread heights
    x_edges : (m + 1,) column boundaries across the room
    floor_below : height in front of the first tread (bottom of the first riser)
    back_z : if given, the last tread runs back to this straight line (a walkway)
    z_min : if given, no boundary comes closer to the stage than this; near the side
      walls of a wide room, where the arcs would bend into the stage, the treads
      straighten out (each boundary at least a third of a row behind the previous)
    """
    rows = len(heights)
    xe = np.asarray(x_edges, dtype=float)
    z_edge = arc_z(center_z, np.asarray(edges)[:, None], xe[None, :])  # (rows+1, m+1)
    if z_min is not None:
        depth = np.diff(np.asarray(edges, dtype=float)).min() / 3
        floor_z = z_min + depth * np.arange(len(edges))
        z_edge = np.maximum(z_edge, floor_z[:, None])
    if back_z is not None:
        z_edge[-1] = back_z
    m = len(xe) - 1
    hh = np.asarray(heights, dtype=float)[:, None] * np.ones((1, m))
    x0 = np.broadcast_to(xe[:-1], (rows, m))
    x1 = np.broadcast_to(xe[1:], (rows, m))
    front0, front1 = z_edge[:-1, :-1], z_edge[:-1, 1:]
    back0, back1 = z_edge[1:, :-1], z_edge[1:, 1:]
    # counter-clockwise seen from above: back-left, back-right, front-right, front-left
    top = np.stack(
        [
            np.stack([x0, hh, back0], -1),
            np.stack([x1, hh, back1], -1),
            np.stack([x1, hh, front1], -1),
            np.stack([x0, hh, front0], -1),
        ],
        axis=2,
    ).reshape(-1, 4, 3)
    below = np.concatenate([[floor_below], np.asarray(heights, dtype=float)[:-1]])
    lo = below[:, None] * np.ones((1, m))
    rise = (hh - lo)[:, 0] > 1e-6
    riser = np.stack(
        [
            np.stack([x1, lo, front1], -1),
            np.stack([x0, lo, front0], -1),
            np.stack([x0, hh, front0], -1),
            np.stack([x1, hh, front1], -1),
        ],
        axis=2,
    )[rise].reshape(-1, 4, 3)
    walk = []
    rounded = np.round(top, ndigits)
    for r in range(rows):
        label = row_label(r)
        for j in range(m):
            q = rounded[r * m + j]
            walk.append(
                WalkableArea(id=f"{name}/{label}/{j + 1}", vertices=[tuple(v) for v in q.tolist()])
            )
    return Treads(quads(top), quads(riser), walk, z_edge)


def band(
    name: str,
    x_edges: ArrayLike,
    z_front: ArrayLike,
    z_back: ArrayLike,
    y: float,
    ndigits: int = 3,
) -> tuple[Part, list[WalkableArea]]:
    """A horizontal floor strip between two z-profiles sampled at ``x_edges``
    (e.g. the straight stage front and the curved first tread), cut into convex
    column quads; returns the surface (facing up) and its walkable areas."""
    xe = np.asarray(x_edges, dtype=float)
    zf = np.broadcast_to(np.asarray(z_front, dtype=float), xe.shape)
    zb = np.broadcast_to(np.asarray(z_back, dtype=float), xe.shape)
    yy = np.full(len(xe) - 1, y)
    top = np.stack(
        [
            np.stack([xe[:-1], yy, zb[:-1]], -1),
            np.stack([xe[1:], yy, zb[1:]], -1),
            np.stack([xe[1:], yy, zf[1:]], -1),
            np.stack([xe[:-1], yy, zf[:-1]], -1),
        ],
        axis=1,
    )
    keep = (zb[:-1] - zf[:-1] > 1e-3) | (zb[1:] - zf[1:] > 1e-3)
    top = top[keep]
    walk = [
        WalkableArea(id=f"{name}/{j + 1}", vertices=[tuple(v) for v in q.tolist()])
        for j, q in enumerate(np.round(top, ndigits))
    ]
    return quads(top), walk


def rect_walkable(
    area_id: str, x0: float, x1: float, z0: float, z1: float, y: float
) -> WalkableArea:
    """A horizontal rectangle, counter-clockwise seen from above."""
    verts = [(x0, y, z1), (x1, y, z1), (x1, y, z0), (x0, y, z0)]
    return WalkableArea(
        id=area_id, vertices=[(round(a, 3), round(b, 3), round(c, 3)) for a, b, c in verts]
    )


def floor_rect(x0: float, x1: float, z0: float, z1: float, y: float) -> Part:
    """A horizontal floor rectangle facing up."""
    return quads(np.array([[[x0, y, z1], [x1, y, z1], [x1, y, z0], [x0, y, z0]]]))


__all__ = [
    "BACK_TOP",
    "CUSHION_TOP",
    "EYE_HEIGHT",
    "STRAIGHT_RADIUS",
    "SectionLayout",
    "Treads",
    "arc_treads",
    "arc_z",
    "band",
    "design_rake",
    "floor_rect",
    "layout_section",
    "number_ranges",
    "nearest_on_segment",
    "rect_walkable",
    "row_label",
    "seat_metadata",
    "seat_parts",
    "seat_templates",
    "segment_arc_fraction",
    "split_blocks",
]
