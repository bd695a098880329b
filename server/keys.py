"""Every typed ``web.AppKey`` of the Zal app, in one place.

Other parts (realtime, uploads...) add their keys here too. Heavy types are imported
for type checkers only, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from socketio import AsyncServer
    from sqlalchemy.ext.asyncio import AsyncEngine

    from .api.httputil import RenderedBodies
    from .collections.jobs import CollectionJobs
    from .media.jobs import MediaJobs
    from .media.live.service import LiveStreams
    from .media.store import HlsStore
    from .realtime.audience import LiveState
    from .realtime.director import StageDirector
    from .realtime.ticker import Ticker
    from .scene_uploads.service import SceneUploads
    from .settings import Settings
    from .storage.blobs import BlobStore
    from .tours.narrator import Narrator
    from .venues_build import MetadataCache
    from .voice.service import Voice

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
# the one SQLAlchemy AsyncEngine (SQLite WAL by default); other parts create their own
# tables on it at start-up, see server/storage/__init__.py
DB_ENGINE: web.AppKey[AsyncEngine] = web.AppKey("db_engine")
BLOBS: web.AppKey[BlobStore] = web.AppKey("blobs")
# CPU work (venue builds, gzip, posters) runs here, never on the event loop
BUILD_POOL: web.AppKey[ProcessPoolExecutor] = web.AppKey("build_pool")
# parsed VenueMetadata by manifest sha256 (manifests are immutable, so never stale)
METADATA_CACHE: web.AppKey[MetadataCache] = web.AppKey("metadata_cache")
# big JSON answers rendered and gzipped once (venue detail), keyed by their content
RENDERED_BODIES: web.AppKey[RenderedBodies] = web.AppKey("rendered_bodies")
# live audience (server/realtime): the Socket.IO server, its pure state, its tick
SIO: web.AppKey[AsyncServer] = web.AppKey("sio")
LIVE_STATE: web.AppKey[LiveState] = web.AppKey("live_state")
TICKER: web.AppKey[Ticker] = web.AppKey("ticker")
# the stage changed by the server itself (the demo's autopilot, server/demo_media.py)
STAGE_DIRECTOR: web.AppKey[StageDirector] = web.AppKey("stage_director")
# stage media (server/media): HLS packages of recordings and the transcode/slides queue
HLS_STORE: web.AppKey[HlsStore] = web.AppKey("hls_store")
MEDIA_JOBS: web.AppKey[MediaJobs] = web.AppKey("media_jobs")
# live streams (server/media/live): the live HLS folder, admitted streams, the demo ffmpeg
LIVE: web.AppKey[LiveStreams] = web.AppKey("live")
# collection uploads (server/collections): jobs answered at once, built in the build pool
COLLECTION_JOBS: web.AppKey[CollectionJobs] = web.AppKey("collection_jobs")
# scene uploads (server/scene_uploads): jobs that convert uploaded models into venues
SCENE_UPLOADS: web.AppKey[SceneUploads] = web.AppKey("scene_uploads")
# tours' audio guides (server/tours): espeak-ng readings made a few at a time
NARRATOR: web.AppKey[Narrator] = web.AppKey("narrator")
# voice (server/voice): Janus rooms, passes and the signalling gateway; None when off
VOICE: web.AppKey[Voice | None] = web.AppKey("voice")
# parts that can fail apart from the database (the realtime Redis subscription...):
# name -> a report with "status": "ok" or not; ``/healthz`` shows them all
HEALTH_CHECKS: web.AppKey[dict[str, Callable[[], dict[str, Any]]]] = web.AppKey("health_checks")
