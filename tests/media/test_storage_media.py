"""The media table and its repository on a real SQLite file; gc keeps slide blobs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete

from server.storage import media as media_repo
from server.storage.blobs import BlobStore
from server.storage.engine import create_engine
from server.storage.gc import collect_garbage
from server.storage.schema import events, migrate

from .seed import seed_event


@pytest.fixture
async def store(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'zal.sqlite3'}")
    pool = ThreadPoolExecutor(1)
    blobs = BlobStore(tmp_path / "blobs", engine, pool)
    await migrate(engine)
    await seed_event(engine, blobs)
    yield engine, blobs
    await engine.dispose()
    pool.shutdown()


async def test_add_get_list_update(store):
    engine, _ = store
    row = await media_repo.add(engine, event_id="ev1", kind="recording", title="Quartet")
    assert row["id"].startswith("med_") and len(row["id"]) == 20
    assert (row["status"], row["progress"], row["slides"], row["error"]) == (
        "processing",
        0.0,
        [],
        None,
    )
    assert row["created_at"].tzinfo is not None
    await media_repo.update(engine, row["id"], progress=0.5)
    assert (await media_repo.get(engine, row["id"]))["progress"] == 0.5
    second = await media_repo.add(
        engine,
        event_id="ev1",
        kind="stream",
        title="Live",
        status="ready",
        stream_url="/live/k/index.m3u8",
    )
    listed = await media_repo.list_for_event(engine, "ev1")
    assert [m["id"] for m in listed] == [row["id"], second["id"]]
    assert await media_repo.get(engine, "med_0000000000000000") is None
    assert await media_repo.list_for_event(engine, "nope") == []
    with pytest.raises(ValueError):
        await media_repo.add(engine, event_id="ev1", kind="podcast", title="x")


async def test_interrupted_jobs_fail_at_start(store):
    engine, _ = store
    rec = await media_repo.add(engine, event_id="ev1", kind="recording", title="a")
    live = await media_repo.add(engine, event_id="ev1", kind="stream", title="b")
    assert await media_repo.fail_interrupted(engine) == 1
    assert (await media_repo.get(engine, rec["id"]))["error"] == "interrupted"
    assert (await media_repo.get(engine, live["id"]))["status"] == "processing"


async def test_gc_keeps_slide_blobs_and_drops_them_with_the_event(store, tmp_path):
    engine, blobs = store
    pages = [
        await blobs.add_bytes(f"page {i}".encode(), "image/png", compress=False) for i in range(3)
    ]
    stray = await blobs.add_bytes(b"never used", "image/png", compress=False)
    row = await media_repo.add(engine, event_id="ev1", kind="slides", title="Talk")
    await media_repo.update(engine, row["id"], slides=pages, status="ready", progress=1.0)
    report = await collect_garbage(engine, tmp_path / "blobs")
    assert {b.sha256 for b in report.blobs} == {stray}
    for sha in pages:
        assert blobs.path(sha).is_file()
    assert (await media_repo.get(engine, row["id"]))["slides"] == pages
    # the event goes: its media and their blob references go with it (cascade)
    async with engine.begin() as conn:
        await conn.execute(delete(events).where(events.c.id == "ev1"))
    report = await collect_garbage(engine, tmp_path / "blobs")
    assert set(pages) <= {b.sha256 for b in report.blobs}
