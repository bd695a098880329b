"""Sync across two real Chromium pages (part of benchmarks/media_sync.py, ``--chromium``).

The real server (``zal serve --demo``, one member per instance, so the two pages
sit in different instances of the same event) with a 3-minute 320x180 HLS
recording made by ffmpeg and added as a ready media row; Debian's Chromium
through Playwright opens the host page (host link) and a guest page of the demo
piano master class; the host page starts the recording over the live protocol.
Both pages run the shipped client (hls.js + web_client/src/stage/sync.js). Each
sample reads ``video.currentTime`` of both pages (``window.__zalStage.debug()``)
and this process's clock around each read; the ideal is the stage state's
``position + (t - at)`` at that moment (same machine: same clock as the server).

``--live``: instead of the recording, a live stream: the demo's ffmpeg live
writer (server/media/live/demo_stream.py: 2 s segments, each dated with
``EXT-X-PROGRAM-DATE-TIME``) into the data dir's ``live/`` folder, registered as a
stream row; each sample reads each page's ``liveBehind`` (server time minus the
date of the frame on its screen), the ideal being the hall's delay (6 s).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from server.media.live.demo_stream import ffmpeg_args
from server.media.live.keys import PLAYLIST, playback_id, playback_url
from server.media.store import package_digest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
EVENT, VENUE = "piano-masterclass", "chamber-hall"
DURATION_S = 180
SETTLE_S = 20.0
READY = (
    "() => window.__zalLive && window.__zalLive.debug().joined && window.__zalStage"
    " && window.__zalStage.clock.rtt !== null"
)
PLAYING = """() => { const d = window.__zalStage.debug();
  return d.player && !d.player.paused && d.player.currentTime > 1; }"""
SAMPLE = """() => { const d = window.__zalStage.debug();
  return {t: d.player.currentTime, target: d.target, state: d.state}; }"""


def _package(hls_root: Path) -> str:
    work = hls_root / ".tmp-bench"
    work.mkdir(parents=True)
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error",
         "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=25:duration={DURATION_S}",
         "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={DURATION_S}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "100",
         "-keyint_min", "100", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "96k",
         "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
         "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "v0_init.mp4",
         "-hls_segment_filename", f"{work}/v0_%05d.m4s", "-master_pl_name", "master.m3u8",
         f"{work}/v0.m3u8"],
        check=True, timeout=300,
    )  # fmt: skip
    package_id = package_digest(work)
    work.rename(hls_root / package_id)
    return package_id


def _add_media(data_dir: Path, package_id: str) -> str:
    media_id = "med_" + "b" * 16
    with sqlite3.connect(data_dir / "zal.sqlite3") as db:
        db.execute(
            "INSERT INTO media (id, event_id, kind, title, status, progress, error, package_id,"
            " stream_url, duration_s, slides, created_at) VALUES (?, ?, 'recording', 'Bench',"
            " 'ready', 1.0, NULL, ?, NULL, ?, '[]', ?)",
            (media_id, EVENT, package_id, float(DURATION_S), datetime.now(UTC).isoformat()),
        )
    return media_id


LIVE_DELAY_S = 6.0  # show.js liveDelay() for 2 s segments
LIVE_SAMPLE = """() => { const d = window.__zalStage.debug(); return {behind: d.liveBehind}; }"""
LIVE_SETTLED = """() => { const d = window.__zalStage.debug();
  return d.liveBehind !== null && d.player && !d.player.paused; }"""


def _start_live(data_dir: Path, work: Path) -> tuple[str, subprocess.Popen]:
    """The demo's live writer into ``<data>/live/<pid>/`` and a stream row for it."""
    pid = playback_id("zk_bench-live-stream")
    out_dir = data_dir / "live" / pid
    out_dir.mkdir(parents=True)
    title = work / "title.txt"
    title.write_text("Sync benchmark, live")
    writer = subprocess.Popen(ffmpeg_args(out_dir, title), stdin=subprocess.DEVNULL)
    media_id = "med_" + "c" * 16
    with sqlite3.connect(data_dir / "zal.sqlite3") as db:
        db.execute(
            "INSERT INTO media (id, event_id, kind, title, status, progress, error, package_id,"
            " stream_url, duration_s, slides, created_at) VALUES (?, ?, 'stream', 'Bench live',"
            " 'ready', 1.0, NULL, NULL, ?, NULL, '[]', ?)",
            (media_id, EVENT, playback_url(pid), datetime.now(UTC).isoformat()),
        )
    deadline = time.monotonic() + 60
    while not (out_dir / PLAYLIST).exists():
        if time.monotonic() > deadline or writer.poll() is not None:
            raise RuntimeError("the live writer made no playlist")
        time.sleep(0.2)
    return media_id, writer


def _host_token(data_dir: Path) -> str:
    for line in (data_dir / "demo-host-tokens.txt").read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == EVENT:
            return fields[1]
    raise KeyError(EVENT)


def measure(seconds: float, every: float = 0.25, live: bool = False) -> dict[str, Any]:
    """Start a server and two pages, play, sample; the raw per-sample errors."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="zal-bench-chromium-"))
    data = work / "data"
    env = dict(os.environ, ZAL_SCENE_CACHE=str(REPO / "build" / "test-scene-cache"))
    env.update(ZAL_INSTANCE_CAPACITY="1", ZAL_DEMO_MEDIA="off", ZAL_DEMO_LIVE_STREAM="false")
    port = free_port()
    log = open(work / "server.log", "wb")  # noqa: SIM115 (kept open for the child)
    proc = subprocess.Popen(
        ["taskset", "-c", "0", sys.executable, "-m", "server", "--log-level", "WARNING",
         "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data),
         "--demo"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((work / "server.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            time.sleep(0.3)
        writer = None
        if live:
            media_id, writer = _start_live(data, work)
        else:
            media_id = _add_media(data, _package(data / "hls"))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                return _run(browser, url, _host_token(data), media_id, seconds, every, live)
            finally:
                browser.close()
                if writer is not None:
                    writer.terminate()
                    writer.wait(15)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(
    browser, url: str, token: str, media_id: str, seconds: float, every: float, live: bool
) -> dict:
    pages = []
    for name, fragment in (("Host", f"#host={token}"), ("Guest", "")):
        context = browser.new_context(viewport={"width": 660, "height": 372})
        context.add_init_script(f"localStorage.setItem('zal.displayName', '{name}');")
        page = context.new_page()
        page.goto(f"{url}/venue/{VENUE}?event={EVENT}&test=1{fragment}")
        page.wait_for_function(READY, timeout=240_000, polling=200)
        pages.append(page)
    host = pages[0]
    for name, payload in (("stage_media", {"media_id": media_id}), ("stage_play", {})):
        ack = host.evaluate("([n, p]) => window.__zalLive.conn.request(n, p)", [name, payload])
        if not ack.get("ok"):
            raise RuntimeError(f"{name}: {ack}")
    began = time.monotonic()
    for page in pages:
        page.wait_for_function(LIVE_SETTLED if live else PLAYING, timeout=120_000, polling=200)
    started_in = time.monotonic() - began
    time.sleep(SETTLE_S)  # the nudging (5 % at most) settles what the first seek left
    if live:
        return _sample_live(pages, seconds, every) | {"started_in": started_in}
    errors: list[list[float]] = [[], []]
    own: list[list[float]] = [[], []]
    apart: list[float] = []
    reads: list[float] = []  # how long reading one page took: the ideal's uncertainty
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        now_err = []
        for i, page in enumerate(pages):
            t0 = time.time()
            d = page.evaluate(SAMPLE)
            t1 = time.time()
            reads.append(t1 - t0)
            s = d["state"]
            ideal = s["position"] + ((t0 + t1) / 2 - s["at"] if s["playing"] else 0.0)
            now_err.append(d["t"] - ideal)
            errors[i].append(d["t"] - ideal)
            own[i].append(d["t"] - d["target"])
        apart.append(abs(now_err[0] - now_err[1]))
        time.sleep(every)
    return {"errors": errors, "own": own, "apart": apart, "started_in": started_in,
            "reads": reads}  # fmt: skip


def _sample_live(pages, seconds: float, every: float) -> dict:
    """Each page's distance behind real time against the hall's delay, and apart."""
    errors: list[list[float]] = [[], []]
    apart: list[float] = []
    reads: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        behind = []
        for i, page in enumerate(pages):
            t0 = time.time()
            d = page.evaluate(LIVE_SAMPLE)
            reads.append(time.time() - t0)
            if d["behind"] is None:  # between fragments after a reload: skip the instant
                break
            behind.append(d["behind"])
            errors[i].append(d["behind"] - LIVE_DELAY_S)
        if len(behind) == 2:
            apart.append(abs(behind[0] - behind[1]))
        time.sleep(every)
    return {"errors": errors, "own": errors, "apart": apart, "reads": reads}
