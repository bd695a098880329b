"""Image checks from the header alone: the format by magic bytes (PNG, JPEG,
WebP only) and the declared size, before any pixel is decoded."""

from __future__ import annotations

import io
import warnings

from PIL import Image

from .errors import SceneRefused, over_budget

FORMATS = ["PNG", "JPEG", "WEBP"]  # Pillow opens nothing else here (no SVG, no TIFF)
MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def image_header(data: bytes, name: str, max_px: int) -> tuple[str, int, int]:
    """(format, width, height) of an image, refused if it is not PNG/JPEG/WebP or
    declares a side above ``max_px``. Pillow's ``open`` reads only the header."""
    if not data:
        raise SceneRefused("bad_image", f"image {name} is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: we judge the size
            with Image.open(io.BytesIO(data), formats=FORMATS) as img:
                fmt, (width, height) = str(img.format), img.size
    except Image.DecompressionBombError:
        raise SceneRefused(
            "over_budget", f"image {name} declares more pixels than any texture may have"
        ) from None
    except Exception:  # Pillow raises many kinds for a file it cannot identify
        raise SceneRefused(
            "bad_image", f"image {name} is not a PNG, JPEG or WebP image (checked by content)"
        ) from None
    side = max(width, height)
    if side > max_px:
        raise over_budget(f"texture size of image {name} ({width}x{height})", side, max_px, " px")
    if min(width, height) < 1:
        raise SceneRefused("bad_image", f"image {name} has no pixels")
    return fmt, width, height
