"""Names of files inside an upload: relative, inside it, never anywhere else."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from .errors import SceneRefused

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def clean_member_name(name: str) -> str:
    """A zip entry's name as a safe relative path, or refused (``../``, absolute,
    drive letters, backslashes, NUL)."""
    if "\0" in name or "\\" in name or name.startswith("/") or _SCHEME.match(name):
        raise SceneRefused(
            "outside_reference", f"the zip entry {name[:120]!r} has an absolute or unsafe path"
        )
    normal = posixpath.normpath(name)
    if normal == ".." or normal.startswith("../") or "/../" in f"/{name}/":
        raise SceneRefused(
            "outside_reference", f"the zip entry {name[:120]!r} points outside the upload (../)"
        )
    return normal


def resolve_reference(ref: str, base_dir: str, members: dict[str, bytes], what: str) -> str:
    """The member a relative reference (a glTF ``uri``, an OBJ ``mtllib``) names,
    relative to ``base_dir``; refused if it names anything outside the upload."""
    if _SCHEME.match(ref) or ref.startswith(("/", "\\")) or "\0" in ref:
        raise SceneRefused(
            "outside_reference",
            f"{what} {ref[:120]!r} points outside the upload; only files in the upload "
            "and data: URIs are allowed",
        )
    path = unquote(ref).replace("\\", "/")
    joined = posixpath.normpath(posixpath.join(base_dir, path))
    if joined == ".." or joined.startswith("../") or path.startswith("/") or "/../" in f"/{path}":
        raise SceneRefused(
            "outside_reference", f"{what} {ref[:120]!r} points outside the upload (../)"
        )
    if joined not in members:
        raise SceneRefused("missing_file", f"{what} {ref[:120]!r} is not in the upload")
    return joined
