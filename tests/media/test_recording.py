"""A recording upload becomes a playable HLS package (real ffmpeg, real app):
two H.264 renditions + AAC, fMP4 segments, a master playlist with the attributes
hls.js reads, served with the contract's types and caching."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from server import keys
from server.media import transcode as transcode_module
from server.media.probe import probe
from server.media.transcode import TranscodeOptions, rendition_heights, transcode

from .conftest import host

IMMUTABLE = "public, max-age=31536000, immutable"


async def upload(client, path: Path, kind: str = "recording", title: str = "Quartet", **kw):
    return await client.post(
        f"/api/events/ev1/media?kind={kind}&title={title}",
        data=path.read_bytes(),
        headers={**host(), "Content-Type": "application/octet-stream", **kw.pop("headers", {})},
        **kw,
    )


async def ready(client, media_id: str) -> dict:
    await client.server.app[keys.MEDIA_JOBS].join()
    response = await client.get(f"/api/media/{media_id}")
    assert response.status == 200
    return await response.json()


def attributes(line: str) -> dict[str, str]:
    return {k: v.strip('"') for k, v in re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line)}


def ffprobe_streams(path: Path) -> list[dict]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", str(path)],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    return json.loads(out)["streams"]


async def fetch(client, url: str, content_type: str) -> bytes:
    response = await client.get(url)
    assert response.status == 200, url
    assert response.headers["Content-Type"] == content_type, url
    assert response.headers["Cache-Control"] == IMMUTABLE, url
    return await response.read()


async def test_a_recording_becomes_two_renditions_of_h264_and_aac(client, media_files, tmp_path):
    response = await upload(client, media_files.recording)
    assert response.status == 202
    created = await response.json()
    assert (created["status"], created["progress"], created["url"]) == ("processing", 0.0, None)
    assert created["kind"] == "recording" and created["title"] == "Quartet"
    assert abs(created["duration_s"] - 3.0) < 0.2
    media = await ready(client, created["id"])
    assert (media["status"], media["progress"], media["error"]) == ("ready", 1.0, None)
    master_url = media["url"]
    assert re.fullmatch(r"/hls/[0-9a-f]{64}/master\.m3u8", master_url)
    master = (await fetch(client, master_url, "application/vnd.apple.mpegurl")).decode()
    assert master.startswith("#EXTM3U")
    variants = re.findall(r"#EXT-X-STREAM-INF:(.*)\n(\S+)", master)
    assert len(variants) == 2
    heights = set()
    base = master_url.rsplit("/", 1)[0]
    for attrs_line, playlist_name in variants:
        attrs = attributes(attrs_line)
        assert int(attrs["BANDWIDTH"]) > 0
        codecs = attrs["CODECS"].split(",")
        assert any(c.startswith("avc1.") for c in codecs) and "mp4a.40.2" in codecs
        width, height = map(int, attrs["RESOLUTION"].split("x"))
        heights.add(height)
        playlist = (
            await fetch(client, f"{base}/{playlist_name}", "application/vnd.apple.mpegurl")
        ).decode()
        # what hls.js needs for fMP4 VOD: the init segment, durations, the end
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist and "#EXT-X-ENDLIST" in playlist
        assert int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", playlist).group(1)) <= 5
        init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', playlist).group(1)
        segments = re.findall(r"^(?!#)(\S+\.m4s)$", playlist, re.MULTILINE)
        assert segments
        joined = tmp_path / f"{playlist_name}.mp4"
        with joined.open("wb") as out:
            out.write(await fetch(client, f"{base}/{init}", "video/mp4"))
            for segment in segments:
                out.write(await fetch(client, f"{base}/{segment}", "video/mp4"))
        streams = ffprobe_streams(joined)
        assert sorted(s["codec_name"] for s in streams) == ["aac", "h264"]
        video = next(s for s in streams if s["codec_type"] == "video")
        assert (video["width"], video["height"]) == (width, height)
    assert heights == {180, 90}  # the 180p source is never upscaled


async def test_files_are_immutable_and_revalidate_with_304(client, media_files):
    media = await ready(client, (await (await upload(client, media_files.recording)).json())["id"])
    first = await client.get(media["url"])
    etag = first.headers["ETag"]
    again = await client.get(media["url"], headers={"If-None-Match": etag})
    assert again.status == 304
    # the same bytes uploaded again give the same package (content-addressed)
    second = await ready(client, (await (await upload(client, media_files.recording)).json())["id"])
    assert second["url"] == media["url"]
    listed = await (await client.get("/api/events/ev1/media")).json()
    assert [m["id"] for m in listed["media"]] == [media["id"], second["id"]]


async def test_audio_only_input_becomes_an_audio_package(client, media_files):
    media = await ready(client, (await (await upload(client, media_files.audio)).json())["id"])
    assert media["status"] == "ready"
    master = (await (await client.get(media["url"])).read()).decode()
    assert 'CODECS="mp4a.40.2"' in master and "RESOLUTION" not in master
    base = media["url"].rsplit("/", 1)[0]
    playlist = (await (await client.get(f"{base}/audio.m3u8")).read()).decode()
    segment = re.search(r"^(?!#)(\S+\.m4s)$", playlist, re.MULTILINE).group(1)
    await fetch(client, f"{base}/{segment}", "audio/mp4")
    await fetch(client, f"{base}/audio_init.mp4", "audio/mp4")


async def test_video_without_sound_has_video_renditions_only(client, media_files):
    media = await ready(
        client, (await (await upload(client, media_files.silent_video)).json())["id"]
    )
    master = (await (await client.get(media["url"])).read()).decode()
    assert master.count("#EXT-X-STREAM-INF") == 2 and "mp4a" not in master


async def test_progress_rises_from_0_to_1(media_files, tmp_path, monkeypatch):
    monkeypatch.setattr(transcode_module, "PROGRESS_EVERY_S", 0.0)
    found = await probe(media_files.recording, max_duration_s=60)
    seen: list[float] = []

    async def on_progress(share: float) -> None:
        seen.append(share)

    options = TranscodeOptions(timeout_s=60, memory_bytes=2 << 30, preset="ultrafast")
    await transcode(media_files.recording, tmp_path, found, options, on_progress)
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert any(0.0 < s < 1.0 for s in seen), seen


def test_rendition_ladder_never_upscales():
    assert rendition_heights(1080) == [720, 360]
    assert rendition_heights(720) == [720, 360]
    assert rendition_heights(480) == [480, 360]
    assert rendition_heights(360) == [360, 180]
    assert rendition_heights(180) == [180, 90]
    assert rendition_heights(181) == [180, 90]
