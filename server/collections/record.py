"""A built collection enters the blob store and becomes a venue row."""

from __future__ import annotations

import json
from pathlib import Path

from aiohttp import web

from .. import keys
from ..storage import venues as venues_repo


async def record_gallery(
    app: web.Application,
    result: dict,
    *,
    institution_id: str,
    thumbnail_sha: str | None = None,
    builtin: bool = False,
) -> str:
    """Store the worker's files (images and audio first, the venue last, so a
    venue row never points at a missing picture); returns the venue id."""
    blobs = app[keys.BLOBS]
    for path, content_type in result["media"]:
        await blobs.add_file(Path(path), content_type, compress=False)
    glb_sha = await blobs.add_file(Path(result["glb"]), "model/gltf-binary", compress=True)
    manifest_sha = await blobs.add_file(Path(result["manifest"]), "application/json", compress=True)
    meta = json.loads(Path(result["manifest"]).read_text(encoding="utf-8"))
    await venues_repo.upsert(
        app[keys.DB_ENGINE],
        id=meta["id"],
        institution_id=institution_id,
        name=meta["name"],
        lang=meta.get("lang", "en"),
        translations={code: {"name": text} for code, text in meta.get("names", {}).items()},
        kind=meta["kind"],
        seat_count=0,
        spec_hash=meta["spec_hash"],
        glb_sha256=glb_sha,
        manifest_sha256=manifest_sha,
        thumbnail_sha256=thumbnail_sha,
        builtin=builtin,
    )
    return str(meta["id"])
