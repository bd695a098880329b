"""Runs background jobs that a person waits on, recorded in the ``jobs`` table
(server/storage/jobs.py), shown by ``GET /api/jobs/{id}``.

Any part submits a job id with its ``work``: an async function that gets a
``progress(stage, share)`` callback and returns the job's result (plain JSON).
``workers`` tasks take jobs in order. An :class:`~server.errors.ApiError`
raised by the work ends the job ``failed`` with its code and message (what the
person should change); anything else is our bug: logged, ``internal_error``.
Heavy work must not run here: ``work`` awaits a worker process or subprocess.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from .errors import ApiError
from .storage import jobs as jobs_repo

log = logging.getLogger("zal.jobs")

Progress = Callable[[str, float], Awaitable[None]]
Work = Callable[[Progress], Awaitable[dict]]


class JobRunner:
    def __init__(self, engine: AsyncEngine, workers: int = 1, tidy: bool = True):
        self.engine = engine
        self.workers = workers
        # fail what a dead process left: not in a later process of `zal serve
        # --workers`, whose first process's jobs are alive (server/scale)
        self.tidy = tidy
        self._queue: asyncio.Queue[tuple[str, Work]] = asyncio.Queue()
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        interrupted = await jobs_repo.fail_interrupted(self.engine) if self.tidy else 0
        if interrupted:
            log.warning("jobs interrupted by the last shutdown: %d", interrupted)
        self._tasks = [
            asyncio.create_task(self._work(), name=f"job-runner-{i}") for i in range(self.workers)
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await jobs_repo.fail_interrupted(self.engine)  # the ones still waiting

    def submit(self, job_id: str, work: Work) -> None:
        self._queue.put_nowait((job_id, work))

    async def join(self) -> None:
        """Wait until every submitted job has ended (tests)."""
        await self._queue.join()

    async def _work(self) -> None:
        while True:
            job_id, work = await self._queue.get()
            try:
                await self._run(job_id, work)
            finally:
                self._queue.task_done()

    async def _run(self, job_id: str, work: Work) -> None:
        async def progress(stage: str, share: float) -> None:
            await jobs_repo.update(
                self.engine, job_id, status="processing", stage=stage, progress=round(share, 3)
            )

        await progress("starting", 0.0)
        try:
            result = await work(progress)
            values: dict = {"status": "done", "stage": "done", "progress": 1.0, "result": result}
        except ApiError as exc:
            values = {"status": "failed", "stage": "done", "error": exc.code,
                      "message": exc.message}
        except asyncio.CancelledError:
            raise  # stop() marks it interrupted
        except Exception:
            log.exception("job %s", job_id)
            values = {"status": "failed", "stage": "done", "error": "internal_error",
                      "message": "the job failed on our side; try again later"}
        await jobs_repo.update(self.engine, job_id, **values)
