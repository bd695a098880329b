"""Background jobs that a person waits on (schema 5): what ``GET /api/jobs/{id}``
shows. A job has a ``kind`` (``scene_upload``...), the institution it works for,
a ``status`` (queued, processing, done, failed; as collection jobs), a ``progress`` in [0, 1] with
the ``stage`` it is in, and at the end a ``result`` (JSON) or an ``error`` code
with a ``message`` a person can act on. Jobs do not survive a restart: rows left
queued or processing fail as ``interrupted`` at start (:func:`fail_interrupted`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Float, ForeignKey, String, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import JSON

from .schema import metadata

STATUSES = ("queued", "processing", "done", "failed")

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(20), primary_key=True),  # "job_" + 12 hex
    Column("kind", String(32), nullable=False),
    Column("institution_id", ForeignKey("institutions.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False, default="queued"),
    Column("stage", String(32), nullable=False, default="queued"),
    Column("progress", Float, nullable=False, default=0.0),
    Column("error", String(64), nullable=True),
    Column("message", Text, nullable=True),
    Column("result", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def _row(r) -> dict:
    d = dict(r._mapping)
    for key in ("created_at", "updated_at"):
        moment = d[key]
        d[key] = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return d


async def add(engine: AsyncEngine, kind: str, institution_id: str) -> dict:
    now = datetime.now(UTC)
    values = {
        "id": "job_" + secrets.token_hex(6),
        "kind": kind,
        "institution_id": institution_id,
        "status": "queued",
        "stage": "queued",
        "progress": 0.0,
        "created_at": now,
        "updated_at": now,
    }
    async with engine.begin() as conn:
        await conn.execute(jobs.insert().values(values))
    return {**values, "error": None, "message": None, "result": None}


async def get(engine: AsyncEngine, job_id: str) -> dict | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(jobs).where(jobs.c.id == job_id))).first()
    return _row(row) if row else None


async def update(engine: AsyncEngine, job_id: str, **values: object) -> None:
    if "status" in values and values["status"] not in STATUSES:
        raise ValueError(f"unknown job status {values['status']!r}")
    values["updated_at"] = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(jobs.update().where(jobs.c.id == job_id).values(values))


async def list_for_institution(engine: AsyncEngine, institution_id: str, limit: int = 50):
    q = (
        select(jobs)
        .where(jobs.c.institution_id == institution_id)
        .order_by(jobs.c.created_at.desc())
        .limit(limit)
    )
    async with engine.connect() as conn:
        return [_row(r) for r in await conn.execute(q)]


async def fail_interrupted(engine: AsyncEngine) -> int:
    async with engine.begin() as conn:
        result = await conn.execute(
            jobs.update()
            .where(jobs.c.status.in_(("queued", "processing")))
            .values(
                status="failed",
                error="interrupted",
                message="the server restarted while this ran; upload the file again",
                updated_at=datetime.now(UTC),
            )
        )
    return result.rowcount or 0
