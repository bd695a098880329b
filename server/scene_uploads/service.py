"""Scene uploads in the web process: a job per upload (answered at once), whose
work awaits the limited worker process, gltfpack and the validator, then stores
the files by content hash and records a new version of the venue.

Nothing here imports trimesh: the heavy parts are other processes.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from ..job_runner import JobRunner, Progress
from ..storage import jobs as jobs_repo
from ..storage import venue_versions as versions_repo
from ..storage.blobs import BlobStore
from . import compress, validate
from .budgets import Budgets
from .errors import SceneRefused
from .runner import WorkerLimits, run_worker

log = logging.getLogger("zal.scene_uploads")

GLB_TYPE = "model/gltf-binary"
JOB_KIND = "scene_upload"


@dataclass(frozen=True)
class UploadRequest:
    institution_id: str
    venue: dict | None  # the venue row when this is a new version of it
    name: str
    units: str
    up: str
    created_by: str | None


def new_venue_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "venue"
    return f"{slug}-{secrets.token_hex(3)}"


class SceneUploads:
    def __init__(
        self,
        engine: AsyncEngine,
        blobs: BlobStore,
        runner: JobRunner,
        work_root: Path,
        budgets: Budgets,
        limits: WorkerLimits,
    ):
        self.engine = engine
        self.blobs = blobs
        self.runner = runner
        self.work_root = work_root
        self.budgets = budgets
        self.limits = limits

    async def submit(self, request: UploadRequest, src: Path) -> dict:
        """The new job's row; the job owns ``src`` from here on."""
        job = await jobs_repo.add(self.engine, JOB_KIND, request.institution_id)
        venue_id = request.venue["id"] if request.venue else new_venue_id(request.name)

        async def work(progress: Progress) -> dict:
            try:
                return await self._process(request, venue_id, src, progress)
            finally:
                await asyncio.to_thread(src.unlink, True)

        self.runner.submit(job["id"], work)
        return job

    async def _process(
        self, request: UploadRequest, venue_id: str, src: Path, progress: Progress
    ) -> dict:
        self.work_root.mkdir(parents=True, exist_ok=True)
        out = Path(await asyncio.to_thread(tempfile.mkdtemp, dir=self.work_root, prefix="scene-"))
        try:
            await progress("converting", 0.1)
            options = {
                "venue_id": venue_id,
                "name": request.name,
                "units": request.units,
                "up": request.up,
            }
            answer = await run_worker(src, out, self.budgets, options, self.limits)
            if not answer.get("ok"):
                raise SceneRefused(str(answer.get("code")), str(answer.get("message")))
            await progress("compressing", 0.6)
            files = await self._compressed(out)
            await progress("validating", 0.8)
            await self._validated(list(files.values()))
            await progress("storing", 0.9)
            return await self._record(request, venue_id, src, out, files, answer)
        finally:
            await asyncio.to_thread(shutil.rmtree, out, True)

    async def _compressed(self, out: Path) -> dict[str, Path]:
        """``full`` and maybe ``light``: compressed for the wire when gltfpack is here."""
        files = {k: out / f"{k}.glb" for k in ("full", "light") if (out / f"{k}.glb").exists()}
        if not compress.available():
            log.warning("gltfpack missing: scenes are stored without geometry compression")
            return files
        packed = {}
        for kind, path in files.items():
            target = path.with_name(f"{kind}.pack.glb")
            try:
                await compress.compress_glb(path, target, cpu_s=self.limits.cpu_s)
                packed[kind] = target
            except compress.CompressionFailed as exc:
                log.warning("gltfpack failed, stored uncompressed: %s", exc)
                packed[kind] = path
        return packed

    async def _validated(self, paths: list[Path]) -> None:
        if not validate.available():
            log.warning("gltf-validator missing: an upload is stored unvalidated")
            return
        errors = await validate.validation_errors(paths)
        if errors:
            log.error("our GLB fails the validator: %s", errors[:3])
            raise SceneRefused(
                "unexportable",
                "the converted model did not pass the glTF validator; export it again "
                "(GLB works best) or tell us which file it was",
            )

    async def _record(
        self,
        request: UploadRequest,
        venue_id: str,
        src: Path,
        out: Path,
        files: dict[str, Path],
        answer: dict,
    ) -> dict:
        from scenes.metadata import VenueMetadata

        full = await self.blobs.add_file(files["full"], GLB_TYPE, compress=True)
        light = None
        if "light" in files:
            light = await self.blobs.add_file(files["light"], GLB_TYPE, compress=True)
        text = await asyncio.to_thread((out / "metadata.json").read_text, encoding="utf-8")
        metadata = VenueMetadata.model_validate_json(text)
        if metadata.stats is not None:
            stats = metadata.stats.model_copy(update={"glb_bytes": files["full"].stat().st_size})
            metadata = metadata.model_copy(update={"stats": stats})
        manifest = await self.blobs.add_bytes(
            metadata.model_dump_json().encode(), "application/json", compress=True
        )
        source = await self.blobs.add_file(src, "application/octet-stream", compress=False)
        venue = request.venue or {
            "id": venue_id,
            "institution_id": request.institution_id,
            "name": request.name,
            "kind": metadata.kind,
            "seat_count": 0,
            "spec_hash": answer["source_sha256"],
            "glb_sha256": full,
            "manifest_sha256": manifest,
            "builtin": False,
        }
        version = await versions_repo.add_version(
            self.engine,
            venue,
            {
                "glb_sha256": full,
                "light_glb_sha256": light,
                "manifest_sha256": manifest,
                "source_sha256": source,
                "note": f"upload ({answer.get('file_type')})",
                "triangles": int(answer.get("triangles") or 0),
                "created_by": request.created_by,
            },
            new_venue=request.venue is None,
        )
        return {
            "venue_id": venue_id,
            "version": version["number"],
            "scene_url": f"/scenes/{full}.glb",
            "light_scene_url": f"/scenes/{light}.glb" if light else None,
            "triangles": answer.get("triangles"),
            "light_triangles": answer.get("light_triangles"),
        }
