"""An editor's spawn points and screen rectangle for an uploaded venue (the
portal's layout editor, docs/uploads.md): checked against the venue's walkable
floor and bounds, written as a new manifest (a new version).

Each refusal names the point at fault, in the request's language
(``bad_layout.*`` in server/i18n/messages.py).
"""

from __future__ import annotations

import asyncio
import math

import shapely
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scenes.metadata import ScreenRect, SpawnPoint, Vec3, VenueMetadata

from ..errors import ApiError
from ..storage.blobs import BlobStore

MARGIN = 0.5  # m outside the bounds still accepted (a screen on an outer wall)
ON_FLOOR = 0.05  # m outside a walkable outline still on it (a click on its edge)
STEP = 0.5  # m above or below the floor still standing on it
SQUARE = 0.01  # |cos| between the screen's normal and up still taken as square
CORNER_SLACK = 0.01  # m between sent corners and the ones worked out


class BadLayout(ApiError):
    status = 400
    code = "bad_layout"


class LayoutSpawn(BaseModel):
    """A spawn point as the editor sends it: ``facing`` is made a unit vector
    along the floor."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=40)
    position: Vec3
    facing: Vec3


class LayoutScreen(BaseModel):
    """The screen as the editor sends it; ``corners`` may be left out (they
    follow from the centre, directions and size)."""

    model_config = ConfigDict(extra="forbid")

    center: Vec3
    normal: Vec3
    up: Vec3 = (0.0, 1.0, 0.0)
    width: float = Field(gt=0, le=100)
    height: float = Field(gt=0, le=100)
    corners: tuple[Vec3, Vec3, Vec3, Vec3] | None = None


class LayoutEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spawn_points: list[LayoutSpawn] | None = Field(default=None, min_length=1, max_length=32)
    screen: LayoutScreen | None = None


def _shown(point) -> str:
    return "(" + ", ".join(f"{v:.2f}" for v in point) + ")"


def _unit(v) -> tuple[float, float, float] | None:
    length = math.sqrt(sum(c * c for c in v))
    return None if length < 1e-6 else tuple(c / length for c in v)  # type: ignore[return-value]


def _on_floor(position: Vec3, meta: VenueMetadata) -> bool:
    """Within a walkable outline seen from above and near its height (an
    uploaded venue's areas are level: their vertices share one height)."""
    x, y, z = position
    for area in meta.walkable:
        outline = shapely.Polygon([(vx, vz) for vx, _, vz in area.vertices])
        height = sum(v[1] for v in area.vertices) / len(area.vertices)
        if abs(y - height) <= STEP and outline.buffer(ON_FLOOR).covers(shapely.Point(x, z)):
            return True
    return False


def _spawn(point: LayoutSpawn, meta: VenueMetadata) -> SpawnPoint:
    if not _on_floor(point.position, meta):
        raise BadLayout(
            key="bad_layout.spawn_off_floor",
            params={"id": point.id, "position": _shown(point.position)},
        )
    facing = _unit((point.facing[0], 0.0, point.facing[2]))
    if facing is None:
        raise BadLayout(key="bad_layout.spawn_facing", params={"id": point.id})
    return SpawnPoint(
        id=point.id,
        position=tuple(round(v, 3) for v in point.position),  # type: ignore[arg-type]
        facing=tuple(round(v, 4) for v in facing),  # type: ignore[arg-type]
    )


def screen_corners(center, normal, up, width: float, height: float) -> tuple:
    """Bottom-left, bottom-right, top-right, top-left as the audience (looking
    along -normal) sees them; ``normal`` and ``up`` unit vectors."""
    right = (
        up[1] * normal[2] - up[2] * normal[1],
        up[2] * normal[0] - up[0] * normal[2],
        up[0] * normal[1] - up[1] * normal[0],
    )

    def at(sx: float, sy: float) -> Vec3:
        return tuple(  # type: ignore[return-value]
            round(c + sx * width / 2 * r + sy * height / 2 * u, 4)
            for c, r, u in zip(center, right, up, strict=True)
        )

    return (at(-1, -1), at(1, -1), at(1, 1), at(-1, 1))


def _screen(screen: LayoutScreen, meta: VenueMetadata) -> ScreenRect:
    normal, up = _unit(screen.normal), _unit(screen.up)
    if (
        normal is None
        or up is None
        or abs(sum(a * b for a, b in zip(normal, up, strict=True))) > SQUARE
    ):
        raise BadLayout(key="bad_layout.screen_direction")
    corners = screen_corners(screen.center, normal, up, screen.width, screen.height)
    if screen.corners is not None and any(
        abs(a - b) > CORNER_SLACK
        for sent, made in zip(screen.corners, corners, strict=True)
        for a, b in zip(sent, made, strict=True)
    ):
        raise BadLayout(key="bad_layout.screen_corners")
    for corner in corners:
        if not all(
            lo - MARGIN <= v <= hi + MARGIN
            for v, lo, hi in zip(corner, meta.bounds_min, meta.bounds_max, strict=True)
        ):
            raise BadLayout(
                key="bad_layout.screen_outside",
                params={
                    "point": _shown(corner),
                    "center": _shown(screen.center),
                    "low": _shown(meta.bounds_min),
                    "high": _shown(meta.bounds_max),
                },
            )
    return ScreenRect(
        center=tuple(round(v, 4) for v in screen.center),  # type: ignore[arg-type]
        normal=tuple(round(v, 4) for v in normal),  # type: ignore[arg-type]
        up=tuple(round(v, 4) for v in up),  # type: ignore[arg-type]
        width=round(screen.width, 4),
        height=round(screen.height, 4),
        corners=corners,
    )


def apply_layout(meta: VenueMetadata, edit: LayoutEdit) -> VenueMetadata:
    """``meta`` with the edit's spawn points and screen; ``BadLayout`` naming
    the first point at fault."""
    changes: dict = {}
    if edit.spawn_points is not None:
        seen: set[str] = set()
        for point in edit.spawn_points:
            if point.id in seen:
                raise BadLayout(key="bad_layout.duplicate_spawn", params={"id": point.id})
            seen.add(point.id)
        changes["spawn_points"] = [_spawn(p, meta) for p in edit.spawn_points]
    if edit.screen is not None:
        changes["screen"] = _screen(edit.screen, meta)
    try:
        return VenueMetadata.model_validate({**meta.model_dump(), **changes})
    except ValidationError as exc:
        raise BadLayout(str(exc.errors()[0]["msg"])) from None


async def edited_manifest(blobs: BlobStore, manifest_sha: str, edit: LayoutEdit) -> str:
    text = await asyncio.to_thread(blobs.path(manifest_sha).read_text, encoding="utf-8")
    edited = apply_layout(VenueMetadata.model_validate_json(text), edit)
    return await blobs.add_bytes(
        edited.model_dump_json().encode(), "application/json", compress=True
    )
