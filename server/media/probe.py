"""``ffprobe`` a file before anything else: is it media, whole, and not too long?

The verdict is one of the stable codes of :mod:`.errors`: ``empty_file`` (0
bytes), ``not_media`` (ffprobe finds no audio or video stream: text, a PDF, an
image), ``corrupt_media`` (ffprobe fails on it, or a truncated file: no duration,
or it cannot decode the first frames), ``media_too_long``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import CorruptMedia, EmptyFile, NotMedia, TooLong
from .process import run_tool

# Demuxers a recording may use, given to ffprobe and ffmpeg (``-format_whitelist``),
# and the only protocol (``-protocol_whitelist file``). Without them an upload
# that is really an HLS playlist, a concat script or an ffconcat file makes
# ffmpeg read the files or URLs it names (``file:///etc/...``, ``http://10.0.0.1/``)
# into the recording: a way to read the server's files or its network.
DEMUXERS = (
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "avi",
    "flv",
    "mpegts",
    "mpeg",
    "asf",
    "ogg",
    "wav",
    "w64",
    "aiff",
    "caf",
    "mp3",
    "flac",
    "aac",
    "ac3",
    "eac3",
    "amr",
)
SAFE_INPUT = ["-format_whitelist", ",".join(DEMUXERS), "-protocol_whitelist", "file"]

# still-image "video" codecs: a PNG or JPEG is not a recording
IMAGE_CODECS = {"png", "mjpeg", "bmp", "gif", "webp", "tiff", "jpegls", "pam", "ppm", "pgm"}


@dataclass(frozen=True)
class Probe:
    duration_s: float
    width: int | None  # None: audio only
    height: int | None
    has_audio: bool

    @property
    def has_video(self) -> bool:
        return self.height is not None


async def probe(
    path: Path, *, max_duration_s: float, timeout_s: float = 30.0, memory_bytes: int = 1 << 30
) -> Probe:
    if path.stat().st_size == 0:
        raise EmptyFile("the file is empty")
    found = await run_tool(
        [
            "ffprobe",
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            *SAFE_INPUT,
            "-i",
            str(path.resolve()),
        ],
        timeout_s=timeout_s,
        memory_bytes=memory_bytes,
    )
    try:
        info = json.loads(found.stdout or b"{}")
    except ValueError:
        info = {}
    streams = info.get("streams") or []
    fmt = info.get("format") or {}
    if "moov atom not found" in found.stderr_tail:  # an MP4/MOV cut short
        raise CorruptMedia("the file is damaged or cut short")
    if found.returncode != 0 and not streams:
        # "Invalid data found when processing input": not a container we know
        if "Invalid data" in found.stderr_tail or not fmt:
            raise NotMedia("not an audio or video file")
        raise CorruptMedia("the file cannot be read")
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video"
        and s.get("codec_name") not in IMAGE_CODECS
        and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    if not video and not audio:
        raise NotMedia("no audio or video stream in the file")
    if found.returncode != 0:
        raise CorruptMedia("the file is damaged or cut short")
    try:
        duration = float(fmt.get("duration") or 0)
    except ValueError:
        duration = 0.0
    if duration <= 0:
        raise CorruptMedia("the file has no duration (cut short?)")
    if duration > max_duration_s:
        raise TooLong(f"longer than {max_duration_s:g} s", params={"max": max_duration_s})
    width = height = None
    if video:
        width, height = int(video[0].get("width") or 0), int(video[0].get("height") or 0)
        if width <= 0 or height <= 0:
            raise CorruptMedia("the video has no picture size")
    return Probe(duration, width, height, bool(audio))
