"""The demo's stage media, so a newcomer attends a real show with `make run` alone.

- the string-quartet evening (live now) plays a recording of Haydn's Op. 74 No. 1,
  II, rendered from the public-domain score (server/media/demo_content), made into
  HLS by the same job queue a host's upload goes through, and started again after
  an interval when it ends;
- the river lecture shows its slides (a PDF through the slides job), turned by the
  autopilot every ``SLIDE_S`` seconds;
- the Tchaikovsky concert (live now) carries the demo "live" stream (ffmpeg, for as
  long as the server runs; server/media/live);
- the gallery's tour is read aloud in ru, tt and en (espeak-ng, server/tours/demo.py),
  the clips kept in the demo's cache.

Everything runs in the background after the server is up: the first start renders
and transcodes for a few minutes of CPU (docs/media.md), later starts find the
rows ready and only set the stages. ``ZAL_DEMO_MEDIA``: ``full`` (default),
``excerpt`` (the first bars only: tests), ``off``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web

from . import keys
from .media.demo_content import LECTURE_TITLE, concert_recording, render_lecture_slides
from .media.jobs import Job
from .media.probe import probe
from .media.views import media_view
from .storage import media as media_repo
from .storage.media import new_id
from .tours.demo import STOPS as DEMO_TOUR_STOPS
from .tours.demo import narrate_demo_tour

log = logging.getLogger("zal.demo")

CONCERT_EVENT = "string-quartets"
LECTURE_EVENT = "river-lecture"
LIVE_EVENT = "tchaikovsky-five"
EXCERPT_BARS = 8
EXCERPT_TOUR_STOPS = 2
INTERVAL_S = 30.0  # between the end of the recording and its next start
SLIDE_S = 20.0
POLL_S = 1.0


async def demo_media_ctx(app: web.Application) -> AsyncIterator[None]:
    """After realtime (the stage director) and the demo data (the events)."""
    mode = app[keys.SETTINGS].demo_media
    task = None if mode == "off" else asyncio.create_task(_run(app, mode), name="demo-media")
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def _run(app: web.Application, mode: str) -> None:
    try:
        await asyncio.gather(_live(app), _concert(app, mode), _lecture(app), _tour(app, mode))
    except asyncio.CancelledError:
        raise
    except Exception:  # the demo is not worth the server: say so and carry on
        log.exception("demo media failed")


def _cache_dir(app: web.Application) -> Path:
    settings = app[keys.SETTINGS]
    base = settings.scene_cache_dir or settings.data_dir
    return Path(base) / "demo-content"


async def _tour(app: web.Application, mode: str) -> None:
    """The gallery tour's audio guide, read by espeak-ng once and kept in the cache
    (``excerpt``: its first two stops; a later stop is read when a visitor asks)."""
    stops = EXCERPT_TOUR_STOPS if mode == "excerpt" else len(DEMO_TOUR_STOPS)
    found = await narrate_demo_tour(app, _cache_dir(app) / "speech", stops)
    log.info("demo tour narrated", extra={"clips": found})


async def _live(app: web.Application) -> None:
    from .media.live.setup import attach_demo_stream

    row = await attach_demo_stream(app, LIVE_EVENT, "Чайковский: Симфония № 5")
    if row is not None:
        await _first_playlist(app, row)
        await app[keys.STAGE_DIRECTOR].show(LIVE_EVENT, media_view(row), play_from=0.0)


async def _first_playlist(app: web.Application, row: dict, timeout_s: float = 60.0) -> None:
    """Until the demo's ffmpeg has written its first playlist (bounded): the hall is
    told the stream is on only then, else a player asks for a file not there yet (a
    404 on a loaded machine)."""
    from .media.live.keys import PLAYLIST, playback_id_of_url

    pid = playback_id_of_url(row.get("stream_url"))
    live = app[keys.LIVE]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while pid is not None and live.file(pid, PLAYLIST) is None and loop.time() < deadline:
        await asyncio.sleep(0.2)


async def _ready_media(
    app: web.Application, event_id: str, kind: str, title: str, make: Callable[[], Any]
) -> dict:
    """The event's ready media titled ``title``, or a new one made by the job queue
    from the file ``make()`` returns (run in the build pool: a picklable partial)."""
    engine = app[keys.DB_ENGINE]
    for row in await media_repo.list_for_event(engine, event_id):
        if row["kind"] == kind and row["title"] == title and row["status"] == "ready":
            return row
    loop = asyncio.get_running_loop()
    made: Path = await loop.run_in_executor(app[keys.BUILD_POOL], make)
    settings = app[keys.SETTINGS]
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    src = settings.uploads_dir / f"demo-{new_id()}{made.suffix}"
    await asyncio.to_thread(shutil.copyfile, made, src)  # the job removes its input
    found = None
    if kind == "recording":
        found = await probe(
            src,
            max_duration_s=settings.media_max_duration_s,
            timeout_s=60.0,
            memory_bytes=settings.media_job_memory_bytes,
        )
    row = await media_repo.add(
        engine,
        event_id=event_id,
        kind=kind,
        title=title,
        duration_s=round(found.duration_s, 3) if found else None,
    )
    app[keys.MEDIA_JOBS].submit(Job(row["id"], kind, src, found))
    while row["status"] == "processing":
        await asyncio.sleep(POLL_S)
        row = await media_repo.get(engine, row["id"]) or row
    if row["status"] != "ready":
        raise RuntimeError(f"demo {kind} {title!r} failed: {row['error']}")
    log.info("demo media ready", extra={"event": event_id, "media": row["id"], "kind": kind})
    return row


async def _concert(app: web.Application, mode: str) -> None:
    bars = EXCERPT_BARS if mode == "excerpt" else None
    cache = _cache_dir(app)
    title = "Гайдн: квартет соч. 74 № 1, II" + (" (фрагмент)" if bars else "")
    row = await _ready_media(
        app, CONCERT_EVENT, "recording", title, partial(_render_concert, cache, bars)
    )
    director = app[keys.STAGE_DIRECTOR]
    await director.show(CONCERT_EVENT, media_view(row), play_from=0.0)
    mine = director.stage(CONCERT_EVENT).version
    duration = float(row["duration_s"] or 0.0)
    while duration > 0:  # the evening goes on: again after an interval
        stage = director.stage(CONCERT_EVENT)
        left = duration - stage.position_at(director.wall())
        await asyncio.sleep(max(left, 0.0) + INTERVAL_S)
        if director.stage(CONCERT_EVENT).version != mine:
            return  # a host took over the stage: the autopilot stops
        await director.play_from(CONCERT_EVENT, 0.0)
        mine = director.stage(CONCERT_EVENT).version


def _render_concert(cache: Path, bars: int | None) -> Path:
    return concert_recording(cache, bars=bars).path


def _render_lecture(cache: Path) -> Path:
    return render_lecture_slides(cache)[1]  # the PDF


async def _lecture(app: web.Application) -> None:
    cache = _cache_dir(app)
    row = await _ready_media(
        app, LECTURE_EVENT, "slides", LECTURE_TITLE["ru"], partial(_render_lecture, cache)
    )
    director = app[keys.STAGE_DIRECTOR]
    await director.show(LECTURE_EVENT, media_view(row))
    mine = director.stage(LECTURE_EVENT).version
    count = len(row["slides"])
    index = 0
    while count > 1:
        await asyncio.sleep(SLIDE_S)
        if director.stage(LECTURE_EVENT).version != mine:
            return  # a host took over the stage: the autopilot stops
        index = (index + 1) % count
        await director.slide(LECTURE_EVENT, index)
        mine = director.stage(LECTURE_EVENT).version
