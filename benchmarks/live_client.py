"""Client-side cost of the live audience in headless Chromium (no rendering counted).

Against a running server: ``.venv/bin/python -m benchmarks.live_client --url
http://127.0.0.1:8080``. Opens a venue page, adds 49 members with pose history to
its live client, then times (a) decoding a 50-record snapshot and (b) the live
client's per-frame work (pose sender, interpolation of 49 avatars, instance
matrices, reaction sprites), each averaged over 2,000 runs. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]

MEASURE = """async () => {
  const L = window.__zalLive;
  const snap = await import('/client/src/live/snapshot.js');
  const seats = L.view.metadata.seats;
  for (let i = 0; i < 49; i++) {
    L._addMember({id: 'f' + i, slot: 100 + i, name: 'Guest ' + (1000 + i), colour: '#3fa2f2',
                  seat: null, host: false}, false);
  }
  for (let k = 0; k < 20; k++) for (let i = 0; i < 49; i++) {
    const s = seats[i % seats.length];
    L.interp.push('f' + i, L.interp.renderTime() + 120 + k * 100 - 2000,
                  s.eye[0], s.eye[1] + k * 0.001, s.eye[2], 0, 0, 0, 1);
  }
  const n = 50, buf = new ArrayBuffer(12 + 21 * n), v = new DataView(buf);
  v.setUint8(0, 1); v.setUint16(8, n, true);
  for (let i = 0; i < n; i++) {
    const o = 12 + 21 * i; v.setUint16(o, 100 + i, true); v.setUint32(o + 16, 0xdff7fdff, true);
  }
  const scratch = snap.makeScratch();
  const visitor = { member() {} };
  let t = performance.now();
  for (let k = 0; k < 2000; k++) snap.decodeSnapshot(buf, visitor, scratch);
  const decode = (performance.now() - t) / 2000 * 1000;
  L.view.stop();
  t = performance.now();
  for (let k = 0; k < 2000; k++) L._frame();
  const frame = (performance.now() - t) / 2000 * 1000;
  return {decode_snapshot_50_us: decode, live_frame_49_avatars_us: frame};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--venue", default="chamber-hall")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 640, "height": 400})
        page.goto(f"{args.url}/venue/{args.venue}?test=1")
        page.wait_for_function("window.__zalLive && window.__zalLive.debug().joined",
                               timeout=180_000)
        sys.stdout.write(json.dumps(page.evaluate(MEASURE)) + "\n")
        browser.close()


if __name__ == "__main__":
    main()
