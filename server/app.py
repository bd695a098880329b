"""The app factory: wires settings, storage, the build pool, routes and realtime.

Start-up order (``cleanup_ctx`` runs in order, tears down in reverse):
build pool (unless one is passed in) -> storage (engine, schema, blob store) ->
demo data (if enabled) -> realtime (if present).
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor

from aiohttp import web

from . import keys
from .api import setup_routes
from .middleware import error_middleware, security_headers
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
    from .storage.engine import create_engine
    from .storage.schema import migrate
    from .venues_build import MetadataCache

    settings = app[keys.SETTINGS]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.db_url)
    await migrate(engine)
    app[keys.DB_ENGINE] = engine
    app[keys.BLOBS] = BlobStore(settings.blobs_dir, engine, app[keys.BUILD_POOL])
    await app[keys.BLOBS].remove_leftovers()
    app[keys.METADATA_CACHE] = MetadataCache()
    app[keys.RENDERED_BODIES] = RenderedBodies()
    yield
    await engine.dispose()


async def demo_ctx(app: web.Application) -> AsyncIterator[None]:
    from .demo import setup_demo

    await setup_demo(app)
    yield


def setup_realtime_if_present(app: web.Application) -> None:
    # Realtime (Socket.IO at /socket.io/, namespace /live) is owned by the realtime
    # part: server/realtime/__init__.py exposes setup_realtime(app), which may add
    # its own cleanup_ctx (tables on keys.DB_ENGINE) after storage_ctx.
    if importlib.util.find_spec("server.realtime") is not None:
        realtime = importlib.import_module("server.realtime")
        setup = getattr(realtime, "setup_realtime", None)
        if setup is not None:
            setup(app)


def create_app(
    settings: Settings, *, build_pool: ProcessPoolExecutor | None = None
) -> web.Application:
    """The app; ``build_pool`` lets several apps (tests) share warm workers, and
    stays open when the app closes (its owner shuts it down)."""
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
    setup_realtime_if_present(app)  # realtime wiring: this line belongs to the realtime part
    return app
