"""One upload from bytes to GLBs: preflight, load, normalise, budgets, the
lighter copy, metadata, export. Pure: no server, no files; run it in a limited
worker process (:mod:`.worker`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from .budgets import Budgets, Units, Up
from .errors import SceneRefused
from .export import export_glb
from .lighter import lighter_copy
from .loading import load_checked
from .manifest import upload_metadata
from .measure import enforce, measure, needs_lighter
from .normalise import normalise
from .preflight import preflight


class UploadOptions(BaseModel):
    """What the editor says about the upload (the rest comes from its bytes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    venue_id: str = Field(default="upload", max_length=64)
    name: str = Field(default="Uploaded venue", max_length=200)
    units: Units = "auto"
    up: Up = "auto"


@dataclass(frozen=True)
class Processed:
    full: bytes  # the GLB desktops get
    light: bytes | None  # phones and headsets, when the full one is over their budget
    metadata_json: str
    source_sha256: str
    file_type: str
    triangles: int
    light_triangles: int | None


def process_upload(data: bytes, budgets: Budgets, options: UploadOptions) -> Processed:
    """Raises :class:`SceneRefused` for anything a person should change."""
    checked = preflight(data, budgets)
    scene = load_checked(checked)
    normalise(scene, checked.file_type, options.units, options.up)
    measured = measure(scene)
    enforce(measured, budgets)
    source_sha = hashlib.sha256(data).hexdigest()
    light_scene = None
    if needs_lighter(measured, budgets):
        light_scene = lighter_copy(scene, measured, budgets)
    metadata = upload_metadata(scene, options.venue_id, options.name, source_sha, measured)
    full = export_glb(scene, budgets)
    light = None
    light_triangles = None
    if light_scene is not None:
        light_triangles = measure(light_scene).triangles
        light = export_glb(light_scene, budgets)
    if not full:
        raise SceneRefused("unexportable", "the model came out empty")
    return Processed(
        full=full,
        light=light,
        metadata_json=metadata.model_dump_json(),
        source_sha256=source_sha,
        file_type=checked.file_type,
        triangles=measured.triangles,
        light_triangles=light_triangles,
    )


def outcome_in_worker(data: bytes, budgets: dict | None = None) -> dict:
    """Process-pool entry (tests, benchmarks): plain data in and out;
    ``{"refused": code, "message"}`` or ``{"glb", "light", "metadata"}``."""
    try:
        done = process_upload(data, Budgets(**(budgets or {})), UploadOptions())
    except SceneRefused as exc:
        return {"refused": exc.code, "message": exc.message}
    return {"glb": done.full, "light": done.light, "metadata": done.metadata_json}
