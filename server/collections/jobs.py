"""Collection uploads as jobs: answered at once, built in the build pool.

A job lives in memory (a restart forgets it, and the upload with it: the client
sees 404 for the job and uploads again). Its files sit in a private folder under
``<data_dir>/uploads`` and are removed when the job ends, whatever the outcome;
folders a killed server left are removed at the next start. A job past its
``timeout_s`` fails at once; its worker finishes on its own (within the memory
budget) and its output is thrown away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from .. import keys
from ..errors import ApiError
from .errors import BadCollection, CollectionRefused
from .limits import CollectionLimits
from .record import record_gallery

log = logging.getLogger("zal.collections")

KEEP_FINISHED_S = 3600.0  # a finished job's answer stays this long


def _build_in_worker(*args):
    """Pool entry: the scene builders are imported there, never in the web process
    (tests/server/test_imports.py)."""
    from .build import build_collection_in_worker

    return build_collection_in_worker(*args)


@dataclass
class CollectionJob:
    id: str
    institution_id: str
    venue_id: str
    status: str = "queued"  # queued | processing | done | failed
    error: ApiError | None = None
    works: int = 0
    seconds: float = 0.0
    finished_at: float | None = None
    task: asyncio.Task | None = field(default=None, repr=False)

    def as_json(self, lang: str = "en") -> dict:
        error = None
        if self.error is not None:
            error = {"code": self.error.code, "message": self.error.localized(lang)}
        return {
            "id": self.id,
            "institution_id": self.institution_id,
            "venue_id": self.venue_id,
            "status": self.status,
            "error": error,
            "works": self.works,
            "seconds": self.seconds,
            "venue_url": f"/venue/{self.venue_id}" if self.status == "done" else None,
        }


class CollectionJobs:
    def __init__(self, app: web.Application, limits: CollectionLimits):
        self.app = app
        self.limits = limits
        self.jobs: dict[str, CollectionJob] = {}

    def get(self, job_id: str) -> CollectionJob | None:
        self._forget_old()
        return self.jobs.get(job_id)

    def submit(
        self,
        institution_id: str,
        venue_id: str,
        frame_json: str,
        files: dict[str, str],
        folder: Path,
    ) -> CollectionJob:
        job = CollectionJob(
            id="col_" + secrets.token_hex(8), institution_id=institution_id, venue_id=venue_id
        )
        self.jobs[job.id] = job
        job.task = asyncio.create_task(self._run(job, frame_json, files, folder))
        return job

    async def _run(self, job: CollectionJob, frame_json: str, files: dict[str, str], folder: Path):
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        try:
            job.status = "processing"
            result = await asyncio.wait_for(
                loop.run_in_executor(
                    self.app[keys.BUILD_POOL],
                    _build_in_worker,
                    files,
                    frame_json,
                    str(folder / "out"),
                    self.limits,
                ),
                self.limits.timeout_s,
            )
            await record_gallery(self.app, result, institution_id=job.institution_id)
            job.works = result["works"]
            job.status = "done"
        except CollectionRefused as exc:
            self._fail(job, BadCollection.of(exc.problems))
        except TimeoutError:
            self._fail(
                job, BadCollection.of([f"processing took over {self.limits.timeout_s:.0f} s"])
            )
        except Exception:
            log.exception("collection job failed", extra={"job": job.id})
            self._fail(job, ApiError("processing failed", code="internal_error"))
        finally:
            job.seconds = round(time.perf_counter() - started, 3)
            job.finished_at = time.monotonic()
            await asyncio.to_thread(shutil.rmtree, folder, True)
            log.info("collection job ended", extra={"job": job.id, "status": job.status})

    @staticmethod
    def _fail(job: CollectionJob, error: ApiError) -> None:
        job.status = "failed"
        job.error = error

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id in [
            j.id
            for j in self.jobs.values()
            if j.finished_at is not None and now - j.finished_at > KEEP_FINISHED_S
        ]:
            del self.jobs[job_id]

    async def stop(self) -> None:
        tasks = [j.task for j in self.jobs.values() if j.task and not j.task.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def remove_stale_folders(uploads: Path, older_than_s: float) -> int:
    """Job folders a killed server left behind (a running job's folder is younger
    than its timeout, so another server's live job is never touched)."""
    removed = 0
    now = time.time()
    for folder in uploads.glob("collection-*"):
        try:
            if now - folder.stat().st_mtime > older_than_s:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


async def collection_jobs_ctx(app: web.Application) -> AsyncIterator[None]:
    limits = CollectionLimits()
    uploads = app[keys.SETTINGS].uploads_dir
    stale = await asyncio.to_thread(remove_stale_folders, uploads, 2 * limits.timeout_s)
    if stale:
        log.info("removed stale collection uploads", extra={"folders": stale})
    jobs = CollectionJobs(app, limits)
    app[keys.COLLECTION_JOBS] = jobs
    yield
    await jobs.stop()
