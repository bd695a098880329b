"""Storage on a real PostgreSQL: the repositories' own tests of media and gc run
again on it, and what differs from SQLite is checked: upserts, migration steps,
foreign keys, 64-bit sizes, aware times, and writers in two processes at once
(two engines on one database) that must not count past each other."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, inspect, select, text

from server.realtime import store as chat_store
from server.storage import attendance
from server.storage import events as events_repo
from server.storage import questions as qa
from server.storage import tours as tours_repo
from server.storage import venues as venues_repo
from server.storage.blobs import BlobStore
from server.storage.engine import create_engine, database_url
from server.storage.schema import SCHEMA_VERSION, blobs, migrate

from ..media import test_storage_media as media_tests
from ..media.seed import seed_event

# the repositories' own tests, on PostgreSQL (fixtures below and gc's `data`)
from ..media.test_storage_media import (  # noqa: E402, I001
    test_add_get_list_update,  # noqa: F401
    test_gc_keeps_slide_blobs_and_drops_them_with_the_event,  # noqa: F401
    test_interrupted_jobs_fail_at_start,  # noqa: F401
)
from ..server import test_storage_gc as gc_tests
from ..server.test_storage_gc import (  # noqa: E402
    data,  # noqa: F401 (fixture)
    test_a_crash_between_rows_and_files_leaves_only_orphan_files,  # noqa: F401
    test_dry_run_lists_unreferenced_blobs_with_their_size_and_removes_nothing,  # noqa: F401
    test_gc_removes_rows_then_files_and_keeps_everything_referenced,  # noqa: F401
)
from . import pg_fixtures

assert media_tests and gc_tests
postgres, pg_url, pg_env = pg_fixtures.postgres, pg_fixtures.pg_url, pg_fixtures.pg_env


@pytest.fixture(autouse=True)
def _gc_data_dir_on_postgres(monkeypatch, pg_url):
    """test_storage_gc's DataDir opens ``create_engine(<its sqlite file>)``: ours."""
    monkeypatch.setattr(gc_tests, "create_engine", lambda _url: create_engine(pg_url))


@pytest.fixture
async def store_(pg_url, tmp_path):
    engine = create_engine(pg_url)
    pool = ThreadPoolExecutor(1)
    blob_store = BlobStore(tmp_path / "blobs", engine, pool)
    await migrate(engine)
    await chat_store.create_tables(engine)
    await seed_event(engine, blob_store)
    yield engine, blob_store
    await engine.dispose()
    pool.shutdown()


@pytest.fixture(name="store")
def _store(store_):  # the name test_storage_media's tests ask for
    return store_


def test_a_bare_postgresql_url_gets_asyncpg():
    assert database_url("postgresql://u:p@db/zal").drivername == "postgresql+asyncpg"
    assert database_url("postgres://db/zal").drivername == "postgresql+asyncpg"
    assert database_url("sqlite+aiosqlite:///x.db").drivername == "sqlite+aiosqlite"


async def test_upserts_and_aware_times(store_):
    engine, blob_store = store_
    assert engine.dialect.name == "postgresql"
    # a blob stored twice (two processes building the same file) is one row
    sha = await blob_store.add_bytes(b"same bytes", "image/png", compress=False)
    assert await blob_store.add_bytes(b"same bytes", "image/png", compress=False) == sha
    async with engine.connect() as conn:
        count = await conn.scalar(
            select(text("count(*)")).select_from(blobs).where(blobs.c.sha256 == sha)
        )
    assert count == 1
    # a venue rebuilt: its files change, its institution stays
    venue = await venues_repo.get(engine, "hall")
    assert venue is not None
    await venues_repo.upsert(
        engine, **{**_venue_values(venue), "glb_sha256": sha, "seat_count": 12}
    )
    again = await venues_repo.get(engine, "hall")
    assert again is not None and (again["glb_sha256"], again["seat_count"]) == (sha, 12)
    # tours: a recording replaced, a speech clip added twice
    await tours_repo.add(engine, id="t1", venue_id="hall", title="Tour", description="",
                         lang="en", translations={}, stops=[])  # fmt: skip
    for seconds in (3.0, 4.5):
        await tours_repo.set_recording(engine, "t1", "s1", "ru", audio_sha256=sha, ext="mp3",
                                       captions_sha256=sha, duration_s=seconds)  # fmt: skip
    tour = await tours_repo.get(engine, "t1")
    assert tour is not None and tour["recordings"][("s1", "ru")]["duration_s"] == 4.5
    for _ in range(2):
        await tours_repo.add_clip(engine, "k" * 64, audio_sha256=sha, captions_sha256=sha,
                                  duration_s=1.0)  # fmt: skip
    assert list(await tours_repo.find_clips(engine, ["k" * 64])) == ["k" * 64]
    # Q&A settings: made, then changed
    assert (await qa.set_session(engine, "ev1", enabled=True))["enabled"] is True
    assert (await qa.set_session(engine, "ev1", moderated=True)) == {
        "enabled": True, "moderated": True, "on_stage": None}  # fmt: skip
    # attendance: the peak only rises, a visitor counts once
    assert await attendance.record_peak(engine, "ev1", 5) == 5
    assert await attendance.record_peak(engine, "ev1", 3) == 5
    assert await attendance.record_visitor(engine, "ev1", "v" * 64) is True
    assert await attendance.record_visitor(engine, "ev1", "v" * 64) is False
    assert await attendance.record_visitor(engine, "no-such-event", "v" * 64) is False
    # times come back aware, in UTC
    event = await events_repo.get(engine, "ev1")
    assert event is not None and event["starts_at"].tzinfo is not None
    message = await chat_store.add_message(engine, "event:ev1", "m1", "Anna", "Hello")
    assert message["sent_at"].endswith("Z")
    assert [m["text"] for m in await chat_store.history(engine, "event:ev1")] == ["Hello"]
    assert await chat_store.delete_message(engine, "event:ev1", message["id"]) is True
    assert await chat_store.history(engine, "event:ev1") == []


def _venue_values(venue: dict) -> dict:
    keys = ("id", "institution_id", "name", "kind", "seat_count", "spec_hash", "glb_sha256",
            "manifest_sha256", "thumbnail_sha256", "builtin")  # fmt: skip
    return {k: venue[k] for k in keys}


async def test_the_foreign_keys_keep_a_referenced_blob(store_):
    engine, _ = store_
    venue = await venues_repo.get(engine, "hall")
    assert venue is not None
    with pytest.raises(Exception, match="foreign key"):
        async with engine.begin() as conn:
            await conn.execute(delete(blobs).where(blobs.c.sha256 == venue["glb_sha256"]))


async def test_sizes_above_2_gib_fit(store_):
    engine, _ = store_
    async with engine.begin() as conn:
        big = dict(sha256="f" * 64, content_type="video/mp4", size=5 << 30)
        await conn.execute(blobs.insert().values(**big, created_at=datetime.now(UTC)))
        assert await conn.scalar(select(blobs.c.size).where(blobs.c.sha256 == "f" * 64)) == 5 << 30


async def test_an_older_schema_is_migrated_with_postgresql_types(pg_url):
    """Steps that add columns (schema 7 and 10 on events) speak PostgreSQL's DDL."""
    engine = create_engine(pg_url)
    try:
        assert await migrate(engine) == 0
        async with engine.begin() as conn:
            for column in ("sequence", "updated_at", "assistant_token_hash"):
                await conn.exec_driver_sql(f"ALTER TABLE events DROP COLUMN {column}")
            await conn.exec_driver_sql("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
        assert await migrate(engine) == 6
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda sync: {c["name"]: c["type"] for c in inspect(sync).get_columns("events")}
            )
        assert columns["updated_at"].timezone is True
        assert {"sequence", "assistant_token_hash"} <= set(columns)
        assert await migrate(engine) == SCHEMA_VERSION  # a restart changes nothing
    finally:
        await engine.dispose()


async def test_two_processes_voting_at_once_count_every_vote(store_, pg_url):
    """Two engines (two server processes) on one database: 40 members vote on one
    question at once, half through each; the count is 40, each member once."""
    engine, _ = store_
    other = create_engine(pg_url)
    try:
        question = await qa.ask(engine, "ev1", "m0", "Anna", "Why?", anonymous=False, pending=False)
        qid = question["id"]
        votes = [qa.vote(engine if n % 2 else other, qid, f"m{n}", True) for n in range(40)] + [
            qa.vote(other, qid, "m1", True)
        ]  # a member voting twice counts once
        await asyncio.gather(*votes)
        got = await qa.get(engine, "ev1", qid)
        assert got is not None and got["votes"] == 40
        peaks = [attendance.record_peak(engine if n % 2 else other, "ev1", n) for n in range(30)]
        await asyncio.gather(*peaks)
        assert (await attendance.summary(engine, "ev1"))["peak_concurrent"] == 29
        ends = datetime.now(UTC) + timedelta(hours=2)
        assert not await attendance.has_ended(other, "ev1", ends - timedelta(hours=3))
    finally:
        await other.dispose()
