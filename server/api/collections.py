"""Collection uploads (docs/uploads.md#collections).

- ``POST /api/institutions/{id}/collections?name=...[&venue=...][&lang=en]``
  (editor of ``id``, bearer token or session; another institution's id is a 404
  like an unknown one): a ``multipart/form-data`` body
  with the images, the manifest (CSV or JSON) and any audio guides. Answers
  ``202 {"job": {...}}`` at once; the gallery is built in the build pool.
- ``GET /api/collection-jobs/{job_id}`` (editor of the job's institution; for
  another institution's job the same 404 as for an unknown id): the job's
  ``status`` (queued, processing, done, failed), its ``error`` (code and a
  message naming each bad row and file) or its ``venue_url``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from aiohttp import web

from .. import keys
from ..auth.tenant import require_own
from ..errors import ApiError, BadRequest, NotFound
from ..storage import institutions as institutions_repo
from ..storage import venues as venues_repo
from ..uploads.receive import receive_named_parts
from .lang import mark_language, request_language

routes = web.RouteTableDef()

EDITOR = {"editor"}
VENUE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
FILE_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")


class VenueTaken(ApiError):
    status = 409
    code = "venue_taken"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63]


def _frame(request: web.Request) -> dict:
    """The gallery's frame (scenes.gallery.GallerySpec's fields, without rooms): plain
    data, validated by the worker that builds it (the web process never loads the
    scene builders, tests/server/test_imports.py)."""
    name = request.query.get("name", "").strip()
    if not 1 <= len(name) <= 120:
        raise BadRequest("give the gallery a name: ?name=... (1 to 120 characters)")
    venue_id = request.query.get("venue") or _slug(name)
    if not VENUE_ID.fullmatch(venue_id):
        raise BadRequest(
            f"venue id {venue_id!r}: lowercase letters, digits and '-', at most 63 characters"
        )
    lang = request.query.get("lang", "en")
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        raise BadRequest(f"lang {lang!r} is not a language code such as en, ru or tt")
    return {"kind": "gallery", "id": venue_id, "name": name, "lang": lang, "rooms": []}


async def _check_venue_id(request: web.Request, venue_id: str, institution_id: str) -> None:
    row = await venues_repo.get(request.app[keys.DB_ENGINE], venue_id)
    # a collection replaces only a gallery it made itself: never another institution's
    # venue, a built-in one, or an uploaded scene (whose versions it would bypass)
    if row is not None and (
        row["institution_id"] != institution_id
        or row["builtin"]
        or row["kind"] != "gallery"
        or row.get("light_glb_sha256")
    ):
        raise VenueTaken(f"venue id {venue_id!r} is taken; choose another with ?venue=...")


@routes.post("/api/institutions/{institution_id}/collections")
async def upload_collection(request: web.Request) -> web.Response:
    institution_id = request.match_info["institution_id"]
    unknown = NotFound(key="not_found.institution", params={"id": institution_id[:64]})
    await require_own(request, institution_id, EDITOR, unknown)
    if not await institutions_repo.exists(request.app[keys.DB_ENGINE], institution_id):
        raise unknown  # only an admin gets here
    frame = _frame(request)
    await _check_venue_id(request, frame["id"], institution_id)
    jobs = request.app[keys.COLLECTION_JOBS]
    uploads = request.app[keys.SETTINGS].uploads_dir
    uploads.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="collection-", dir=uploads))
    try:
        parts = await receive_named_parts(
            request, folder, jobs.limits.max_upload_bytes, jobs.limits.max_files
        )
        files: dict[str, str] = {}
        for path, sent in parts:
            # a folder upload sends "folder/a.jpg": the name is what the manifest matches
            name = re.split(r"[\\/]", sent)[-1]
            if not FILE_NAME.fullmatch(name):
                raise BadRequest(f"file name {name[:80]!r} is not a plain file name")
            if name in files:
                raise BadRequest(f"two files are named {name!r}")
            files[name] = str(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job = jobs.submit(institution_id, frame["id"], json.dumps(frame), files, folder)
    return web.json_response(
        {"job": job.as_json()},
        status=202,
        headers={"Location": f"/api/collection-jobs/{job.id}", "Cache-Control": "no-store"},
    )


@routes.get("/api/collection-jobs/{job_id}")
async def get_job(request: web.Request) -> web.Response:
    job = request.app[keys.COLLECTION_JOBS].get(request.match_info["job_id"])
    unknown = NotFound("no such job (finished jobs are kept for an hour)")
    if job is None:
        raise unknown
    await require_own(request, job.institution_id, EDITOR, unknown)
    lang = request_language(request, request.query.get("lang"))
    body = {"job": job.as_json(lang)}
    return mark_language(web.json_response(body, headers={"Cache-Control": "no-store"}), lang)
