"""What an upload may be: sizes, counts and the headset budget (plain data that
crosses the process boundary as JSON). Defaults live in ``server.settings``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# what an editor may say about a unitless model (normalise.py)
Units = Literal["auto", "m", "cm", "mm", "in", "ft"]
Up = Literal["auto", "y", "z"]


class Budgets(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_bytes: int = Field(default=50 << 20, ge=1)  # the upload as sent
    max_unpacked_bytes: int = Field(default=200 << 20, ge=1)  # a zip's members together
    max_zip_entries: int = Field(default=1000, ge=1)
    max_zip_ratio: float = Field(default=100.0, ge=1)  # per member, uncompressed/compressed
    max_triangles: int = Field(default=500_000, ge=1)
    max_texture_px: int = Field(default=4096, ge=1)  # the longer side of any image
    max_nodes: int = Field(default=10_000, ge=1)
    max_images: int = Field(default=64, ge=0)
    # phones and standalone headsets get a lighter copy above these
    headset_triangles: int = Field(default=75_000, ge=1)
    headset_texture_px: int = Field(default=2048, ge=1)
