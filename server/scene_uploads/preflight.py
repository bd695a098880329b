"""Everything checked before any loader runs; the formats dispatch through a dict.

The result names the format trimesh should load, the main file's bytes and the
other members of the upload (the only files a reference may name).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from .archive import unpack
from .budgets import Budgets
from .errors import SceneRefused, over_budget
from .glb import split_glb
from .gltf_preflight import check_gltf
from .mesh_preflight import check_obj, check_ply, check_stl
from .sniff import sniff


@dataclass
class Checked:
    file_type: str  # what trimesh loads: glb, gltf, obj, stl, ply
    main: bytes
    name: str = ""  # the main file inside a zip
    members: dict[str, bytes] = field(default_factory=dict)


def _glb(data: bytes, name: str, members: dict[str, bytes], budgets: Budgets) -> None:
    raw_json, bin_chunk = split_glb(data)
    check_gltf(
        raw_json, budgets, bin_chunk=bin_chunk, members=members, base_dir=posixpath.dirname(name)
    )


def _gltf(data: bytes, name: str, members: dict[str, bytes], budgets: Budgets) -> None:
    check_gltf(data, budgets, members=members, base_dir=posixpath.dirname(name))


CHECKS: dict[str, Callable[[bytes, str, dict[str, bytes], Budgets], None]] = {
    "glb": _glb,
    "gltf": _gltf,
    "obj": check_obj,
    "stl": lambda data, _n, _m, budgets: check_stl(data, budgets),
    "ply": lambda data, _n, _m, budgets: check_ply(data, budgets),
}
MAIN_EXTENSIONS = {".gltf": "gltf", ".glb": "glb", ".obj": "obj", ".stl": "stl", ".ply": "ply"}


def _main_member(members: dict[str, bytes]) -> tuple[str, str]:
    found = [
        (name, MAIN_EXTENSIONS[ext])
        for name in members
        if (ext := posixpath.splitext(name)[1].lower()) in MAIN_EXTENSIONS
        and not posixpath.basename(name).startswith(".")
    ]
    if len(found) != 1:
        listed = ", ".join(n for n, _ in found[:5]) or "none"
        raise SceneRefused(
            "no_main_file",
            f"a zip must hold exactly one .gltf, .glb, .obj, .stl or .ply file (found: {listed})",
        )
    name, said = found[0]
    try:
        actual = sniff(members[name])
    except SceneRefused:
        actual = "something else"
    if actual != said:
        raise SceneRefused(
            "lying_type", f"{name} is named like a .{said} file but its content is {actual}"
        )
    return name, said


def preflight(data: bytes, budgets: Budgets) -> Checked:
    if len(data) > budgets.max_bytes:
        raise over_budget("file size", len(data), budgets.max_bytes, " bytes")
    kind = sniff(data)
    if kind != "zip":
        CHECKS[kind](data, "", {}, budgets)
        return Checked(kind, data)
    members = unpack(data, budgets)
    name, kind = _main_member(members)
    CHECKS[kind](members[name], name, members, budgets)
    return Checked(kind, members[name], name, members)
