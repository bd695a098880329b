"""Re-export a normalised scene as one self-contained GLB, with nothing of the
upload's own metadata (extras, names of files, URIs) carried along."""

from __future__ import annotations

import json

import trimesh

from .budgets import Budgets
from .errors import SceneRefused
from .glb import split_glb
from .gltf_preflight import check_gltf


def _strip(scene: trimesh.Scene) -> None:
    scene.metadata = {}
    for geometry in scene.geometry.values():
        geometry.metadata = {}
        material = getattr(getattr(geometry, "visual", None), "material", None)
        if material is not None and hasattr(material, "kwargs"):
            material.kwargs = {}


def export_glb(scene: trimesh.Scene, budgets: Budgets, extras: dict | None = None) -> bytes:
    """The GLB bytes; ``extras`` (the venue metadata) go on the scene's root."""
    _strip(scene)

    def add_extras(tree: dict) -> None:
        if extras is not None:
            tree.setdefault("scenes", [{}])[0]["extras"] = extras

    try:
        glb = scene.export(file_type="glb", tree_postprocessor=add_extras)
    except Exception as exc:
        raise SceneRefused(
            "unexportable", f"the model cannot be written as GLB: {type(exc).__name__}"
        ) from None
    raw_json, bin_chunk = split_glb(glb)
    tree = check_gltf(
        raw_json, budgets.model_copy(update={"max_bytes": 1 << 40}), bin_chunk=bin_chunk
    ).tree
    # belt and braces: whatever the exporter did, no reference leaves the file
    if any("uri" in item for key in ("buffers", "images") for item in tree.get(key, [])):
        raise SceneRefused("outside_reference", "the exported GLB would point outside itself")
    json.dumps(tree)  # it round-trips
    return bytes(glb)
