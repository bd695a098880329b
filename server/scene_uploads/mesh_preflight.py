"""Checks of OBJ (with its MTL and textures), STL and PLY before loading."""

from __future__ import annotations

import posixpath
import re
import struct

from .budgets import Budgets
from .errors import SceneRefused, over_budget
from .images import image_header
from .members import resolve_reference

# MTL statements naming a file: the file is the last word (options come first)
_MTL_FILE_KEYS = {
    "map_ka",
    "map_kd",
    "map_ks",
    "map_ns",
    "map_d",
    "map_bump",
    "bump",
    "disp",
    "decal",
    "refl",
    "norm",
    "map_pr",
    "map_pm",
    "map_ke",
}
_PLY_ELEMENT = re.compile(rb"^element\s+(\S+)\s+(\d+)\s*$")


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", "replace").splitlines()


def check_obj(data: bytes, name: str, members: dict[str, bytes], budgets: Budgets) -> None:
    """Every ``mtllib`` and texture an OBJ names must be a member of the upload."""
    base = posixpath.dirname(name)
    faces = 0
    for line in _lines(data):
        word, _, rest = line.strip().partition(" ")
        if word == "f":
            faces += max(len(rest.split()) - 2, 1)
        elif word == "mtllib" and rest.strip():
            for ref in rest.split():
                mtl = resolve_reference(ref, base, members, "the material library")
                _check_mtl(members[mtl], posixpath.dirname(mtl), members, budgets)
    if faces > budgets.max_triangles:
        raise over_budget("triangles", faces, budgets.max_triangles)


def _check_mtl(data: bytes, base: str, members: dict[str, bytes], budgets: Budgets) -> None:
    for line in _lines(data):
        words = line.strip().split()
        if len(words) >= 2 and words[0].lower() in _MTL_FILE_KEYS:
            texture = resolve_reference(words[-1], base, members, "the texture")
            image_header(members[texture], texture, budgets.max_texture_px)


def check_stl(data: bytes, budgets: Budgets) -> None:
    if data[:5] == b"solid" and b"facet" in data[:4096]:
        count = data.count(b"facet normal")
    else:
        (count,) = struct.unpack_from("<I", data, 80)
    if count == 0:
        raise SceneRefused("empty_model", "the STL file has no triangles")
    if count > budgets.max_triangles:
        raise over_budget("triangles", count, budgets.max_triangles)


def check_ply(data: bytes, budgets: Budgets) -> None:
    end = data.find(b"end_header")
    if end < 0 or end > 65536:
        raise SceneRefused("bad_ply", "the PLY file has no complete header")
    counts: dict[bytes, int] = {}
    for line in data[:end].splitlines():
        match = _PLY_ELEMENT.match(line.strip())
        if match:
            counts[match.group(1)] = int(match.group(2))
    faces, vertices = counts.get(b"face", 0), counts.get(b"vertex", 0)
    if vertices == 0:
        raise SceneRefused("empty_model", "the PLY file has no vertices")
    if faces > budgets.max_triangles:
        raise over_budget("triangles", faces, budgets.max_triangles)
    binary = b"format binary" in data[:end]
    # a binary vertex has at least three 4-byte floats: a header may not promise more
    if binary and vertices * 12 + faces * 13 > len(data):
        raise SceneRefused("bad_ply", "the PLY header declares more data than the file holds")
    if faces == 0:
        raise SceneRefused("empty_model", "the PLY file has points only, no faces")
