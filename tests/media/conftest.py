"""Media tests: a real app on a fresh data dir with one seeded event, and small
real media files made once per session by ffmpeg (lavfi testsrc2/sine) and Pillow."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from server import keys
from server.app import create_app
from server.settings import Settings
from server.workers import new_build_pool

from .seed import HOST_TOKEN, seed_event

MAX_UPLOAD = 8 << 20
MAX_PAGES = 20


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-y", *args],
        check=True,
        timeout=120,
    )


@dataclass(frozen=True)
class MediaFiles:
    recording: Path  # 3 s, 320x180 H.264 + AAC in MP4
    audio: Path  # 2 s sine in MP3
    silent_video: Path  # 2 s, no audio track
    truncated: Path  # the recording cut at 40 % (no moov atom)
    text: Path
    empty: Path
    pdf: Path  # 3 pages, each a different colour
    pdf_bomb: Path  # 400 tiny pages
    png: Path
    jpeg: Path
    image_bomb: Path  # 12000x12000 1-bit PNG: tiny file, 144 Mpx


@pytest.fixture(scope="session")
def media_files(tmp_path_factory) -> MediaFiles:
    root = tmp_path_factory.mktemp("media-files")
    recording = root / "recording.mp4"
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-shortest", str(recording),
    )  # fmt: skip
    audio = root / "tone.mp3"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-t", "2", str(audio))
    silent = root / "silent.mp4"
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(silent),
    )  # fmt: skip
    data = recording.read_bytes()
    truncated = root / "truncated.mp4"
    truncated.write_bytes(data[: len(data) * 4 // 10])
    text = root / "notes.txt"
    text.write_text("This is a to-do list, not a film.\n" * 50)
    empty = root / "empty.mp4"
    empty.write_bytes(b"")
    pages = [Image.new("RGB", (800, 600), colour) for colour in ("red", "green", "blue")]
    pdf = root / "three.pdf"
    pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=100)
    tiny = Image.new("L", (20, 20), 255)
    pdf_bomb = root / "bomb.pdf"
    tiny.save(pdf_bomb, "PDF", save_all=True, append_images=[tiny] * 399)
    png = root / "slide.png"
    Image.new("RGB", (3000, 1500), "orange").save(png)
    jpeg = root / "slide.jpg"
    Image.new("RGB", (640, 480), "purple").save(jpeg, quality=80)
    image_bomb = root / "bomb.png"
    Image.new("1", (12000, 12000), 0).save(image_bomb, optimize=True)
    return MediaFiles(
        recording, audio, silent, truncated, text, empty, pdf, pdf_bomb, png, jpeg, image_bomb
    )


@pytest.fixture(scope="session")
def build_pool():
    pool = new_build_pool(1)
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        assets_dir=tmp_path / "assets",
        demo=False,
        build_workers=1,
        media_max_upload_bytes=MAX_UPLOAD,
        media_x264_preset="ultrafast",
        media_job_timeout_s=120,
        slides_max_pages=MAX_PAGES,
        slides_max_pixels=50_000_000,
    )


@pytest.fixture
def make_app(settings, build_pool):
    return lambda: create_app(settings, build_pool=build_pool)


@pytest.fixture
async def client(aiohttp_client, make_app):
    """A test client on a real app with event ``ev1`` (host token ``HOST_TOKEN``)
    and a second event ``ev2`` (another token)."""
    client = await aiohttp_client(make_app())
    app = client.server.app
    await seed_event(app[keys.DB_ENGINE], app[keys.BLOBS])
    await seed_event(app[keys.DB_ENGINE], app[keys.BLOBS], "ev2", token="other-token", first=False)
    return client


def host(token: str = HOST_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
