"""The material palette of Zal venues: glTF PBR materials, a few with small
procedural textures (wood, fabric, carpet, parquet) generated with numpy.

Textures are tiny (at most 256 px, far under the 1024 px budget) and tile at a
real-world size through the UVs of :mod:`scenes.geometry` (metres / uv_scale).
Every builder draws from this one palette so one material is one draw call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image
from trimesh.visual.material import PBRMaterial

TEXTURE_MAX_PX = 256


@dataclass(frozen=True)
class MaterialDef:
    name: str
    color: tuple[float, float, float, float]
    roughness: float
    metallic: float = 0.0
    texture: str | None = None  # name of a procedural texture
    uv_scale: float = 1.0  # metres covered by one texture tile
    emissive: tuple[float, float, float] | None = None
    double_sided: bool = False


PALETTE: dict[str, MaterialDef] = {
    m.name: m
    for m in [
        MaterialDef("stage_floor", (0.55, 0.36, 0.22, 1), 0.55, texture="planks", uv_scale=2.0),
        MaterialDef("parquet", (0.78, 0.58, 0.40, 1), 0.6, texture="parquet", uv_scale=1.5),
        MaterialDef("carpet", (0.42, 0.08, 0.10, 1), 0.95, texture="fabric", uv_scale=0.5),
        MaterialDef("seat_fabric", (0.62, 0.07, 0.09, 1), 0.9),
        MaterialDef("seat_frame", (0.22, 0.14, 0.09, 1), 0.5),
        MaterialDef("wall", (0.86, 0.80, 0.70, 1), 0.85),
        MaterialDef("wall_panel", (0.55, 0.37, 0.24, 1), 0.6, texture="planks", uv_scale=3.0),
        MaterialDef("ceiling", (0.92, 0.89, 0.82, 1), 0.9),
        MaterialDef("gilt", (0.83, 0.66, 0.32, 1), 0.35, metallic=0.8),
        MaterialDef("curtain", (0.50, 0.04, 0.07, 1), 0.9, texture="fabric", uv_scale=0.8),
        MaterialDef("stage_black", (0.06, 0.06, 0.07, 1), 0.8),
        MaterialDef("screen", (0.9, 0.9, 0.9, 1), 0.9, emissive=(0.08, 0.08, 0.1)),
        MaterialDef("gallery_wall", (0.95, 0.94, 0.91, 1), 0.9),
        MaterialDef("gallery_floor", (0.66, 0.62, 0.56, 1), 0.5, texture="parquet", uv_scale=1.2),
        MaterialDef("gallery_oak", (0.58, 0.42, 0.28, 1), 0.55, texture="parquet", uv_scale=1.2),
        MaterialDef("plinth", (0.97, 0.97, 0.96, 1), 0.7),
        MaterialDef("frame_slot", (0.18, 0.17, 0.16, 1), 0.6),
        MaterialDef("lectern", (0.38, 0.24, 0.14, 1), 0.5, texture="planks", uv_scale=1.0),
        MaterialDef("metal", (0.6, 0.6, 0.62, 1), 0.35, metallic=0.9),
        MaterialDef("light_fixture", (1.0, 0.95, 0.85, 1), 0.3, emissive=(1.0, 0.92, 0.75)),
    ]
}


def _noise(size: int, scale: int, seed: int) -> np.ndarray:
    """Smooth value noise in [0, 1], tileable, from an upscaled random grid."""
    rng = np.random.default_rng(seed)
    grid = rng.random((scale, scale))
    img = Image.fromarray((grid * 255).astype(np.uint8)).resize(
        (size, size), Image.Resampling.BICUBIC
    )
    return np.asarray(img, dtype=np.float64) / 255.0


def _planks(size: int) -> np.ndarray:
    y = np.arange(size)[:, None] * np.ones((1, size))
    x = np.arange(size)[None, :] * np.ones((size, 1))
    rows = 8
    plank = (y // (size // rows)).astype(int)
    rng = np.random.default_rng(7)
    tone = rng.uniform(0.82, 1.0, rows)[plank]
    grain = 0.92 + 0.08 * np.sin(x / size * 2 * np.pi * 3 + _noise(size, 8, 1) * 9)
    seam = np.where((y % (size // rows)) < 2, 0.7, 1.0)
    return tone * grain * seam


def _parquet(size: int) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size]
    cell = size // 4
    checker = ((x // cell) + (y // cell)) % 2
    stripe = np.where(checker == 0, x % (cell // 4), y % (cell // 4))
    seam = np.where((stripe < 1) | (x % cell < 1) | (y % cell < 1), 0.75, 1.0)
    return (0.9 + 0.1 * _noise(size, 16, 2)) * seam


def _fabric(size: int) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size]
    weave = 0.9 + 0.1 * ((x % 4 < 2) ^ (y % 4 < 2))
    return weave * (0.9 + 0.1 * _noise(size, 32, 3))


_TEXTURES = {"planks": _planks, "parquet": _parquet, "fabric": _fabric}


@cache
def texture_image(name: str, size: int = TEXTURE_MAX_PX) -> Image.Image:
    """A greyscale-modulation texture as an RGB image; the material's colour tints it."""
    lum = np.clip(_TEXTURES[name](size), 0, 1)
    rgb = (np.repeat(lum[:, :, None], 3, axis=2) * 255).astype(np.uint8)
    return Image.fromarray(rgb, "RGB")


def pbr_material(name: str) -> PBRMaterial:
    """The trimesh PBR material for palette entry ``name``."""
    m = PALETTE[name]
    return PBRMaterial(
        name=m.name,
        baseColorFactor=m.color,
        roughnessFactor=m.roughness,
        metallicFactor=m.metallic,
        baseColorTexture=texture_image(m.texture) if m.texture else None,
        emissiveFactor=m.emissive,
        doubleSided=m.double_sided,
    )
