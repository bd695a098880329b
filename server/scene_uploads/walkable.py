"""Walkable floor of an uploaded scene: upward-facing surfaces near y = 0.

An uploaded model has no walkable areas of its own. Faces whose normal points
up and that lie within ``FLOOR_BAND`` of the floor are drawn (seen from above)
into a grid of at most ``MAX_CELLS`` cells; connected patches of the grid of at
least ``MIN_AREA`` m² become convex areas (each patch's hull). With no such
face, the footprint of the model is the floor.
"""

from __future__ import annotations

import numpy as np
import shapely
import trimesh
from PIL import Image, ImageDraw

FLOOR_BAND = 0.3  # m above y = 0
UP_COSINE = 0.9  # about 25 degrees from level
MIN_AREA = 1.0  # m²
MAX_AREAS = 32
CELL = 0.25  # m, the finest grid
MAX_SIDE = 400  # cells along the longer side (a bigger venue gets coarser cells)


def world_mesh(scene: trimesh.Scene) -> trimesh.Trimesh:
    """Every instance of every mesh in scene coordinates, as one mesh."""
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


def _raster(floor_xz: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Occupancy grid of the floor triangles: (grid, origin xz, cell size)."""
    lo, hi = floor_xz.reshape(-1, 2).min(axis=0), floor_xz.reshape(-1, 2).max(axis=0)
    cell = max(CELL, float(max(hi - lo)) / MAX_SIDE)
    shape = (np.ceil((hi - lo) / cell).astype(int) + 2)[::-1]  # rows: z, columns: x
    image = Image.new("1", (int(shape[1]), int(shape[0])))
    draw = ImageDraw.Draw(image)
    for triangle in (floor_xz - lo) / cell + 1:
        draw.polygon([tuple(p) for p in triangle], fill=1)
    return np.asarray(image, dtype=bool), lo - cell, cell


def _labels(grid: np.ndarray) -> np.ndarray:
    """Connected components (4-neighbours) of a boolean grid; 0 is empty."""
    labels = np.where(grid, np.arange(1, grid.size + 1).reshape(grid.shape), 0)
    big = grid.size + 1
    while True:  # each pass spreads the smallest label one cell further
        padded = np.pad(np.where(grid, labels, big), 1, constant_values=big)
        spread = np.minimum.reduce(
            [
                padded[1:-1, 1:-1],
                padded[:-2, 1:-1],
                padded[2:, 1:-1],
                padded[1:-1, :-2],
                padded[1:-1, 2:],
            ]
        )
        spread = np.where(grid, spread, 0)
        if np.array_equal(spread, labels):
            return labels
        labels = spread


def _patches(floor: np.ndarray) -> list[tuple[list[tuple[float, float]], float]]:
    """(hull seen from above, mean height) of each patch, largest first."""
    grid, origin, cell = _raster(floor[:, :, [0, 2]])
    labels = _labels(grid)
    found, counts = np.unique(labels[labels > 0], return_counts=True)
    centroids = floor.mean(axis=1)
    cols = ((centroids[:, 0] - origin[0]) / cell).astype(int).clip(0, grid.shape[1] - 1)
    rows = ((centroids[:, 2] - origin[1]) / cell).astype(int).clip(0, grid.shape[0] - 1)
    owner = labels[rows, cols]
    patches = []
    for label, count in sorted(zip(found, counts, strict=True), key=lambda p: -p[1]):
        if count * cell * cell < MIN_AREA:
            break
        mine = owner == label
        if not mine.any():
            continue
        # the hull of the patch's own vertices: exact, where cells would be coarse
        hull = shapely.MultiPoint(floor[mine][:, :, [0, 2]].reshape(-1, 2)).convex_hull
        if hull.area < MIN_AREA:
            continue
        y = float(floor[mine][:, :, 1].mean())
        patches.append((_ccw_from_above(hull), y))
        if len(patches) == MAX_AREAS:
            break
    return patches


def _ccw_from_above(hull) -> list[tuple[float, float]]:
    # shapely orients counter-clockwise in (x, z); seen from above (+Y) that is clockwise
    ring = shapely.geometry.polygon.orient(hull, sign=1.0).exterior.coords[:-1]
    return [(float(x), float(z)) for x, z in ring][::-1]


def floor_polygons(scene: trimesh.Scene) -> list[list[tuple[float, float, float]]]:
    """Convex floor areas as ``[x, y, z]`` vertices, counter-clockwise from above."""
    mesh = world_mesh(scene)
    polygons = []
    if len(mesh.faces):
        triangles = mesh.triangles
        up = (mesh.face_normals[:, 1] > UP_COSINE) & (triangles[:, :, 1].max(axis=1) < FLOOR_BAND)
        floor = triangles[up]
        if len(floor):
            for hull, y in _patches(floor):
                polygons.append([(x, round(y, 4), z) for x, z in hull])
    if not polygons:
        lo, hi = scene.bounds
        polygons.append(
            [(lo[0], 0.0, lo[2]), (lo[0], 0.0, hi[2]), (hi[0], 0.0, hi[2]), (hi[0], 0.0, lo[2])]
        )
    return [[(round(float(x), 4), float(y), round(float(z), 4)) for x, y, z in p] for p in polygons]
