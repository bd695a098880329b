"""Bad input gets a clear JSON error with a stable code: never a 500, never a
traceback in the log, never a file left behind or written outside the data dir."""

from __future__ import annotations

import asyncio
import logging

import pytest

from server import keys
from server.storage import media as media_repo

from .conftest import MAX_PAGES, MAX_UPLOAD, host


@pytest.fixture(autouse=True)
def no_tracebacks(caplog):
    caplog.set_level(logging.INFO)
    yield
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


async def error_of(response, status: int) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    return (await response.json())["error"]


async def post(client, data: bytes, kind: str = "recording", event: str = "ev1", **headers):
    return await client.post(
        f"/api/events/{event}/media?kind={kind}&title=x",
        data=data,
        headers={**host(), **headers},
    )


def leftovers(client) -> list:
    settings = client.server.app[keys.SETTINGS]
    found = list(settings.uploads_dir.iterdir()) if settings.uploads_dir.exists() else []
    return found + list(settings.hls_dir.glob(".tmp-*"))


async def no_media(client) -> None:
    assert await media_repo.list_for_event(client.server.app[keys.DB_ENGINE], "ev1") == []
    assert leftovers(client) == []


@pytest.mark.parametrize(
    ("name", "kind", "status", "code"),
    [
        ("text", "recording", 415, "not_media"),
        ("pdf", "recording", 415, "not_media"),
        ("png", "recording", 415, "not_media"),
        ("empty", "recording", 400, "empty_file"),
        ("truncated", "recording", 422, "corrupt_media"),
        ("text", "slides", 415, "not_slides"),
        ("recording", "slides", 415, "not_slides"),
        ("pdf_bomb", "slides", 422, "too_many_pages"),
        ("image_bomb", "slides", 422, "image_too_large"),
    ],
)
async def test_a_file_that_cannot_be_used_is_refused_at_upload(
    client, media_files, name, kind, status, code
):
    data = getattr(media_files, name).read_bytes()
    error = await error_of(await post(client, data, kind), status)
    assert error["code"] == code and error["message"]
    await no_media(client)


async def test_messages_come_in_the_readers_language(client, media_files):
    data = media_files.text.read_bytes()
    error = await error_of(await post(client, data, **{"Accept-Language": "tt"}), 415)
    assert error == {"code": "not_media", "message": "Бу файл аудио да, видео да түгел"}
    response = await post(client, media_files.pdf_bomb.read_bytes(), "slides")
    assert str(MAX_PAGES) in (await error_of(response, 422))["message"]


async def test_a_recording_too_long_is_refused(client, media_files):
    settings = client.server.app[keys.SETTINGS]
    object.__setattr__(settings, "media_max_duration_s", 1.0)  # frozen model, test only
    error = await error_of(await post(client, media_files.recording.read_bytes()), 422)
    assert error["code"] == "media_too_long"


async def test_an_oversized_upload_is_refused_before_its_body_is_read(client):
    # headers announce 10 GB; only a few bytes follow and the rest never comes: a
    # server that read the body first would wait forever instead of answering
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(
        b"POST /api/events/ev1/media?kind=recording HTTP/1.1\r\n"
        b"Host: test\r\nAuthorization: Bearer host-token-for-media-tests\r\n"
        b"Content-Type: video/mp4\r\nContent-Length: 10000000000\r\n\r\n" + b"\0" * 1000
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
    assert head.startswith(b"HTTP/1.1 413 ")
    writer.close()
    await no_media(client)


async def test_a_chunked_upload_is_counted_while_it_streams(client):
    async def body():
        for _ in range(MAX_UPLOAD // (1 << 20) + 2):
            yield b"\0" * (1 << 20)

    response = await client.post(
        "/api/events/ev1/media?kind=recording", data=body(), headers=host()
    )
    error = await error_of(response, 413)
    assert error["code"] == "payload_too_large" and str(MAX_UPLOAD) in error["message"]
    await no_media(client)


async def test_a_hostile_title_or_file_name_is_only_text(client, media_files, tmp_path):
    hostile = "../../../../tmp/evil\x00\n"
    response = await client.post(
        "/api/events/ev1/media",
        params={"kind": "slides", "title": hostile},
        data=media_files.jpeg.read_bytes(),
        headers={**host(), "Content-Disposition": 'attachment; filename="../../../etc/evil.jpg"'},
    )
    assert response.status == 202
    assert (await response.json())["title"] == "../../../../tmp/evil"
    await client.server.app[keys.MEDIA_JOBS].join()
    data_dir = client.server.app[keys.SETTINGS].data_dir
    assert not list(tmp_path.glob("**/evil*")) and not list(data_dir.glob("**/evil*"))


@pytest.mark.parametrize(
    "path",
    [
        "/hls/" + "0" * 64 + "/master.m3u8",
        "/hls/..%2F..%2Fzal.sqlite3/master.m3u8",
        "/hls/" + "0" * 64 + "/..%2F..%2Fzal.sqlite3",
        "/hls/" + "0" * 64 + "/.master.m3u8",
        "/hls/" + "0" * 64 + "/master.M3U8",
        "/hls/x/y",
    ],
)
async def test_hls_names_are_strict(client, path):
    error = await error_of(await client.get(path), 404)
    assert error["code"] == "not_found"


async def test_a_package_path_cannot_leave_the_store(client, media_files):
    media_id = (await (await post(client, media_files.recording.read_bytes())).json())["id"]
    await client.server.app[keys.MEDIA_JOBS].join()
    url = (await (await client.get(f"/api/media/{media_id}")).json())["url"]
    package = url.split("/")[2]
    for name in ("..%2F..%2Fzal.sqlite3", "%2E%2E", "v0.m3u8%00.txt"):
        await error_of(await client.get(f"/hls/{package}/{name}"), 404)


async def test_host_routes_need_the_events_host_token(client, media_files):
    data = media_files.jpeg.read_bytes()
    url = "/api/events/ev1/media?kind=slides"
    assert (await error_of(await client.post(url, data=data), 401))["code"] == "unauthorized"
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}
    assert await error_of(await client.post(url, data=data, headers=basic), 401)
    wrong = await client.post(url, data=data, headers=host("not-the-token"))
    assert (await error_of(wrong, 403))["code"] == "forbidden"
    other_event = await client.post(url, data=data, headers=host("other-token"))
    assert (await error_of(other_event, 403))["code"] == "forbidden"
    await no_media(client)


async def test_unknown_ids_and_bad_parameters(client, media_files):
    data = media_files.jpeg.read_bytes()
    missing = await client.post("/api/events/nope/media?kind=slides", data=data, headers=host())
    assert (await error_of(missing, 404))["code"] == "not_found"
    assert (await error_of(await client.get("/api/events/nope/media"), 404))["code"] == "not_found"
    unknown = await client.get("/api/media/med_0123456789abcdef")
    assert (await error_of(unknown, 404))["code"] == "not_found"
    for query in ("kind=podcast", "", "kind=slides&title=" + "x" * 201, "kind=slides&x=1"):
        response = await client.post(f"/api/events/ev1/media?{query}", data=data, headers=host())
        assert (await error_of(response, 400))["code"] == "invalid_parameter"
    await no_media(client)


@pytest.mark.parametrize(
    "body",
    [
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nfile://{src}\n#EXT-X-ENDLIST\n",
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n{src}\n#EXT-X-ENDLIST\n",
        "ffconcat version 1.0\nfile '{src}'\n",
    ],
)
async def test_a_playlist_or_concat_script_cannot_pull_in_other_files(client, media_files, body):
    # without the demuxer and protocol allow-lists, ffmpeg would read the file
    # these name (any file the server may read) into the recording
    data = body.format(src=media_files.recording.resolve()).encode()
    error = await error_of(await post(client, data), 415)
    assert error["code"] == "not_media"
    await no_media(client)
