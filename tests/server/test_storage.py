import sqlite3
import stat

from aiohttp.test_utils import TestClient, TestServer

from server import keys
from server.demo_programme import INSTITUTIONS, PROGRAMME
from server.storage import events as events_repo
from server.storage.schema import SCHEMA_VERSION


def counts(db_path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("institutions", "venues", "events", "blobs")
        }


async def run_once(make_app) -> None:
    async with TestClient(TestServer(make_app())) as client:
        assert (await client.get("/healthz")).status == 200


async def test_healthz_answers_ok(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_sqlite_database_is_in_wal_mode(client, settings):
    db_path = settings.data_dir / "zal.sqlite3"
    assert db_path.exists()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_schema_is_created_on_fresh_dir_and_reused_on_restart(settings, make_app):
    assert not settings.data_dir.exists()
    await run_once(make_app)
    db_path = settings.data_dir / "zal.sqlite3"
    with sqlite3.connect(db_path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        conn.execute("CREATE TABLE canary (x INTEGER)")  # a restart must not recreate the file
    assert version == (str(SCHEMA_VERSION),)
    await run_once(make_app)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM canary").fetchone() == (0,)


async def test_demo_data_appears_exactly_once(settings, make_app):
    await run_once(make_app)
    db_path = settings.data_dir / "zal.sqlite3"
    first = counts(db_path)
    assert first["institutions"] == len(INSTITUTIONS)
    assert 0 < first["events"] <= len(PROGRAMME)
    await run_once(make_app)
    assert counts(db_path) == first
    lines = (settings.data_dir / "demo-host-tokens.txt").read_text().splitlines()
    assert len(lines) == first["events"]


async def test_demo_host_tokens_are_private_and_only_their_hash_is_stored(client, settings):
    tokens_file = settings.data_dir / "demo-host-tokens.txt"
    assert stat.S_IMODE(tokens_file.stat().st_mode) == 0o600
    event_id, token, link = tokens_file.read_text().splitlines()[0].split()
    assert link.startswith(f"{settings.base_url}venue/")
    assert link.endswith(f"?event={event_id}#host={token}")
    db_text = (settings.data_dir / "zal.sqlite3").read_bytes()
    wal = settings.data_dir / "zal.sqlite3-wal"
    if wal.exists():
        db_text += wal.read_bytes()
    assert token.encode() not in db_text
    engine = client.app[keys.DB_ENGINE]
    assert await events_repo.verify_host_token(engine, event_id, token)
    assert not await events_repo.verify_host_token(engine, event_id, token + "x")
    assert not await events_repo.verify_host_token(engine, "no-such-event", token)


async def test_blob_file_without_row_is_removed_at_start(settings, make_app):
    await run_once(make_app)
    stray = settings.blobs_dir / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"written, then killed before its row")
    recorded = next(p for p in settings.blobs_dir.glob("*/*") if not p.name.endswith(".gz"))
    await run_once(make_app)
    assert not stray.exists()
    assert recorded.exists()
