"""Build cache: a venue is built once per spec hash and kept as two files.

``<cache_dir>/<spec_hash>.glb`` and ``<cache_dir>/<spec_hash>.json`` (the manifest,
i.e. the :class:`VenueMetadata` JSON). Both are written atomically (temp file in
the same folder, fsync, ``os.replace``) and the manifest is written last, so a
build killed at any moment leaves either a complete pair or no manifest: a
manifest whose GLB is missing or of the wrong size counts as a miss and is rebuilt.
Several processes may share one cache dir (``ZAL_SCENE_CACHE``): two that build
the same spec at once write identical bytes and the last ``os.replace`` wins.

The spec hash changes with the spec and ``BUILDER_VERSION``; a third file,
``<spec_hash>.builder``, holds a fingerprint of the builder source code
(``scenes/*.py``), so an edited builder is never served from the cache even when
nobody remembered to raise ``BUILDER_VERSION``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .catalog import VenueSpec, build_venue, parse_spec, spec_hash
from .metadata import VenueMetadata

log = logging.getLogger(__name__)

CACHE_ENV = "ZAL_SCENE_CACHE"


@dataclass(frozen=True)
class CachedBuild:
    venue_id: str
    spec_hash: str
    glb_path: Path
    manifest_path: Path
    metadata: VenueMetadata
    built: bool  # False = cache hit, nothing was built
    seconds: float  # time this call took (the build time when built)


def cache_dir_from_env(default: Path | str) -> Path:
    """``ZAL_SCENE_CACHE`` if set, else ``default``."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else Path(default)


def cache_paths(cache_dir: Path, digest: str) -> tuple[Path, Path]:
    return cache_dir / f"{digest}.glb", cache_dir / f"{digest}.json"


def builder_fingerprint() -> str:
    """sha256 over the source of the ``scenes`` package (names and bytes)."""
    package = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # makes the rename itself durable; not every platform can open a directory
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_hit(
    glb_path: Path, manifest_path: Path, digest: str, fingerprint: str
) -> VenueMetadata | None:
    """The cached metadata if all files are there and agree, else None."""
    try:
        if glb_path.with_suffix(".builder").read_text() != fingerprint:
            return None
        metadata = VenueMetadata.model_validate_json(manifest_path.read_bytes())
        glb_size = glb_path.stat().st_size
    except (OSError, ValidationError, ValueError):
        return None
    if metadata.spec_hash != digest or metadata.stats is None:
        return None
    if metadata.stats.glb_bytes != glb_size:
        return None
    return metadata


def build_cached(spec: VenueSpec, cache_dir: Path) -> CachedBuild:
    """Build ``spec`` unless its files are already in ``cache_dir``.

    Raises :class:`scenes.errors.SpecError` for a spec that cannot be built
    (nothing is written then).
    """
    started = time.perf_counter()
    cache_dir = Path(cache_dir)
    digest = spec_hash(spec)
    glb_path, manifest_path = cache_paths(cache_dir, digest)
    fingerprint = builder_fingerprint()
    metadata = _read_hit(glb_path, manifest_path, digest, fingerprint)
    built = metadata is None
    if metadata is None:
        venue = build_venue(spec)
        metadata = venue.metadata
        cache_dir.mkdir(parents=True, exist_ok=True)
        # a stale manifest goes first, so a rebuild killed halfway leaves no hit behind
        manifest_path.unlink(missing_ok=True)
        write_atomic(glb_path, venue.glb)
        write_atomic(glb_path.with_suffix(".builder"), fingerprint.encode())
        # the manifest last: it is what makes the entry a hit
        write_atomic(manifest_path, metadata.model_dump_json().encode())
        log.info("built %s (%s) in %.2f s", spec.id, digest[:12], time.perf_counter() - started)
    return CachedBuild(
        venue_id=spec.id,
        spec_hash=digest,
        glb_path=glb_path,
        manifest_path=manifest_path,
        metadata=metadata,
        built=built,
        seconds=time.perf_counter() - started,
    )


def build_cached_in_worker(spec_json: str, cache_dir: str) -> tuple[str, str, bool, float]:
    """Process-pool entry point: plain data in and out.

    Returns (glb path, manifest path, built, seconds); a bad spec raises
    :class:`SpecError`, which pickles back to the caller.
    """
    result = build_cached(parse_spec(json.loads(spec_json)), Path(cache_dir))
    return str(result.glb_path), str(result.manifest_path), result.built, result.seconds


__all__ = [
    "CACHE_ENV",
    "CachedBuild",
    "build_cached",
    "build_cached_in_worker",
    "builder_fingerprint",
    "cache_dir_from_env",
    "cache_paths",
    "write_atomic",
]
