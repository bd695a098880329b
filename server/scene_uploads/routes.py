"""Scene uploads over HTTP (docs/uploads.md). Writes need an editor of the
institution (``server.auth.require_role``); admins pass everywhere. Another
institution's id, venue or job is answered exactly as an unknown one (404,
``server.auth.tenant.require_own``): a refusal does not tell that it exists.

- ``POST /api/institutions/{institution_id}/venues[?name=&venue=&units=&up=]``:
  the body is the file (raw, or one file in ``multipart/form-data``); refused
  before it is read when ``Content-Length`` is over the budget; ``202 {"job"}``
  at once. ``venue`` names an existing venue of the institution to add a version to.
- ``GET /api/jobs/{job_id}``: the job's stage, progress and outcome.
- ``GET /api/venues/{venue_id}/versions``: every version, newest first.
- ``POST /api/venues/{venue_id}/rollback`` ``{"version": n}``: make n current.
- ``PUT /api/venues/{venue_id}/layout`` ``{"spawn_points", "screen"}``: a new
  version with the editor's spawn points and screen rectangle.
"""

from __future__ import annotations

import contextlib

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import keys
from ..api.params import InvalidParameter, parse_query
from ..auth import require_role
from ..auth.tenant import require_own
from ..errors import ApiError, BadRequest, NotFound
from ..storage import institutions as institutions_repo
from ..storage import jobs as jobs_repo
from ..storage import venue_versions as versions_repo
from ..storage import venues as venues_repo
from ..uploads.receive import receive_parts, receive_to_file, refuse_if_declared_too_large
from .budgets import Units, Up
from .service import UploadRequest

routes = web.RouteTableDef()
EDITOR = {"editor"}


class UploadQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=200)
    venue: str | None = Field(default=None, max_length=64)
    units: Units = "auto"
    up: Up = "auto"
    # the language of the answer's messages: the portal sends it with every call
    lang: str | None = Field(default=None, max_length=16)


class RollbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)


class VenueTaken(ApiError):
    status = 409
    code = "venue_taken"


def _clean_name(name: str) -> str:
    return "".join(ch for ch in name if ch.isprintable()).strip()[:200]


async def _own_venue(request: web.Request, venue_id: str) -> dict:
    """The venue, after the guard for its institution; built-in venues are
    built from specs, not uploads."""
    row = await venues_repo.get(request.app[keys.DB_ENGINE], venue_id)
    unknown = NotFound(key="not_found.venue", params={"id": venue_id[:64]})
    if row is None:
        raise unknown
    await require_own(request, row["institution_id"], EDITOR, unknown)
    if row["builtin"]:
        raise VenueTaken(f"{venue_id} is a built-in venue; upload a new venue instead")
    return row


@routes.post("/api/institutions/{institution_id}/venues")
async def upload_scene(request: web.Request) -> web.Response:
    institution_id = request.match_info["institution_id"]
    unknown = NotFound(key="not_found.institution", params={"id": institution_id[:64]})
    principal = await require_own(request, institution_id, EDITOR, unknown)
    engine = request.app[keys.DB_ENGINE]
    if not await institutions_repo.exists(engine, institution_id):
        raise unknown  # only an admin gets here
    query = parse_query(UploadQuery, request)
    venue = await _own_venue(request, query.venue) if query.venue else None
    if venue is not None and venue["institution_id"] != institution_id:  # an admin's mix-up
        raise NotFound(key="not_found.venue", params={"id": venue["id"]})
    uploads = request.app[keys.SCENE_UPLOADS]
    settings = request.app[keys.SETTINGS]
    limit = uploads.budgets.max_bytes
    refuse_if_declared_too_large(request, limit)
    if request.content_type == "multipart/form-data":
        src = (await receive_parts(request, settings.uploads_dir, limit, 1))[0]
    else:
        src = await receive_to_file(request, settings.uploads_dir, limit)
    name = _clean_name(query.name) or (venue["name"] if venue else "Uploaded venue")
    try:
        job = await uploads.submit(
            UploadRequest(institution_id, venue, name, query.units, query.up, principal.token_id),
            src,
        )
    except BaseException:
        with contextlib.suppress(OSError):
            src.unlink()
        raise
    return web.json_response(
        {"job": job_view(job)},
        status=202,
        headers={"Location": f"/api/jobs/{job['id']}", "Cache-Control": "no-store"},
    )


def job_view(row: dict) -> dict:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "institution_id": row["institution_id"],
        "status": row["status"],
        "stage": row["stage"],
        "progress": row["progress"],
        "error": {"code": row["error"], "message": row["message"]} if row["error"] else None,
        "result": row["result"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


@routes.get("/api/jobs/{job_id}")
async def get_job(request: web.Request) -> web.Response:
    row = await jobs_repo.get(request.app[keys.DB_ENGINE], request.match_info["job_id"][:40])
    unknown = NotFound("no such job")
    if row is None:
        raise unknown
    await require_own(request, row["institution_id"], EDITOR, unknown)
    return web.json_response({"job": job_view(row)}, headers={"Cache-Control": "no-store"})


def version_view(row: dict) -> dict:
    light = row["light_glb_sha256"]
    return {
        "number": row["number"],
        "current": row["current"],
        "note": row["note"],
        "triangles": row["triangles"],
        "scene_url": f"/scenes/{row['glb_sha256']}.glb",
        "light_scene_url": f"/scenes/{light}.glb" if light else None,
        "manifest_url": f"/scenes/{row['manifest_sha256']}.json",
        "created_at": row["created_at"].isoformat(),
    }


@routes.get("/api/venues/{venue_id}/versions")
async def list_versions(request: web.Request) -> web.Response:
    venue = await _own_venue(request, request.match_info["venue_id"])
    rows = await versions_repo.list_versions(request.app[keys.DB_ENGINE], venue["id"])
    return web.json_response(
        {"versions": [version_view(r) for r in rows]}, headers={"Cache-Control": "no-store"}
    )


async def _body(request: web.Request, model: type[BaseModel]):
    try:
        return model.model_validate_json(await request.read())
    except ValidationError as exc:
        errors = exc.errors()
        where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
        detail = str(errors[0]["msg"]) if errors else "invalid"
        raise InvalidParameter(f"{where}: {detail}" if where else detail) from None


@routes.post("/api/venues/{venue_id}/rollback")
async def roll_back(request: web.Request) -> web.Response:
    venue = await _own_venue(request, request.match_info["venue_id"])
    body = await _body(request, RollbackBody)
    row = await versions_repo.roll_back(request.app[keys.DB_ENGINE], venue["id"], body.version)
    if row is None:
        raise NotFound(f"{venue['id']} has no version {body.version}")
    return web.json_response({"version": version_view(row)})


@routes.put("/api/venues/{venue_id}/layout")
async def set_layout(request: web.Request) -> web.Response:
    from .layout import LayoutEdit, edited_manifest

    venue = await _own_venue(request, request.match_info["venue_id"])
    edit = await _body(request, LayoutEdit)
    engine = request.app[keys.DB_ENGINE]
    current = await versions_repo.current(engine, venue["id"])
    if current is None:
        raise BadRequest("this venue has no uploaded version to edit")
    blobs = request.app[keys.BLOBS]
    manifest = await edited_manifest(blobs, current["manifest_sha256"], edit)
    row = await versions_repo.add_version(
        engine,
        venue,
        {
            **{k: current[k] for k in ("glb_sha256", "light_glb_sha256", "source_sha256")},
            "manifest_sha256": manifest,
            "note": "layout edit",
            "triangles": current["triangles"],
            "created_by": (await require_role(request, venue["institution_id"], EDITOR)).token_id,
        },
        new_venue=False,
    )
    return web.json_response({"version": version_view(row)})
