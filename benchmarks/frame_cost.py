"""What one frame of a hall costs when the CPU draws it (no usable GPU).

    .venv/bin/python -m benchmarks.frame_cost [--frames 5] [--out docs/benchmarks-frames.md]

The real venue page in headless Chromium (SwiftShader, as on a machine without a GPU
and in the browser tests), 960 x 540 CSS pixels, at the spawn point each hall greets
a visitor with. For each hall and pixel ratio, the median time of ``--frames`` draws
(each finished by a one-pixel read, so the time is the draw's, not the queue's):

- ``page``: the page's own renderer, as it is made on a software rasteriser
  (web_client/src/venue/gpu.js: no MSAA);
- ``msaa``: a second renderer of the same scene and camera made with
  ``antialias: true``, the page's setting on a GPU, for the comparison.

The idle columns are what a still page costs. The view draws a still hall every
500 ms, or, where a frame is slow, so seldom that it keeps at most 15 % of the
machine busy (at least every 2.5 s; web_client/src/venue/view.js): the share of
one core a still page takes at the old fixed 500 ms and at the adaptive interval.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.screenshots import CHROMIUM, CHROMIUM_ARGS, demo_server

log = logging.getLogger("frame_cost")
ROOT = Path(__file__).resolve().parents[1]
VENUES = ("lecture-room", "chamber-hall", "gallery", "philharmonic")
RATIOS = (1.0, 0.5, 0.375)
VIEWPORT = {"width": 960, "height": 540}
READY_MS = 300_000
# web_client/src/venue/view.js: IDLE_FRAME_MS, IDLE_SHARE, IDLE_FRAME_MAX_MS
IDLE_FRAME_MS, IDLE_SHARE, IDLE_FRAME_MAX_MS = 500, 0.15, 2500


def idle_share(frame_ms: float, interval_ms: float) -> float:
    return frame_ms / (frame_ms + interval_ms)


def adaptive_interval(frame_ms: float) -> float:
    return min(IDLE_FRAME_MAX_MS, max(IDLE_FRAME_MS, frame_ms / IDLE_SHARE))

# the median of n draws at `ratio`, by the page's renderer and by an MSAA twin
MEASURE = """([ratio, n]) => {
  const v = window.__zalTest.view;
  v.stop();
  v.quality.pin(ratio);
  const twinCanvas = document.createElement('canvas');
  const twin = new v.renderer.constructor({ canvas: twinCanvas, antialias: true });
  twin.setPixelRatio(ratio);
  twin.setSize(innerWidth, innerHeight, false);
  twin.outputColorSpace = v.renderer.outputColorSpace;
  twin.toneMapping = v.renderer.toneMapping;
  twin.toneMappingExposure = v.renderer.toneMappingExposure;
  const px = new Uint8Array(4);
  const time = (renderer) => {
    const gl = renderer.getContext();
    const draw = () => {
      renderer.render(v.scene, v.camera);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    };
    draw(); // the first draw uploads and compiles
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      draw();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  const page = time(v.renderer);
  const msaa = time(twin);
  const pageMsaa = v.renderer.getContext().getContextAttributes().antialias;
  twin.dispose();
  twin.forceContextLoss();
  return { page, msaa, pageMsaa, software: v.softwareRendered };
}"""


def measure_venue(page, url: str, venue: str, frames: int) -> list[dict]:
    page.goto(f"{url}/venue/{venue}?test=1")
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=READY_MS)
    rows = []
    for ratio in RATIOS:
        result = page.evaluate(MEASURE, [ratio, frames])
        rows.append({"venue": venue, "ratio": ratio, **result})
        log.info("%s", rows[-1])
    return rows


def report(rows: list[dict], frames: int, load: tuple[float, float, float]) -> str:
    software = all(r["software"] and not r["pageMsaa"] for r in rows)
    lines = [
        "# Frame cost on a software rasteriser",
        "",
        "`.venv/bin/python -m benchmarks.frame_cost` (benchmarks/frame_cost.py): the venue",
        "page in headless Chromium (SwiftShader: the CPU draws every pixel), 960 x 540 CSS",
        f"pixels, median of {frames} draws each, at each hall's spawn point. Load average",
        f"at the start: {load[0]:.2f} (two cores).",
        "",
        f"The page saw a software rasteriser and made its renderer without MSAA: {software}.",
        "",
        "| hall | pixel ratio | page (no MSAA), ms | with MSAA, ms | MSAA costs "
        "| still page, every 500 ms | still page, adaptive |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        fixed = idle_share(r["page"], IDLE_FRAME_MS)
        adaptive = idle_share(r["page"], adaptive_interval(r["page"]))
        lines.append(
            f"| {r['venue']} | {r['ratio']:g} | {r['page']:.0f} | {r['msaa']:.0f} "
            f"| x{r['msaa'] / r['page']:.1f} | {fixed:.0%} | {adaptive:.0%} |"
        )
    lines += [
        "",
        "How to read it: a GPU draws these halls in a few milliseconds, so the figures",
        "matter for machines without one (old office PCs, virtual machines, a browser",
        "with its GPU blocklisted) and for the browser tests, which draw every frame on",
        "the CPU. There the page starts at pixel ratio 0.5 (the resolution governor's",
        "floor; it steps down to 0.35 when frames still take over 100 ms) and draws",
        "without MSAA, and a still hall is drawn less often the slower its frames",
        "(the last two columns).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-frames.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("ZAL_DEMO_MEDIA", "excerpt")
    load = os.getloadavg()
    rows: list[dict] = []
    with demo_server() as (url, _data), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=VIEWPORT, device_scale_factor=1).new_page()
        for venue in VENUES:
            rows += measure_venue(page, url, venue, args.frames)
        browser.close()
    args.out.write_text(report(rows, args.frames, load))
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
