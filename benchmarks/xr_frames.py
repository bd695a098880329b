"""Frame budget in VR: frame time and draw calls in an emulated Quest 3 session.

    .venv/bin/python -m benchmarks.xr_frames [--frames 60] [--out docs/benchmarks-xr.md]
    .venv/bin/python -m benchmarks.xr_frames --screenshot docs/images/xr-stereo.png

The real venue page in headless Chromium (SwiftShader: the CPU draws, so absolute
times say little about a headset; the ratios between cases are what to read), the
emulated headset (iwer, ``xr=emulate`` on a server with ZAL_XR_EMULATION), in the
chamber hall, standing at the back of the stalls looking at the stage:

- ``empty``: the hall alone (no event: the stage screen shows the venue's card);
- ``avatars``: plus 50 audience avatars in seats (added to the page's avatar layer,
  the same instanced meshes and name tags as real members; no network in the loop);
- ``video``: the live concert (the demo plays its recording on the stage screen);
- ``video+avatars``: both.

Each case: enter VR, let it settle, then average ``--frames`` frame intervals (the
animation loop's own clock) and read the draw calls of a frame (both eyes).

``--screenshot`` instead takes the picture of docs/headset.md: both eyes in the
lecture room, the left hand raised with its wrist panel, the right one throwing
the teleport arc at the floor.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from benchmarks.screenshots import CHROMIUM, CHROMIUM_ARGS, demo_server

log = logging.getLogger("xr_frames")
ROOT = Path(__file__).resolve().parents[1]
VENUE = "chamber-hall"
EVENT = "string-quartets"  # live in the demo programme: its recording plays on stage
VIEWPORT = {"width": 640, "height": 360}  # two eyes of 320 x 360
PICTURE = {"width": 960, "height": 540}
READY_MS = 300_000
AVATARS = 50

ADD_AVATARS = """(n) => {
  const live = window.__zalLive;
  const seats = window.__zalTest.view.seats.list;
  const Q = window.__zalTest.view.camera.quaternion.constructor;
  const q = new Q();
  for (let i = 0; i < n; i++) {
    const seat = seats[(i * 7) % seats.length];
    const id = 'bench-' + i;
    live.avatars.add(id, { name: 'Guest ' + (i + 1), color: null, host: false });
    live.avatars.setPose(id, seat.eye[0], seat.eye[1], seat.eye[2], q.x, q.y, q.z, q.w);
  }
  live.avatars.flush();
  return live.avatars.order.length;
}"""

MEASURE = """(frames) => new Promise((done) => {
  const view = window.__zalTest.view;
  const info = view.renderer.info.render;
  const times = [];
  const calls = [];
  let last = -1;
  const stop = view.onFrame((dt, time) => {
    if (last >= 0) { times.push(time - last); calls.push(info.calls); }
    last = time;
    if (times.length >= frames) { stop(); done({ times, calls }); }
  });
})"""


def enter_vr(page: Page) -> None:
    page.locator("#vr-button[data-state='ready']").click(timeout=READY_MS)
    page.wait_for_function("() => window.__zalXr.debug().presenting", timeout=READY_MS)


def measure_case(page: Page, url: str, name: str, frames: int) -> dict:
    event = name.startswith("video")
    query = f"?event={EVENT}&test=1&xr=emulate" if event else "?test=1&xr=emulate"
    page.goto(f"{url}/venue/{VENUE}{query}")
    page.wait_for_function("() => window.__zalXr && window.__zalLive?.debug().joined",
                           timeout=READY_MS, polling=500)
    if event:  # the show's video is on the screen and playing
        page.wait_for_function(
            "() => { const p = window.__zalStage?.debug().player;"
            " return !!p && !p.paused && p.currentTime > 0; }", timeout=READY_MS, polling=500)
    if name.endswith("avatars"):
        page.evaluate(ADD_AVATARS, AVATARS)
    enter_vr(page)
    page.evaluate(MEASURE, 10)  # settle: shaders, textures, the first video frames
    result = page.evaluate(MEASURE, frames)
    page.evaluate("window.__zalTest.view.renderer.xr.getSession().end()")
    times, calls = result["times"], result["calls"]
    return {
        "case": name,
        "frame_ms": statistics.mean(times),
        "p90_ms": sorted(times)[int(0.9 * (len(times) - 1))],
        "calls": statistics.median(calls),
    }


POSE_FOR_PICTURE = """() => {
  const d = window.__zalXrDevice;
  d.controllers.left.position.set(-0.1, 1.38, -0.32);
  d.controllers.left.quaternion.set(0, 0, 0, 1);
  d.controllers.right.position.set(0.2, 1.2, -0.3);
  d.controllers.right.quaternion.set(-0.2588, 0, 0, 0.9659);  // 30 degrees down
}"""


def take_screenshot(url: str, path: Path) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=PICTURE, device_scale_factor=1).new_page()
        page.goto(f"{url}/venue/lecture-room?event=river-lecture&test=1&xr=emulate")
        page.wait_for_function("() => window.__zalXr && window.__zalLive?.debug().joined",
                               timeout=READY_MS, polling=500)
        page.evaluate("window.__zalTest.view.quality.pin(1)")
        page.evaluate("window.__zalTest.view.goToSpawn(0)")  # the spawn point itself
        enter_vr(page)
        page.evaluate(POSE_FOR_PICTURE)
        page.wait_for_function(
            "() => window.__zalXr.debug().hands.some((h) => h.side === 'right' && h.landing)",
            timeout=READY_MS, polling=500)
        page.evaluate(MEASURE, 3)  # a few frames with the new poses drawn
        page.screenshot(path=str(path))
        browser.close()


def report(rows: list[dict], frames: int, load: tuple[float, float, float]) -> str:
    base = rows[0]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "# Frame budget in VR (emulated Quest 3)",
        "",
        "Measured by `.venv/bin/python -m benchmarks.xr_frames` (method in its docstring):",
        f"the chamber hall in an emulated headset session, {VIEWPORT['width']}x"
        f"{VIEWPORT['height']} (two eyes), headless Chromium with SwiftShader (CPU",
        f"rendering), {frames} frames a case, on {when}"
        f" (load average before the run {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}:",
        "a shared machine).",
        "Absolute times are a software renderer's; read the ratios to the empty hall.",
        "",
        "| case | frame (ms, mean) | p90 (ms) | draw calls (both eyes) | frame ratio"
        " | calls ratio |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['frame_ms']:.1f} | {r['p90_ms']:.1f} | {r['calls']:.0f} |"
            f" {r['frame_ms'] / base['frame_ms']:.2f} | {r['calls'] / base['calls']:.2f} |"
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-xr.md")
    parser.add_argument("--screenshot", type=Path, help="only take the stereo picture, to here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ["ZAL_XR_EMULATION"] = "1"
    os.environ.setdefault("ZAL_DEMO_MEDIA", "excerpt")
    if args.screenshot:
        with demo_server() as (url, _data):
            take_screenshot(url, args.screenshot)
        log.info("wrote %s", args.screenshot)
        return 0
    load = os.getloadavg()
    rows = []
    with demo_server() as (url, _data), sync_playwright() as pw:
        args_ = [*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"]
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args_)
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        page = context.new_page()
        for name in ("empty", "avatars", "video", "video+avatars"):
            row = measure_case(page, url, name, args.frames)
            log.info("%s", row)
            rows.append(row)
        browser.close()
    args.out.write_text(report(rows, args.frames, load))
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
