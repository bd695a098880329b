"""Blob garbage collection: blobs no row references any more, and stray files.

A blob is referenced from any column with a foreign key to ``blobs.sha256``,
found by reading the database's own foreign keys (so a table added later is
counted without touching this module). Removal is rows first, in one
transaction, then files: a crash in between leaves files without rows, which
the next gc or the server's start-up (:func:`blobs.remove_leftovers`) deletes;
never a row pointing at a missing file. Run it only with no server on the data
dir (:mod:`.datadir_lock`): a server may have stored a blob it has not yet
referenced.

Stage media: slide blobs are kept by ``media_blobs``' foreign key like any
other. HLS packages of recordings are folders, not blobs: ``<data_dir>/hls/<id>``
(beside ``blobs/``) stays while a ``media`` row names it in ``package_id``; an
unreferenced package and a job's leftover ``.tmp-*`` folder are listed and
removed with the blob files (in ``files``, ``file_bytes``, ``removed_files``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Select, column, delete, inspect, select, table, union
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .blobs import SHA256_RE, remove_leftovers
from .media import media
from .schema import blobs, metadata

DELETE_BATCH = 500  # stays under SQLite's bound-parameter limit


@dataclass(frozen=True)
class Unreferenced:
    sha256: str
    content_type: str
    size: int
    gzip_size: int | None

    @property
    def bytes_on_disk(self) -> int:
        return self.size + (self.gzip_size or 0)


@dataclass
class GcReport:
    blobs: list[Unreferenced] = field(default_factory=list)  # rows no one references
    files: list[Path] = field(default_factory=list)  # files without a row (theirs included)
    file_bytes: int = 0
    removed_rows: int = 0
    removed_files: int = 0


def _blob_references(sync_conn) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to ``blobs.sha256``: those the
    database declares, and our schema's (a table not created yet holds none)."""
    found: set[tuple[str, str]] = set()
    inspector = inspect(sync_conn)
    existing = set(inspector.get_table_names())
    for table_name in existing:
        for fk in inspector.get_foreign_keys(table_name):
            if fk["referred_table"] != blobs.name:
                continue
            pairs = zip(fk["constrained_columns"], fk["referred_columns"], strict=True)
            found.update((table_name, col) for col, ref in pairs if ref == blobs.c.sha256.name)
    for schema_table in metadata.sorted_tables:
        if schema_table.name not in existing:
            continue
        for col in schema_table.columns:
            if any(fk.column is blobs.c.sha256 for fk in col.foreign_keys):
                found.add((schema_table.name, col.name))
    return sorted(found)


async def _unreferenced(conn: AsyncConnection) -> list[Unreferenced]:
    references = await conn.run_sync(_blob_references)
    used: list[Select] = [
        select(column(col)).select_from(table(tbl)).where(column(col).is_not(None))
        for tbl, col in references
    ]
    query = select(blobs).order_by(blobs.c.sha256)
    if used:
        query = query.where(blobs.c.sha256.not_in(union(*used).scalar_subquery()))
    rows = (await conn.execute(query)).all()
    return [Unreferenced(r.sha256, r.content_type, r.size, r.gzip_size) for r in rows]


async def _recorded(conn: AsyncConnection) -> set[str]:
    return set((await conn.execute(select(blobs.c.sha256))).scalars())


def _files_without_rows(root: Path, recorded: set[str]) -> tuple[list[Path], int]:
    """What :func:`remove_leftovers` deletes for ``recorded`` (same rule), and its size."""
    found, size = [], 0
    for path in sorted(root.glob("*/*")):
        sha = path.name.removesuffix(".gz")
        if path.name.startswith(".tmp-") or (SHA256_RE.fullmatch(sha) and sha not in recorded):
            found.append(path)
            with contextlib.suppress(FileNotFoundError):
                size += path.stat().st_size
    return found, size


HLS_PACKAGE_RE = re.compile(r"[0-9a-f]{64}|\.tmp-.*")


def hls_root(blobs_root: Path) -> Path:
    """The recordings' HLS packages live beside the blobs: ``<data_dir>/hls``."""
    return blobs_root.parent / "hls"


async def _referenced_packages(conn: AsyncConnection) -> set[str]:
    if not await conn.run_sync(lambda sync_conn: inspect(sync_conn).has_table(media.name)):
        return set()  # a database from before stage media: no package can be in use
    q = select(media.c.package_id).where(media.c.package_id.is_not(None))
    return set((await conn.execute(q)).scalars())


def _packages_without_rows(root: Path, referenced: set[str]) -> tuple[list[Path], int]:
    """Package folders no media row names, and job leftovers, with their size."""
    found: list[Path] = []
    size = 0
    if not root.is_dir():
        return found, size
    for path in sorted(root.iterdir()):
        if not path.is_dir() or not HLS_PACKAGE_RE.fullmatch(path.name):
            continue
        if path.name in referenced:
            continue
        found.append(path)
        for file in path.rglob("*"):
            with contextlib.suppress(FileNotFoundError):
                size += file.stat().st_size
    return found, size


async def find_garbage(engine: AsyncEngine, root: Path) -> GcReport:
    """What :func:`collect_garbage` would remove; changes nothing."""
    async with engine.connect() as conn:
        garbage = await _unreferenced(conn)
        kept = await _recorded(conn) - {b.sha256 for b in garbage}
        packages = await _referenced_packages(conn)
    files, size = await asyncio.to_thread(_files_without_rows, root, kept)
    stale, stale_size = await asyncio.to_thread(_packages_without_rows, hls_root(root), packages)
    return GcReport(blobs=garbage, files=files + stale, file_bytes=size + stale_size)


async def collect_garbage(engine: AsyncEngine, root: Path) -> GcReport:
    """Delete unreferenced blob rows (one transaction), then every file without
    a row. The caller holds the data dir exclusively; should a reference appear
    anyway, the foreign key refuses the delete and nothing is removed."""
    async with engine.begin() as conn:
        garbage = await _unreferenced(conn)
        shas = [b.sha256 for b in garbage]
        for start in range(0, len(shas), DELETE_BATCH):
            batch = shas[start : start + DELETE_BATCH]
            await conn.execute(delete(blobs).where(blobs.c.sha256.in_(batch)))
        recorded = await _recorded(conn)
        packages = await _referenced_packages(conn)
    # committed: the collected blobs' files are now plain leftovers
    files, size = await asyncio.to_thread(_files_without_rows, root, recorded)
    removed = await asyncio.to_thread(remove_leftovers, root, recorded)
    stale, stale_size = await asyncio.to_thread(_packages_without_rows, hls_root(root), packages)
    for path in stale:
        await asyncio.to_thread(shutil.rmtree, path, True)
    return GcReport(
        blobs=garbage,
        files=files + stale,
        file_bytes=size + stale_size,
        removed_rows=len(shas),
        removed_files=removed + len(stale),
    )
