"""Transcoding benchmark: wall time, CPU time and peak memory of turning a
10-minute 1080p recording into Zal's HLS package (server/media/transcode.py).

    .venv/bin/python -m benchmarks.transcode [--minutes 10] [--preset veryfast]

The source is made first by ffmpeg (cached in ``var/bench/``): one minute of
lavfi ``testsrc2`` at 1920x1080, 30 fps, with light temporal noise
(``noise=alls=6:allf=t``, like a camera's grain, so the encoder has detail to
code) and a 440 Hz ``sine`` tone, H.264 (x264 ``superfast``, 8 Mbit/s, about
what a camera or OBS records) + AAC, repeated ten times by stream copy.

The transcode then runs exactly as the server runs it (same arguments, same
``prlimit``/``setpriv`` limits) in a fresh child Python process, so
``RUSAGE_CHILDREN`` of that child counts only the ffprobe and ffmpeg of the
transcode: ``ru_maxrss`` is the peak resident memory of the largest of them
(ffmpeg). The figures and the machine's load go into docs/media.md between the
``bench:transcode`` markers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "media.md"
BEGIN, END = "<!-- bench:transcode:begin -->", "<!-- bench:transcode:end -->"


def make_source(minutes: float) -> Path:
    """A ``minutes``-long 1080p recording: one minute made by ffmpeg, then
    repeated by stream copy (making 10 minutes of 1080p with lavfi filters takes
    longer than transcoding them)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"source-1080p-{minutes:g}min.mp4"
    if path.is_file():
        return path
    minute, tmp = CACHE / "source-1080p-1min.mp4", path.with_suffix(".tmp.mp4")
    if not minute.is_file():
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-y",
             "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30,noise=alls=6:allf=t",
             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
             "-t", "60", "-c:v", "libx264", "-preset", "superfast", "-b:v", "8M",
             "-maxrate", "10M", "-bufsize", "16M", "-g", "60",
             "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest",
             str(minute.with_suffix(".tmp.mp4"))],
            check=True,
        )  # fmt: skip
        minute.with_suffix(".tmp.mp4").rename(minute)
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-y",
         "-stream_loop", str(max(0, int(minutes) - 1)), "-i", str(minute),
         "-c", "copy", "-t", str(int(minutes * 60)), str(tmp)],
        check=True,
    )  # fmt: skip
    tmp.rename(path)
    return path


async def _transcode(src: Path, preset: str) -> dict:
    from server.media.probe import probe
    from server.media.transcode import TranscodeOptions, transcode
    from server.settings import Settings

    settings = Settings()
    options = TranscodeOptions(
        timeout_s=settings.media_job_timeout_s,
        memory_bytes=settings.media_job_memory_bytes,
        preset=preset,
        threads=settings.media_ffmpeg_threads,
    )
    found = await probe(src, max_duration_s=settings.media_max_duration_s)
    with tempfile.TemporaryDirectory(dir=CACHE) as out:
        started = time.perf_counter()
        await transcode(src, Path(out), found, options)
        wall = time.perf_counter() - started
        files = list(Path(out).iterdir())
        master = (Path(out) / "master.m3u8").read_text()
        size = sum(f.stat().st_size for f in files)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "duration_s": found.duration_s,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "memory_limit_mib": settings.media_job_memory_bytes / 2**20,
        "files": len(files),
        "package_mib": size / 2**20,
        "master": master,
    }


def _child(src: str, preset: str) -> None:
    sys.stdout.write(json.dumps(asyncio.run(_transcode(Path(src), preset))) + "\n")


def _report(result: dict, src: Path, preset: str, load: tuple, minutes: float) -> str:
    source_mib = src.stat().st_size / 2**20
    speed = result["duration_s"] / result["wall_s"]
    variants = [
        line.split(":", 1)[1] for line in result["master"].splitlines() if "STREAM-INF" in line
    ]
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with "
        f"`.venv/bin/python -m benchmarks.transcode --minutes {minutes:g} --preset {preset}` "
        f"on {platform.machine()}, {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}, {_ffmpeg_version()}; load average before the run "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| source | {result['duration_s']:.0f} s, 1920x1080 30 fps H.264 + AAC, "
        f"{source_mib:.0f} MiB |",
        f"| renditions | {'; '.join(variants)} |",
        f"| transcode wall time | {result['wall_s']:.0f} s ({speed:.2f}x real time) |",
        f"| CPU time (ffprobe + ffmpeg) | {result['cpu_s']:.0f} s |",
        f"| peak memory (max RSS of ffmpeg) | {result['peak_rss_mib']:.0f} MiB "
        f"(limit {result['memory_limit_mib']:.0f} MiB address space) |",
        f"| package | {result['files']} files, {result['package_mib']:.0f} MiB |",
    ]
    return "\n".join(lines)


def _ffmpeg_version() -> str:
    out = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout
    return " ".join(out.split()[:3])


def _write(report: str) -> None:
    text = DOC.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + report + "\n" + text[end:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit docs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.preset)
        return 0
    sys.stderr.write("making the source (cached in var/bench/)...\n")
    src = make_source(args.minutes)
    load = os.getloadavg()
    sys.stderr.write(f"transcoding {src.name} (load {load[0]:.2f})...\n")
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.transcode", "--child", str(src), "--preset",
         args.preset],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    report = _report(json.loads(out), src, args.preset, load, args.minutes)
    after = os.getloadavg()
    report += (
        f"\n\nLoad average after the run: {after[0]:.2f} / {after[1]:.2f} / {after[2]:.2f}; "
        "a 1-minute figure far above the core count means other work shared the cores, "
        "so the CPU time, not the wall time, is the figure to compare."
    )
    sys.stdout.write(report + "\n")
    if not args.no_write:
        _write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
