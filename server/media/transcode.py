"""Transcode a probed recording into an HLS VOD package with Debian's ffmpeg.

Video: two H.264 renditions (:func:`rendition_heights`, never above the source),
each with the AAC audio muxed in, fMP4 segments of ~4 s cut on forced key frames
at the same times in every rendition (so hls.js switches levels cleanly), and a
master playlist ffmpeg writes with ``BANDWIDTH``, ``RESOLUTION`` and ``CODECS``.
Audio only: one AAC rendition named ``audio`` (served as ``audio/mp4``). File
names: ``master.m3u8``, ``v0.m3u8``/``v1.m3u8`` (``audio.m3u8``), ``<name>_init.mp4``
and ``<name>_00000.m4s``... Progress comes from ``-progress pipe:1``
(``out_time_us`` over the probed duration).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import CorruptMedia, TranscodeFailed
from .probe import SAFE_INPUT, Probe
from .process import run_tool

SEGMENT_S = 4
TOP_HEIGHT = 720
LOW_HEIGHT = 360
AUDIO_BITRATE = "128k"
PROGRESS_EVERY_S = 0.5
# output shorter than this share of the probed duration: the input was cut short
COMPLETE_SHARE = 0.9

ProgressCallback = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class TranscodeOptions:
    timeout_s: float
    memory_bytes: int
    preset: str = "veryfast"  # x264 speed/size trade-off
    threads: int = 0  # 0: ffmpeg decides


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def rendition_heights(source_height: int) -> list[int]:
    """Two heights, highest first: 720p (or the source's, if lower) and 360p (or
    half the top one, for small sources). Never upscales."""
    top = _even(min(TOP_HEIGHT, source_height))
    low = LOW_HEIGHT if top > LOW_HEIGHT else _even(top / 2)
    return [top, low]


def video_bitrate_k(height: int) -> int:
    """Average H.264 bitrate for a height (the ladder of common streaming services)."""
    for min_height, kbps in ((1080, 5000), (720, 2800), (480, 1400), (360, 800), (180, 400)):
        if height >= min_height:
            return kbps
    return 200


def ffmpeg_args(src: Path, probe: Probe, options: TranscodeOptions) -> list[str]:
    """The whole command, writing into the current directory."""
    args = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-nostats", "-y"]
    args += ["-progress", "pipe:1", *SAFE_INPUT, "-i", str(src)]
    audio = ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "2", "-ar", "48000"]
    hls = ["-f", "hls", "-hls_time", str(SEGMENT_S), "-hls_playlist_type", "vod"]
    hls += ["-hls_segment_type", "fmp4", "-hls_flags", "independent_segments"]
    hls += ["-master_pl_name", "master.m3u8"]
    if not probe.has_video:
        args += ["-map", "0:a:0", *audio, *hls]
        args += ["-hls_segment_filename", "audio_%05d.m4s"]
        args += ["-hls_fmp4_init_filename", "audio_init.mp4"]
        args += ["-var_stream_map", "a:0,name:audio", "%v.m3u8"]
        return args
    heights = rendition_heights(probe.height or 0)
    splits = "".join(f"[s{i}]" for i in range(len(heights)))
    scales = ";".join(
        f"[s{i}]scale=-2:{h}:flags=bicubic,format=yuv420p[v{i}]" for i, h in enumerate(heights)
    )
    args += ["-filter_complex", f"[0:v:0]split={len(heights)}{splits};{scales}"]
    stream_map = []
    for i, height in enumerate(heights):
        args += ["-map", f"[v{i}]"]
        if probe.has_audio:
            args += ["-map", "0:a:0"]
        kbps = video_bitrate_k(height)
        args += [f"-b:v:{i}", f"{kbps}k", f"-maxrate:v:{i}", f"{kbps * 11 // 10}k"]
        args += [f"-bufsize:v:{i}", f"{kbps * 2}k"]
        stream_map.append(f"v:{i},a:{i}" if probe.has_audio else f"v:{i}")
    args += ["-c:v", "libx264", "-preset", options.preset, "-profile:v", "main"]
    # a key frame every SEGMENT_S seconds, whatever the frame rate, and no other
    # scene-cut key frames: segments line up across renditions
    args += ["-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_S})", "-sc_threshold", "0"]
    if options.threads:
        args += ["-threads", str(options.threads)]
    if probe.has_audio:
        args += audio
    args += hls
    args += ["-hls_segment_filename", "v%v_%05d.m4s", "-hls_fmp4_init_filename", "v%v_init.mp4"]
    args += ["-var_stream_map", " ".join(stream_map), "v%v.m3u8"]
    return args


class _Progress:
    """Turns ``-progress`` lines into a throttled 0..1 callback."""

    def __init__(self, duration_s: float, callback: ProgressCallback | None):
        self.duration_us = max(duration_s, 0.001) * 1e6
        self.callback = callback
        self.done_us = 0
        self._sent_at = 0.0

    async def line(self, line: str) -> None:
        key, _, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            self.done_us = max(self.done_us, int(value))
        elif key == "progress" and self.callback is not None:
            now = time.monotonic()
            if now - self._sent_at >= PROGRESS_EVERY_S:
                self._sent_at = now
                await self.callback(self.fraction)

    @property
    def fraction(self) -> float:
        return min(1.0, self.done_us / self.duration_us)


async def transcode(
    src: Path,
    out_dir: Path,
    probe: Probe,
    options: TranscodeOptions,
    on_progress: ProgressCallback | None = None,
) -> None:
    """Write the package into the empty folder ``out_dir``; raise a
    :class:`~.errors.MediaError` (``transcode_failed``, ``corrupt_media``,
    ``media_timeout``) if no whole package came out."""
    progress = _Progress(probe.duration_s, on_progress)
    finished = await run_tool(
        ffmpeg_args(src.resolve(), probe, options),
        timeout_s=options.timeout_s,
        memory_bytes=options.memory_bytes,
        on_line=progress.line,
        cwd=out_dir,  # the playlists name their files relative to themselves
    )
    if finished.returncode != 0 or not (out_dir / "master.m3u8").is_file():
        raise TranscodeFailed(f"ffmpeg exited with {finished.returncode}: {finished.stderr_tail}")
    if progress.fraction < COMPLETE_SHARE:
        raise CorruptMedia(
            f"only {progress.fraction:.0%} of the file could be decoded (cut short?)"
        )
    if on_progress is not None:
        await on_progress(1.0)
