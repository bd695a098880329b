"""A real nginx with Debian's RTMP module, for tests: the ingest of
docs/hosts-live-stream.md on free loopback ports in a temporary folder.

Usable from sync tests (browser) and async ones alike: nothing here blocks on
Zal, because nginx calls Zal back (``on_publish``) while a push starts, and an
async test's server must keep running meanwhile. So :meth:`Ingest.push` returns
at once; wait for the HLS with :func:`wait_for_file` (sync) or
:func:`file_appears` (async)::

    with nginx_rtmp(tmp_path / "nginx", zal_url, hls_dir=settings.live_dir) as ingest:
        with ingest.push(stream_key, seconds=None):   # until the block ends
            ...  # /live/<playback id>/index.m3u8 is being written
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from server.media.live import nginx_conf
from server.media.live.keys import PLAYLIST, playback_id
from tests.engines.nginx import free_port, running_nginx, worker_user

START_TIMEOUT_S = 10.0
STOP_GRACE_S = 5.0


@dataclass
class Push:
    """An ffmpeg pushing lavfi test video (and a tone) over RTMP."""

    process: subprocess.Popen
    url: str
    log_path: Path  # ffmpeg's stderr (a file: a pipe nobody reads could fill up)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> Push:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Ingest:
    config: nginx_conf.IngestConfig
    process: subprocess.Popen

    @property
    def rtmp_port(self) -> int:
        return self.config.rtmp_port

    @property
    def server_url(self) -> str:
        """What OBS calls "Server": ``rtmp://127.0.0.1:<port>/live``."""
        return f"rtmp://127.0.0.1:{self.config.rtmp_port}/{nginx_conf.INGEST_APP}"

    @property
    def hls_dir(self) -> Path:
        return self.config.hls_dir

    def playlist(self, stream_key: str) -> Path:
        """Where nginx writes the playlist of a push with ``stream_key``."""
        return self.config.hls_dir / playback_id(stream_key) / PLAYLIST

    def error_log(self) -> str:
        try:
            return self.config.error_log.read_text(errors="replace")
        except OSError:
            return ""

    def push(
        self,
        stream_key: str,
        *,
        seconds: float | None = 4.0,
        size: str = "320x180",
        fps: int = 15,
        tone_hz: float = 440.0,
    ) -> Push:
        """Start ffmpeg pushing to ``rtmp://…/live/<stream_key>`` in real time (``-re``)
        for ``seconds`` (None: until :meth:`Push.stop`). H.264 with a key frame each
        ``fragment_s`` and AAC: what Chromium plays through hls.js. testsrc2's
        picture moves every frame and the tone is loud enough for an analyser."""
        url = f"{self.server_url}/{stream_key}"
        duration = [] if seconds is None else ["-t", f"{seconds:g}"]
        gop = str(fps * self.config.fragment_s)
        args = [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
            "-re", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}",
            "-re", "-f", "lavfi", "-i", f"sine=frequency={tone_hz:g}:sample_rate=44100",
            *duration,
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            "-pix_fmt", "yuv420p", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "64k", "-ac", "2",
            "-f", "flv", url,
        ]  # fmt: skip
        log_path = self.config.work_dir / f"push-{time.monotonic_ns()}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                ["setpriv", "--pdeathsig", "KILL", "--", *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        return Push(process, url, log_path)


@contextlib.contextmanager
def nginx_rtmp(
    work_dir: Path,
    zal_url: str,
    *,
    hls_dir: Path | None = None,
    fragment_s: int = 1,
    playlist_length_s: int = 6,
) -> Iterator[Ingest]:
    """nginx on a free loopback RTMP port, calling Zal at ``zal_url`` (e.g.
    ``http://127.0.0.1:<port>``) and writing HLS into ``hls_dir`` (give Zal's
    ``settings.live_dir``). 1 s fragments by default, so tests wait little."""
    config = nginx_conf.IngestConfig(
        work_dir=work_dir,
        hls_dir=hls_dir or work_dir / "hls",
        zal_url=zal_url,
        rtmp_port=free_port(),
        fragment_s=fragment_s,
        playlist_length_s=playlist_length_s,
        user=worker_user(),
    )
    nginx_conf.write(config)
    with running_nginx(nginx_conf.command(config), [config.rtmp_port], config.error_log) as process:
        yield Ingest(config, process)


def wait_for_file(path: Path, timeout_s: float = 15.0) -> Path:
    deadline = time.monotonic() + timeout_s
    while not path.is_file():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear within {timeout_s:g} s")
        time.sleep(0.1)
    return path


async def file_appears(path: Path, timeout_s: float = 15.0) -> Path:
    async with asyncio.timeout(timeout_s):
        while not path.is_file():
            await asyncio.sleep(0.1)
    return path
