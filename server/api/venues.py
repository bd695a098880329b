"""``GET /api/venues`` and ``GET /api/venues/{venue_id}``."""

from __future__ import annotations

from aiohttp import web

from .. import keys
from ..errors import NotFound
from ..storage import venues as venues_repo
from .httputil import send_rendered
from .models import InstitutionRef, VenueDetail, VenueList, VenueSummary

routes = web.RouteTableDef()


def summary(row: dict) -> VenueSummary:
    thumb = row["thumbnail_sha256"]
    return VenueSummary(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        institution=InstitutionRef(
            id=row["institution_id"], name=row["institution_name"], kind=row["institution_kind"]
        ),
        seat_count=row["seat_count"],
        scene_url=f"/scenes/{row['glb_sha256']}.glb",
        manifest_url=f"/scenes/{row['manifest_sha256']}.json",
        thumbnail_url=f"/media/{thumb}.png" if thumb else None,
    )


def json_model(model, status: int = 200) -> web.Response:
    body = model.model_dump_json().encode()
    response = web.Response(
        body=body, status=status, content_type="application/json", charset="utf-8"
    )
    response.headers["Cache-Control"] = "no-cache"
    if len(body) > 1024:
        # venue metadata runs to hundreds of KiB; aiohttp compresses large bodies
        # off the event loop and only when the client accepts it
        response.enable_compression()
    return response


@routes.get("/api/venues")
async def list_venues(request: web.Request) -> web.Response:
    rows = await venues_repo.list_all(request.app[keys.DB_ENGINE])
    return json_model(VenueList(venues=[summary(r) for r in rows]))


@routes.get("/api/venues/{venue_id}")
async def get_venue(request: web.Request) -> web.Response:
    venue_id = request.match_info["venue_id"]
    row = await venues_repo.get(request.app[keys.DB_ENGINE], venue_id)
    if row is None:
        raise NotFound(f"no venue {venue_id!r}")
    brief = summary(row)
    brief_json = brief.model_dump_json()

    async def render() -> bytes:
        cache = request.app[keys.METADATA_CACHE]
        metadata = await cache.get(request.app, row["manifest_sha256"])
        return VenueDetail(**brief.model_dump(), metadata=metadata).model_dump_json().encode()

    # the summary names the manifest by hash, so it keys the whole answer; a crowd
    # arriving for a concert then costs one render and one gzip, not one each
    rendered = await request.app[keys.RENDERED_BODIES].get(brief_json, render)
    return send_rendered(request, rendered)
