"""The show on the stage screen, end to end: a real HLS recording (made by ffmpeg),
the real server subprocess, Debian's Chromium with hls.js, nothing mocked.

The server here runs with one member per instance, so the host and the guest sit
in different instances of the same event. The host drives the stage from its page
over the live protocol (``window.__zalLive.conn.request('stage_play', ...)``), as
the host console does; every page exposes ``window.__zalStage.debug()``.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from server.media.store import package_digest

from .conftest import REPO, SCENE_CACHE, STARTUP_TIMEOUT_S, ZalServer, _free_port

pytestmark = pytest.mark.browser

EVENT = "piano-masterclass"  # demo event in the chamber hall (a small hall: fast frames)
VENUE = "chamber-hall"
DURATION_S = 120  # long enough that a slow machine is still mid-show when it checks
VIEWPORT = {"width": 660, "height": 372}  # desktop layout, cheap frames
LOAD_TIMEOUT_MS = 180_000
WAIT_MS = 30_000
SYNC_TOLERANCE_S = 0.3

FFMPEG_HLS = [
    "ffmpeg", "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=25:duration={DURATION_S}",
    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={DURATION_S}",
    # a running clock burnt into the picture: screenshots show which moment plays
    "-vf", "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    ":text='%{pts\\:hms}':x=10:y=10:fontsize=28:fontcolor=white:box=1:boxcolor=black",
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
    "-c:a", "aac", "-b:a", "96k",
    "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
    "-hls_fmp4_init_filename", "v0_init.mp4", "-hls_segment_filename", "{out}/v0_%05d.m4s",
    "-master_pl_name", "master.m3u8", "{out}/v0.m3u8",
]  # fmt: skip


def _make_package(hls_root: Path) -> str:
    """A 120 s HLS VOD package (fMP4, H.264 + AAC) moved into the server's store."""
    work = hls_root / ".tmp-stage-test"
    work.mkdir(parents=True)
    cmd = [arg.replace("{out}", str(work)) for arg in FFMPEG_HLS]
    subprocess.run(cmd, check=True, timeout=120)
    package_id = package_digest(work)
    work.rename(hls_root / package_id)
    return package_id


def _add_media(data_dir: Path, package_id: str) -> str:
    """A ready recording of the demo event, written the way the media pipeline does."""
    media_id = "med_" + "5" * 16
    with sqlite3.connect(data_dir / "zal.sqlite3") as db:
        db.execute(
            "INSERT INTO media (id, event_id, kind, title, status, progress, error, package_id,"
            " stream_url, duration_s, slides, created_at)"
            " VALUES (?, ?, 'recording', 'Test pattern', 'ready', 1.0, NULL, ?, NULL, ?, '[]', ?)",
            (media_id, EVENT, package_id, float(DURATION_S), datetime.now(UTC).isoformat()),
        )
    return media_id


@pytest.fixture(scope="module")
def stage_server(tmp_path_factory) -> Iterator[tuple[ZalServer, str]]:
    """A server with one member per instance, and a recording of the demo event."""
    data_dir = tmp_path_factory.mktemp("zal-stage")
    env = {**os.environ, "ZAL_SCENE_CACHE": str(SCENE_CACHE), "ZAL_INSTANCE_CAPACITY": "1"}
    port = _free_port()
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(data_dir), "--demo"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    try:
        while True:
            assert proc.poll() is None, (data_dir / "server.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server not healthy"
            time.sleep(0.3)
        media_id = _add_media(data_dir, _make_package(data_dir / "hls"))
        yield ZalServer(url, data_dir, proc), media_id
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _host_token(server: ZalServer) -> str:
    for line in (server.data_dir / "demo-host-tokens.txt").read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == EVENT:
            return fields[1]
    raise KeyError(EVENT)


READY = (
    "() => window.__zalLive && window.__zalLive.debug().joined && window.__zalStage"
    " && window.__zalStage.clock.rtt !== null"
)


class Resident:
    """One browser context in the hall."""

    def __init__(self, page: Page, errors: list[str]):
        self.page = page
        self.errors = errors

    def stage(self) -> dict:
        return self.page.evaluate("window.__zalStage.debug()")

    def request(self, name: str, payload: dict) -> dict:
        return self.page.evaluate(
            "([n, p]) => window.__zalLive.conn.request(n, p)", [name, payload]
        )

    def wait(self, js: str, arg=None, timeout: int = WAIT_MS) -> None:
        try:
            self.page.wait_for_function(js, arg=arg, timeout=timeout, polling=100)
        except Exception as exc:  # say where the page was instead of only "timeout"
            raise AssertionError(f"{js} never held: {self.stage()} {self.errors}") from exc

    def error(self) -> float:
        """How far the video is from where the server says it should be, now."""
        d = self.stage()
        return d["player"]["currentTime"] - d["target"]


def _open(browser: Browser, server: ZalServer, name: str, fragment: str = "") -> Resident:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(f"localStorage.setItem('zal.displayName', {json.dumps(name)});")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/venue/{VENUE}?event={EVENT}&test=1{fragment}")
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS, polling=200)
    return Resident(page, errors)


@pytest.fixture(scope="module")
def hall(browser, stage_server) -> Iterator[tuple[Resident, Resident, ZalServer, str]]:
    server, media_id = stage_server
    host = _open(browser, server, "Hostess", f"#host={_host_token(server)}")
    guest = _open(browser, server, "Guest")
    yield host, guest, server, media_id
    for r in (host, guest):
        r.page.context.close()


SEATS_BY_DISTANCE = """() => { const v = window.__zalTest.view;
  const c = v.metadata.screen.center;
  const d = (s) => Math.hypot(s.eye[0] - c[0], s.eye[1] - c[1], s.eye[2] - c[2]);
  const seats = [...v.seats.list].sort((a, b) => d(a) - d(b));
  return [seats[0].id, seats[seats.length - 1].id]; }"""


def _level_in_seat(r: Resident, seat: str) -> float:
    """The stage sound's mean level heard from ``seat`` once the glide there ended."""
    r.page.evaluate("(id) => window.__zalTest.view.sitAt(id)", seat)
    r.wait("(id) => window.__zalTest.view.seatId === id", seat)
    return r.page.evaluate("""async () => { let sum = 0;
      for (let i = 0; i < 8; i++) { await new Promise((ok) => setTimeout(ok, 60));
        sum += window.__zalStage.audio.level(); }
      return sum / 8; }""")


IN_SYNC = """(tol) => { const d = window.__zalStage.debug();
  return d.player && !d.player.paused && d.target !== null
    && Math.abs(d.player.currentTime - d.target) < tol; }"""


def _assert_together(a: Resident, b: Resident, samples: int = 7) -> None:
    """Both within SYNC_TOLERANCE_S of the server's target, and of each other at the
    same server time. The median of a few samples: on a loaded 2-core machine one
    sample can catch a page whose decoder or main thread was starved for a moment."""
    errors_a, errors_b, apart = [], [], []
    for _ in range(samples):
        da, db = a.stage(), b.stage()
        errors_a.append(da["player"]["currentTime"] - da["target"])
        errors_b.append(db["player"]["currentTime"] - db["target"])
        # each page's position carried to the same server moment
        pa = da["player"]["currentTime"] - da["serverNow"]
        pb = db["player"]["currentTime"] - db["serverNow"]
        apart.append(pa - pb)
        a.page.wait_for_timeout(250)
    for name, values in (("a", errors_a), ("b", errors_b), ("a-b", apart)):
        assert abs(statistics.median(values)) < SYNC_TOLERANCE_S, (name, values)


def test_two_instances_watch_the_same_moment_with_sound_and_moving_pixels(hall):
    host, guest, _, media_id = hall
    assert host.page.evaluate("window.__zalLive.debug().self.host") is True
    instances = [r.page.evaluate("window.__zalLive.debug().instance.id") for r in (host, guest)]
    assert instances[0] != instances[1]
    assert guest.stage()["posterOnScreen"] is True

    assert host.request("stage_media", {"media_id": media_id})["ok"]
    assert host.request("stage_play", {})["ok"]
    # the autoplay rule: the picture starts muted, one click brings the sound
    guest.page.get_by_role("button", name="Join with sound").click()
    guest.page.screenshot(path=str(REPO / "test-artifacts" / "stage-guest.png"))
    for r in (host, guest):
        r.wait(IN_SYNC, 0.15)
    _assert_together(host, guest)

    d = guest.stage()
    assert d["soundLocked"] is False and d["player"]["muted"] is False
    assert d["videoOnScreen"] is True  # the screen's material shows the video texture
    guest.wait("() => window.__zalStage.audio.level() > 0.01")  # the sine tone is heard
    # the sound comes from the stage: louder in the front row than in the back row
    front, back = guest.page.evaluate(SEATS_BY_DISTANCE)
    levels = [_level_in_seat(guest, seat) for seat in (front, back)]
    assert levels[0] > 1.5 * levels[1] > 0, levels
    # the picture moves: two frames of the video, half a second apart, differ
    changed = guest.page.evaluate("""async () => {
      const v = window.__zalStage.player.video;
      const c = document.createElement('canvas'); c.width = 64; c.height = 36;
      const ctx = c.getContext('2d');
      const grab = () => {
        ctx.drawImage(v, 0, 0, 64, 36); return ctx.getImageData(0, 0, 64, 36).data; };
      const a = grab(); await new Promise((r) => setTimeout(r, 500)); const b = grab();
      let diff = 0; for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
      return diff / a.length; }""")
    assert changed > 1.0
    assert guest.errors == [] and host.errors == []


def test_pause_seek_and_play_by_the_host_reach_every_instance(hall):
    host, guest, _, _ = hall
    paused = host.request("stage_pause", {})["stage"]
    for r in (host, guest):
        r.wait(
            "(p) => { const v = window.__zalStage.player.video;"
            " return v.paused && Math.abs(v.currentTime - p) < 0.1; }",
            paused["position"],
        )
    host.request("stage_seek", {"position": 15.0})
    for r in (host, guest):
        r.wait(
            "() => { const v = window.__zalStage.player.video;"
            " return v.paused && !v.seeking && Math.abs(v.currentTime - 15) < 0.1; }"
        )
    host.request("stage_play", {"position": 3.0})
    for r in (host, guest):
        r.wait(IN_SYNC, 0.15)
    _assert_together(host, guest)


def test_a_late_joiner_lands_at_the_right_moment(hall):
    host, guest, _, _ = hall
    host.request("stage_play", {"position": 10.0})
    # the guest leaves and comes back: a fresh page joins a show already playing
    guest.page.reload()
    guest.page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS, polling=200)
    state = guest.stage()["state"]
    assert state["playing"] is True and state["position"] == 10.0
    guest.page.get_by_role("button", name="Join with sound").click()
    for r in (host, guest):  # the host jumped to 10 s too
        r.wait(IN_SYNC, 0.15)
    _assert_together(host, guest)
    assert guest.errors == []


def test_stall_card_when_the_recording_stops_answering_then_the_closing_card(hall):
    host, guest, _, _ = hall
    guest.page.route("**/hls/**", lambda route: route.abort())
    # far ahead of what the guest has buffered: its picture must wait for the network
    host.request("stage_seek", {"position": 110.0})
    guest.wait("() => window.__zalStage.debug().card === 'resume'")
    guest.page.unroute("**/hls/**")
    host.request("stage_play", {"position": 5.0})
    guest.wait("() => window.__zalStage.debug().videoOnScreen")
    assert host.request("stage_end", {})["ok"]
    guest.wait("() => window.__zalStage.debug().card === 'closing'")
    assert guest.page.evaluate("window.__zalStage.player.video.paused") is True


def _upload_slides(server: ZalServer) -> str:
    """A two-page PDF (red, then blue) through the host's upload route; its id once ready."""
    pages = [Image.new("RGB", (320, 180), colour) for colour in ((200, 30, 30), (30, 30, 200))]
    pdf = io.BytesIO()
    pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:])
    request = urllib.request.Request(
        f"{server.url}/api/events/{EVENT}/media?kind=slides&title=Two%20pages",
        data=pdf.getvalue(),
        headers={
            "Content-Type": "application/pdf",
            "Authorization": f"Bearer {_host_token(server)}",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        media = json.load(response)
    deadline = time.monotonic() + 60
    while media["status"] == "processing" and time.monotonic() < deadline:
        time.sleep(0.3)
        with urllib.request.urlopen(f"{server.url}/api/media/{media['id']}", timeout=30) as r:
            media = json.load(r)
    assert media["status"] == "ready" and len(media["slides"]) == 2, media
    return media["id"]


CARD_CENTRE = """() => { const c = window.__zalStage.cards.canvas;
  return Array.from(c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data); }"""


def test_slides_show_on_the_screen_and_follow_the_host(hall):
    host, guest, server, _ = hall
    media_id = _upload_slides(server)
    assert host.request("stage_media", {"media_id": media_id})["ok"]
    guest.wait("() => window.__zalStage.debug().card === 'slide'")
    first = guest.stage()["slideUrl"]
    red = guest.page.evaluate(CARD_CENTRE)
    assert red[0] > 150 and red[2] < 80, red
    assert host.request("stage_slide", {"step": 1})["stage"]["slide"] == 1
    guest.wait(
        "(u) => { const d = window.__zalStage.debug();"
        " return d.card === 'slide' && d.slideUrl !== u; }",
        first,
    )
    guest.wait(
        "() => { const c = window.__zalStage.cards.canvas; const p = c.getContext('2d')"
        ".getImageData(c.width / 2, c.height / 2, 1, 1).data; return p[2] > 150 && p[0] < 80; }"
    )
    assert host.request("stage_media", {"media_id": None})["ok"]
    guest.wait("() => window.__zalStage.debug().posterOnScreen")
