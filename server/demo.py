"""Demo data: three institutions, their built-in venues and a programme around now.

Idempotent by id: institutions and events are inserted only when missing, so the
demo appears exactly once however often the server restarts. On every demo start
the demo events are moved relative to the current time, so the lobby always has
something live and something next. Each demo event gets a host token; only its
sha256 is stored, the tokens are logged once and appended to
``<data_dir>/demo-host-tokens.txt`` (mode 0600) as ``event_id token link``, where
the link (whole: ``http://host:port/venue/...``) opens the venue page as the
event's host (``#host=<token>``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from . import keys
from .collections.demo import DEMO_VENUE, build_demo_gallery
from .demo_programme import (
    COURSES,
    EVENT_TRANSLATIONS,
    INSTITUTION_TRANSLATIONS,
    INSTITUTIONS,
    PROGRAMME,
    VENUE_OWNERS,
    DemoCourse,
    DemoEvent,
)
from .i18n import SUPPORTED, localize, messages
from .posters import render_poster_in_worker
from .storage import courses as courses_repo
from .storage import events as events_repo
from .storage import institutions as institutions_repo
from .storage import venues as venues_repo
from .tours.demo import record_demo_tour
from .venues_build import build_builtin_venues
from .venues_build import thumbnail as venue_thumbnail

log = logging.getLogger("zal.demo")


def _times(entry: DemoEvent, now: datetime) -> tuple[datetime, datetime]:
    base = now.replace(second=0, microsecond=0) - timedelta(minutes=now.minute % 5)
    start = base + timedelta(minutes=entry.start_min)
    return start, start + timedelta(minutes=entry.duration_min)


def host_link(base_url: str, entry: DemoEvent, token: str) -> str:
    # the token rides in the fragment, which browsers never send to the server
    return f"{base_url}venue/{entry.venue_id}?event={entry.id}#host={token}"


def _tokens_path(app: web.Application) -> Path:
    return app[keys.SETTINGS].data_dir / "demo-host-tokens.txt"


def _save_tokens(app: web.Application, tokens: list[tuple[DemoEvent, str]]) -> None:
    base_url, path = app[keys.SETTINGS].base_url, _tokens_path(app)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.writelines(f"{e.id} {token} {host_link(base_url, e, token)}\n" for e, token in tokens)
    os.chmod(path, 0o600)


async def _draw_posters(app: web.Application, entry: DemoEvent) -> dict[str, str]:
    """``{lang: sha256}``: the event's poster in every language, drawn in the build
    pool side by side; each has the title, kind, venue and institution in its language."""
    row = await venues_repo.get(app[keys.DB_ENGINE], entry.venue_id)
    assert row is not None  # callers only pass venues that were built
    event = {
        "title": entry.title,
        "lang": "en",
        "translations": EVENT_TRANSLATIONS.get(entry.id, {}),
    }
    venue = {"name": row["name"], "lang": row["lang"], "translations": row["translations"]}
    institution = {
        "name": row["institution_name"],
        "lang": row["institution_lang"],
        "translations": row["institution_translations"],
    }
    loop = asyncio.get_running_loop()

    async def draw(lang: str) -> str:
        png = await loop.run_in_executor(
            app[keys.BUILD_POOL],
            render_poster_in_worker,
            localize(event, ("title",), lang)["title"],
            entry.kind,
            localize(venue, ("name",), lang)["name"],
            localize(institution, ("name",), lang)["name"],
            messages.text(f"poster.kind.{entry.kind}", lang),
        )
        return await app[keys.BLOBS].add_bytes(png, "image/png", compress=False)

    shas = await asyncio.gather(*(draw(lang) for lang in SUPPORTED))
    return dict(zip(SUPPORTED, shas, strict=True))


async def _add_event(app: web.Application, entry: DemoEvent, now: datetime) -> str:
    engine = app[keys.DB_ENGINE]
    posters = await _draw_posters(app, entry)
    poster = posters["en"]  # the event's own language
    token = secrets.token_urlsafe(24)
    starts_at, ends_at = _times(entry, now)
    await events_repo.add(
        engine,
        id=entry.id,
        venue_id=entry.venue_id,
        title=entry.title,
        kind=entry.kind,
        description=entry.description,
        starts_at=starts_at,
        ends_at=ends_at,
        poster_sha256=poster,
        host_token_hash=events_repo.hash_token(token),
        demo=True,
        lang="en",
        translations=EVENT_TRANSLATIONS.get(entry.id, {}),
    )
    await events_repo.set_posters(engine, entry.id, posters)
    return token


async def _put_course(app: web.Application, course: DemoCourse) -> None:
    """The demo course, brought to its current lessons and texts on every start
    (left out while one of its events is missing, e.g. a venue failed to build)."""
    engine = app[keys.DB_ENGINE]
    for event_id, _ in course.lessons:
        if await events_repo.get(engine, event_id) is None:
            return
    lessons = []
    for i, (event_id, note) in enumerate(course.lessons):
        texts: dict[str, dict[str, str]] = {"en": {"note": note}}
        for lang, notes in course.notes.items():
            texts[lang] = {"note": notes[i]}
        lessons.append({"event_id": event_id, "texts": texts})
    words = {"title": course.title, "description": course.description, "lang": "en"}
    if await courses_repo.get(engine, course.id) is None:
        await courses_repo.add(
            engine,
            id=course.id,
            institution_id=course.institution_id,
            lessons=lessons,
            translations=course.translations,
            **words,
        )
    else:
        await courses_repo.update(
            engine, course.id, lessons=lessons, translations=course.translations, **words
        )


async def setup_demo(app: web.Application) -> None:
    engine = app[keys.DB_ENGINE]
    # texts are set on every start too, so a database from before translations
    # (or with older wording) gets the current ones
    for inst_id, name, kind in INSTITUTIONS:
        texts = INSTITUTION_TRANSLATIONS.get(inst_id, {})
        if not await institutions_repo.exists(engine, inst_id):
            await institutions_repo.add(engine, inst_id, name, kind, translations=texts)
        else:
            await institutions_repo.set_texts(
                engine, inst_id, name=name, lang="en", translations=texts
            )
    # the gallery is hung from real paintings through the collection pipeline
    halls = {v: owner for v, owner in VENUE_OWNERS.items() if v != DEMO_VENUE}
    ready = await build_builtin_venues(app, halls)
    if DEMO_VENUE in VENUE_OWNERS and await build_demo_gallery(
        app, VENUE_OWNERS[DEMO_VENUE], venue_thumbnail
    ):
        ready.append(DEMO_VENUE)
    # a venue that failed to rebuild keeps its last good files, and its events
    known = {row["id"] for row in await venues_repo.list_all(engine)}
    now = datetime.now(UTC)
    new: list[DemoEvent] = []
    for entry in PROGRAMME:
        if entry.venue_id not in known:
            continue
        if await events_repo.get(engine, entry.id) is None:
            new.append(entry)
        else:
            await events_repo.set_times(engine, entry.id, *_times(entry, now))
            await events_repo.set_texts(
                engine,
                entry.id,
                title=entry.title,
                description=entry.description,
                lang="en",
                translations=EVENT_TRANSLATIONS.get(entry.id, {}),
            )
            # redrawn each start (content-addressed: unchanged words, same blobs)
            await events_repo.set_posters(engine, entry.id, await _draw_posters(app, entry))
    # posters are drawn in the build pool, so new events are made side by side
    made = await asyncio.gather(*(_add_event(app, entry, now) for entry in new))
    tokens = list(zip(new, made, strict=True))
    if tokens:
        _save_tokens(app, tokens)
        base_url = app[keys.SETTINGS].base_url
        for entry, token in tokens:
            link = host_link(base_url, entry, token)
            log.info("demo host link", extra={"event": entry.id, "link": link})
    for course in COURSES:
        await _put_course(app, course)
    if DEMO_VENUE in known:  # its tour, narrated by server/demo_media.py
        await record_demo_tour(app, DEMO_VENUE)
    # the tokens of earlier starts are not shown again (only their hash is stored): say where
    log.info(
        "demo ready",
        extra={"venues": len(ready), "new_events": len(tokens), "host_links": _tokens_path(app)},
    )
