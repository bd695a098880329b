"""Budgets of a collection upload; every one is named in the refusal that hits it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CollectionLimits:
    max_works: int = 200
    max_upload_bytes: int = 300 * 1024**2  # the whole multipart body
    max_files: int = 402  # works + their audio guides + the manifest
    max_manifest_bytes: int = 2 * 1024**2
    max_image_bytes: int = 40 * 1024**2
    max_image_pixels: int = 60_000_000  # e.g. 9,000 x 6,600: checked from the header
    max_image_side: int = 16_384
    max_audio_bytes: int = 40 * 1024**2
    wall_texture_px: int = 1024  # longest side of the picture drawn on the wall (in the GLB)
    card_image_px: int = 2048  # longest side of the image on the work's card
    worker_memory_bytes: int = 1536 * 1024**2  # address space the build may add
    timeout_s: float = 600.0
