"""``GET /api/venues[?lang=]`` and ``GET /api/venues/{venue_id}[?lang=][&translations=1]``."""

from __future__ import annotations

from aiohttp import web

from .. import keys
from ..errors import NotFound
from ..i18n import all_translations, fallback_chain
from ..storage import venues as venues_repo
from .httputil import send_rendered
from .lang import localized_name, mark_language, part, request_language
from .models import (
    DetailQuery,
    InstitutionRef,
    InstitutionWithTranslations,
    ListQuery,
    LocalizedMetadata,
    VenueDetail,
    VenueDetailWithTranslations,
    VenueList,
    VenueSummary,
)
from .params import parse_query

routes = web.RouteTableDef()


def summary(row: dict, lang: str) -> VenueSummary:
    thumb = row["thumbnail_sha256"]
    light = row.get("light_glb_sha256")
    name, name_lang = localized_name(row, lang)
    inst_name, inst_name_lang = localized_name(part(row, "institution"), lang)
    return VenueSummary(
        id=row["id"],
        name=name,
        name_lang=name_lang,
        kind=row["kind"],
        institution=InstitutionRef(
            id=row["institution_id"],
            name=inst_name,
            name_lang=inst_name_lang,
            kind=row["institution_kind"],
        ),
        seat_count=row["seat_count"],
        scene_url=f"/scenes/{row['glb_sha256']}.glb",
        light_scene_url=f"/scenes/{light}.glb" if light else None,
        manifest_url=f"/scenes/{row['manifest_sha256']}.json",
        thumbnail_url=f"/media/{thumb}.png" if thumb else None,
    )


def _pick(base: str, others: dict[str, str], base_lang: str, lang: str) -> tuple[str, str]:
    """(text, its language) from a metadata name and its ``names``/``titles``."""
    for candidate in fallback_chain(lang, base_lang):
        text = base if candidate == base_lang else others.get(candidate)
        if text:
            return text, candidate
    return base, base_lang


def localize_metadata(metadata, lang: str) -> LocalizedMetadata:
    data = metadata.model_dump()
    base = metadata.lang
    data["name"], data["name_lang"] = _pick(metadata.name, metadata.names, base, lang)
    for room in data["rooms"]:
        room["name"], room["name_lang"] = _pick(room["name"], room["names"], base, lang)
    for exhibit in data["exhibits"]:
        exhibit["title"], exhibit["title_lang"] = _pick(
            exhibit["title"], exhibit["titles"], base, lang
        )
        for field in ("description", "medium"):  # a card's texts, when it has them
            if exhibit[field]:
                exhibit[field], exhibit[f"{field}_lang"] = _pick(
                    exhibit[field], exhibit[f"{field}s"], base, lang
                )
    return LocalizedMetadata.model_validate(data)


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
    lang = request_language(request, parse_query(ListQuery, request).lang)
    rows = await venues_repo.list_all(request.app[keys.DB_ENGINE])
    return mark_language(json_model(VenueList(venues=[summary(r, lang) for r in rows])), lang)


@routes.get("/api/venues/{venue_id}")
async def get_venue(request: web.Request) -> web.Response:
    query = parse_query(DetailQuery, request)
    lang = request_language(request, query.lang)
    venue_id = request.match_info["venue_id"]
    row = await venues_repo.get(request.app[keys.DB_ENGINE], venue_id)
    if row is None:
        raise NotFound(key="not_found.venue", params={"id": venue_id})
    brief = summary(row, lang)
    extra: dict = {}
    if query.translations:
        institution = part(row, "institution")
        extra = dict(
            institution=InstitutionWithTranslations(
                **brief.institution.model_dump(),
                translations=all_translations(institution, ("name",)),
            ),
            translations=all_translations(row, ("name",)),
        )
    # the summary (with its translations) names the manifest by hash and is in
    # one language, so it keys the whole answer; a crowd arriving for a concert
    # then costs one render and one gzip per language, not one each
    key = f"{lang}\n{query.translations}\n{brief.model_dump_json()}\n{extra.get('translations')}"
    if extra:
        key += "\n" + extra["institution"].model_dump_json()

    async def render() -> bytes:
        cache = request.app[keys.METADATA_CACHE]
        metadata = localize_metadata(await cache.get(request.app, row["manifest_sha256"]), lang)
        fields = {**brief.model_dump(), "metadata": metadata, **extra}
        model = VenueDetailWithTranslations if extra else VenueDetail
        return model(**fields).model_dump_json().encode()

    rendered = await request.app[keys.RENDERED_BODIES].get(key, render)
    return mark_language(send_rendered(request, rendered), lang)
