"""Theatre checks, computed from the built geometry (never asserted by hand).

For every seat of a venue:

1. **floor**: a ray cast down from the eye hits a floor surface (nodes ``carpet``,
   ``parquet``, ``stage_floor``) at the seat's ``floor_y``, and the seat lies
   inside a walkable area at that height;
2. **overlap**: no two seat footprints (a seated person, 0.44 x 0.46 m around the
   cushion) overlap;
3. **facing**: the seat's facing points at the stage front edge, within 20 degrees;
4. **C-value**: the sightline from the eye to the nearest point of the focus edge
   clears the eye of the person in the row in front by at least 60 mm (and by the
   spec's ``min_c_value_mm`` for its section). The focus edge is the stage front
   edge in a concert hall or theatre, and the bottom edge of the screen in flat
   chamber and lecture rooms (:func:`sightline_focus`). The row in front is the
   polyline through its seats; the floor under the crossing point is found by a
   ray cast down onto the floor meshes;
5. **rays**: segments from the eye to the screen centre and corners and to the
   focus point hit no geometry (walls, balcony fronts, proscenium, curtains ...).

Ray casts use :class:`SegmentCaster`, a small vectorised bounding-volume hierarchy
with a Moller-Trumbore test at the leaves (trimesh's own ray caster without
embree tests every triangle in each ray's bounding box, far too slow for
thousands of long rays across a hall).
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import trimesh

from .assembly import ROOT_NODE, VenueAssembly
from .geometry import concatenate
from .metadata import SightlineStats, VenueMetadata
from .seating import number_ranges

FLOOR_NODES = ("carpet", "parquet", "stage_floor")
EYE_HEIGHT = 1.15
MIN_C_MM = 60.0
FACING_TOLERANCE_DEG = 20.0
FOOTPRINT = (0.44, 0.46)  # width, depth of a seated person's space on the cushion
FLOOR_TOLERANCE = 0.02
# kinds with a raised stage: sightlines go to its front edge (flat rooms use the screen)
STAGED_KINDS = ("concert_hall", "theatre")


@dataclass
class CheckReport:
    """Results of :func:`run_checks`. ``problems`` is empty when the venue passes.

    ``c_values_mm`` maps seat id to its C-value (NaN where nobody sits in front);
    ``sightlines`` holds the worst and median per section; ``seconds`` the time
    each check took.
    """

    problems: list[str] = field(default_factory=list)
    sightlines: list[SightlineStats] = field(default_factory=list)
    c_values_mm: dict[str, float] = field(default_factory=dict)
    hidden: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- geometry sources -------------------------------------------------------------------


def geometry_from_assembly(asm: VenueAssembly) -> dict[str, trimesh.Trimesh]:
    """One plain mesh per node (material or named part) of an assembly."""
    out = {}
    for name, parts in asm.merged.items():
        p = concatenate(parts)
        out[name] = trimesh.Trimesh(p.vertices, p.faces, process=False)
    for name, (_, p) in asm.named.items():
        out[name] = trimesh.Trimesh(p.vertices, p.faces, process=False)
    return out


def geometry_from_glb(glb: bytes) -> dict[str, trimesh.Trimesh]:
    """One mesh per node of a GLB, in world coordinates, keyed by node name."""
    scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene")
    assert isinstance(scene, trimesh.Scene)
    out = {}
    for node in scene.graph.nodes_geometry:
        if node == ROOT_NODE:
            continue
        transform, geom_name = scene.graph[node]
        mesh = scene.geometry[geom_name]
        out[node] = trimesh.Trimesh(
            trimesh.transform_points(mesh.vertices, transform), mesh.faces, process=False
        )
    return out


# --- ray casting ---------------------------------------------------------------------------


class SegmentCaster:
    """First hits of many segments against one triangle soup.

    Triangles are sorted along a Morton curve and grouped into a fixed-fan-out
    tree of axis-aligned boxes; a query walks all segments down the tree at once
    (numpy arrays of (segment, node) pairs), so the cost follows the few boxes a
    segment really passes through.
    """

    FANOUT = 4  # measured on the philharmonic: 4 beats 8 and 16 by 1.5-3x

    def __init__(self, vertices: np.ndarray, faces: np.ndarray, labels: np.ndarray | None = None):
        tri = np.asarray(vertices, dtype=np.float64)[np.asarray(faces)]
        self.labels_all = labels
        if len(tri) == 0:
            tri = np.zeros((1, 3, 3)) + 1e9
            self.labels_all = np.zeros(1, dtype=int) if labels is not None else None
        centroids = tri.mean(axis=1)
        lo, hi = centroids.min(0), centroids.max(0)
        q = ((centroids - lo) / np.maximum(hi - lo, 1e-9) * 1023).astype(np.uint64)
        order = np.argsort(_morton(q[:, 0]) | (_morton(q[:, 1]) << 1) | (_morton(q[:, 2]) << 2))
        self.tri = tri[order]
        self.order = order
        self.labels = None if self.labels_all is None else np.asarray(self.labels_all)[order]
        # level 0: leaves of FANOUT triangles; each level up groups FANOUT boxes
        mins, maxs = self.tri.min(axis=1), self.tri.max(axis=1)
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []
        while True:
            mins, maxs = _group(mins, maxs, self.FANOUT)
            self.levels.append((mins, maxs))
            if len(mins) == 1:
                break
        self.levels.reverse()  # root first

    def first_hit(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fraction t in (0, 1) of the first hit along each segment start -> end
        (inf where nothing is hit) and the index of the triangle hit (-1)."""
        start = np.asarray(start, dtype=np.float64)
        d = np.asarray(end, dtype=np.float64) - start
        n = len(start)
        best = np.full(n, np.inf)
        best_tri = np.full(n, -1)
        if n == 0:
            return best, best_tri
        inv = 1.0 / np.where(np.abs(d) < 1e-12, 1e-12, d)
        rays = np.arange(n)
        nodes = np.zeros(n, dtype=np.int64)
        for level, (mins, maxs) in enumerate(self.levels):
            keep = _slab(start[rays], inv[rays], mins[nodes], maxs[nodes])
            rays, nodes = rays[keep], nodes[keep]
            # expand to the children: next level's boxes, or triangles after the last
            count = (
                len(self.levels[level + 1][0]) if level + 1 < len(self.levels) else len(self.tri)
            )
            rays = np.repeat(rays, self.FANOUT)
            nodes = (nodes[:, None] * self.FANOUT + np.arange(self.FANOUT)).reshape(-1)
            valid = nodes < count
            rays, nodes = rays[valid], nodes[valid]
        # chunked Moller-Trumbore on the (segment, triangle) pairs left
        for lo in range(0, len(rays), 2_000_000):
            r, t_idx = rays[lo : lo + 2_000_000], nodes[lo : lo + 2_000_000]
            t = _moller_trumbore(start[r], d[r], self.tri[t_idx])
            hit = np.isfinite(t)
            r, t, t_idx = r[hit], t[hit], t_idx[hit]
            np.minimum.at(best, r, t)
            winner = t <= best[r]
            best_tri[r[winner]] = t_idx[winner]
        return best, np.where(best_tri >= 0, self.order[np.maximum(best_tri, 0)], -1)


def _morton(v: np.ndarray) -> np.ndarray:
    v = v & np.uint64(0x3FF)
    v = (v | (v << np.uint64(16))) & np.uint64(0x030000FF)
    v = (v | (v << np.uint64(8))) & np.uint64(0x0300F00F)
    v = (v | (v << np.uint64(4))) & np.uint64(0x030C30C3)
    v = (v | (v << np.uint64(2))) & np.uint64(0x09249249)
    return v


def _group(mins: np.ndarray, maxs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(mins)
    pad = (-n) % k
    if pad:
        mins = np.concatenate([mins, np.repeat(mins[-1:], pad, axis=0)])
        maxs = np.concatenate([maxs, np.repeat(maxs[-1:], pad, axis=0)])
    return mins.reshape(-1, k, 3).min(axis=1), maxs.reshape(-1, k, 3).max(axis=1)


def _slab(o: np.ndarray, inv: np.ndarray, bmin: np.ndarray, bmax: np.ndarray) -> np.ndarray:
    t1 = (bmin - 1e-6 - o) * inv
    t2 = (bmax + 1e-6 - o) * inv
    tmin = np.minimum(t1, t2).max(axis=1)
    tmax = np.maximum(t1, t2).min(axis=1)
    return (tmax >= np.maximum(tmin, 0.0)) & (tmin <= 1.0)


def _moller_trumbore(o: np.ndarray, d: np.ndarray, tri: np.ndarray) -> np.ndarray:
    v0 = tri[:, 0]
    e1 = tri[:, 1] - v0
    e2 = tri[:, 2] - v0
    p = np.cross(d, e2)
    det = np.einsum("ij,ij->i", e1, p)
    ok = np.abs(det) > 1e-12
    inv = 1.0 / np.where(ok, det, 1.0)
    s = o - v0
    u = np.einsum("ij,ij->i", s, p) * inv
    qv = np.cross(s, e1)
    v = np.einsum("ij,ij->i", d, qv) * inv
    t = np.einsum("ij,ij->i", e2, qv) * inv
    hit = ok & (u >= -1e-9) & (v >= -1e-9) & (u + v <= 1 + 1e-9) & (t > 1e-9) & (t < 1.0)
    return np.where(hit, t, np.inf)


# --- the checks ------------------------------------------------------------------------------


def sightline_focus(meta: VenueMetadata) -> tuple[np.ndarray, np.ndarray] | None:
    """The edge every seat must see over the heads in front: the stage front edge
    in a hall or theatre; in a flat chamber or lecture room, the screen's bottom
    edge (on a flat floor a sightline down to the platform edge always meets the
    heads in front; what the virtual audience watches there is the screen)."""
    if meta.kind in STAGED_KINDS and meta.stage is not None:
        a, b = meta.stage.front_edge
        return np.array(a, dtype=float), np.array(b, dtype=float)
    if meta.screen is not None:
        c = meta.screen.corners
        return np.array(c[0], dtype=float), np.array(c[1], dtype=float)
    return None


def _mesh_union(
    geometry: Mapping[str, trimesh.Trimesh], names
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    verts, faces, labels, used = [], [], [], []
    offset = 0
    for i, name in enumerate(sorted(names)):
        m = geometry[name]
        verts.append(np.asarray(m.vertices, dtype=np.float64))
        faces.append(np.asarray(m.faces) + offset)
        labels.append(np.full(len(m.faces), i))
        used.append(name)
        offset += len(m.vertices)
    if not verts:
        return np.zeros((0, 3)), np.zeros((0, 3), dtype=int), np.zeros(0, dtype=int), []
    return np.concatenate(verts), np.concatenate(faces), np.concatenate(labels), used


def run_checks(
    geometry: Mapping[str, trimesh.Trimesh],
    meta: VenueMetadata,
    min_c_mm: Mapping[str, float] | None = None,
) -> CheckReport:
    """Run all theatre checks on ``geometry`` (node name -> mesh, e.g. from
    :func:`geometry_from_glb`) for the seats, screen and stage of ``meta``."""
    report = CheckReport()
    seats = meta.seats
    if not seats:
        return report
    min_c_mm = dict(min_c_mm or {})
    t0 = time.perf_counter()
    pos = np.array([s.position for s in seats], dtype=float)
    eye = np.array([s.eye for s in seats], dtype=float)
    floor_y = np.array([s.floor_y for s in seats], dtype=float)
    facing = np.array([s.facing for s in seats], dtype=float)

    fv, ff, _, _ = _mesh_union(geometry, [n for n in FLOOR_NODES if n in geometry])
    floor_caster = SegmentCaster(fv, ff)
    occluders = [n for n in geometry if n != "screen"]
    ov, of, olab, onames = _mesh_union(geometry, occluders)
    occ_caster = SegmentCaster(ov, of, olab)
    report.seconds["index"] = time.perf_counter() - t0

    # 1. floor under each seat, and inside a walkable area
    t0 = time.perf_counter()
    down = eye - np.array([0.0, 50.0, 0.0])
    t, _ = floor_caster.first_hit(eye, down)
    hit_y = eye[:, 1] - 50.0 * t
    bad = ~np.isfinite(t) | (np.abs(hit_y - floor_y) > FLOOR_TOLERANCE)
    _report_seats(
        report,
        seats,
        bad,
        lambda i: (
            "not standing on a floor"
            if not np.isfinite(t[i])
            else f"floor found at y={round(float(hit_y[i]), 2) + 0.0:.2f} m, "
            f"seat says {floor_y[i]:.2f} m"
        ),
    )
    inside = _inside_walkable(pos, floor_y, meta)
    _report_seats(report, seats, ~inside, lambda i: "not inside a walkable area")
    report.seconds["floor"] = time.perf_counter() - t0

    # 2. overlapping footprints, duplicate ids
    t0 = time.perf_counter()
    ids = [s.id for s in seats]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        report.problems.append(f"duplicate seat ids: {', '.join(dup[:10])}")
    for a, b in _overlaps(pos, facing):
        report.problems.append(f"{ids[a]} and {ids[b]}: seats overlap")
    report.seconds["overlap"] = time.perf_counter() - t0

    # 3. facing the stage
    t0 = time.perf_counter()
    if meta.stage is not None:
        off = _facing_error_deg(pos, facing, meta)
        _report_seats(
            report,
            seats,
            off > FACING_TOLERANCE_DEG,
            lambda i: (
                f"faces {off[i]:.0f} degrees away from the stage "
                f"(at most {FACING_TOLERANCE_DEG:.0f})"
            ),
        )
    report.seconds["facing"] = time.perf_counter() - t0

    # 4. C-values
    t0 = time.perf_counter()
    focus = sightline_focus(meta)
    c_mm = np.full(len(seats), np.nan)
    target = None
    if focus is not None:
        target = _nearest_on_segment(eye, *focus)
        c_mm = _c_values(seats, eye, target, floor_caster)
        report.c_values_mm = {s.id: float(c) for s, c in zip(seats, c_mm, strict=True)}
        _report_c(report, seats, c_mm, min_c_mm)
    report.seconds["c_value"] = time.perf_counter() - t0

    # 5. rays to the screen and the focus point
    t0 = time.perf_counter()
    targets: list[tuple[str, np.ndarray]] = []
    if meta.screen is not None:
        sc = meta.screen
        center = np.array(sc.center)
        names = ("bottom-left", "bottom-right", "top-right", "top-left")
        targets.append(("screen centre", np.broadcast_to(center, eye.shape)))
        for name, corner in zip(names, sc.corners, strict=True):
            c = np.array(corner)
            inset = c + (center - c) * (0.02 / max(float(np.linalg.norm(center - c)), 1e-9))
            targets.append((f"screen {name} corner", np.broadcast_to(inset, eye.shape)))
    if target is not None:
        targets.append(
            (
                "stage edge" if meta.kind in STAGED_KINDS else "screen bottom edge",
                target + [0, 0.02, 0],
            )
        )
    for what, tgt in targets:
        # stop 3 cm short so the target's own surface does not count
        seg = tgt - eye
        length = np.linalg.norm(seg, axis=1)
        end = eye + seg * ((length - 0.03) / length)[:, None]
        th, tri = occ_caster.first_hit(eye, end)
        blocked = np.isfinite(th)
        for i in np.nonzero(blocked)[0]:
            report.hidden.setdefault(seats[i].id, []).append(what)
        if blocked.any():
            # one line per row and cause, naming the first point hit
            by_cause: dict[tuple[str, str, str], tuple[list[int], np.ndarray]] = {}
            for i in np.nonzero(blocked)[0]:
                label = onames[olab[tri[i]]] if tri[i] >= 0 else "?"
                point = eye[i] + (end[i] - eye[i]) * th[i]
                key = (seats[i].section, seats[i].row, _describe(label, point, meta))
                nums, first = by_cause.get(key, ([], point))
                nums.append(seats[i].number)
                by_cause[key] = (nums, first)
            for (sec, row, cause), (nums, p) in by_cause.items():
                report.problems.append(
                    f"{sec}/{row}/{number_ranges(nums)}: {what} hidden by {cause} "
                    f"(at {p[0]:.1f}, {p[1]:.1f}, {p[2]:.1f})"
                )
    report.seconds["rays"] = time.perf_counter() - t0
    return report


def _describe(label: str, point: np.ndarray, meta: VenueMetadata) -> str:
    """Name what a ray hit, for a person reading the refusal."""
    names = {
        "gilt": "a gilt frame or rail",
        "wall": "a wall",
        "ceiling": "a ceiling or soffit",
        "curtain": "a curtain",
        "stage_black": "the dark stage surround",
        "seat_fabric": "seats",
        "seat_frame": "seats",
        "carpet": "a floor tread",
    }
    what = names.get(label, f"'{label}'")
    # the balcony front: wall, rail or soffit above the stalls, in the audience half
    if meta.kind in STAGED_KINDS and label in ("wall", "gilt", "ceiling") and point[2] > 0.5:
        if any(s.section == "balcony" for s in meta.seats):
            bal_floor = min(s.floor_y for s in meta.seats if s.section == "balcony")
            if point[1] < bal_floor + 1.5:
                what = "the balcony front"
    return what


def _report_seats(report: CheckReport, seats, bad: np.ndarray, why) -> None:
    """One problem line per row and reason, naming the seats."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i in np.nonzero(bad)[0]:
        s = seats[i]
        groups.setdefault((s.section, s.row, why(i)), []).append(s.number)
    for (sec, row, reason), nums in groups.items():
        report.problems.append(f"{sec}/{row}/{number_ranges(nums)}: {reason}")


def _report_c(report: CheckReport, seats, c_mm: np.ndarray, min_c_mm: Mapping[str, float]) -> None:
    sections = sorted({s.section for s in seats})
    sec = np.array([s.section for s in seats])
    for name in sections:
        vals = c_mm[(sec == name) & np.isfinite(c_mm)]
        if len(vals):
            report.sightlines.append(
                SightlineStats(
                    section=name,
                    worst_mm=round(float(vals.min()), 1),
                    median_mm=round(float(np.median(vals)), 1),
                )
            )
    groups: dict[tuple[str, str], tuple[list[int], float, float]] = {}
    for i, s in enumerate(seats):
        need = max(MIN_C_MM, float(min_c_mm.get(s.section, MIN_C_MM)))
        if np.isfinite(c_mm[i]) and c_mm[i] < need - 1e-6:
            nums, worst, _ = groups.get((s.section, s.row), ([], math.inf, need))
            nums.append(s.number)
            groups[(s.section, s.row)] = (nums, min(worst, float(c_mm[i])), need)
    rows_per_section = {name: len({s.row for s in seats if s.section == name}) for name in sections}
    for (name, row), (nums, worst, need) in groups.items():
        report.problems.append(
            f"{name}/{row}/{number_ranges(nums)}: C-value {worst:.0f} mm < {need:.0f} mm "
            f"(rake too small for {rows_per_section[name]} rows)"
        )


def _nearest_on_segment(points: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> np.ndarray:
    d = p1 - p0
    dd = d[[0, 2]] @ d[[0, 2]]
    t = np.clip(((points[:, [0, 2]] - p0[[0, 2]]) @ d[[0, 2]]) / dd, 0, 1)
    return p0 + t[:, None] * d


def _c_values(
    seats, eye: np.ndarray, target: np.ndarray, floor_caster: SegmentCaster
) -> np.ndarray:
    """C-value (mm) of every seat against the row in front of it (NaN for first rows
    and where the sightline passes beside the row in front)."""
    out = np.full(len(seats), np.nan)
    rows: dict[tuple[str, str], list[int]] = {}
    for i, s in enumerate(seats):
        rows.setdefault((s.section, s.row), []).append(i)
    order: dict[str, list[tuple[int, str, list[int]]]] = {}
    for (sec, row), idx in rows.items():
        order.setdefault(sec, []).append((len(row), row, idx))
    for lst in order.values():
        lst.sort()
        for k in range(1, len(lst)):
            front = sorted(lst[k - 1][2], key=lambda i: seats[i].number)
            back = np.array(lst[k][2])
            poly = eye[front][:, [0, 2]]
            if len(poly) == 1:
                poly = np.vstack([poly[0] - [0.3, 0], poly[0] + [0.3, 0]])
            # extend the row by half a seat at both ends
            ext0 = poly[0] + (poly[0] - poly[1]) / np.linalg.norm(poly[0] - poly[1]) * 0.27
            ext1 = poly[-1] + (poly[-1] - poly[-2]) / np.linalg.norm(poly[-1] - poly[-2]) * 0.27
            poly = np.vstack([ext0, poly, ext1])
            a = eye[back][:, [0, 2]]
            b = target[back][:, [0, 2]]
            t = _segment_polyline(a, b, poly)
            ok = np.isfinite(t)
            if not ok.any():
                continue
            ii = back[ok]
            tt = t[ok]
            cross = eye[ii] + (target[ii] - eye[ii]) * tt[:, None]
            start = np.column_stack([cross[:, 0], eye[ii, 1], cross[:, 2]])
            th, _ = floor_caster.first_hit(start, start - [0, 50.0, 0])
            front_floor = eye[ii, 1] - 50.0 * th
            line_y = cross[:, 1]
            c = (line_y - (front_floor + EYE_HEIGHT)) * 1000
            out[ii] = np.where(np.isfinite(th), c, np.nan)
    return out


def _segment_polyline(a: np.ndarray, b: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Smallest fraction t along segments a->b ((k, 2)) where they cross the
    polyline ``poly`` ((m, 2)); inf where they do not."""
    p, q = poly[:-1], poly[1:]
    d = (b - a)[:, None, :]
    e = (q - p)[None, :, :]
    w = p[None, :, :] - a[:, None, :]
    den = d[..., 0] * e[..., 1] - d[..., 1] * e[..., 0]
    safe = np.where(np.abs(den) < 1e-12, np.nan, den)
    t = (w[..., 0] * e[..., 1] - w[..., 1] * e[..., 0]) / safe
    u = (w[..., 0] * d[..., 1] - w[..., 1] * d[..., 0]) / safe
    hit = (t > 1e-9) & (t < 1) & (u >= 0) & (u <= 1)
    t = np.where(hit, t, np.inf)
    return t.min(axis=1)


def _inside_walkable(pos: np.ndarray, floor_y: np.ndarray, meta: VenueMetadata) -> np.ndarray:
    inside = np.zeros(len(pos), dtype=bool)
    xz = pos[:, [0, 2]]
    for area in meta.walkable:
        v = np.array(area.vertices, dtype=float)
        level = np.abs(floor_y - v[:, 1].mean()) < FLOOR_TOLERANCE
        cand = level & ~inside
        if not cand.any():
            continue
        poly = v[:, [0, 2]]
        p = xz[cand]
        ok = np.ones(len(p), dtype=bool)
        for j in range(len(poly)):
            a, b = poly[j], poly[(j + 1) % len(poly)]
            # counter-clockwise seen from +Y is clockwise in the x/z plane
            cross = (b[0] - a[0]) * (p[:, 1] - a[1]) - (b[1] - a[1]) * (p[:, 0] - a[0])
            ok &= cross <= 1e-6
        idx = np.nonzero(cand)[0]
        inside[idx[ok]] = True
    return inside


def _overlaps(pos: np.ndarray, facing: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of seats whose footprints (oriented rectangles) intersect."""
    w, d = FOOTPRINT
    reach = math.hypot(w, d)
    xz = pos[:, [0, 2]]
    diff = xz[:, None, :] - xz[None, :, :]
    near = (np.einsum("ijk,ijk->ij", diff, diff) < reach**2) & (
        np.abs(pos[:, None, 1] - pos[None, :, 1]) < 0.5
    )
    a_idx, b_idx = np.nonzero(np.triu(near, 1))
    if len(a_idx) == 0:
        return []
    fwd = facing[:, [0, 2]]
    right = np.column_stack([-fwd[:, 1], fwd[:, 0]])

    def corners(i):
        c = xz[i]
        f, r = fwd[i] * d / 2, right[i] * w / 2
        return np.stack([c + f + r, c + f - r, c - f - r, c - f + r], axis=1)

    ca, cb = corners(a_idx), corners(b_idx)
    separated = np.zeros(len(a_idx), dtype=bool)
    for axes in (fwd[a_idx], right[a_idx], fwd[b_idx], right[b_idx]):
        pa = np.einsum("kcj,kj->kc", ca, axes)
        pb = np.einsum("kcj,kj->kc", cb, axes)
        separated |= (pa.max(1) <= pb.min(1) + 1e-6) | (pb.max(1) <= pa.min(1) + 1e-6)
    return [(int(a), int(b)) for a, b in zip(a_idx[~separated], b_idx[~separated], strict=True)]


def _facing_error_deg(pos: np.ndarray, facing: np.ndarray, meta: VenueMetadata) -> np.ndarray:
    """Angle between each seat's facing and the nearest direction that still
    points at the stage front edge (0 when the facing ray crosses it)."""
    assert meta.stage is not None
    a, b = (np.array(p, dtype=float)[[0, 2]] for p in meta.stage.front_edge)
    f = facing[:, [0, 2]]
    xz = pos[:, [0, 2]]

    def angle_to(p):
        v = p - xz
        cross = f[:, 0] * v[:, 1] - f[:, 1] * v[:, 0]
        dot = np.einsum("ij,ij->i", f, v)
        return np.degrees(np.arctan2(cross, dot))

    aa, ab = angle_to(a), angle_to(b)
    between = (np.sign(aa) != np.sign(ab)) & (np.abs(aa) < 90) & (np.abs(ab) < 90)
    return np.where(between, 0.0, np.minimum(np.abs(aa), np.abs(ab)))


__all__ = [
    "CheckReport",
    "SegmentCaster",
    "geometry_from_assembly",
    "geometry_from_glb",
    "run_checks",
    "sightline_focus",
]
