"""A collection's pictures: the format by its bytes, the size from its header,
then decoded (only Pillow's PNG, JPEG and WebP decoders) and re-encoded.

Nothing of the upload is served as it came: each picture becomes two new JPEGs
(for the wall texture and the card), which also drops any metadata it carried.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from .errors import CollectionRefused
from .limits import CollectionLimits

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def sniff_image(head: bytes) -> str | None:
    """``JPEG``, ``PNG`` or ``WEBP`` from the first bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


@dataclass(frozen=True)
class PreparedImage:
    width: int  # of the uploaded picture, after its EXIF rotation
    height: int
    wall_jpeg: bytes
    card_jpeg: bytes
    card_size: tuple[int, int]


def _jpeg(image: Image.Image, longest: int, quality: int) -> tuple[bytes, tuple[int, int]]:
    copy = image.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=quality, optimize=True, progressive=False)
    return out.getvalue(), copy.size


def prepare_image(data: bytes, name: str, limits: CollectionLimits) -> PreparedImage:
    """Check and re-encode one picture; :class:`CollectionRefused` names ``name``."""
    if not data:
        raise CollectionRefused([f"{name}: the file is empty (0 bytes)"])
    if len(data) > limits.max_image_bytes:
        raise CollectionRefused(
            [f"{name}: {len(data)} bytes, over max_image_bytes {limits.max_image_bytes}"]
        )
    fmt = sniff_image(data[:16])
    if fmt is None:
        raise CollectionRefused(
            [f"{name}: not a JPEG, PNG or WebP image (judged by its bytes, not its name)"]
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # open() reads the header only; our check below names the sizes, then
            # Pillow's own bomb guard is set for anything that would decode
            Image.MAX_IMAGE_PIXELS = None
            try:
                opened = Image.open(io.BytesIO(data), formats=[fmt])
            finally:
                Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
            w, h = opened.size
            if (
                w > limits.max_image_side
                or h > limits.max_image_side
                or w * h > limits.max_image_pixels
            ):
                raise CollectionRefused(
                    [
                        f"{name}: declares {w} x {h} pixels; at most {limits.max_image_side} a "
                        f"side and {limits.max_image_pixels} in all (max_image_pixels)"
                    ]
                )
            opened.load()
    except CollectionRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise CollectionRefused([f"{name}: too many pixels (max_image_pixels)"]) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise CollectionRefused([f"{name}: the {fmt} image cannot be decoded ({exc})"]) from None
    image: Image.Image = ImageOps.exif_transpose(opened)
    if image.mode != "RGB":
        # transparency over gallery-wall white, not black
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (242, 240, 235))
        image.paste(rgba, mask=rgba.getchannel("A"))
    wall, _ = _jpeg(image, limits.wall_texture_px, 85)
    card, card_size = _jpeg(image, limits.card_image_px, 88)
    return PreparedImage(image.width, image.height, wall, card, card_size)
