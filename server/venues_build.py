"""Build the built-in venues in the build pool and record them as venues.

The event loop never touches trimesh: the worker loads the spec, builds it (or
finds it in the shared scene cache, ``scenes.cache``) and returns file paths.
The GLB and manifest then enter the blob store (gzip precompressed once) and the
venue row points at their hashes.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
from collections import OrderedDict
from pathlib import Path

from aiohttp import web

from . import keys
from .scene_uploads.compress import wire_copy
from .storage import venues as venues_repo

log = logging.getLogger("zal.venues")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def builtin_spec_paths() -> list[Path]:
    """The built-in spec files, found without importing ``scenes`` (trimesh)."""
    spec = importlib.util.find_spec("scenes")
    if spec is None or spec.origin is None:
        return []
    return sorted((Path(spec.origin).parent / "specs").glob("*.toml"))


def build_spec_in_worker(spec_path: str, cache_dir: str) -> tuple[str, str, bool, float]:
    """Worker entry: (glb path, manifest path, built, seconds) for one spec file."""
    from scenes.cache import build_cached_in_worker
    from scenes.catalog import load_spec, spec_json

    return build_cached_in_worker(spec_json(load_spec(spec_path)), cache_dir)


class MetadataCache:
    """Parsed ``VenueMetadata`` by manifest sha256; manifests never change."""

    def __init__(self, limit: int = 64):
        self.limit = limit
        self._items: OrderedDict[str, object] = OrderedDict()

    async def get(self, app: web.Application, sha: str):
        from scenes.metadata import VenueMetadata

        if sha in self._items:
            self._items.move_to_end(sha)
            return self._items[sha]
        text = await asyncio.to_thread(app[keys.BLOBS].path(sha).read_text, encoding="utf-8")
        parsed = VenueMetadata.model_validate_json(text)
        self._items[sha] = parsed
        if len(self._items) > self.limit:
            self._items.popitem(last=False)
        return parsed


async def thumbnail(app: web.Application, venue_id: str) -> str | None:
    path = app[keys.SETTINGS].assets_dir / "thumbnails" / f"{venue_id}.png"
    try:
        with path.open("rb") as f:
            if f.read(8) != PNG_MAGIC:
                log.warning("thumbnail is not a PNG, ignored", extra={"path": str(path)})
                return None
    except OSError:
        return None
    return await app[keys.BLOBS].add_file(path, "image/png", compress=False)


async def build_and_record(app: web.Application, spec_path: Path, institution_id: str) -> bool:
    """Build one built-in venue and upsert its row; False (logged) if it failed."""
    settings, blobs = app[keys.SETTINGS], app[keys.BLOBS]
    venue_id = spec_path.stem
    loop = asyncio.get_running_loop()
    try:
        glb, manifest, built, seconds = await loop.run_in_executor(
            app[keys.BUILD_POOL], build_spec_in_worker, str(spec_path), str(settings.scene_cache)
        )
    except ValueError as exc:  # SpecError: the spec breaks a theatre check
        log.error("venue spec refused: %s", exc, extra={"venue": venue_id})
        return False
    except Exception:
        log.exception("venue build failed", extra={"venue": venue_id})
        return False
    # served meshopt-compressed (server/scene_uploads/compress.py); the cache keeps both
    wire_glb = await wire_copy(Path(glb))
    glb_sha = await blobs.add_file(wire_glb, "model/gltf-binary", compress=True)
    manifest_sha = await blobs.add_file(Path(manifest), "application/json", compress=True)
    meta = json.loads(await asyncio.to_thread(Path(manifest).read_text, encoding="utf-8"))
    await venues_repo.upsert(
        app[keys.DB_ENGINE],
        id=venue_id,
        institution_id=institution_id,
        name=meta["name"],
        lang=meta.get("lang", "en"),
        translations={code: {"name": text} for code, text in meta.get("names", {}).items()},
        kind=meta["kind"],
        seat_count=len(meta.get("seats", [])),
        spec_hash=meta["spec_hash"],
        glb_sha256=glb_sha,
        manifest_sha256=manifest_sha,
        thumbnail_sha256=await thumbnail(app, venue_id),
        builtin=True,
    )
    log.info(
        "venue ready",
        extra={"venue": venue_id, "built": built, "build_s": round(seconds, 2), "glb": glb_sha},
    )
    return True


async def build_builtin_venues(app: web.Application, owners: dict[str, str]) -> list[str]:
    """Build every built-in spec whose id is in ``owners`` (venue id -> institution id)."""
    paths = [p for p in builtin_spec_paths() if p.stem in owners]
    missing = sorted(set(owners) - {p.stem for p in paths})
    if missing:
        log.warning("built-in specs missing", extra={"venues": ",".join(missing)})
    results = await asyncio.gather(*(build_and_record(app, p, owners[p.stem]) for p in paths))
    return [p.stem for p, ok in zip(paths, results, strict=True) if ok]
