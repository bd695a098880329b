"""`zal storage gc` on a real SQLite data dir: what nothing references goes, rows
first then files; what is referenced stays; a running server keeps gc away."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from server import cli
from server.storage import events as events_repo
from server.storage import institutions as institutions_repo
from server.storage import venues as venues_repo
from server.storage.blobs import BlobStore
from server.storage.engine import create_engine
from server.storage.gc import collect_garbage, find_garbage
from server.storage.schema import blobs, events, migrate


class DataDir:
    """A data dir as the server lays it out: ``zal.sqlite3`` and ``blobs/``."""

    def __init__(self, root: Path):
        self.root = root
        self.engine = create_engine(f"sqlite+aiosqlite:///{root / 'zal.sqlite3'}")
        self.pool = ThreadPoolExecutor(1)
        self.blobs = BlobStore(root / "blobs", self.engine, self.pool)

    async def rows(self) -> set[str]:
        async with self.engine.connect() as conn:
            return set((await conn.execute(select(blobs.c.sha256))).scalars())

    def files(self) -> set[str]:
        return {p.name for p in (self.root / "blobs").glob("*/*")}

    async def close(self) -> None:
        await self.engine.dispose()
        self.pool.shutdown()


async def _venue(data: DataDir, glb: str, manifest: str, thumbnail: str | None) -> None:
    await venues_repo.upsert(
        data.engine,
        id="hall",
        institution_id="inst",
        name="Hall",
        kind="chamber_hall",
        seat_count=10,
        spec_hash="0" * 64,
        glb_sha256=glb,
        manifest_sha256=manifest,
        thumbnail_sha256=thumbnail,
        builtin=False,
    )


async def _event(data: DataDir, event_id: str, poster: str | None) -> None:
    now = datetime.now(UTC)
    await events_repo.add(
        data.engine,
        id=event_id,
        venue_id="hall",
        title="Concert",
        kind="concert",
        description="",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        poster_sha256=poster,
        host_token_hash="0" * 64,
        demo=False,
    )


@pytest.fixture
async def data(tmp_path):
    """Venue rebuilt once (old GLB, manifest and thumbnail left behind), one event
    kept with its poster, one deleted (its poster left behind), and stray files."""
    data = DataDir(tmp_path / "data")
    await migrate(data.engine)
    await institutions_repo.add(data.engine, "inst", "Philharmonic", "philharmonic")
    add = data.blobs.add_bytes
    data.old = {
        "glb": await add(b"glTF old hall" * 500, "model/gltf-binary", compress=True),
        "manifest": await add(b'{"old": true}', "application/json", compress=True),
        "thumbnail": await add(b"\x89PNG old", "image/png", compress=False),
        "poster": await add(b"\xff\xd8 poster of a deleted event", "image/jpeg", compress=False),
        "never": await add(b"stored, never referenced", "image/png", compress=False),
    }
    data.kept = {
        "glb": await add(b"glTF new hall" * 500, "model/gltf-binary", compress=True),
        "manifest": await add(b'{"new": true}', "application/json", compress=True),
        "thumbnail": await add(b"\x89PNG new", "image/png", compress=False),
        "poster": await add(b"\xff\xd8 poster", "image/jpeg", compress=False),
    }
    await _venue(data, data.old["glb"], data.old["manifest"], data.old["thumbnail"])
    await _event(data, "gone", data.old["poster"])
    await _venue(data, data.kept["glb"], data.kept["manifest"], data.kept["thumbnail"])
    await _event(data, "kept", data.kept["poster"])
    await _event(data, "no-poster", None)
    async with data.engine.begin() as conn:
        await conn.execute(delete(events).where(events.c.id == "gone"))
    # what a killed write leaves: a temp file, and a file whose row never came
    stray = "ab" * 32
    (data.root / "blobs" / "ab").mkdir(exist_ok=True)
    (data.root / "blobs" / "ab" / stray).write_bytes(b"x" * 100)
    (data.root / "blobs" / "ab" / ".tmp-123").write_bytes(b"y" * 10)
    data.stray = {stray, ".tmp-123"}
    yield data
    await data.close()


def _files_of(shas) -> set[str]:
    return {name for sha in shas for name in (sha, sha + ".gz")}


async def test_dry_run_lists_unreferenced_blobs_with_their_size_and_removes_nothing(data):
    rows, files = await data.rows(), data.files()
    report = await find_garbage(data.engine, data.root / "blobs")
    assert {b.sha256 for b in report.blobs} == set(data.old.values())
    by_sha = {b.sha256: b for b in report.blobs}
    glb = by_sha[data.old["glb"]]
    assert glb.size == len(b"glTF old hall" * 500) and glb.gzip_size > 0
    assert by_sha[data.old["never"]].gzip_size is None
    listed = {p.name for p in report.files}
    assert listed == (_files_of(data.old.values()) & files) | data.stray
    on_disk = sum(p.stat().st_size for p in report.files)
    assert report.file_bytes == on_disk > 0
    assert (await data.rows(), data.files()) == (rows, files)


async def test_gc_removes_rows_then_files_and_keeps_everything_referenced(data):
    files_before = data.files()
    report = await collect_garbage(data.engine, data.root / "blobs")
    assert report.removed_rows == len(data.old)
    assert await data.rows() == set(data.kept.values())
    assert data.files() == _files_of(data.kept.values()) & files_before
    assert report.removed_files == len(files_before) - len(data.files())
    venue = await venues_repo.get(data.engine, "hall")
    for sha in (venue["glb_sha256"], venue["manifest_sha256"]):
        assert data.blobs.path(sha).is_file() and data.blobs.gzip_path(sha).is_file()
    assert data.blobs.path(data.kept["poster"]).is_file()
    # nothing left: a second run is a no-op
    again = await collect_garbage(data.engine, data.root / "blobs")
    assert (again.removed_rows, again.removed_files, again.files) == (0, 0, [])


async def test_a_crash_between_rows_and_files_leaves_only_orphan_files(data):
    # the transaction committed, the process died before unlinking: the next gc
    # (or the server's start-up) removes the files; no row points at a missing file
    async with data.engine.begin() as conn:
        await conn.execute(delete(blobs).where(blobs.c.sha256 == data.old["glb"]))
    assert data.blobs.path(data.old["glb"]).is_file()
    for sha in await data.rows():
        assert data.blobs.path(sha).is_file()
    await collect_garbage(data.engine, data.root / "blobs")
    assert not data.blobs.path(data.old["glb"]).exists()
    assert not data.blobs.gzip_path(data.old["glb"]).exists()
    for sha in await data.rows():
        assert data.blobs.path(sha).is_file()


async def test_the_foreign_keys_keep_a_referenced_blob_even_if_asked(data):
    # the database itself refuses: a referenced row cannot be deleted
    with pytest.raises(Exception, match="FOREIGN KEY"):
        async with data.engine.begin() as conn:
            await conn.execute(delete(blobs).where(blobs.c.sha256 == data.kept["glb"]))
    assert data.kept["glb"] in await data.rows()


async def test_the_command_prints_a_dry_run_then_collects(data, capsys):
    files_before = data.files()
    argv = ["storage", "gc", "--data-dir", str(data.root)]
    assert await asyncio.to_thread(cli.main, [*argv, "--dry-run"]) == 0
    out = capsys.readouterr().out
    for sha in data.old.values():
        assert sha in out
    for sha in data.kept.values():
        assert sha not in out
    assert "unreferenced blobs: 5" in out and "dry run: nothing removed" in out
    assert data.files() == files_before
    assert await asyncio.to_thread(cli.main, argv) == 0
    out = capsys.readouterr().out
    assert "removed 5 blob row(s)" in out
    assert await data.rows() == set(data.kept.values())


async def test_the_command_refuses_while_a_server_runs_on_the_data_dir(
    aiohttp_client, make_app, settings, capsys
):
    await aiohttp_client(make_app())  # a real server holding settings.data_dir
    engine = create_engine(settings.db_url)
    async with engine.connect() as conn:
        rows = set((await conn.execute(select(blobs.c.sha256))).scalars())
    async with engine.begin() as conn:  # make one blob garbage
        await conn.execute(
            blobs.insert().values(
                sha256="cd" * 32, content_type="image/png", size=1, created_at=datetime.now(UTC)
            )
        )
    argv = ["storage", "gc", "--data-dir", str(settings.data_dir)]
    assert await asyncio.to_thread(cli.main, argv) == 2
    assert "server is running" in capsys.readouterr().err
    # reading is harmless beside a server
    assert await asyncio.to_thread(cli.main, [*argv, "--dry-run"]) == 0
    assert "cd" * 32 in capsys.readouterr().out
    async with engine.connect() as conn:
        after = set((await conn.execute(select(blobs.c.sha256))).scalars())
    assert after == rows | {"cd" * 32}
    await engine.dispose()


def test_the_command_refuses_a_dir_without_a_database(tmp_path, capsys):
    assert cli.main(["storage", "gc", "--data-dir", str(tmp_path / "nothing")]) == 3
    assert "no Zal database" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()
