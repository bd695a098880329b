"""The format of an upload from its bytes, never from its name."""

from __future__ import annotations

import struct

from .errors import SceneRefused

GLB_MAGIC = b"glTF"
ZIP_MAGIC = b"PK\x03\x04"
STL_HEADER = 80  # binary STL: 80-byte header, uint32 count, 50 bytes per triangle


def _is_binary_stl(data: bytes) -> bool:
    if len(data) < STL_HEADER + 4:
        return False
    (count,) = struct.unpack_from("<I", data, STL_HEADER)
    return len(data) == STL_HEADER + 4 + 50 * count


def _text_head(data: bytes) -> str | None:
    head = data[:4096]
    if b"\0" in head:
        return None
    return head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")


def _is_obj(text: str) -> bool:
    lines = [line.split(None, 1)[0] for line in text.splitlines() if line.strip()]
    keys = {"v", "vt", "vn", "f", "o", "g", "mtllib", "usemtl", "s", "#"}
    return bool(lines) and "v" in lines and all(k in keys or k.startswith("#") for k in lines[:-1])


def sniff(data: bytes) -> str:
    """One of ``glb``, ``zip``, ``gltf``, ``stl``, ``ply``, ``obj``; else refused."""
    if not data:
        raise SceneRefused("empty_file", "the file is empty (0 bytes)")
    if data[:4] == GLB_MAGIC:
        return "glb"
    if data[:4] == ZIP_MAGIC:
        return "zip"
    if data[:4] == b"ply\n" or data[:5] == b"ply\r\n":
        return "ply"
    if _is_binary_stl(data):
        return "stl"
    text = _text_head(data)
    if text is not None:
        if text.startswith("{"):
            return "gltf"
        if text.startswith("solid") and "facet" in text:
            return "stl"
        if _is_obj(text):
            return "obj"
    raise SceneRefused(
        "unsupported_format",
        "the file is not GLB, glTF, OBJ, STL or PLY (checked by its content, not its name); "
        "send a glTF or OBJ with its files as one zip",
    )
