"""Small models made here, in every accepted format, and hostile variants."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np
import trimesh
from PIL import Image
from trimesh.visual.material import PBRMaterial


def room(texture_px: int = 64, subdivisions: int = 0) -> trimesh.Scene:
    """A 10 x 8 m floor with a textured box on it (a tiny venue)."""
    floor = trimesh.creation.box(extents=(10, 0.1, 8))
    floor.apply_translation((0, -0.05, 0))
    floor = trimesh.Trimesh(floor.vertices, floor.faces)
    block = trimesh.creation.icosphere(subdivisions=subdivisions, radius=1.0)
    block.apply_translation((0, 1, 0))
    image = Image.fromarray(
        (np.indices((texture_px, texture_px)).sum(axis=0) % 255).astype(np.uint8)
    ).convert("RGB")
    uv = np.column_stack([floor.vertices[:, 0] / 10 + 0.5, floor.vertices[:, 2] / 8 + 0.5])
    floor.visual = trimesh.visual.TextureVisuals(
        uv=uv, material=PBRMaterial(baseColorTexture=image)
    )
    scene = trimesh.Scene()
    scene.add_geometry(floor, node_name="floor")
    scene.add_geometry(block, node_name="block")
    return scene


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def glb(scene: trimesh.Scene | None = None) -> bytes:
    return (scene or room()).export(file_type="glb")


def gltf_zip() -> bytes:
    files = room().export(file_type="gltf")
    return zipped({f"model/{k}": v for k, v in files.items()})


def obj_zip() -> bytes:
    mesh = room().to_mesh() if hasattr(room(), "to_mesh") else room().dump(concatenate=True)
    floor = list(room().geometry.values())[0]
    text, textures = trimesh.exchange.obj.export_obj(
        floor, include_texture=True, return_texture=True, mtl_name="room.mtl"
    )
    del mesh
    return zipped({"room.obj": text.encode(), **textures})


def stl() -> bytes:
    return trimesh.creation.box(extents=(8000, 6000, 3000)).export(file_type="stl")  # mm, Z up


def ply() -> bytes:
    return trimesh.creation.box(extents=(8, 6, 3)).export(file_type="ply")


def gltf_with_uri(uri: str) -> bytes:
    """A one-triangle glTF whose buffer lives at ``uri``."""
    tree = {
        "asset": {"version": "2.0"},
        "buffers": [{"byteLength": 36, "uri": uri}],
        "bufferViews": [{"buffer": 0, "byteLength": 36}],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 3,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [1, 1, 0],
            }
        ],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}],
    }
    return json.dumps(tree).encode()


def accessor_bomb() -> bytes:
    """A few hundred bytes declaring two billion zero-filled vertices."""
    tree = json.loads(gltf_with_uri("data:application/octet-stream;base64," + "A" * 48))
    tree["accessors"][0] = {"componentType": 5126, "count": 2_000_000_000, "type": "VEC3"}
    return json.dumps(tree).encode()


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` (only its header is real)."""
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
