"""The lighter copy for phones and standalone headsets: fewer triangles
(quadric decimation through ``fast-simplification``, the library trimesh uses)
and textures no larger than the headset budget.

Decimation moves vertices and drops texture coordinates: for a textured mesh the
library's record of its collapses says which original vertices became each new
one, and the new vertex takes their mean coordinates, so the picture survives
with its material. A mesh with a texture but no coordinates to carry keeps its
material colour, tinted with the texture's average colour.
"""

from __future__ import annotations

import fast_simplification
import numpy as np
import trimesh
from PIL import Image
from trimesh.visual.material import PBRMaterial

from .budgets import Budgets
from .measure import Measured, images_of, materials

MIN_FACES = 12  # a mesh is never cut below this


def _mean_colour(material: object) -> list[float]:
    factor = getattr(material, "baseColorFactor", None)
    colour = np.array(factor if factor is not None else [255, 255, 255, 255], dtype=float)
    colour = colour / 255.0 if colour.max() > 1.0 else colour
    for _, image in images_of(material):
        mean = np.asarray(image.convert("RGBA").resize((8, 8))).reshape(-1, 4).mean(axis=0)
        colour = colour * (mean / 255.0)
        break
    return [float(c) for c in colour]


def _decimated_textured(
    mesh: trimesh.Trimesh, uv: np.ndarray, material: object, target: int
) -> trimesh.Trimesh:
    """Decimate `mesh` and carry its texture coordinates over to the new vertices."""
    vertices, faces, collapses = fast_simplification.simplify(
        mesh.vertices, mesh.faces, target_count=target, return_collapses=True
    )
    # replaying the collapses numbers the vertices as simplify() did, and says which
    # new vertex each original one went into
    _, _, went_into = fast_simplification.replay_simplification(
        mesh.vertices, mesh.faces, collapses
    )
    sums = np.zeros((len(vertices), 2))
    np.add.at(sums, went_into, uv)
    counts = np.bincount(went_into, minlength=len(vertices)).clip(min=1)
    simple = trimesh.Trimesh(vertices, faces, process=False)
    simple.visual = trimesh.visual.TextureVisuals(
        uv=sums / counts[:, None], material=material
    )
    return simple


def _decimated(mesh: trimesh.Trimesh, keep: float) -> trimesh.Trimesh:
    target = max(int(len(mesh.faces) * keep), MIN_FACES)
    if target >= len(mesh.faces):
        return mesh
    material = getattr(mesh.visual, "material", None)
    uv = getattr(mesh.visual, "uv", None)
    if material is not None and uv is not None and len(uv) == len(mesh.vertices):
        return _decimated_textured(mesh, np.asarray(uv, dtype=float), material, target)
    simple = mesh.simplify_quadric_decimation(face_count=target)
    colour = _mean_colour(material) if material is not None else [0.8, 0.8, 0.8, 1.0]
    simple.visual = trimesh.visual.TextureVisuals(material=PBRMaterial(baseColorFactor=colour))
    return simple


def _downscale(scene: trimesh.Scene, max_px: int) -> None:
    for material in materials(scene):
        for slot, image in list(images_of(material)):
            if max(image.size) > max_px:
                small = image.copy()
                small.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
                setattr(material, slot, small)


def lighter_copy(scene: trimesh.Scene, measured: Measured, budgets: Budgets) -> trimesh.Scene:
    light = scene.copy()
    if measured.triangles > budgets.headset_triangles:
        keep = budgets.headset_triangles / measured.triangles
        for name, geometry in list(light.geometry.items()):
            if isinstance(geometry, trimesh.Trimesh) and len(geometry.faces) > MIN_FACES:
                light.geometry[name] = _decimated(geometry, keep)
    _downscale(light, budgets.headset_texture_px)
    return light
