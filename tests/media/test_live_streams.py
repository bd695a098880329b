"""Live streams for real: nginx with Debian's RTMP module takes an ffmpeg push,
asks Zal (on_publish) about the key, writes HLS that Zal serves under /live/;
external HLS URLs are checked against the allow-list and a tiny real HTTP server;
the demo's ffmpeg stream starts with the app and ends with it (even on SIGKILL)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp import web

from server import keys
from server.media.live import nginx_conf
from server.media.live.keys import PLAYLIST, new_stream_key, playback_id
from server.media.live.program_time import TAG as PROGRAM_DATE_TIME
from server.media.live.setup import attach_demo_stream

from .conftest import host
from .nginx_rtmp import file_appears, nginx_rtmp

PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
HLS_BODY = b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n0.ts\n"
REPO = Path(__file__).resolve().parents[2]


# --- a tiny HLS origin (allow-listed) and another one (not) ------------------------


async def _origin(aiohttp_server) -> str:
    app = web.Application()

    async def playlist(request: web.Request) -> web.Response:
        return web.Response(body=HLS_BODY, content_type=PLAYLIST_TYPE)

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<html>not a playlist</html>", content_type="text/html")

    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=b"#EXTM3U\n" + b"#" * (1 << 20))

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("/ok/index.m3u8")

    app.router.add_get("/ok/index.m3u8", playlist)
    app.router.add_get("/html/index.m3u8", page)
    app.router.add_get("/huge/index.m3u8", huge)
    app.router.add_get("/moved/index.m3u8", moved)
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}"


@pytest.fixture
async def origins(aiohttp_server) -> tuple[str, str]:
    """(allowed, not allowed) origins, both real servers with the same files."""
    return await _origin(aiohttp_server), await _origin(aiohttp_server)


@pytest.fixture
def settings(settings, origins, tmp_path):
    """conftest's settings plus the allow-list and a live folder of our own."""
    return settings.model_copy(
        update={"media_origins": [origins[0]], "live_hls_dir": tmp_path / "live"}
    )


async def register(client, body: dict, token: str | None = "default", event: str = "ev1"):
    headers = host() if token == "default" else host(token) if token else {}
    return await client.post(f"/api/events/{event}/streams", json=body, headers=headers)


async def error_code(response) -> str:
    return (await response.json())["error"]["code"]


# --- the ingest, for real ------------------------------------------------------------


def test_the_config_is_one_nginx_accepts(tmp_path):
    config = nginx_conf.IngestConfig(
        work_dir=tmp_path / "work", hls_dir=tmp_path / "hls", zal_url="http://127.0.0.1:8080"
    )
    text = nginx_conf.render(config)
    assert "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;" in text
    assert "hls_fragment 2s;" in text and "daemon off;" in text
    assert "on_publish http://127.0.0.1:8080/api/live/on_publish?relay=" in text
    nginx_conf.write(config)
    check = subprocess.run(
        [*nginx_conf.command(config), "-t"], capture_output=True, text=True, timeout=10
    )
    assert check.returncode == 0, check.stderr
    with pytest.raises(ValueError):
        nginx_conf.render(config.__class__(**{**config.__dict__, "zal_url": "http://x/;evil"}))


async def test_an_rtmp_push_with_a_registered_key_is_served_as_live_hls(client, tmp_path):
    answer = await register(client, {"title": "Quartet, live", "ingest": True})
    assert answer.status == 201, await answer.text()
    stream = await answer.json()
    key = stream["ingest"]["stream_key"]
    pid = playback_id(key)
    assert stream["kind"] == "stream" and stream["status"] == "ready"
    assert stream["url"] == f"/live/{pid}/index.m3u8"
    assert stream["ingest"]["rtmp_url"] == f"{stream['ingest']['server']}/{key}"
    assert stream["ingest"]["rtmp_url"].startswith("rtmp://127.0.0.1:1935/live/")
    # guests see the playback id, never the key
    listed = await (await client.get("/api/events/ev1/media")).text()
    assert pid in listed and key not in listed

    zal_url = f"http://127.0.0.1:{client.server.port}"
    settings = client.server.app[keys.SETTINGS]
    with nginx_rtmp(tmp_path / "nginx", zal_url, hls_dir=settings.live_dir) as ingest:
        stranger_key = new_stream_key()
        with ingest.push(key, seconds=6) as push, ingest.push(stranger_key, seconds=3) as bad:
            playlist = await file_appears(ingest.playlist(key), 15)
            # nginx writes under the public id: the key names no file
            assert playlist.parent.name == pid and not (settings.live_dir / key).exists()
            response = await client.get(stream["url"])
            assert response.status == 200, push.log() + ingest.error_log()
            assert response.content_type == PLAYLIST_TYPE
            assert response.headers["Cache-Control"] == "no-cache"
            text = await response.text()
            assert text.startswith("#EXTM3U")
            segment = next(line for line in text.splitlines() if line.endswith(".ts"))
            # segments named by system time, dated for the players: the hall sits
            # a fixed time behind real time (program_time.py)
            dates = [
                datetime.fromisoformat(line.split(":", 1)[1])
                for line in text.splitlines()
                if line.startswith(PROGRAM_DATE_TIME)
            ]
            assert len(dates) == len(_segments(text)) >= 1, text
            assert abs(dates[0].timestamp() - int(segment[:-3]) / 1000) < 0.001
            assert abs(dates[-1].timestamp() - time.time()) < 15, text
            response = await client.get(f"/live/{pid}/{segment}")
            assert response.status == 200
            assert response.content_type == "video/mp2t"
            assert response.headers["Cache-Control"] == "public, max-age=10"
            body = await response.read()
            assert len(body) > 1000 and body[0] == 0x47  # MPEG-TS sync byte
            # the unknown key: on_publish said 403, nginx dropped the push
            assert await asyncio.to_thread(bad.process.wait, 10) != 0
            assert "zal_hls" not in bad.log()
            assert not (settings.live_dir / playback_id(stranger_key)).exists()
            response = await client.get(f"/live/{playback_id(stranger_key)}/{PLAYLIST}")
            assert response.status == 404
        assert "notify: publish" in ingest.error_log()


async def test_on_publish_admits_only_keys_zal_made(client):
    stream = await (await register(client, {"title": "Live", "ingest": True})).json()
    key = stream["ingest"]["stream_key"]
    relay = "rtmp://127.0.0.1:1935/zal_hls"

    async def publish(name: str, relay: str = relay, call: str = "publish") -> web.Response:
        form = {"app": "live", "call": call, "name": name, "addr": "127.0.0.1"}
        return await client.post(
            "/api/live/on_publish", params={"relay": relay}, data=form, allow_redirects=False
        )

    admitted = await publish(key)
    assert admitted.status == 302
    assert admitted.headers["Location"] == f"{relay}/{playback_id(key)}"
    for refused in (
        await publish(new_stream_key()),  # well-formed, never registered
        await publish(playback_id(key)),  # the public id is not the key
        await publish(key, relay="rtmp://evil.example/zal_hls"),
        await publish(key, call="play"),
    ):
        assert refused.status == 403 and await error_code(refused) == "stream_key_unknown"


# --- /live/ serves only what Zal admitted ------------------------------------------


async def test_live_files_only_for_registered_streams_and_strict_names(client):
    live_dir = client.server.app[keys.SETTINGS].live_dir
    stream = await (await register(client, {"title": "Live", "ingest": True})).json()
    pid = playback_id(stream["ingest"]["stream_key"])
    stranger = playback_id(new_stream_key())
    for folder in (pid, stranger):
        (live_dir / folder).mkdir(parents=True)
        (live_dir / folder / PLAYLIST).write_bytes(HLS_BODY)
        (live_dir / folder / "0.ts").write_bytes(b"\x47" * 188)
    (live_dir / pid / "notes.txt").write_text("not served")
    (live_dir / pid / "7.ts").symlink_to(live_dir / stranger / "0.ts")
    (live_dir / pid / "init.mp4").write_bytes(b"\0\0\0\x18ftypiso6")
    (live_dir / pid / "3.m4s").write_bytes(b"\0\0\0\x18moof")
    assert (await client.get(f"/live/{pid}/{PLAYLIST}")).status == 200
    for name, content_type in (("0.ts", "video/mp2t"), ("init.mp4", "video/mp4"),
                               ("3.m4s", "video/mp4")):  # fmt: skip
        segment = await client.get(f"/live/{pid}/{name}")
        assert segment.status == 200 and segment.content_type == content_type
        assert segment.headers["Cache-Control"] == "public, max-age=10"
    for path in (
        f"/live/{stranger}/{PLAYLIST}",  # files there, but not a registered stream
        f"/live/{pid}/notes.txt",
        f"/live/{pid}/3.mp4",
        f"/live/{pid}/.demo.txt",
        f"/live/{pid}/1.ts",  # not written (yet)
        f"/live/{pid}/..%2F{stranger}%2Findex.m3u8",
        f"/live/{pid.upper()}/{PLAYLIST}",
        f"/live/{stream['ingest']['stream_key']}/{PLAYLIST}",
    ):
        response = await client.get(path)
        assert response.status == 404, path
    # a symlink is followed only while it stays inside the live folder
    assert (await client.get(f"/live/{pid}/7.ts")).status == 200
    (live_dir / pid / "8.ts").symlink_to(REPO / "README.md")
    assert (await client.get(f"/live/{pid}/8.ts")).status == 404


# --- registering streams: who may, and which URLs -----------------------------------


async def test_only_the_host_registers_streams(client):
    body = {"title": "Live", "ingest": True}
    missing = await register(client, body, token=None)
    assert missing.status == 401 and await error_code(missing) == "unauthorized"
    wrong = await register(client, body, token="not-the-token")
    assert wrong.status == 403 and await error_code(wrong) == "forbidden"
    other = await register(client, body, token="other-token")  # ev2's host
    assert other.status == 403
    assert (await register(client, body, event="no-such-event")).status == 404
    for bad in (
        {"title": "Both", "url": "http://x/a.m3u8", "ingest": True},
        {"title": "Neither"},
        {"title": "   ", "ingest": True},
        {"title": "Live", "ingest": True, "extra": 1},
    ):
        response = await register(client, bad)
        assert response.status == 400 and await error_code(response) == "invalid_parameter", bad
    not_json = await client.post(
        "/api/events/ev1/streams", data=b"{oops", headers={**host(), "Content-Type": "text/plain"}
    )
    assert not_json.status == 400 and await error_code(not_json) == "invalid_parameter"
    assert (await (await client.get("/api/events/ev1/media")).json())["media"] == []


async def test_external_urls_must_be_hls_from_an_allowed_origin(client, origins):
    allowed, other = origins

    async def refused(url: str, code: str) -> str:
        response = await register(client, {"title": "External", "url": url})
        assert response.status == 400, url
        error = (await response.json())["error"]
        assert error["code"] == code, (url, error)
        return error["message"]

    message = await refused(f"{other}/ok/index.m3u8", "origin_not_allowed")
    assert other in message
    await refused(f"{allowed}/ok/index.mp4", "not_hls")
    await refused(f"{allowed}/html/index.m3u8", "not_hls")
    await refused(f"{allowed}/huge/index.m3u8", "not_hls")
    await refused(f"{allowed}/moved/index.m3u8", "stream_unreachable")  # no redirects
    await refused(f"{allowed}/missing/index.m3u8", "stream_unreachable")
    await refused("ftp://example.org/live.m3u8", "invalid_stream_url")
    await refused(f"http://user:pw@{allowed.removeprefix('http://')}/ok/index.m3u8",
                  "invalid_stream_url")  # fmt: skip
    russian = await client.post(
        "/api/events/ev1/streams",
        json={"title": "x", "url": f"{allowed}/html/index.m3u8"},
        headers={**host(), "Accept-Language": "ru"},
    )
    assert (await russian.json())["error"] == {
        "code": "not_hls",
        "message": "По этому адресу нет HLS-потока (нет плейлиста #EXTM3U)",
    }

    good = await register(
        client, {"title": "The city's own stream", "url": f"{allowed}/ok/index.m3u8"}
    )
    assert good.status == 201
    media = await good.json()
    assert media["kind"] == "stream" and media["url"] == f"{allowed}/ok/index.m3u8"
    assert "ingest" not in media
    listed = (await (await client.get("/api/events/ev1/media")).json())["media"]
    assert [m["url"] for m in listed] == [media["url"]]


async def test_pages_allow_exactly_the_listed_stream_origins(client, origins):
    allowed, other = origins
    page = await client.get("/")
    policy = page.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["connect-src"].split() == ["'self'", "blob:", allowed]
    assert directives["media-src"].split() == ["'self'", "blob:", allowed]
    assert other not in policy and allowed not in directives["script-src"]


def test_origin_allow_list_setting_is_normalised_and_strict(tmp_path):
    from server.settings import Settings

    made = Settings(
        data_dir=tmp_path, media_origins="HTTPS://CDN.Example.org:443, http://[::1]:9000"
    )
    assert made.media_origins == ["https://cdn.example.org", "http://[::1]:9000"]
    for bad in ("https://cdn.example.org/path", "ftp://x", "https://a.org; script-src *"):
        with pytest.raises(ValueError):
            Settings(data_dir=tmp_path, media_origins=bad)


# --- the demo's live stream -----------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def test_the_demo_stream_runs_with_the_app_and_stops_with_it(aiohttp_client, make_app):
    client = await aiohttp_client(make_app())
    app = client.server.app
    from .seed import seed_event

    await seed_event(app[keys.DB_ENGINE], app[keys.BLOBS])
    row = await attach_demo_stream(app, "ev1", "Вечер: 100% «живой» звук")
    assert row is not None and row["kind"] == "stream"
    pid = row["stream_url"].split("/")[2]
    demo = app[keys.LIVE].demos[pid]
    await file_appears(demo.out_dir / PLAYLIST, 15)
    response = await client.get(row["stream_url"])
    assert response.status == 200 and (await response.text()).startswith("#EXTM3U")
    assert demo.process is not None
    ffmpeg = demo.process.pid
    assert _alive(ffmpeg)
    assert await attach_demo_stream(app, "ev1", "Вечер: 100% «живой» звук") == row  # once
    assert len(app[keys.LIVE].demos) == 1
    await client.close()  # the app's cleanup
    assert not _alive(ffmpeg)
    assert not demo.out_dir.exists()
    # the next start of the server: the same media row, a new stream behind it
    client = await aiohttp_client(make_app())
    again = await attach_demo_stream(client.server.app, "ev1", "Вечер: 100% «живой» звук")
    assert again is not None and again["id"] == row["id"]
    assert again["stream_url"] != row["stream_url"]
    await client.close()


async def test_the_demo_stream_comes_back_when_its_folder_was_removed(aiohttp_client, make_app):
    """nginx-rtmp's hls_cleanup, sharing the live folder, removes a stream folder it
    finds empty; the demo's ffmpeg, restarted, makes it again."""
    import shutil

    client = await aiohttp_client(make_app())
    app = client.server.app
    from .seed import seed_event

    await seed_event(app[keys.DB_ENGINE], app[keys.BLOBS])
    row = await attach_demo_stream(app, "ev1", "Demo")
    assert row is not None
    demo = app[keys.LIVE].demos[row["stream_url"].split("/")[2]]
    await file_appears(demo.out_dir / PLAYLIST, 15)
    assert demo.process is not None
    shutil.rmtree(demo.out_dir)
    demo.process.kill()  # ffmpeg fails on its next segment; here at once
    await file_appears(demo.out_dir / PLAYLIST, 20)  # after the first restart's 1 s pause
    await client.close()


def test_the_demo_ffmpeg_dies_with_a_sigkilled_server(tmp_path):
    """A server process (here: a Python running the demo stream the way the app
    does) killed with SIGKILL runs no clean-up; the kernel ends its ffmpeg."""
    script = textwrap.dedent(
        f"""
        import asyncio, pathlib, sys
        from server.media.live.demo_stream import DemoLiveStream

        async def main():
            demo = DemoLiveStream(pathlib.Path({str(tmp_path)!r}), "a" * 64, "Killed")
            await demo.start()
            while demo.process is None:
                await asyncio.sleep(0.05)
            print(demo.process.pid, flush=True)
            await asyncio.sleep(60)

        asyncio.run(main())
        """
    )
    server = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        ffmpeg = int(server.stdout.readline())
        assert _alive(ffmpeg)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        deadline = time.monotonic() + 5
        while _alive(ffmpeg) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(ffmpeg)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _segments(playlist: str) -> list[int]:
    return [int(line[:-3]) for line in playlist.splitlines() if line.endswith(".ts")]


async def test_a_stream_that_stops_stalls_and_resumes_with_new_segment_names(client, tmp_path):
    """The encoder dies mid-show: the playlist stops growing (what the stage's stall
    card waits for); it reconnects with the same key: numbering goes on."""
    stream = await (await register(client, {"title": "Live", "ingest": True})).json()
    key = stream["ingest"]["stream_key"]
    zal_url = f"http://127.0.0.1:{client.server.port}"
    settings = client.server.app[keys.SETTINGS]
    with nginx_rtmp(tmp_path / "nginx", zal_url, hls_dir=settings.live_dir) as ingest:
        with ingest.push(key, seconds=None):
            await file_appears(ingest.playlist(key), 15)
            while len(_segments(ingest.playlist(key).read_text())) < 2:
                await asyncio.sleep(0.1)
        first = await (await client.get(stream["url"])).text()
        await asyncio.sleep(1.5)  # longer than a fragment: nothing new comes
        assert await (await client.get(stream["url"])).text() == first
        with ingest.push(key, seconds=None):
            async with asyncio.timeout(15):
                while True:
                    response = await client.get(stream["url"])
                    again = await response.text()
                    if response.status == 200 and again != first:
                        break
                    await asyncio.sleep(0.1)
        # the first playlist after the reconnect goes on from the old names
        names = _segments(again)
        assert names == sorted(set(names)) and max(names) > max(_segments(first)), again
