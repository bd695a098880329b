"""The media job queue: transcodes and slide renders, one or two at a time.

An upload is checked and stored by the API, then :meth:`MediaJobs.submit`\\ ted;
``workers`` asyncio tasks take jobs in order and run the tools as limited
subprocesses (:mod:`.process`). A job ends with its ``media`` row ``ready``
(package or slides stored, progress 1) or ``failed`` with a stable ``error``
code, and its upload file removed either way.

Jobs survive nothing: at start (:meth:`start`) rows left ``processing`` by an
earlier process become ``failed`` / ``interrupted`` and leftover temp folders
and uploads are removed (only when no other server runs on the data dir: its
jobs are alive); at stop, running tools are killed and their rows marked the
same way. The host uploads the file again.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import shutil
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from ..storage import media as media_repo
from ..storage.blobs import BlobStore
from .errors import MediaError
from .probe import Probe
from .slides import SlideLimits, render
from .store import HlsStore
from .transcode import TranscodeOptions, transcode

log = logging.getLogger("zal.media")

PROGRESS_STEP = 0.01  # smaller changes are not written
Listener = Callable[[dict], Awaitable[None]]


@dataclass(frozen=True)
class Job:
    media_id: str
    kind: str  # 'recording' | 'slides'
    src: Path  # the upload; the job owns it and removes it
    probe: Probe | None = None  # recordings: what the API's ffprobe found
    more: tuple[Path, ...] = ()  # slides: further files, in order (a set of images)

    @property
    def sources(self) -> list[Path]:
        return [self.src, *self.more]

    def remove_files(self) -> None:
        for path in self.sources:
            path.unlink(missing_ok=True)


class MediaJobs:
    """Runs :class:`Job`\\ s; ``listeners`` are awaited with the row after each
    job ends (ready or failed), e.g. to tell the hall."""

    def __init__(
        self,
        engine: AsyncEngine,
        blobs: BlobStore,
        hls: HlsStore,
        pool: Executor,
        uploads_dir: Path,
        *,
        transcode_options: TranscodeOptions,
        slide_limits: SlideLimits,
        workers: int = 1,
    ):
        self.engine = engine
        self.blobs = blobs
        self.hls = hls
        self.pool = pool
        self.uploads_dir = uploads_dir
        self.transcode_options = transcode_options
        self.slide_limits = slide_limits
        self.workers = workers
        self.listeners: list[Listener] = []
        self._queue: asyncio.Queue[Job] = asyncio.Queue()
        self._tasks: list[asyncio.Task] = []
        self._running: dict[str, Job] = {}
        self._lock_fd: int | None = None

    async def start(self) -> None:
        if await asyncio.to_thread(self._alone_on_data_dir):
            interrupted = await media_repo.fail_interrupted(self.engine)
            if interrupted:
                log.warning("media jobs interrupted by the last shutdown: %d", interrupted)
            await asyncio.to_thread(self.hls.remove_leftovers)
            await asyncio.to_thread(shutil.rmtree, self.uploads_dir, True)
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        self._tasks = [
            asyncio.create_task(self._work(), name=f"media-job-{i}") for i in range(self.workers)
        ]

    def _alone_on_data_dir(self) -> bool:
        """True if no other server runs media jobs on this data dir (then what
        is left ``processing`` is a dead process's). Every server then holds a
        shared ``flock`` on ``<data_dir>/.media.lock`` until it stops."""
        path = self.uploads_dir.parent / ".media.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fcntl.flock(self._lock_fd, fcntl.LOCK_SH)
            return False
        fcntl.flock(self._lock_fd, fcntl.LOCK_SH)  # tidy first, then share
        return True

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        while not self._queue.empty():  # never started
            job = self._queue.get_nowait()
            await media_repo.update(self.engine, job.media_id, status="failed", error="interrupted")
            job.remove_files()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def submit(self, job: Job) -> None:
        self._queue.put_nowait(job)

    @property
    def running(self) -> list[str]:
        """Media ids whose job is running now."""
        return list(self._running)

    @property
    def pending(self) -> int:
        """Jobs waiting or running."""
        return self._queue.qsize() + len(self._running)

    async def join(self) -> None:
        """Wait until every submitted job has ended (tests, the demo build)."""
        await self._queue.join()

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            self._running[job.media_id] = job
            try:
                await self._run(job)
            finally:
                self._running.pop(job.media_id, None)
                job.remove_files()
                self._queue.task_done()

    async def _run(self, job: Job) -> None:
        try:
            if job.kind == "recording":
                values = await self._transcode(job)
            else:
                values = await self._slides(job)
            values.update(status="ready", progress=1.0, error=None)
        except MediaError as exc:
            log.info("media %s failed: %s (%s)", job.media_id, exc.code, exc.message[-300:])
            values = {"status": "failed", "error": exc.code}
        except asyncio.CancelledError:  # the server stops: the tool is killed already
            await media_repo.update(self.engine, job.media_id, status="failed", error="interrupted")
            raise
        except Exception:
            log.exception("media job %s", job.media_id)
            values = {"status": "failed", "error": "internal_error"}
        await media_repo.update(self.engine, job.media_id, **values)
        row = await media_repo.get(self.engine, job.media_id)
        if row is not None:
            for listener in self.listeners:
                await listener(row)

    async def _transcode(self, job: Job) -> dict:
        assert job.probe is not None
        work_dir = await asyncio.to_thread(self.hls.new_work_dir)
        written = 0.0

        async def progress(share: float) -> None:
            nonlocal written
            if share - written >= PROGRESS_STEP and share < 1.0:
                written = share
                await media_repo.update(self.engine, job.media_id, progress=round(share, 4))

        try:
            await transcode(job.src, work_dir, job.probe, self.transcode_options, progress)
            package_id = await self.hls.add_package(work_dir)
        finally:
            with contextlib.suppress(FileNotFoundError):
                await asyncio.to_thread(shutil.rmtree, work_dir)
        return {"package_id": package_id, "duration_s": round(job.probe.duration_s, 3)}

    async def _slides(self, job: Job) -> dict:
        work_dir = await asyncio.to_thread(self.hls.new_work_dir)
        pages: list[bytes] = []
        try:
            for index, src in enumerate(job.sources):
                part_dir = work_dir / str(index)
                part_dir.mkdir()
                pages += await render(src, part_dir, self.pool, self.slide_limits)
        finally:
            await asyncio.to_thread(shutil.rmtree, work_dir, True)
        shas = [await self.blobs.add_bytes(png, "image/png", compress=False) for png in pages]
        return {"slides": shas}
