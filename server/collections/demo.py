"""The demo museum's gallery, hung from the public-domain paintings in assets/art.

The same pipeline as an upload (``build_collection_in_worker``), with the frame
(name, rooms) of ``scenes/specs/gallery.toml``. The result is kept in the scene
cache under a hash of every input and of the code that builds it, so a restart
reuses it and an edit to a painting, the manifest or the builder rebuilds it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import shutil
import tomllib
from pathlib import Path

from aiohttp import web

from .. import keys
from .limits import CollectionLimits
from .record import record_gallery

log = logging.getLogger("zal.collections")

REPO = Path(__file__).resolve().parents[2]
DEMO_ART = REPO / "assets" / "art"
DEMO_FRAME = REPO / "scenes" / "specs" / "gallery.toml"
DEMO_VENUE = "gallery"


def _inputs(art: Path) -> dict[str, str]:
    return {p.name: str(p) for p in sorted(art.iterdir()) if p.suffix.lower() != ".md"}


def _cache_key(files: dict[str, str], frame_json: str) -> str:
    h = hashlib.sha256(frame_json.encode())
    code = [*sorted((REPO / "scenes").glob("*.py")), *sorted(Path(__file__).parent.glob("*.py"))]
    for path in [*code, *(Path(p) for p in files.values())]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def build_demo_in_worker(art_dir: str, frame_path: str, cache_dir: str) -> dict:
    """Worker entry: the demo gallery's files, built or found in the cache."""
    from scenes.gallery import GallerySpec

    from .build import build_collection_in_worker  # the builders load in the worker only

    with open(frame_path, "rb") as f:
        frame_json = GallerySpec.model_validate(tomllib.load(f)).model_dump_json()
    files = _inputs(Path(art_dir))
    final = Path(cache_dir) / "collections" / _cache_key(files, frame_json)
    done = final / "result.json"
    if done.exists():
        return json.loads(done.read_text(encoding="utf-8"))
    tmp = final.with_name(final.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    result = build_collection_in_worker(files, frame_json, str(tmp), CollectionLimits())
    moved = json.loads(json.dumps(result).replace(str(tmp), str(final)))
    (tmp / "result.json").write_text(json.dumps(moved), encoding="utf-8")
    try:
        os.rename(tmp, final)
    except OSError:  # another process made it first: theirs is as good
        shutil.rmtree(tmp, ignore_errors=True)
    return json.loads(done.read_text(encoding="utf-8"))


async def build_demo_gallery(app: web.Application, institution_id: str, thumbnail) -> bool:
    """Hang the demo paintings as venue ``gallery``; False (logged) if it failed."""
    settings = app[keys.SETTINGS]
    loop = asyncio.get_running_loop()
    try:
        result = await loop.run_in_executor(
            app[keys.BUILD_POOL],
            build_demo_in_worker,
            str(DEMO_ART),
            str(DEMO_FRAME),
            str(settings.scene_cache),
        )
    except Exception:
        log.exception("demo gallery not built")
        return False
    await record_gallery(
        app,
        result,
        institution_id=institution_id,
        thumbnail_sha=await thumbnail(app, DEMO_VENUE),
        builtin=True,
    )
    log.info("demo gallery hung", extra={"works": result["works"], "build_s": result["seconds"]})
    return True
