"""What a loaded scene costs a client: triangles drawn, nodes, texture sides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import trimesh
from PIL import Image

from .budgets import Budgets
from .errors import over_budget

IMAGE_SLOTS = (
    "image",
    "baseColorTexture",
    "metallicRoughnessTexture",
    "normalTexture",
    "occlusionTexture",
    "emissiveTexture",
)


@dataclass(frozen=True)
class Measured:
    triangles: int
    nodes: int
    texture_max_px: int


def materials(scene: trimesh.Scene) -> Iterator[object]:
    for geometry in scene.geometry.values():
        material = getattr(getattr(geometry, "visual", None), "material", None)
        if material is not None:
            yield material


def images_of(material: object) -> Iterator[tuple[str, Image.Image]]:
    for slot in IMAGE_SLOTS:
        image = getattr(material, slot, None)
        if isinstance(image, Image.Image):
            yield slot, image


def measure(scene: trimesh.Scene) -> Measured:
    triangles = 0
    for node in scene.graph.nodes_geometry:
        _, name = scene.graph[node]
        faces = getattr(scene.geometry.get(name), "faces", None)
        triangles += 0 if faces is None else len(faces)
    sides = [max(img.size) for m in materials(scene) for _, img in images_of(m)]
    return Measured(triangles, len(scene.graph.nodes), max(sides, default=0))


def enforce(measured: Measured, budgets: Budgets) -> None:
    if measured.triangles > budgets.max_triangles:
        raise over_budget("triangles", measured.triangles, budgets.max_triangles)
    if measured.nodes > budgets.max_nodes:
        raise over_budget("number of nodes", measured.nodes, budgets.max_nodes)
    if measured.texture_max_px > budgets.max_texture_px:
        raise over_budget("texture size", measured.texture_max_px, budgets.max_texture_px, " px")
    if measured.triangles == 0:
        from .errors import SceneRefused

        raise SceneRefused("empty_model", "the model has no triangles (points or lines only)")


def needs_lighter(measured: Measured, budgets: Budgets) -> bool:
    return (
        measured.triangles > budgets.headset_triangles
        or measured.texture_max_px > budgets.headset_texture_px
    )
