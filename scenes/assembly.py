"""Collects a venue's parts per material and turns them into a light GLB.

A standalone headset pays per draw call, so every part that shares a material is
merged into one mesh (one draw call). A few parts stay separate, named nodes
because clients must find them (``screen``, whose material becomes the stream).
Pictures (a gallery's works) are named parts with their own image as texture: one
draw call each, the price of showing the real work.
The venue metadata rides in the ``extras`` of a root node named ``venue``.
"""

from __future__ import annotations

import io
import json
import struct
from dataclasses import dataclass, field

import trimesh
from PIL import Image
from trimesh.visual import TextureVisuals
from trimesh.visual.material import PBRMaterial

from .geometry import Part, concatenate
from .materials import PALETTE, TEXTURE_MAX_PX, pbr_material
from .metadata import BuildStats, VenueMetadata

ROOT_NODE = "venue"


@dataclass(frozen=True)
class BuiltVenue:
    """What a builder returns: the GLB (metadata in its root extras) and the
    same metadata as a model, for the JSON manifest written beside it."""

    glb: bytes
    metadata: VenueMetadata


@dataclass
class VenueAssembly:
    """Parts grouped by palette material; ``named`` parts become their own nodes."""

    merged: dict[str, list[Part]] = field(default_factory=dict)
    named: dict[str, tuple[str, Part]] = field(default_factory=dict)
    pictures: dict[str, tuple[Part, bytes]] = field(default_factory=dict)

    def add(self, material: str, part: Part) -> None:
        if material not in PALETTE:
            raise ValueError(f"unknown material {material!r}")
        self.merged.setdefault(material, []).append(part)

    def add_named(self, node: str, material: str, part: Part) -> None:
        if node in self.named or node == ROOT_NODE:
            raise ValueError(f"node name {node!r} already used")
        if material not in PALETTE:
            raise ValueError(f"unknown material {material!r}")
        self.named[node] = (material, part)

    def add_picture(self, node: str, part: Part, jpeg: bytes) -> None:
        """A node textured with ``jpeg`` over UVs [0, 1]^2 (kept as JPEG in the GLB)."""
        if node in self.named or node in self.pictures or node == ROOT_NODE:
            raise ValueError(f"node name {node!r} already used")
        self.pictures[node] = (part, jpeg)

    def picture_max_px(self) -> int:
        sizes = [Image.open(io.BytesIO(jpeg)).size for _, jpeg in self.pictures.values()]
        return max((max(size) for size in sizes), default=0)

    def meshes(self) -> dict[str, trimesh.Trimesh]:
        """One trimesh per node name: materials (merged) and named parts."""
        out: dict[str, trimesh.Trimesh] = {}
        for material, parts in sorted(self.merged.items()):
            out[material] = _to_trimesh(material, concatenate(parts))
        for node, (material, part) in sorted(self.named.items()):
            out[node] = _to_trimesh(material, part, scale_uv=False)
        for node, (part, jpeg) in sorted(self.pictures.items()):
            out[node] = _picture_mesh(node, part, jpeg)
        return {k: v for k, v in out.items() if len(v.faces)}

    def collision_mesh(self, exclude: tuple[str, ...] = ()) -> trimesh.Trimesh:
        """Everything except the ``exclude`` node names, as one plain mesh for ray casts."""
        parts = [
            concatenate(parts) for material, parts in self.merged.items() if material not in exclude
        ]
        parts += [part for node, (_, part) in self.named.items() if node not in exclude]
        parts += [part for node, (part, _) in self.pictures.items() if node not in exclude]
        joined = concatenate(parts)
        return trimesh.Trimesh(joined.vertices, joined.faces, process=False)


def _to_trimesh(material: str, part: Part, scale_uv: bool = True) -> trimesh.Trimesh:
    uv_scale = PALETTE[material].uv_scale if scale_uv else 1.0
    mesh = trimesh.Trimesh(
        vertices=part.vertices,
        faces=part.faces,
        vertex_normals=part.normals,
        process=False,
    )
    # UVs cost 8 bytes a vertex: only textured materials and named parts need them
    needs_uv = PALETTE[material].texture is not None or not scale_uv
    mesh.visual = TextureVisuals(
        uv=part.uvs / uv_scale if needs_uv else None, material=pbr_material(material)
    )
    return mesh


def _picture_mesh(node: str, part: Part, jpeg: bytes) -> trimesh.Trimesh:
    mesh = trimesh.Trimesh(
        vertices=part.vertices, faces=part.faces, vertex_normals=part.normals, process=False
    )
    # opened from JPEG bytes, the image keeps format "JPEG": trimesh embeds it as
    # JPEG (a PNG of a painting would be several times larger)
    image = Image.open(io.BytesIO(jpeg))
    material = PBRMaterial(
        name=node, baseColorTexture=image, roughnessFactor=0.85, metallicFactor=0.0
    )
    mesh.visual = TextureVisuals(uv=part.uvs, material=material)
    return mesh


def build_scene(assembly: VenueAssembly) -> trimesh.Scene:
    return _scene_of(assembly.meshes())


def _scene_of(meshes: dict[str, trimesh.Trimesh]) -> trimesh.Scene:
    scene = trimesh.Scene()
    for name, mesh in meshes.items():
        scene.add_geometry(mesh, node_name=name, geom_name=name)
    return scene


def _attach_root(metadata: VenueMetadata):
    extras = metadata.model_dump(mode="json")

    def postprocess(tree: dict) -> None:
        nodes = tree.setdefault("nodes", [])
        scene = tree["scenes"][tree.get("scene", 0)]
        roots = scene.get("nodes", [])
        nodes.append({"name": ROOT_NODE, "children": roots, "extras": extras})
        scene["nodes"] = [len(nodes) - 1]
        # glTF meshes keep the name of their node: stable names for the client
        for node in nodes:
            if "mesh" in node and "name" in node:
                tree["meshes"][node["mesh"]]["name"] = node["name"]

    return postprocess


def export_glb(assembly: VenueAssembly, metadata: VenueMetadata) -> tuple[bytes, VenueMetadata]:
    """Export the venue as GLB with ``metadata`` (plus measured stats) in the
    root node's extras. Returns the GLB and the metadata as stored in it."""
    meshes = assembly.meshes()
    stats = BuildStats(
        triangles=int(sum(len(m.faces) for m in meshes.values())),
        draw_calls=len(meshes),
        materials=len({_material_name(m) for m in meshes.values()}),
        texture_max_px=max(
            TEXTURE_MAX_PX if any(PALETTE[n].texture for n in assembly.merged) else 0,
            assembly.picture_max_px(),
        ),
    )
    final = metadata.model_copy(update={"stats": stats})
    glb = trimesh.exchange.gltf.export_glb(
        _scene_of(meshes), tree_postprocessor=_attach_root(final)
    )
    # the GLB size is part of the stats it carries: rewrite only the JSON chunk
    # (no second export) until the size it states is its own size
    tree = read_glb_json(glb)
    binary = glb[20 + struct.unpack_from("<I", glb, 12)[0] :]
    root = next(n for n in tree["nodes"] if n.get("name") == ROOT_NODE)
    for _ in range(4):
        if final.stats is not None and final.stats.glb_bytes == len(glb):
            break
        final = final.model_copy(update={"stats": stats.model_copy(update={"glb_bytes": len(glb)})})
        root["extras"] = final.model_dump(mode="json")
        glb = _pack_glb(tree, binary)
    return glb, final


def _pack_glb(tree: dict, binary_chunks: bytes) -> bytes:
    """A GLB from its JSON tree and the (already framed) chunks that follow it."""
    text = json.dumps(tree, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    total = 12 + 8 + len(text) + len(binary_chunks)
    return (
        struct.pack("<4sII", b"glTF", 2, total)
        + struct.pack("<I4s", len(text), b"JSON")
        + text
        + binary_chunks
    )


def read_glb_json(glb: bytes) -> dict:
    """The JSON chunk of a GLB (for tests and the upload pipeline's budget checks)."""
    magic, _version, _length = struct.unpack_from("<4sII", glb, 0)
    if magic != b"glTF":
        raise ValueError("not a GLB file")
    chunk_len, chunk_type = struct.unpack_from("<I4s", glb, 12)
    if chunk_type != b"JSON":
        raise ValueError("first GLB chunk is not JSON")
    return json.loads(glb[20 : 20 + chunk_len])


def venue_metadata_from_glb(glb: bytes) -> VenueMetadata:
    tree = read_glb_json(glb)
    root = next(n for n in tree["nodes"] if n.get("name") == ROOT_NODE)
    return VenueMetadata.model_validate(root["extras"])


def load_glb(glb: bytes) -> trimesh.Scene:
    scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene")
    assert isinstance(scene, trimesh.Scene)  # force="scene" promises it
    return scene


def _material_name(mesh: trimesh.Trimesh) -> str:
    # every merged mesh is made with a PBR material (pbr_material), hence TextureVisuals
    visual = mesh.visual
    assert isinstance(visual, TextureVisuals) and visual.material is not None
    return str(visual.material.name)


def triangle_count(scene: trimesh.Scene) -> int:
    return int(sum(len(g.faces) for g in scene.geometry.values()))


__all__ = [
    "ROOT_NODE",
    "BuiltVenue",
    "VenueAssembly",
    "build_scene",
    "export_glb",
    "load_glb",
    "read_glb_json",
    "triangle_count",
    "venue_metadata_from_glb",
]
