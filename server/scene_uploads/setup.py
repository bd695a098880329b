"""Wiring of scene uploads into the app: the job runner, the service, routes."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from .. import keys
from ..job_runner import JobRunner
from .budgets import Budgets
from .routes import routes
from .runner import WorkerLimits
from .service import SceneUploads


def budgets_from(settings) -> Budgets:
    return Budgets(
        max_bytes=settings.scene_max_upload_bytes,
        max_triangles=settings.scene_max_triangles,
        max_texture_px=settings.scene_max_texture_px,
        max_nodes=settings.scene_max_nodes,
        headset_triangles=settings.scene_headset_triangles,
        headset_texture_px=settings.scene_headset_texture_px,
    )


async def scene_uploads_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    runner = JobRunner(
        app[keys.DB_ENGINE], workers=settings.scene_jobs, tidy=settings.worker == 0
    )
    app[keys.SCENE_UPLOADS] = SceneUploads(
        app[keys.DB_ENGINE],
        app[keys.BLOBS],
        runner,
        settings.uploads_dir,
        budgets_from(settings),
        WorkerLimits(cpu_s=settings.scene_job_cpu_s, memory_bytes=settings.scene_job_memory_bytes),
    )
    await runner.start()
    try:
        yield
    finally:
        await runner.stop()


def setup_scene_uploads(app: web.Application) -> None:
    """After the storage context (it needs the engine and the blob store)."""
    app.cleanup_ctx.append(scene_uploads_ctx)
    app.router.add_routes(routes)
