"""The venue metadata of an uploaded scene: walkable floor derived from the
model, and default spawn points and screen that an editor may change later."""

from __future__ import annotations

import numpy as np
import trimesh

from scenes.metadata import (
    BuildStats,
    ScreenRect,
    SpawnPoint,
    VenueMetadata,
    WalkableArea,
)

from .measure import Measured, materials
from .walkable import floor_polygons, world_mesh

SCREEN_ASPECT = 16 / 9
SCREEN_MAX_WIDTH = 8.0  # m
BACK_DEPTH = 2.0  # m from the far end within which the back wall is looked for
SCREEN_GAP = 0.02  # m in front of it


def _wall_front(mesh: trimesh.Trimesh, lo: np.ndarray, width: float, y0: float, y1: float):
    """z of the nearest surface facing +z in front of the far end, where the screen
    goes (a thick back wall's face, not the outside of the model)."""
    if not len(mesh.faces):
        return float(lo[2])
    centres = mesh.triangles_center
    facing = (
        (mesh.face_normals[:, 2] > 0.9)
        & (centres[:, 2] < lo[2] + BACK_DEPTH)
        & (np.abs(centres[:, 0]) < width / 2)
        & (centres[:, 1] > y0 - 0.5)
        & (centres[:, 1] < y1 + 0.5)
    )
    return float(centres[facing, 2].max()) if facing.any() else float(lo[2])


def default_screen(lo: np.ndarray, hi: np.ndarray, mesh: trimesh.Trimesh) -> ScreenRect:
    """A 16:9 screen on the far (-z) side, facing +z, as wide as 60 % of the room,
    just in front of the wall there."""
    width = float(min(SCREEN_MAX_WIDTH, max(0.5, 0.6 * (hi[0] - lo[0]))))
    height = width / SCREEN_ASPECT
    room_height = float(hi[1] - lo[1])
    bottom = max(0.0, min(1.0, room_height - height - 0.1))
    z = round(_wall_front(mesh, lo, width, bottom, bottom + height) + SCREEN_GAP, 4)
    x0, x1, y0, y1 = -width / 2, width / 2, bottom, bottom + height
    corners = ((x0, y0, z), (x1, y0, z), (x1, y1, z), (x0, y1, z))
    return ScreenRect(
        center=(0.0, round((y0 + y1) / 2, 4), z),
        normal=(0.0, 0.0, 1.0),
        up=(0.0, 1.0, 0.0),
        width=round(width, 4),
        height=round(height, 4),
        corners=tuple((round(a, 4), round(b, 4), c) for a, b, c in corners),  # type: ignore[arg-type]
    )


def default_spawn(area: list[tuple[float, float, float]]) -> SpawnPoint:
    centre = np.mean(np.array(area), axis=0)
    return SpawnPoint(
        id="entrance",
        position=(round(float(centre[0]), 4), float(centre[1]), round(float(centre[2]), 4)),
        facing=(0.0, 0.0, -1.0),
    )


def upload_metadata(
    scene: trimesh.Scene, venue_id: str, name: str, source_sha: str, measured: Measured
) -> VenueMetadata:
    lo, hi = scene.bounds
    polygons = floor_polygons(scene)
    return VenueMetadata(
        id=venue_id,
        name=name,
        kind="gallery",  # walk-around: an upload has no seats of its own
        spec_hash=source_sha,
        bounds_min=tuple(round(float(v), 4) for v in lo),  # type: ignore[arg-type]
        bounds_max=tuple(round(float(v), 4) for v in hi),  # type: ignore[arg-type]
        screen=default_screen(lo, hi, world_mesh(scene)),
        spawn_points=[default_spawn(polygons[0])],
        walkable=[WalkableArea(id=f"floor/{i}", vertices=p) for i, p in enumerate(polygons)],
        stats=BuildStats(
            triangles=measured.triangles,
            draw_calls=len(scene.graph.nodes_geometry),
            materials=len({id(m) for m in materials(scene)}),
            texture_max_px=measured.texture_max_px,
        ),
    )
