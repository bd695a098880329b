"""Tours (issue 11, docs/tours.md): a gallery's excursions with their audio guides.

Public:
- ``GET /api/venues/{id}/tours[?lang=]`` -> ``{"tours": [...]}``: the venue's
  tours; a gallery with none of its own lists its default tour (``default: true``);
- ``GET /api/venues/{id}/tours/default[?lang=]`` -> the default tour, made from
  the hanging each time it is asked for (so it follows a re-hung gallery);
- ``GET /api/tours/{id}[?lang=][&translations=1]`` -> a tour with its stops.

A stop's ``audio`` is the narration in the answer's language: the institution's
recording when it uploaded one, else espeak-ng's reading (server/tours). A
reading not made yet is asked for by the answer itself (``audio_pending``: read
the tour again in a few seconds).

Editors of the venue's institution (401 / 403 from ``require_role``; another
institution's venue or tour is a 404 like an unknown one, server/auth/tenant.py):
- ``POST /api/venues/{id}/tours`` -> 201 ``{"tour": ...}``;
- ``POST /api/venues/{id}/tours/default/copy`` -> 201: the default tour as a tour
  of one's own, to edit;
- ``PATCH /api/tours/{id}`` -> 200 (``stops``, when sent, is the whole new list);
- ``DELETE /api/tours/{id}`` -> 204;
- ``PUT /api/tours/{id}/stops/{stop}/audio/{lang}`` (an MP3, Ogg or M4A file as
  the body) -> 200: the recording replaces the reading; ``DELETE`` -> 204 puts
  the reading back.

Stops that do not fit the venue are a 422 naming the stop (server/tours/check.py).
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from pathlib import Path

from aiohttp import web

from .. import keys
from ..auth.tenant import require_own_row
from ..collections.audio import AUDIO_TYPES, sniff_audio
from ..errors import NotFound
from ..i18n import all_translations, fallback_chain, localize
from ..media.errors import NotMedia
from ..media.probe import probe
from ..storage import tours as tours_repo
from ..storage import venues as venues_repo
from ..tours.captions import webvtt
from ..tours.check import TourRefused, check_stops
from ..tours.default import default_tour
from ..tours.narrator import VTT_TYPE
from ..tours.speech import VOICES, clip_key
from .jsonbody import BodyTooLarge, parse_json
from .lang import mark_language, request_language
from .models import DetailQuery, ListQuery
from .params import parse_query
from .texts import TEXT_FIELDS, edited_text_columns, text_columns
from .tour_models import (
    Stop,
    StopAudio,
    StopInput,
    TourChange,
    TourCreate,
    TourDetail,
    TourList,
    TourSummary,
)
from .venues import json_model

routes = web.RouteTableDef()

EDITORS = {"editor"}
STOP_FIELDS = ("title", "narration")
MAX_TOUR_JSON = 512 * 1024  # fifty stops, each narrated in three languages
MAX_RECORDING_BYTES = 20 * 1024 * 1024
MAX_RECORDING_S = 15 * 60.0
DEFAULT = "default"


def tour_url(tour: dict) -> str:
    if tour["id"] == DEFAULT:
        return f"/api/venues/{tour['venue_id']}/tours/default"
    return f"/api/tours/{tour['id']}"


def _summary_fields(tour: dict, institution_id: str, lang: str) -> dict:
    return dict(
        id=tour["id"],
        venue_id=tour["venue_id"],
        institution_id=institution_id,
        default=tour["id"] == DEFAULT,
        **localize(tour, TEXT_FIELDS, lang),
        stop_count=tour["stop_count"],
        seconds=tour["seconds"],
        url=tour_url(tour),
    )


def _stop_texts(stop: dict, lang: str) -> dict:
    """``title``/``narration`` (+ ``_lang``) in ``lang`` or the nearest language."""
    texts = stop["texts"] or {}
    out: dict = {}
    for field in STOP_FIELDS:
        out[field], out[f"{field}_lang"] = "", lang
        for candidate in fallback_chain(lang, lang):
            if (texts.get(candidate) or {}).get(field):
                out[field], out[f"{field}_lang"] = texts[candidate][field], candidate
                break
    return out


def _recorded(recording: dict, lang: str) -> StopAudio:
    return StopAudio(
        url=f"/media/{recording['audio_sha256']}.{recording['ext']}",
        captions_url=f"/media/{recording['captions_sha256']}.vtt",
        duration_s=round(recording["duration_s"], 3),
        lang=lang,
        source="recording",
    )


async def _readings(request: web.Request, wanted: dict) -> dict:
    """The readings made of ``wanted`` (``{key: (lang, text)}``), by key; those not
    made yet are asked of the narrator (and left out)."""
    clips = await tours_repo.find_clips(
        request.app[keys.DB_ENGINE], [clip_key(*w) for w in wanted.values()]
    )
    narrator = request.app[keys.NARRATOR]
    found = {}
    for key, (text_lang, text) in wanted.items():
        clip = clips.get(clip_key(text_lang, text))
        if clip is None:
            narrator.request(text_lang, text)
            continue
        found[key] = StopAudio(
            url=f"/media/{clip['audio_sha256']}.ogg",
            captions_url=f"/media/{clip['captions_sha256']}.vtt",
            duration_s=round(clip["duration_s"], 3),
            lang=text_lang,
            source="speech",
        )
    return found


async def _audio(request: web.Request, tour: dict, lang: str) -> dict[str, StopAudio]:
    """Each stop's audio in its narration's language, by stop id; readings not
    made yet are asked of the narrator (and left out)."""
    wanted: dict[str, tuple[str, str]] = {}  # stop id -> (lang, text) of a reading
    found: dict[str, StopAudio] = {}
    for stop in tour["stops"]:
        texts = _stop_texts(stop, lang)
        text, text_lang = texts["narration"], texts["narration_lang"]
        recording = tour["recordings"].get((stop["stop_id"], text_lang or lang))
        if recording is not None:
            found[stop["stop_id"]] = _recorded(recording, text_lang)
        elif text and text_lang in VOICES:
            wanted[stop["stop_id"]] = (text_lang, text)
    return found | await _readings(request, wanted)


async def _audio_by_language(request: web.Request, tour: dict) -> dict[str, dict]:
    """For editors: each stop's audio in every language it has a narration or a
    recording in, ``{stop id: {lang: StopAudio | None}}`` (None: no reading yet)."""
    out: dict[str, dict[str, StopAudio | None]] = {}
    wanted: dict[tuple[str, str], tuple[str, str]] = {}  # (stop id, lang) -> (lang, text)
    for stop in tour["stops"]:
        langs: dict[str, StopAudio | None] = {}
        out[stop["stop_id"]] = langs
        for text_lang, texts in sorted((stop["texts"] or {}).items()):
            if texts.get("narration") and text_lang in VOICES:
                langs[text_lang] = None
                wanted[(stop["stop_id"], text_lang)] = (text_lang, texts["narration"])
    for (stop_id, text_lang), recording in sorted(tour["recordings"].items()):
        if stop_id in out:
            out[stop_id][text_lang] = _recorded(recording, text_lang)
            wanted.pop((stop_id, text_lang), None)
    for (stop_id, text_lang), audio in (await _readings(request, wanted)).items():
        out[stop_id][text_lang] = audio
    return out


async def to_detail(
    request: web.Request, tour: dict, institution_id: str, lang: str, translations: bool
) -> TourDetail:
    audio = await _audio(request, tour, lang)
    # an editor's view of a stored tour; the default tour is not edited (a copy is)
    by_language: dict[str, dict] | None = None
    if translations and tour["id"] != DEFAULT:
        by_language = await _audio_by_language(request, tour)
    stops = []
    for number, stop in enumerate(tour["stops"], start=1):
        place = stop["place"]
        texts = _stop_texts(stop, lang)
        has_text = bool(texts["narration"]) and texts["narration_lang"] in VOICES
        has_text = has_text and request.app[keys.NARRATOR].available
        stops.append(
            Stop(
                number=number,
                id=stop["stop_id"],
                exhibit=stop["exhibit_id"],
                position=tuple(place["position"]),
                yaw=place["yaw"],
                pitch=place["pitch"],
                seconds=stop["seconds"],
                **texts,
                audio=audio.get(stop["stop_id"]),
                audio_pending=stop["stop_id"] not in audio and has_text,
                translations=(stop["texts"] or {}) if translations else None,
                audios=by_language[stop["stop_id"]] if by_language is not None else None,
            )
        )
    return TourDetail(
        **_summary_fields(tour, institution_id, lang),
        stops=stops,
        translations=all_translations(tour, TEXT_FIELDS) if translations else None,
    )


async def _venue(request: web.Request) -> dict:
    venue_id = request.match_info["venue_id"]
    row = await venues_repo.get(request.app[keys.DB_ENGINE], venue_id)
    if row is None:
        raise _unknown_venue(request)
    return row


def _unknown_venue(request: web.Request) -> NotFound:
    return NotFound(key="not_found.venue", params={"id": request.match_info["venue_id"]})


async def _metadata(request: web.Request, venue: dict):
    return await request.app[keys.METADATA_CACHE].get(request.app, venue["manifest_sha256"])


async def _default(request: web.Request, venue: dict) -> dict | None:
    tour = default_tour(await _metadata(request, venue), venue["id"])
    return tour if tour["stops"] else None


@routes.get("/api/venues/{venue_id}/tours")
async def list_tours(request: web.Request) -> web.Response:
    lang = request_language(request, parse_query(ListQuery, request).lang)
    venue = await _venue(request)
    rows = await tours_repo.list_for_venue(request.app[keys.DB_ENGINE], venue["id"])
    if not rows:
        default = await _default(request, venue)
        rows = [default] if default else []
    body = TourList(
        tours=[TourSummary(**_summary_fields(r, venue["institution_id"], lang)) for r in rows]
    )
    return mark_language(json_model(body), lang)


@routes.get("/api/venues/{venue_id}/tours/default")
async def get_default_tour(request: web.Request) -> web.Response:
    query = parse_query(DetailQuery, request)
    lang = request_language(request, query.lang)
    venue = await _venue(request)
    tour = await _default(request, venue)
    if tour is None:
        raise NotFound(key="not_found.default_tour", params={"id": venue["id"]})
    detail = await to_detail(request, tour, venue["institution_id"], lang, query.translations)
    return mark_language(json_model(detail), lang)


def _unknown_tour(request: web.Request) -> NotFound:
    return NotFound(key="not_found.tour", params={"id": request.match_info["tour_id"]})


async def _tour(request: web.Request) -> dict:
    tour = await tours_repo.get(request.app[keys.DB_ENGINE], request.match_info["tour_id"])
    if tour is None:
        raise _unknown_tour(request)
    return tour


@routes.get("/api/tours/{tour_id}")
async def get_tour(request: web.Request) -> web.Response:
    query = parse_query(DetailQuery, request)
    lang = request_language(request, query.lang)
    tour = await _tour(request)
    detail = await to_detail(request, tour, tour["institution_id"], lang, query.translations)
    return mark_language(json_model(detail), lang)


async def _stops(request: web.Request, venue: dict, stops: list[StopInput]) -> list[dict]:
    """The stops as storage keeps them, once each fits the venue."""
    check_stops(await _metadata(request, venue), stops)
    out = []
    seen: set[str] = set()
    for number, stop in enumerate(stops, start=1):
        stop_id = stop.id or "s" + secrets.token_hex(5)
        if stop_id in seen:
            raise TourRefused(key="invalid_tour.stop_twice", params={"stop": number, "id": stop_id})
        seen.add(stop_id)
        out.append(
            {
                "stop_id": stop_id,
                "exhibit_id": stop.exhibit,
                "place": {"position": list(stop.position), "yaw": stop.yaw, "pitch": stop.pitch},
                "seconds": stop.seconds,
                "texts": stop.texts(),
            }
        )
    return out


def _narrate_all(request: web.Request, stops: list[dict]) -> None:
    """Ask for every language's reading of a saved tour (made in the background)."""
    narrator = request.app[keys.NARRATOR]
    for stop in stops:
        for lang, texts in (stop["texts"] or {}).items():
            if texts.get("narration") and lang in VOICES:
                narrator.request(lang, texts["narration"])


async def _recaption(request: web.Request, tour_id: str) -> None:
    """Recordings' captions follow their stop's text after an edit."""
    engine = request.app[keys.DB_ENGINE]
    tour = await tours_repo.get(engine, tour_id)
    assert tour is not None
    texts = {s["stop_id"]: s["texts"] or {} for s in tour["stops"]}
    for (stop_id, lang), rec in tour["recordings"].items():
        text = (texts.get(stop_id, {}).get(lang) or {}).get("narration", "")
        captions = await _captions(request, text, rec["duration_s"])
        if captions != rec["captions_sha256"]:
            await tours_repo.set_recording(
                engine, tour_id, stop_id, lang,
                audio_sha256=rec["audio_sha256"], ext=rec["ext"],
                captions_sha256=captions, duration_s=rec["duration_s"],
            )  # fmt: skip


async def _captions(request: web.Request, text: str, duration_s: float) -> str:
    vtt = webvtt(text, duration_s) if text else "WEBVTT\n"
    return await request.app[keys.BLOBS].add_bytes(vtt.encode(), VTT_TYPE, compress=False)


async def _answer(request: web.Request, tour_id: str, status: int = 200) -> web.Response:
    lang = request_language(request, request.query.get("lang"))
    tour = await tours_repo.get(request.app[keys.DB_ENGINE], tour_id)
    assert tour is not None
    detail = await to_detail(request, tour, tour["institution_id"], lang, translations=True)
    response = web.json_response({"tour": detail.model_dump(mode="json")}, status=status)
    response.headers["Cache-Control"] = "no-store"
    return mark_language(response, lang)


async def _owned_venue(request: web.Request) -> dict:
    venue = await venues_repo.get(request.app[keys.DB_ENGINE], request.match_info["venue_id"])
    return await require_own_row(request, venue, EDITORS, _unknown_venue(request))


async def _save_new(request: web.Request, venue: dict, texts: dict, stops: list[dict]):
    tour_id = "tour-" + secrets.token_hex(6)
    await tours_repo.add(
        request.app[keys.DB_ENGINE], id=tour_id, venue_id=venue["id"], stops=stops, **texts
    )
    _narrate_all(request, stops)
    return await _answer(request, tour_id, 201)


@routes.post("/api/venues/{venue_id}/tours")
async def create_tour(request: web.Request) -> web.Response:
    venue = await _owned_venue(request)
    body = await parse_json(TourCreate, request, MAX_TOUR_JSON)
    stops = await _stops(request, venue, body.stops)
    texts = text_columns(body.lang, body.title, body.description)
    return await _save_new(request, venue, texts, stops)


@routes.post("/api/venues/{venue_id}/tours/default/copy")
async def copy_default_tour(request: web.Request) -> web.Response:
    venue = await _owned_venue(request)
    tour = await _default(request, venue)
    if tour is None:
        raise NotFound(key="not_found.default_tour", params={"id": venue["id"]})
    texts = {k: tour[k] for k in ("lang", "title", "description", "translations")}
    return await _save_new(request, venue, texts, tour["stops"])


async def _owned_tour(request: web.Request) -> dict:
    tour = await tours_repo.get(request.app[keys.DB_ENGINE], request.match_info["tour_id"])
    return await require_own_row(request, tour, EDITORS, _unknown_tour(request))


@routes.patch("/api/tours/{tour_id}")
async def edit_tour(request: web.Request) -> web.Response:
    tour = await _owned_tour(request)
    change = await parse_json(TourChange, request, MAX_TOUR_JSON)
    texts = edited_text_columns(tour, change, "tour")
    stops = None
    if change.stops is not None:
        venue = await venues_repo.get(request.app[keys.DB_ENGINE], tour["venue_id"])
        assert venue is not None
        stops = await _stops(request, venue, change.stops)
    await tours_repo.update(request.app[keys.DB_ENGINE], tour["id"], stops=stops, **texts)
    if stops is not None:
        _narrate_all(request, stops)
        await _recaption(request, tour["id"])
    return await _answer(request, tour["id"])


@routes.delete("/api/tours/{tour_id}")
async def delete_tour(request: web.Request) -> web.Response:
    tour = await _owned_tour(request)
    await tours_repo.delete(request.app[keys.DB_ENGINE], tour["id"])
    return web.Response(status=204)


def _stop_of(request: web.Request, tour: dict) -> dict:
    stop_id, lang = request.match_info["stop_id"], request.match_info["lang"]
    stop = next((s for s in tour["stops"] if s["stop_id"] == stop_id), None)
    if stop is None or lang not in VOICES:
        raise NotFound(key="not_found.tour_stop", params={"stop": f"{stop_id}/{lang}"})
    return stop


async def _receive(request: web.Request, folder: Path) -> Path:
    if request.content_length is not None and request.content_length > MAX_RECORDING_BYTES:
        raise BodyTooLarge(f"the recording is over {MAX_RECORDING_BYTES // 2**20} MiB")
    path = folder / "recording"
    size = 0
    with path.open("wb") as f:  # small chunks; the disk write is quick next to the network
        async for chunk in request.content.iter_chunked(256 * 1024):
            size += len(chunk)
            if size > MAX_RECORDING_BYTES:
                raise BodyTooLarge(f"the recording is over {MAX_RECORDING_BYTES // 2**20} MiB")
            await asyncio.to_thread(f.write, chunk)
    return path


@routes.put("/api/tours/{tour_id}/stops/{stop_id}/audio/{lang}")
async def upload_recording(request: web.Request) -> web.Response:
    tour = await _owned_tour(request)
    stop = _stop_of(request, tour)
    lang = request.match_info["lang"]
    settings = request.app[keys.SETTINGS]
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.uploads_dir, prefix="recording-") as tmp:
        path = await _receive(request, Path(tmp))
        head = await asyncio.to_thread(lambda: path.open("rb").read(16))
        ext = sniff_audio(head) if head else None
        if ext is None:
            raise NotMedia(key="invalid_tour.audio")
        found = await probe(
            path,
            max_duration_s=MAX_RECORDING_S,
            timeout_s=30.0,
            memory_bytes=settings.media_job_memory_bytes,
        )
        if found.has_video or not found.has_audio:
            raise NotMedia(key="invalid_tour.audio")
        audio = await request.app[keys.BLOBS].add_file(path, AUDIO_TYPES[ext], compress=False)
    text = ((stop["texts"] or {}).get(lang) or {}).get("narration", "")
    captions = await _captions(request, text, found.duration_s)
    await tours_repo.set_recording(
        request.app[keys.DB_ENGINE], tour["id"], stop["stop_id"], lang,
        audio_sha256=audio, ext=ext, captions_sha256=captions, duration_s=found.duration_s,
    )  # fmt: skip
    return await _answer(request, tour["id"])


@routes.delete("/api/tours/{tour_id}/stops/{stop_id}/audio/{lang}")
async def remove_recording(request: web.Request) -> web.Response:
    tour = await _owned_tour(request)
    stop = _stop_of(request, tour)
    engine = request.app[keys.DB_ENGINE]
    await tours_repo.remove_recording(
        engine, tour["id"], stop["stop_id"], request.match_info["lang"]
    )
    return web.Response(status=204)
