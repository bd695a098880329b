"""Wiring for the app: the live part's ``cleanup_ctx`` and the demo's hook."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from ... import keys
from .service import LiveStreams


async def live_ctx(app: web.Application) -> AsyncIterator[None]:
    """Needs the storage (``keys.DB_ENGINE``); comes before the demo data, whose
    set-up may start the demo stream, and so stops that stream after it."""
    settings = app[keys.SETTINGS]
    live = LiveStreams(settings.live_dir, app[keys.DB_ENGINE])
    await live.open(tidy=settings.worker == 0)  # the first of --workers tidies
    app[keys.LIVE] = live
    try:
        yield
    finally:
        await live.close()


async def attach_demo_stream(app: web.Application, event_id: str, title: str) -> dict | None:
    """Give ``event_id`` the demo "live" stream (ffmpeg, for as long as the app
    runs) and return its ``media`` row; None when ``ZAL_DEMO_LIVE_STREAM`` is off.
    Call it from the demo set-up, after the event exists."""
    if not app[keys.SETTINGS].demo_live_stream:
        return None
    return await app[keys.LIVE].start_demo(event_id, title)
