"""The app factory: wires settings, storage, the build pool, routes and realtime.

Start-up order (``cleanup_ctx`` runs in order, tears down in reverse):
build pool (unless one is passed in) -> storage (engine, schema, blob store) ->
demo data (if enabled) -> realtime (if present).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor

from aiohttp import web

from . import bad_http, keys
from .api import setup_routes
from .middleware import error_middleware, security_headers
from .realtime import setup_realtime
from .settings import Settings
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
    if build_pool is None:
        app.cleanup_ctx.append(build_pool_ctx)
    else:
        app[keys.BUILD_POOL] = build_pool
    app.cleanup_ctx.append(storage_ctx)
    if settings.demo:
        app.cleanup_ctx.append(demo_ctx)
    setup_routes(app)
    # Socket.IO (/socket.io/, namespace /live); its tables live on keys.DB_ENGINE
    setup_realtime(app, clock=live_clock)
    # aiohttp's own 400s for malformed HTTP: a rate-limited line each, not a traceback
    bad_http.install(live_clock)
    return app
