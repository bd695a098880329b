"""Live audience over Socket.IO (namespace ``/live``, docs/PROTOCOL.md).

``setup_realtime(app)`` attaches the Socket.IO server to the aiohttp app and adds
a cleanup context (after storage) that creates the realtime tables, registers
the namespace and runs the ticker.

The live clock (rate limits, grace periods, snapshot stamps) is injectable: pass
``clock`` and the ticker task is not started either; the caller then advances its
clock and calls ``app[keys.TICKER].tick()`` itself, so tests are exact.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

import socketio
from aiohttp import web

from .. import keys
from ..settings import Settings
from .attendance import Attendance
from .audience import LiveState
from .chat import ChatService
from .director import StageDirector
from .directory import Directory
from .moderation import Moderation
from .namespace import LiveNamespace, Services
from .redis_manager import ZalRedisManager
from .server import create_server
from .shared_live import SharedLive
from .store import create_tables
from .ticker import Ticker
from .tour_groups import TourGroups

__all__ = ["setup_realtime", "create_server"]


def setup_realtime(
    app: web.Application,
    settings: Settings | None = None,
    *,
    client_manager: socketio.AsyncManager | None = None,
    clock: Callable[[], float] | None = None,
) -> socketio.AsyncServer:
    """``clock`` (tests): time comes from it and the ticker is stepped by hand."""
    stepped = clock is not None
    live_clock = clock or time.monotonic
    settings = settings or app[keys.SETTINGS]
    if client_manager is None and settings.redis_url:
        # chat, reactions and moderation notices reach every process of an
        # audience; avatars (instances) stay within one process
        client_manager = ZalRedisManager(settings.redis_url)
    sio = create_server(settings, client_manager, clock=clock)
    sio.attach(app)
    app[keys.SIO] = sio
    health_checks = app.setdefault(keys.HEALTH_CHECKS, {})

    async def realtime_ctx(app: web.Application) -> AsyncIterator[None]:
        engine = app[keys.DB_ENGINE]
        await create_tables(engine)
        state = LiveState(
            capacity=settings.instance_capacity, grace=settings.resume_grace_s, pose_hz=20.0
        )
        shared = SharedLive(settings.redis_url, state.node) if settings.redis_url else None
        services = Services(
            state=state,
            chat=ChatService(engine, shared),
            moderation=Moderation(state, engine, shared),
            directory=Directory(app),
            tick_hz=settings.tick_hz,
            clock=live_clock,
            wall=clock or time.time,  # stepped tests: the show's clock is the test's too
            attendance=Attendance(engine, shared=shared),
            groups=TourGroups(settings.group_cap),
            voice=app.get(keys.VOICE),  # voice_ctx ran before (server/app.py)
            shared=shared,
        )
        namespace = LiveNamespace(services)
        sio.register_namespace(namespace)
        ticker = Ticker(sio, state, settings.tick_hz, live_clock, settings.tick_slices)
        ticker.listeners.append(namespace.groups_tick)
        if shared is not None:
            ticker.listeners.append(namespace.shared_tick)
            ticker.shared = shared
            shared.listen(namespace.shared_note)
            services.stages.on_change = shared.save_stage
        app[keys.LIVE_STATE] = state
        app[keys.TICKER] = ticker
        app[keys.STAGE_DIRECTOR] = StageDirector(sio, services.stages, services.wall)
        manager = sio.manager
        if isinstance(manager, ZalRedisManager):
            # subscribe now, not at the first connection: /healthz tells from the start
            sio.manager_initialized = True
            manager.initialize()
            health_checks["realtime_redis"] = manager.health
        if stepped:
            yield
        else:
            task = asyncio.create_task(ticker.run(), name="zal-ticker")
            yield
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if isinstance(manager, ZalRedisManager):
            await manager.close()
        if shared is not None:
            await shared.close()

    async def close_sockets(app: web.Application) -> None:
        # open websockets would hold aiohttp's graceful shutdown for its whole
        # timeout (60 s): close them first; clients reconnect to the next server
        # bounded: stock engine.io waits for each socket's send queue to drain, which
        # never happens for a socket whose client vanished at this very moment
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sio.eio.disconnect(), timeout=2.0)
        # stops engine.io's ping monitor; that task may be inside a sleep of up to
        # ping_timeout before it notices, so give it a moment, then cancel it
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sio.shutdown(), timeout=0.5)

    app.cleanup_ctx.append(realtime_ctx)
    app.on_shutdown.append(close_sockets)
    return sio
