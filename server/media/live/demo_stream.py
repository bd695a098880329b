"""The demo's "live" stream: ffmpeg draws a clock and the event's title and plays
a quiet chord, as live HLS into the live folder, for as long as the server runs.

It is registered like any stream (a ``media`` row of kind ``stream`` with a
``/live/<playback id>/index.m3u8`` URL) but needs no nginx: ffmpeg writes the
folder itself. Small on purpose: 640x360 at 15 fps, x264 ``ultrafast`` on one
thread (about 5 % of one core here, docs/hosts-live-stream.md). The process runs
under ``setpriv --pdeathsig KILL`` (server.media.process.limited), so it ends
with the server even when the server is SIGKILLed; a clean shutdown terminates
it, then kills it after ``STOP_GRACE_S``. If ffmpeg dies on its own it is started
again after a growing pause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from pathlib import Path

from ..process import STDERR_TAIL, limited
from .keys import PLAYLIST

log = logging.getLogger("zal.live.demo")

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
MEMORY_BYTES = 1 << 30
STOP_GRACE_S = 3.0
RESTART_PAUSES_S = (1.0, 5.0, 30.0)
SEGMENT_S = 2
FPS = 15


MAX_TITLE = 60


def title_font_size(title: str) -> int:
    """30 px fits about 34 characters across 640 px; longer titles get smaller."""
    return 30 if len(title) <= 34 else max(16, 30 * 34 // len(title))


def ffmpeg_args(
    out_dir: Path, title_file: Path, title_size: int = 30, ffmpeg: str = "ffmpeg"
) -> list[str]:
    """The ffmpeg command: lavfi video + audio in real time (``-re``), H.264 +
    AAC out as HLS with ``SEGMENT_S`` segments (a key frame every segment)."""
    clock = r"%{localtime\:%H\\\:%M\\\:%S}"
    video = ",".join(
        [
            f"color=c=0x14182b:s=640x360:r={FPS}",
            # a bar sweeping under the title: the picture always changes
            "drawbox=x='mod(t*80,640)-120':y=250:w=120:h=6:color=0xe0b050:t=fill",
            f"drawtext=fontfile={FONT_BOLD}:textfile={title_file}:expansion=none"
            f":fontcolor=white:fontsize={title_size}:x=(w-text_w)/2:y=120",
            f"drawtext=fontfile={FONT}:text='{clock}':fontcolor=0xe0b050:fontsize=44"
            ":x=(w-text_w)/2:y=175",
            f"drawtext=fontfile={FONT_BOLD}:text='● LIVE':fontcolor=0xff5a5a:fontsize=20:x=24:y=22",
        ]
    )
    # an A-major chord, quiet (about -30 dBFS) and slowly swelling
    chord = "+".join(f"sin(2*PI*{f}*t)" for f in (220, 277.18, 329.63))
    audio = f"aevalsrc='0.01*({chord})*(0.7+0.3*sin(2*PI*0.2*t))':s=44100:c=stereo"
    return [
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error",
        "-re", "-f", "lavfi", "-i", video,
        "-re", "-f", "lavfi", "-i", audio,
        "-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv420p",
        "-profile:v", "main", "-b:v", "400k", "-maxrate", "500k", "-bufsize", "1000k",
        "-g", str(FPS * SEGMENT_S), "-keyint_min", str(FPS * SEGMENT_S), "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "64k",
        # segments that left the playlist stay on disk a while (6 more): a player that
        # fell behind (a slow phone, a busy tab) still gets the one it asked for
        "-f", "hls", "-hls_time", str(SEGMENT_S), "-hls_list_size", "6",
        "-hls_delete_threshold", "6",
        "-hls_flags", "delete_segments+temp_file+omit_endlist+program_date_time",
        "-hls_segment_filename", str(out_dir / "%d.ts"),
        str(out_dir / PLAYLIST),
    ]  # fmt: skip


class DemoLiveStream:
    """One ffmpeg writing ``<live_dir>/<playback id>/``; :meth:`start` and :meth:`stop`."""

    def __init__(
        self,
        live_dir: Path,
        pid: str,
        title: str,
        ffmpeg: str = "ffmpeg",
        *,
        media_id: str | None = None,
    ):
        self.media_id = media_id  # the stream's media row
        self.out_dir = live_dir / pid
        # drawtext reads the title from a file: no escaping of a title's quotes and colons
        self.title_file = live_dir / f".demo-{pid}.txt"
        self.title = title
        self.ffmpeg = ffmpeg
        self.process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        await asyncio.to_thread(self._prepare)
        self._task = asyncio.create_task(self._supervise(), name="demo-live-stream")

    def _prepare(self) -> None:
        shutil.rmtree(self.out_dir, ignore_errors=True)
        self.out_dir.mkdir(parents=True)
        self.title_file.write_text(self.shown_title, encoding="utf-8")

    @property
    def shown_title(self) -> str:
        title = " ".join(self.title.split())
        return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"

    async def _supervise(self) -> None:
        failures = 0
        while True:
            code, tail = await self._run_once()
            pause = RESTART_PAUSES_S[min(failures, len(RESTART_PAUSES_S) - 1)]
            failures += 1
            log.warning(
                "demo live stream: ffmpeg exited with %s, again in %.0f s: %s", code, pause, tail
            )
            await asyncio.sleep(pause)

    async def _run_once(self) -> tuple[int, str]:
        # nginx-rtmp's hls_cleanup, writing beside us into the same folder, removes a
        # stream folder it finds empty: ffmpeg would then fail to open its first
        # segment on every restart (seen when an RTMP ingest started with the demo)
        await asyncio.to_thread(self.out_dir.mkdir, parents=True, exist_ok=True)
        size = title_font_size(self.shown_title)
        args = ffmpeg_args(self.out_dir, self.title_file, size, self.ffmpeg)
        self.process = await asyncio.create_subprocess_exec(
            *limited(args, MEMORY_BYTES),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert self.process.stderr is not None
        tail = b""
        while chunk := await self.process.stderr.read(4096):
            tail = (tail + chunk)[-STDERR_TAIL:]
        code = await self.process.wait()
        return code, tail.decode("utf-8", "replace").strip()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        process, self.process = self.process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_S)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        await asyncio.to_thread(self._clean)

    def _clean(self) -> None:
        shutil.rmtree(self.out_dir, ignore_errors=True)
        self.title_file.unlink(missing_ok=True)
