"""Content-addressed HLS packages: ``<root>/<package_id>/<file>``.

``package_id`` is the sha256 hex of the package's sorted ``name sha256`` lines,
so a package's files never change once it exists (the server serves them
``immutable``). A package is made in a temp folder under ``root`` (``.tmp-*``,
same file system) and moved in with one ``rename``: readers see all of it or none
of it. Leftover temp folders are removed at start-up (:meth:`remove_leftovers`).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

PACKAGE_ID_RE = re.compile(r"[0-9a-f]{64}")
# what ffmpeg writes (see transcode.py): master.m3u8, v0.m3u8, v0_init.mp4, v0_00001.m4s...
FILE_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_]{0,63}\.(m3u8|m4s|mp4|ts)")
CONTENT_TYPES = {"m3u8": "application/vnd.apple.mpegurl", "m4s": "video/mp4", "mp4": "video/mp4"}
CONTENT_TYPES["ts"] = "video/mp2t"
TMP_PREFIX = ".tmp-"


def content_type(name: str) -> str:
    """The Content-Type of a package file (audio-only renditions are named ``audio*``)."""
    ext = name.rsplit(".", 1)[-1]
    if name.startswith("audio") and ext in ("m4s", "mp4"):
        return "audio/mp4"
    return CONTENT_TYPES[ext]


def package_digest(src_dir: Path) -> str:
    """sha256 of the sorted ``name sha256`` lines of the folder's files."""
    lines = []
    for path in sorted(src_dir.iterdir()):
        if not path.is_file() or not FILE_NAME_RE.fullmatch(path.name):
            raise ValueError(f"unexpected file in an HLS package: {path.name!r}")
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        lines.append(f"{path.name} {digest.hexdigest()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


class HlsStore:
    """HLS packages under ``root`` (``<data_dir>/hls``)."""

    def __init__(self, root: Path):
        self.root = root

    def new_work_dir(self) -> Path:
        """An empty temp folder under ``root`` to write a package into."""
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=self.root))

    async def add_package(self, src_dir: Path) -> str:
        """Move the finished package in ``src_dir`` into the store (``src_dir`` is
        gone afterwards) and return its id. The same package twice is stored once."""
        package_id = await asyncio.to_thread(package_digest, src_dir)
        await asyncio.to_thread(self._move_in, src_dir, self.root / package_id)
        return package_id

    def _move_in(self, src_dir: Path, target: Path) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        for path in src_dir.iterdir():  # the files' bytes on disk before the rename
            with path.open("rb") as f:
                os.fsync(f.fileno())
        try:
            os.rename(src_dir, target)
        except OSError:
            if not target.is_dir():
                raise
            shutil.rmtree(src_dir)  # already stored: same name, same bytes

    def has(self, package_id: str) -> bool:
        return bool(PACKAGE_ID_RE.fullmatch(package_id)) and (self.root / package_id).is_dir()

    def path(self, package_id: str, name: str) -> Path | None:
        """The file's path, or None for a bad name or a file that does not exist."""
        if not PACKAGE_ID_RE.fullmatch(package_id) or not FILE_NAME_RE.fullmatch(name):
            return None
        path = self.root / package_id / name
        return path if path.is_file() else None

    def package_ids(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        return {p.name for p in self.root.iterdir() if PACKAGE_ID_RE.fullmatch(p.name)}

    def remove_leftovers(self) -> int:
        """Delete temp folders of jobs a previous process did not finish."""
        removed = 0
        if self.root.is_dir():
            for path in self.root.glob(TMP_PREFIX + "*"):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        return removed

    def remove(self, package_id: str) -> None:
        if PACKAGE_ID_RE.fullmatch(package_id):
            shutil.rmtree(self.root / package_id, ignore_errors=True)
