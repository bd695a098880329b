"""Walkable floor of an uploaded scene: upward-facing surfaces near y = 0.

An uploaded model has no walkable areas of its own. Faces whose normal points
up and that lie within ``FLOOR_BAND`` of the floor are merged (seen from above) into connected
patches; each patch of at least ``MIN_AREA`` m² becomes a convex area (its hull
seen from above). With no such face, the footprint of the model is the floor.
"""

from __future__ import annotations

import numpy as np
import shapely
import trimesh

FLOOR_BAND = 0.3  # m above y = 0
UP_COSINE = 0.9  # about 25 degrees from level
MIN_AREA = 1.0  # m²
MAX_AREAS = 32
MAX_FLOOR_FACES = 50_000  # beyond this the floor is simplified first (grid snapping)


def _world_mesh(scene: trimesh.Scene) -> trimesh.Trimesh:
    meshes = []
    for node in scene.graph.nodes_geometry:
        transform, name = scene.graph[node]
        geometry = scene.geometry.get(name)
        if isinstance(geometry, trimesh.Trimesh) and len(geometry.faces):
            mesh = trimesh.Trimesh(geometry.vertices, geometry.faces, process=False)
            meshes.append(mesh.apply_transform(transform))
    if not meshes:
        return trimesh.Trimesh()
    merged = trimesh.util.concatenate(meshes)
    assert isinstance(merged, trimesh.Trimesh)
    return merged


def _patches(triangles_xz: np.ndarray) -> list:
    """Connected patches of the floor triangles (seen from above), largest first."""
    grid = 0.01 if len(triangles_xz) > MAX_FLOOR_FACES else None
    merged = shapely.union_all(shapely.polygons(triangles_xz), grid_size=grid)
    parts = list(getattr(merged, "geoms", [merged]))
    return sorted((p for p in parts if p.area >= MIN_AREA), key=lambda p: p.area, reverse=True)


def _ccw_from_above(hull) -> list[tuple[float, float]]:
    # shapely orients counter-clockwise in (x, z); seen from above (+Y) that is clockwise
    ring = shapely.geometry.polygon.orient(hull, sign=1.0).exterior.coords[:-1]
    return [(float(x), float(z)) for x, z in ring][::-1]


def floor_polygons(scene: trimesh.Scene) -> list[list[tuple[float, float, float]]]:
    """Convex floor areas as ``[x, y, z]`` vertices, counter-clockwise from above."""
    mesh = _world_mesh(scene)
    polygons = []
    if len(mesh.faces):
        triangles = mesh.triangles
        up = (mesh.face_normals[:, 1] > UP_COSINE) & (triangles[:, :, 1].max(axis=1) < FLOOR_BAND)
        floor = triangles[up]
        if len(floor):
            for patch in _patches(floor[:, :, [0, 2]])[:MAX_AREAS]:
                inside = shapely.contains_xy(patch.buffer(1e-6), floor[:, :, 0], floor[:, :, 2])
                y = float(floor[:, :, 1][inside].mean()) if inside.any() else 0.0
                hull = _ccw_from_above(patch.convex_hull)
                polygons.append([(x, round(y, 4), z) for x, z in hull])
    if not polygons:
        lo, hi = scene.bounds
        polygons.append(
            [(lo[0], 0.0, lo[2]), (lo[0], 0.0, hi[2]), (hi[0], 0.0, hi[2]), (hi[0], 0.0, lo[2])]
        )
    return [[(round(float(x), 4), float(y), round(float(z), 4)) for x, y, z in p] for p in polygons]
