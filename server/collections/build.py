"""Worker entry: a collection's files in, a gallery venue's files out.

Runs in the build pool (plain data across the process boundary: file paths in,
a dict of output paths out) under :func:`memory_budget`. Every work is checked
before anything is built, so one refusal lists every bad row and file at once.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from scenes.errors import SpecError
from scenes.gallery import GallerySpec, build_gallery
from scenes.metadata import ExhibitInfo

from .audio import AUDIO_TYPES, check_audio
from .errors import CollectionRefused
from .images import prepare_image
from .layout import HungWork, gallery_spec, hung_size
from .limits import CollectionLimits
from .manifest import MANIFEST_NAMES, ManifestWork, parse_manifest
from .memory import memory_budget, peak_rss_bytes


def find_manifest(names: list[str]) -> str:
    for wanted in MANIFEST_NAMES:
        if wanted in names:
            return wanted
    found = [n for n in names if n.lower().endswith((".csv", ".json"))]
    if len(found) == 1:
        return found[0]
    raise CollectionRefused(
        [
            f"no manifest: add one .csv or .json file (e.g. {MANIFEST_NAMES[0]}); "
            f"found {found or 'none'}"
        ]
    )


def _read(path: str, max_bytes: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(max_bytes + 1)


def _info(work: ManifestWork, card_sha: str, card_size, audio_url: str | None) -> ExhibitInfo:
    def others(field: str) -> dict[str, str]:
        return {lang: t[field] for lang, t in work.texts.items() if t.get(field)}

    size = (work.width_cm, work.height_cm) if work.width_cm and work.height_cm else None
    return ExhibitInfo(
        author=work.author,
        year=work.year,
        medium=work.medium,
        mediums=others("medium"),
        description=work.description,
        descriptions=others("description"),
        size_cm=size,
        image_url=f"/media/{card_sha}.jpg",
        image_size=card_size,
        audio_url=audio_url,
        credit=work.credit_line,
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _prepare_works(
    works: list[ManifestWork], files: dict[str, str], out: Path, limits: CollectionLimits
) -> tuple[list[HungWork], dict[str, bytes], list[tuple[str, str]]]:
    problems: list[str] = []
    hung: list[HungWork] = []
    pictures: dict[str, bytes] = {}
    media: list[tuple[str, str]] = []  # (path, content type) to store as blobs
    for work in works:
        try:
            if work.file not in files:
                raise CollectionRefused(
                    [f"row {work.row}: image {work.file!r} is not in the upload"]
                )
            data = _read(files[work.file], limits.max_image_bytes)
            image = prepare_image(data, f"row {work.row} ({work.file})", limits)
            del data
            audio_url = None
            if work.audio is not None:
                if work.audio not in files:
                    raise CollectionRefused(
                        [f"row {work.row}: audio guide {work.audio!r} is not in the upload"]
                    )
                sound = _read(files[work.audio], limits.max_audio_bytes)
                ext = check_audio(sound, f"row {work.row} ({work.audio})", limits.max_audio_bytes)
                sound_sha = _sha(sound)
                (out / f"{sound_sha}.{ext}").write_bytes(sound)
                media.append((str(out / f"{sound_sha}.{ext}"), AUDIO_TYPES[ext]))
                audio_url = f"/media/{sound_sha}.{ext}"
        except CollectionRefused as exc:
            problems += exc.problems
            continue
        card_sha, wall_sha = _sha(image.card_jpeg), _sha(image.wall_jpeg)
        (out / f"{card_sha}.jpg").write_bytes(image.card_jpeg)
        media.append((str(out / f"{card_sha}.jpg"), "image/jpeg"))
        pictures[wall_sha] = image.wall_jpeg
        w, h = hung_size(work, image.width, image.height)
        info = _info(work, card_sha, image.card_size, audio_url)
        hung.append(HungWork(work, wall_sha, w, h, info))
    if problems:
        raise CollectionRefused(problems)
    return hung, pictures, media


def build_collection_in_worker(
    files: dict[str, str], frame_json: str, out_dir: str, limits: CollectionLimits
) -> dict:
    """``files`` maps the upload's file names to paths; ``frame_json`` is a gallery
    spec (id, name, rooms, spacing) to hang the works in. Returns the output
    paths and figures; raises :class:`CollectionRefused` naming rows and files."""
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with memory_budget(limits.worker_memory_bytes):
        try:
            manifest = find_manifest(list(files))
            data = _read(files[manifest], limits.max_manifest_bytes)
            if len(data) > limits.max_manifest_bytes:
                raise CollectionRefused(
                    [f"{manifest}: over max_manifest_bytes {limits.max_manifest_bytes}"]
                )
            works = parse_manifest(data, manifest, limits.max_works)
            hung, pictures, media = _prepare_works(works, files, out, limits)
            frame = GallerySpec.model_validate_json(frame_json)
            spec, problems = gallery_spec(frame, hung)
            if problems:
                raise CollectionRefused(problems)
            spec_text = spec.model_dump_json()
            try:
                built = build_gallery(spec, _sha(spec_text.encode()), pictures)
            except SpecError as exc:
                raise CollectionRefused(list(exc.problems)) from None
        except MemoryError:
            raise CollectionRefused(
                [
                    f"the collection needs more memory than worker_memory_bytes "
                    f"({limits.worker_memory_bytes}) to process"
                ]
            ) from None
    glb_path, manifest_path = out / "venue.glb", out / "venue.json"
    glb_path.write_bytes(built.glb)
    manifest_path.write_text(built.metadata.model_dump_json(), encoding="utf-8")
    return {
        "glb": str(glb_path),
        "manifest": str(manifest_path),
        "media": media,
        "works": len(hung),
        "seconds": round(time.perf_counter() - started, 3),
        "peak_rss_bytes": peak_rss_bytes(),
        "spec": json.loads(spec_text),
    }
