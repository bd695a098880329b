"""Render a picture of every built-in venue in headless Chromium with three.js.

    .venv/bin/python -m benchmarks.render_venues [--out docs/images/venues] [VENUE...]

Each venue is built through the scene cache, loaded with three.js' GLTFLoader and
lit with the lights of its metadata (ACES tone mapping, sRGB output), as a client
would. Writes ``<out>/<id>.png`` (1280x720, the view of a visitor: from the back
of the stalls towards the stage, or from a gallery's entrance), for seated venues
also ``<out>/<id>-stage.png`` (from the stage towards the audience), for galleries
``<out>/<id>-plan.png`` (a cut-away from above), and a 480x270
lobby thumbnail ``assets/thumbnails/<id>.png``. The demo gallery is skipped: its
paintings come from a collection (server/collections), not its spec, so its
pictures are taken in the real client by ``benchmarks.screenshots --gallery``.
No HTTP server: Playwright answers the page's requests from disk.
"""

from __future__ import annotations

import argparse
import io
import logging
import mimetypes
from pathlib import Path

import numpy as np
from PIL import Image

from scenes.cache import build_cached, cache_dir_from_env
from scenes.catalog import builtin_spec_paths, load_spec
from scenes.metadata import VenueMetadata

log = logging.getLogger("render_venues")

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://render.zal"
PAGE = Path(__file__).with_name("render_venues.html")
VENDOR = ROOT / "web_client" / "node_modules"
WIDTH, HEIGHT = 1280, 720
THUMB = (480, 270)
EYE = 1.6  # standing eye height above a spawn point
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def views(meta: VenueMetadata) -> dict[str, dict]:
    """Camera views (suffix -> {position, target, fov, exhibits}) for a venue."""
    if meta.stage is None or not meta.seats:
        spawn = meta.spawn_points[0]
        pos = np.asarray(spawn.position) + (0, EYE, 0)
        facing = np.asarray(spawn.facing)
        target = pos + facing * 10 + (0, -0.25, 0)
        entrance = {
            "position": pos.tolist(),
            "target": target.tolist(),
            "fov": 70,
            "exhibits": True,
        }
        # a cut-away from above the south walls (ceilings are one-sided: invisible from above)
        lo, hi = np.asarray(meta.bounds_min), np.asarray(meta.bounds_max)
        span = float(hi[0] - lo[0])
        centre = (lo + hi) / 2
        plan = {
            "position": [float(centre[0]), max(10.0, span * 0.9), float(hi[2]) + span * 0.3],
            "target": [float(centre[0]), 0.0, float(centre[2])],
            "fov": 55,
            "exhibits": True,
        }
        return {"": entrance, "-plan": plan}

    stage = meta.stage
    front_mid = np.mean(np.asarray(stage.front_edge), axis=0)
    look = np.asarray(meta.screen.center) if meta.screen else np.asarray(stage.center) + (0, 2, 0)
    eyes = np.asarray([s.eye for s in meta.seats])
    # towards the audience, horizontally: from the stage front to the seats' centroid
    out = eyes.mean(axis=0) - front_mid
    out[1] = 0
    out /= np.linalg.norm(out)
    lateral = np.cross(out, (0, 1, 0))
    main_section = max(
        {s.section for s in meta.seats}, key=lambda sec: sum(s.section == sec for s in meta.seats)
    )
    stall_eyes = np.asarray([s.eye for s in meta.seats if s.section == main_section])
    depth = (stall_eyes - front_mid) @ out
    side = np.abs((stall_eyes - front_mid) @ lateral)
    # the back rows' most central seat, a little above a seated eye
    back = depth >= np.quantile(depth, 0.9)
    seat_eye = stall_eyes[back][np.argmin(side[back])]
    audience = {
        "position": (seat_eye + (0, 0.5, 0)).tolist(),
        "target": (look * 0.7 + np.asarray(stage.center) * 0.3).tolist(),
        "fov": 60,
        "exhibits": False,
    }
    stage_pos = np.asarray(stage.center) - out * (stage.depth * 0.2) + (0, EYE, 0)
    stage_view = {
        "position": stage_pos.tolist(),
        "target": (eyes.mean(axis=0) + (0, 1.5, 0)).tolist(),
        "fov": 75,
        "exhibits": False,
    }
    return {"": audience, "-stage": stage_view}


def _serve(files: dict[str, Path]):
    def handler(route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        path = path.split("?", 1)[0]
        target: Path | None = None
        if path in files:
            target = files[path]
        elif path.startswith("/vendor/three/"):
            candidate = (VENDOR / "three" / path.removeprefix("/vendor/three/")).resolve()
            # only files inside node_modules/three, whatever the path says
            if candidate.is_relative_to(VENDOR / "three") and candidate.is_file():
                target = candidate
        if target is None:
            route.fulfill(status=404, body="not found")
            return
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".js":
            ctype = "text/javascript"
        route.fulfill(status=200, body=target.read_bytes(), headers={"Content-Type": ctype})

    return handler


def render(
    venues: dict[str, tuple[Path, Path]], out_dir: Path, thumb_dir: Path | None
) -> list[Path]:
    from playwright.sync_api import sync_playwright

    files = {"/page.html": PAGE}
    for venue, (glb, manifest) in venues.items():
        files[f"/scenes/{venue}.glb"] = glb
        files[f"/scenes/{venue}.json"] = manifest
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route(f"{ORIGIN}/**", _serve(files))
        page.goto(f"{ORIGIN}/page.html")
        page.wait_for_function("window.rendererReady === true", timeout=30_000)
        for venue, (_, manifest) in venues.items():
            meta = VenueMetadata.model_validate_json(manifest.read_bytes())
            for suffix, view in views(meta).items():
                info = page.evaluate("([id, view]) => window.renderVenue(id, view)", [venue, view])
                png = page.screenshot(type="png")
                path = out_dir / f"{venue}{suffix}.png"
                _save_png(png, path)
                written.append(path)
                log.info("%s: %s (%s)", venue, path, info)
                if suffix == "" and thumb_dir is not None:
                    thumb_dir.mkdir(parents=True, exist_ok=True)
                    with Image.open(io.BytesIO(png)) as img:
                        small = img.convert("RGB").resize(THUMB, Image.LANCZOS)
                        small.save(thumb_dir / f"{venue}.png", optimize=True)
        browser.close()
    if errors:
        raise RuntimeError("page errors: " + "; ".join(errors))
    return written


def _save_png(png: bytes, path: Path) -> None:
    with Image.open(io.BytesIO(png)) as img:
        img.convert("RGB").save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("venues", nargs="*", help="venue ids (default: every built-in)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "venues")
    parser.add_argument("--thumbnails", type=Path, default=ROOT / "assets" / "thumbnails")
    parser.add_argument("--no-thumbnails", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    cache_dir = cache_dir_from_env(ROOT / "build" / "scenes" / ".cache")
    venues = {}
    for path in builtin_spec_paths():
        if args.venues and path.stem not in args.venues:
            continue
        if path.stem == "gallery":  # hung from assets/art: see benchmarks/gallery_shots.py
            continue
        result = build_cached(load_spec(path), cache_dir)
        venues[result.venue_id] = (result.glb_path, result.manifest_path)
    render(venues, args.out, None if args.no_thumbnails else args.thumbnails)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
