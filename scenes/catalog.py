"""Venue specs and their builders: load a spec, hash it, build it.

A spec is a TOML file (see ``scenes/specs/``) whose ``kind`` picks the builder.
Builders are pure functions ``build(spec) -> BuiltVenue``; a spec that breaks a
theatre check raises :class:`SpecError` naming the seats and the reason.
Only plain data (spec JSON in, GLB bytes and manifest JSON out) crosses into a
worker process: see :func:`build_in_worker`.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from .assembly import BuiltVenue
from .chamber import ChamberSpec, build_chamber
from .errors import SpecError
from .gallery import GallerySpec, build_gallery
from .hall import HallSpec, build_hall

# bump when a builder changes its output, so cached builds are not reused
BUILDER_VERSION = "2"  # 2: names in several languages, exhibits

SPEC_DIR = Path(__file__).parent / "specs"

VenueSpec = Annotated[HallSpec | ChamberSpec | GallerySpec, Field(discriminator="kind")]
_SPEC_ADAPTER: TypeAdapter[VenueSpec] = TypeAdapter(VenueSpec)

_BUILDERS: dict[type, Callable[[Any, str], BuiltVenue]] = {
    HallSpec: build_hall,
    ChamberSpec: build_chamber,
    GallerySpec: build_gallery,
}


def builtin_spec_paths() -> list[Path]:
    return sorted(SPEC_DIR.glob("*.toml"))


def builtin_spec_data(venue_id: str) -> dict:
    """The raw TOML table of built-in spec ``venue_id``: a start for a spec of one's own."""
    with open(SPEC_DIR / f"{venue_id}.toml", "rb") as f:
        return tomllib.load(f)


def with_changes(data: dict, **tables: dict) -> dict:
    """A copy of spec ``data`` with some fields of some of its tables changed,
    e.g. ``with_changes(data, stalls={"rows": 30})``."""
    out = dict(data)
    for table, fields in tables.items():
        out[table] = {**data[table], **fields}
    return out


def parse_spec(data: dict) -> VenueSpec:
    return _SPEC_ADAPTER.validate_python(data)


def load_spec(path: Path | str) -> VenueSpec:
    with open(path, "rb") as f:
        return parse_spec(tomllib.load(f))


def spec_json(spec: VenueSpec) -> str:
    """Canonical JSON of a spec: sorted keys, defaults filled in."""
    return json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def spec_hash(spec: VenueSpec) -> str:
    payload = f"{BUILDER_VERSION}\n{spec_json(spec)}".encode()
    return hashlib.sha256(payload).hexdigest()


def build_venue(spec: VenueSpec) -> BuiltVenue:
    builder = _BUILDERS[type(spec)]
    return builder(spec, spec_hash(spec))


def build_in_worker(spec_json_text: str) -> tuple[bytes, str]:
    """Process-pool entry point: spec JSON in, (GLB bytes, manifest JSON) out."""
    built = build_venue(parse_spec(json.loads(spec_json_text)))
    return built.glb, built.metadata.model_dump_json()


__all__ = [
    "BUILDER_VERSION",
    "BuiltVenue",
    "SpecError",
    "VenueSpec",
    "build_in_worker",
    "build_venue",
    "builtin_spec_data",
    "builtin_spec_paths",
    "load_spec",
    "parse_spec",
    "spec_hash",
    "spec_json",
    "with_changes",
]
