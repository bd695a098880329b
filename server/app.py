"""The app factory: wires settings, storage, the build pool, routes and realtime.

Start-up order (``cleanup_ctx`` runs in order, tears down in reverse):
build pool (unless one is passed in) -> storage (engine, schema, blob store) ->
media (HLS store, job queue) -> live streams -> demo data (if enabled) -> realtime (if present).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor

from aiohttp import web

from . import bad_http, keys
from .api import collections as collections_api
from .api import setup_routes
from .api.streams import media_origins_in_csp
from .collections.jobs import collection_jobs_ctx
from .media.live.setup import live_ctx
from .middleware import error_middleware, security_headers
from .realtime import setup_realtime
from .scene_uploads.setup import setup_scene_uploads
from .settings import Settings
from .tours.narrator import narrator_ctx
from .voice.setup import voice_ctx
from .workers import new_build_pool


async def build_pool_ctx(app: web.Application) -> AsyncIterator[None]:
    pool = new_build_pool(app[keys.SETTINGS].build_workers)
    app[keys.BUILD_POOL] = pool
    yield
    await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


async def storage_ctx(app: web.Application) -> AsyncIterator[None]:
    from .api.httputil import RenderedBodies
    from .storage.blobs import BlobStore
    from .storage.datadir_lock import DataDirLock
    from .storage.engine import create_engine
    from .storage.schema import migrate
    from .venues_build import MetadataCache

    settings = app[keys.SETTINGS]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # shared with other servers; keeps `zal storage gc` off while we run
    lock = DataDirLock(settings.data_dir)
    await asyncio.to_thread(lock.acquire_shared)
    engine = create_engine(settings.db_url)
    try:
        await migrate(engine)
        app[keys.DB_ENGINE] = engine
        app[keys.BLOBS] = BlobStore(settings.blobs_dir, engine, app[keys.BUILD_POOL])
        if settings.worker == 0:  # not beside a live first process (zal serve --workers)
            await app[keys.BLOBS].remove_leftovers()
        app[keys.METADATA_CACHE] = MetadataCache()
        app[keys.RENDERED_BODIES] = RenderedBodies()
        yield
    finally:
        await engine.dispose()
        lock.release()


async def demo_ctx(app: web.Application) -> AsyncIterator[None]:
    from .demo import setup_demo

    await setup_demo(app)
    yield


async def demo_media_ctx(app: web.Application) -> AsyncIterator[None]:
    # imported here: the demo content pulls in music21, which a plain server never needs
    from .demo_media import demo_media_ctx as run

    async for _ in run(app):
        yield


async def media_ctx(app: web.Application) -> AsyncIterator[None]:
    """Stage media: the HLS store and the job queue (server/media/jobs.py); rows a
    previous process left processing fail as ``interrupted``."""
    from .media.jobs import MediaJobs
    from .media.slides import SlideLimits
    from .media.store import HlsStore
    from .media.transcode import TranscodeOptions

    settings = app[keys.SETTINGS]
    app[keys.HLS_STORE] = HlsStore(settings.hls_dir)
    jobs = MediaJobs(
        app[keys.DB_ENGINE],
        app[keys.BLOBS],
        app[keys.HLS_STORE],
        app[keys.BUILD_POOL],
        settings.uploads_dir,
        transcode_options=TranscodeOptions(
            timeout_s=settings.media_job_timeout_s,
            memory_bytes=settings.media_job_memory_bytes,
            preset=settings.media_x264_preset,
            threads=settings.media_ffmpeg_threads,
        ),
        slide_limits=SlideLimits(
            max_pages=settings.slides_max_pages,
            max_pixels=settings.slides_max_pixels,
            timeout_s=min(settings.media_job_timeout_s, 600.0),
            memory_bytes=settings.media_job_memory_bytes,
        ),
        workers=settings.media_jobs,
    )
    app[keys.MEDIA_JOBS] = jobs
    await jobs.start()
    try:
        yield
    finally:
        await jobs.stop()


def create_app(
    settings: Settings,
    *,
    build_pool: ProcessPoolExecutor | None = None,
    live_clock: Callable[[], float] | None = None,
) -> web.Application:
    """The app; ``build_pool`` lets several apps (tests) share warm workers, and
    stays open when the app closes (its owner shuts it down). ``live_clock``
    (tests) replaces the realtime clock; the caller then steps the ticker
    (``app[keys.TICKER].tick()``) instead of a timer task."""
    app = web.Application(middlewares=[error_middleware], client_max_size=1024**2)
    app[keys.SETTINGS] = settings
    app.on_response_prepare.append(security_headers)
    # external live streams' origins (ZAL_MEDIA_ORIGINS) in the pages' CSP
    app.on_response_prepare.append(media_origins_in_csp)
    if build_pool is None:
        app.cleanup_ctx.append(build_pool_ctx)
    else:
        app[keys.BUILD_POOL] = build_pool
    app.cleanup_ctx.append(storage_ctx)
    app.cleanup_ctx.append(narrator_ctx)  # tours' audio guides (server/tours)
    app.cleanup_ctx.append(voice_ctx)  # voice on Janus (server/voice), when configured
    app.cleanup_ctx.append(media_ctx)
    # scene uploads (server/scene_uploads): the job runner, its routes
    setup_scene_uploads(app)
    app.cleanup_ctx.append(collection_jobs_ctx)
    # live streams: the live HLS folder and the demo stream's ffmpeg (before the demo)
    app.cleanup_ctx.append(live_ctx)
    # the demo's data and media: once, in the first process of `zal serve --workers`
    demo = settings.demo and settings.worker == 0
    if demo:
        app.cleanup_ctx.append(demo_ctx)
    setup_routes(app)
    app.router.add_routes(collections_api.routes)
    # Socket.IO (/socket.io/, namespace /live); its tables live on keys.DB_ENGINE
    setup_realtime(app, clock=live_clock)
    if demo:  # the demo's shows need the stages of realtime
        app.cleanup_ctx.append(demo_media_ctx)
    # aiohttp's own 400s for malformed HTTP: a rate-limited line each, not a traceback
    bad_http.install(live_clock)
    return app
