"""A zip upload unpacked in memory, counting bytes rather than trusting headers.

Refused: too many entries, entries with unsafe paths or symlinks, nested zips,
a member that inflates more than ``max_zip_ratio`` times, and members that
together inflate past ``max_unpacked_bytes`` (each may be under it).
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib

from .budgets import Budgets
from .errors import SceneRefused, over_budget
from .members import clean_member_name

CHUNK = 1 << 16


def _refuse_bomb(name: str) -> SceneRefused:
    return SceneRefused(
        "zip_bomb", f"the zip entry {name[:120]!r} inflates far more than any model file does"
    )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, ratio: float) -> bytes:
    out = bytearray()
    # the ratio is judged on what really comes out, not on the declared size
    allowed = max(int(info.compress_size * ratio), 1 << 20)
    with zf.open(info) as f:
        while chunk := f.read(CHUNK):
            out += chunk
            if len(out) > allowed:
                raise _refuse_bomb(info.filename)
            if len(out) > budget:
                raise over_budget("unpacked size of the zip", len(out), budget, " bytes")
    return bytes(out)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def unpack(data: bytes, budgets: Budgets) -> dict[str, bytes]:
    """Member name -> bytes for every file of the zip (folders skipped)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise SceneRefused("bad_zip", "the zip file is damaged or incomplete") from None
    if len(infos) > budgets.max_zip_entries:
        raise over_budget("number of files in the zip", len(infos), budgets.max_zip_entries)
    declared = sum(i.file_size for i in infos)
    if declared > budgets.max_unpacked_bytes:
        raise over_budget("unpacked size of the zip", declared, budgets.max_unpacked_bytes, " B")
    members: dict[str, bytes] = {}
    left = budgets.max_unpacked_bytes
    try:
        for info in infos:
            name = clean_member_name(info.filename)
            if info.is_dir():
                continue
            if _is_symlink(info):
                raise SceneRefused("outside_reference", f"the zip entry {name!r} is a symlink")
            if name in members:
                raise SceneRefused("bad_zip", f"the zip has {name!r} twice")
            body = _read_member(zf, info, left, budgets.max_zip_ratio)
            if body[:4] == b"PK\x03\x04":
                raise SceneRefused("nested_zip", f"the zip entry {name!r} is itself a zip")
            left -= len(body)
            members[name] = body
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        OSError,
        zlib.error,
    ):
        raise SceneRefused(
            "bad_zip", "the zip file is damaged or uses an unsupported method"
        ) from None
    except RuntimeError:  # an encrypted member
        raise SceneRefused("bad_zip", "the zip file is encrypted") from None
    return members
