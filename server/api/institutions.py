"""Institutions as the portal sees them (docs/api.md#institutions).

- ``GET /api/institutions`` (signed in) -> ``{"institutions": [...]}``: every
  institution for an admin, one's own for an editor or host.
- ``GET /api/institutions/{id}`` (any role of ``id``, or admin; 404 for another
  institution's id, as for an unknown one) -> one, with
  ``venues``: ``[{"id", "builtin"}]`` (built-in venues are built from their
  specs: they have no uploaded versions).

Their venues' details and events are public (``/api/venues``, ``/api/events``),
each carrying ``institution.id``.
"""

from __future__ import annotations

from aiohttp import web

from .. import keys
from ..auth import Unauthorized, current_principal
from ..auth.tenant import require_own
from ..errors import NotFound
from ..storage import institutions as institutions_repo
from ..storage import venues as venues_repo
from .lang import localized_name, mark_language, request_language

routes = web.RouteTableDef()

ANY_ROLE = {"editor", "host"}


def _view(row: dict, lang: str) -> dict:
    name, name_lang = localized_name(row, lang)
    return {"id": row["id"], "name": name, "name_lang": name_lang, "kind": row["kind"]}


@routes.get("/api/institutions")
async def list_institutions(request: web.Request) -> web.Response:
    principal = await current_principal(request)
    if principal is None:
        raise Unauthorized(key="unauthorized.missing")
    lang = request_language(request, request.query.get("lang"))
    rows = await institutions_repo.list_all(request.app[keys.DB_ENGINE])
    if not principal.is_admin:
        rows = [r for r in rows if r["id"] == principal.institution_id]
    body = {"institutions": [_view(r, lang) for r in rows]}
    return mark_language(web.json_response(body, headers={"Cache-Control": "no-store"}), lang)


@routes.get("/api/institutions/{institution_id}")
async def get_institution(request: web.Request) -> web.Response:
    institution_id = request.match_info["institution_id"]
    # another institution's id is answered as an unknown one (no existence leak)
    unknown = NotFound(key="not_found.institution", params={"id": institution_id[:64]})
    await require_own(request, institution_id, ANY_ROLE, unknown)
    row = await institutions_repo.get(request.app[keys.DB_ENGINE], institution_id)
    if row is None:  # only an admin gets this far for an unknown id
        raise unknown
    lang = request_language(request, request.query.get("lang"))
    venues = await venues_repo.list_all(request.app[keys.DB_ENGINE])
    body = _view(row, lang)
    body["venues"] = [
        {"id": v["id"], "builtin": bool(v["builtin"])}
        for v in venues
        if v["institution_id"] == institution_id
    ]
    return mark_language(web.json_response(body, headers={"Cache-Control": "no-store"}), lang)
