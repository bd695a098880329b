"""A minimal programme on a fresh database: one institution, venue and event with
a known host token (the venue's files are small stand-in blobs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from server.storage import events as events_repo
from server.storage import institutions as institutions_repo
from server.storage import venues as venues_repo
from server.storage.blobs import BlobStore

HOST_TOKEN = "host-token-for-media-tests"


async def seed_event(
    engine: AsyncEngine,
    blobs: BlobStore,
    event_id: str = "ev1",
    *,
    token: str = HOST_TOKEN,
    first: bool = True,
) -> str:
    """The event ``event_id`` with host token ``token``; ``first`` makes its
    institution and venue too (a second event shares them)."""
    if not first:
        await _event(engine, event_id, token)
        return event_id
    await institutions_repo.add(engine, "inst", "Philharmonic", "philharmonic")
    glb = await blobs.add_bytes(b"glTF stand-in", "model/gltf-binary", compress=False)
    manifest = await blobs.add_bytes(b"{}", "application/json", compress=False)
    await venues_repo.upsert(
        engine,
        id="hall",
        institution_id="inst",
        name="Hall",
        kind="chamber_hall",
        seat_count=10,
        spec_hash="0" * 64,
        glb_sha256=glb,
        manifest_sha256=manifest,
        thumbnail_sha256=None,
        builtin=False,
    )
    await _event(engine, event_id, token)
    return event_id


async def _event(engine: AsyncEngine, event_id: str, token: str) -> None:
    now = datetime.now(UTC)
    await events_repo.add(
        engine,
        id=event_id,
        venue_id="hall",
        title="Concert",
        kind="concert",
        description="",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        poster_sha256=None,
        host_token_hash=events_repo.hash_token(token),
        demo=False,
    )
