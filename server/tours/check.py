"""The checks a tour's stops must pass against its venue; each refusal names the stop.

Pure: the venue's metadata (``scenes.metadata.VenueMetadata``) and the stops in,
:class:`TourRefused` out, with the stop's number (1 = the first) in its message:
an exhibit the venue does not hang, a place off the walkable floor, a narration
longer than the speech worker reads (``speech.MAX_CHARS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..errors import ApiError
from .speech import MAX_CHARS

FLOOR_TOLERANCE_M = 0.3  # feet this far above or below a walkable area still stand on it
_EPS = 1e-6


class TourRefused(ApiError):
    status = 422
    code = "invalid_tour"
    public_params = ("stop",)  # the body says which stop (1 = the first), for an editor


def _inside_xz(vertices: Sequence[Sequence[float]], x: float, z: float) -> bool:
    """Point in a convex polygon seen from above, either winding (edges included)."""
    sign = 0
    count = len(vertices)
    for i in range(count):
        ax, _, az = vertices[i]
        bx, _, bz = vertices[(i + 1) % count]
        cross = (bx - ax) * (z - az) - (bz - az) * (x - ax)
        if abs(cross) < _EPS:
            continue
        s = 1 if cross > 0 else -1
        if sign == 0:
            sign = s
        elif s != sign:
            return False
    return True


def _height_at(vertices: Sequence[Sequence[float]], x: float, z: float) -> float | None:
    """The polygon's plane height at (x, z) (Newell's normal); None for a wall."""
    nx = ny = nz = 0.0
    count = len(vertices)
    for i in range(count):
        a, b = vertices[i], vertices[(i + 1) % count]
        nx += (a[1] - b[1]) * (a[2] + b[2])
        ny += (a[2] - b[2]) * (a[0] + b[0])
        nz += (a[0] - b[0]) * (a[1] + b[1])
    if abs(ny) < 0.2 * (nx * nx + ny * ny + nz * nz) ** 0.5:
        return None
    px, py, pz = vertices[0]
    d = nx * px + ny * py + nz * pz
    return (d - nx * x - nz * z) / ny


def floor_height(walkable: Iterable, x: float, y: float, z: float) -> float | None:
    """The height of the walkable floor under feet at (x, y, z), or None when they
    stand on none (``walkable``: the metadata's ``WalkableArea`` models)."""
    best: float | None = None
    for area in walkable:
        if not _inside_xz(area.vertices, x, z):
            continue
        h = _height_at(area.vertices, x, z)
        if h is not None and abs(h - y) <= FLOOR_TOLERANCE_M:
            if best is None or abs(h - y) < abs(best - y):
                best = h
    return best


def check_stops(metadata, stops: Sequence) -> None:
    """Refuse the first stop that does not fit the venue. ``stops``: the wire model's
    stops (``exhibit``, ``position``, ``narration: {lang: text}``)."""
    exhibits = {e.id for e in metadata.exhibits}
    for number, stop in enumerate(stops, start=1):
        if stop.exhibit is not None and stop.exhibit not in exhibits:
            raise TourRefused(
                f"stop {number}: exhibit '{stop.exhibit}' is not in this gallery",
                key="invalid_tour.exhibit",
                params={"stop": number, "exhibit": stop.exhibit},
            )
        x, y, z = stop.position
        if floor_height(metadata.walkable, x, y, z) is None:
            place = f"({x:g}, {y:g}, {z:g})"
            raise TourRefused(
                f"stop {number}: the place {place} is not on the venue's walkable floor",
                key="invalid_tour.place",
                params={"stop": number, "place": place},
            )
        for lang, text in sorted(stop.narration.items()):
            if len(text) > MAX_CHARS:
                raise TourRefused(
                    f"stop {number}: the narration in {lang} has {len(text)} characters;"
                    f" the speech limit is {MAX_CHARS}",
                    key="invalid_tour.narration",
                    params={
                        "stop": number,
                        "language": lang,
                        "chars": len(text),
                        "limit": MAX_CHARS,
                    },
                )
