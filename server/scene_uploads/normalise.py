"""Bring a loaded scene to the venue conventions: metres, Y up, floor at y = 0,
centred on x and z.

glTF is metres and Y up by definition. OBJ usually is Y up; STL and PLY come
from CAD and scanners, which are Z up. None of OBJ/STL/PLY says its unit, so it
is guessed from the size (a venue is 2-500 m across) unless the editor says.
"""

from __future__ import annotations

import numpy as np
import trimesh

from .budgets import Units, Up
from .errors import SceneRefused

TO_METRES = {"m": 1.0, "cm": 0.01, "mm": 0.001, "in": 0.0254, "ft": 0.3048}
Z_UP_FORMATS = {"stl", "ply"}


def guess_scale(largest_extent: float) -> float:
    """Metres per file unit for a unitless file, from its largest extent."""
    if largest_extent > 5_000:
        return TO_METRES["mm"]
    if largest_extent > 1_000:
        return TO_METRES["cm"]
    return 1.0


def normalise(scene: trimesh.Scene, file_type: str, units: Units = "auto", up: Up = "auto"):
    """Transform ``scene`` in place; returns the metres-per-unit scale applied."""
    bounds = scene.bounds
    if bounds is None or not np.all(np.isfinite(bounds)):
        raise SceneRefused("bad_geometry", "the model's coordinates are not finite numbers")
    if up == "z" or (up == "auto" and file_type in Z_UP_FORMATS):
        # Z up -> Y up: a quarter turn about X (z becomes y, y becomes -z)
        scene.apply_transform(trimesh.transformations.rotation_matrix(-np.pi / 2, [1, 0, 0]))
    if units != "auto":
        scale = TO_METRES[units]
    elif file_type in ("glb", "gltf"):
        scale = 1.0
    else:
        scale = guess_scale(float(np.max(scene.extents)))
    if scale != 1.0:
        scene.apply_transform(np.diag([scale, scale, scale, 1.0]))
    lo, hi = scene.bounds
    offset = np.eye(4)
    offset[:3, 3] = [-(lo[0] + hi[0]) / 2, -lo[1], -(lo[2] + hi[2]) / 2]
    scene.apply_transform(offset)
    if float(np.max(scene.extents)) < 1e-3:
        raise SceneRefused("bad_geometry", "the model has no size (all points in one place)")
    return scale
