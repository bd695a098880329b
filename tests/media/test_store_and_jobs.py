"""HlsStore (content-addressed packages), gc keeping what media rows use, and
jobs that do not survive a restart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
from pathlib import Path

from server import keys
from server.app import create_app
from server.media.store import HlsStore, content_type
from server.storage import media as media_repo
from server.storage.gc import collect_garbage, find_garbage

from .conftest import host
from .seed import seed_event


def make_package(root, files: dict[str, bytes]):
    root.mkdir(parents=True)
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


async def test_a_package_is_named_by_its_contents_and_moved_in_whole(tmp_path):
    store = HlsStore(tmp_path / "hls")
    files = {"master.m3u8": b"#EXTM3U\n", "v0.m3u8": b"#EXTM3U\n#x\n", "v0_00000.m4s": b"seg"}
    first = await store.add_package(make_package(store.new_work_dir() / "p", files))
    again = await store.add_package(make_package(tmp_path / "again", files))
    other = await store.add_package(make_package(tmp_path / "other", {**files, "v0.m3u8": b"!"}))
    assert first == again != other
    assert store.path(first, "v0_00000.m4s").read_bytes() == b"seg"
    assert not (tmp_path / "again").exists()
    for name in ("../v0.m3u8", "V0.m3u8", ".hidden.m3u8", "v0.m3u8/", "missing.m3u8", "a.txt"):
        assert store.path(first, name) is None
    assert store.path("../" + first, "master.m3u8") is None
    assert store.package_ids() == {first, other}
    assert content_type("audio_00001.m4s") == "audio/mp4"
    assert content_type("v1_init.mp4") == "video/mp4"
    assert content_type("v1.m3u8") == "application/vnd.apple.mpegurl"


async def test_gc_keeps_packages_and_slides_media_use(client, media_files):
    app = client.server.app
    settings, engine = app[keys.SETTINGS], app[keys.DB_ENGINE]
    for path, kind in ((media_files.recording, "recording"), (media_files.pdf, "slides")):
        response = await client.post(
            f"/api/events/ev1/media?kind={kind}", data=path.read_bytes(), headers=host()
        )
        assert response.status == 202
    await app[keys.MEDIA_JOBS].join()
    recording, slides = await media_repo.list_for_event(engine, "ev1")
    assert recording["status"] == slides["status"] == "ready"
    stale = make_package(settings.hls_dir / ("e" * 64), {"master.m3u8": b"#EXTM3U\n"})
    leftover = make_package(settings.hls_dir / ".tmp-dead", {"v0.m3u8": b"x"})
    report = await find_garbage(engine, settings.blobs_dir)
    assert {stale, leftover} <= set(report.files)
    report = await collect_garbage(engine, settings.blobs_dir)
    assert report.blobs == [] or all(b.content_type != "image/png" for b in report.blobs)
    assert not stale.exists() and not leftover.exists()
    assert (settings.hls_dir / recording["package_id"] / "master.m3u8").is_file()
    for sha in slides["slides"]:
        assert app[keys.BLOBS].path(sha).is_file()
    assert (await client.get(f"/hls/{recording['package_id']}/master.m3u8")).status == 200


async def test_jobs_left_processing_fail_as_interrupted_at_start(
    aiohttp_client, make_app, settings, caplog
):
    client = await aiohttp_client(make_app())
    app = client.server.app
    await seed_event(app[keys.DB_ENGINE], app[keys.BLOBS])
    row = await media_repo.add(app[keys.DB_ENGINE], event_id="ev1", kind="recording", title="a")
    (settings.uploads_dir / "upload-left").write_bytes(b"half an upload")
    await client.close()
    caplog.set_level(logging.WARNING)
    restarted = await aiohttp_client(make_app())
    media = await (await restarted.get(f"/api/media/{row['id']}")).json()
    assert (media["status"], media["error"]) == ("failed", "interrupted")
    assert list(settings.uploads_dir.iterdir()) == []
    assert "interrupted" in caplog.text


def ffmpeg_pids_reading(path) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            if argv[0].endswith(b"ffmpeg") and str(path).encode() in argv:
                pids.append(int(proc.name))
    return pids


async def test_stopping_the_server_kills_a_running_transcode(
    aiohttp_client, settings, build_pool, tmp_path
):
    long = tmp_path / "long.mp4"  # 20 s: a transcode that cannot end before we stop it
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
         "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", str(long)],
        check=True, timeout=60,
    )  # fmt: skip
    app = create_app(settings, build_pool=build_pool)
    client = await aiohttp_client(app)
    await seed_event(app[keys.DB_ENGINE], app[keys.BLOBS])
    response = await client.post(
        "/api/events/ev1/media?kind=recording", data=long.read_bytes(), headers=host()
    )
    media_id = (await response.json())["id"]
    jobs = app[keys.MEDIA_JOBS]
    upload = next(settings.uploads_dir.iterdir())
    async with asyncio.timeout(10):
        while not ffmpeg_pids_reading(upload.resolve()):
            await asyncio.sleep(0.02)
    assert jobs.running == [media_id]
    await jobs.stop()
    row = await media_repo.get(app[keys.DB_ENGINE], media_id)
    assert (row["status"], row["error"]) == ("failed", "interrupted")
    assert ffmpeg_pids_reading(upload.resolve()) == []
    assert list(settings.uploads_dir.iterdir()) == []
    assert list(settings.hls_dir.glob(".tmp-*")) == []


async def test_a_second_server_on_the_data_dir_leaves_the_first_ones_jobs_alone(
    aiohttp_client, make_app, settings
):
    first = await aiohttp_client(make_app())
    app = first.server.app
    await seed_event(app[keys.DB_ENGINE], app[keys.BLOBS])
    row = await media_repo.add(app[keys.DB_ENGINE], event_id="ev1", kind="recording", title="a")
    upload = settings.uploads_dir / "upload-of-the-first-server"
    upload.write_bytes(b"still arriving")
    second = await aiohttp_client(make_app())
    media = await (await second.get(f"/api/media/{row['id']}")).json()
    assert media["status"] == "processing" and upload.is_file()
    await second.close()
    await first.close()
    third = await aiohttp_client(make_app())  # alone again: the leftovers are a dead server's
    media = await (await third.get(f"/api/media/{row['id']}")).json()
    assert (media["status"], media["error"]) == ("failed", "interrupted")
    assert not upload.exists()
