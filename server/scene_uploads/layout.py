"""An editor's spawn points and screen rectangle for an uploaded venue: checked
against the venue's bounds, written as a new manifest (a new version)."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scenes.metadata import ScreenRect, SpawnPoint, VenueMetadata

from ..errors import ApiError
from ..storage.blobs import BlobStore

MARGIN = 0.5  # m outside the bounds still accepted (a screen on an outer wall)


class BadLayout(ApiError):
    status = 400
    code = "bad_layout"


class LayoutEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spawn_points: list[SpawnPoint] | None = Field(default=None, min_length=1, max_length=32)
    screen: ScreenRect | None = None


def _inside(point, meta: VenueMetadata) -> bool:
    return all(
        lo - MARGIN <= v <= hi + MARGIN
        for v, lo, hi in zip(point, meta.bounds_min, meta.bounds_max, strict=True)
    )


async def edited_manifest(blobs: BlobStore, manifest_sha: str, edit: LayoutEdit) -> str:
    text = await asyncio.to_thread(blobs.path(manifest_sha).read_text, encoding="utf-8")
    meta = VenueMetadata.model_validate_json(text)
    changes: dict = {}
    if edit.spawn_points is not None:
        changes["spawn_points"] = edit.spawn_points
    if edit.screen is not None:
        changes["screen"] = edit.screen
    points = [p.position for p in edit.spawn_points or []]
    points += list(edit.screen.corners) if edit.screen else []
    outside = [p for p in points if not _inside(p, meta)]
    if outside:
        raise BadLayout(
            f"{list(outside[0])} is outside the venue "
            f"({list(meta.bounds_min)} to {list(meta.bounds_max)})"
        )
    try:
        edited = VenueMetadata.model_validate({**meta.model_dump(), **changes})
    except ValidationError as exc:
        raise BadLayout(str(exc.errors()[0]["msg"])) from None
    return await blobs.add_bytes(
        edited.model_dump_json().encode(), "application/json", compress=True
    )
