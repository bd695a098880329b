"""Slides: a PDF (pdftoppm) or a PNG/JPEG image (Pillow) -> PNG pages.

Every page ends as a PNG of at most 1920x1080 (aspect kept), re-encoded by
Pillow in the build pool: what is stored is always our own PNG, never the
uploaded bytes. Limits: ``pdfinfo`` counts the pages first (more than
``max_pages``: ``too_many_pages``, before anything is rendered), pdftoppm renders
at most ``max_pages`` pages, each scaled to fit 1920 px, under a wall-time and a
memory limit; an image larger than ``max_pixels`` is refused from its header
(``image_too_large``), before Pillow decodes it (decompression bombs).
"""

from __future__ import annotations

import asyncio
import io
import re
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from .errors import CorruptMedia, ImageTooLarge, MediaError, TooManyPages
from .process import run_tool

MAX_SIZE = (1920, 1080)
PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


class NotSlides(MediaError):
    status = 415
    code = "not_slides"


@dataclass(frozen=True)
class SlideLimits:
    max_pages: int
    max_pixels: int
    timeout_s: float
    memory_bytes: int


def sniff(head: bytes) -> str | None:
    """'pdf', 'image' or None, from the first bytes of a file."""
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith((PNG_MAGIC, JPEG_MAGIC)):
        return "image"
    return None


def reencode_in_worker(src: str, max_pixels: int) -> bytes | str:
    """The image at ``src`` as our PNG fitted into 1920x1080, or an error code."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own guard, for the formats it checks
    try:
        with Image.open(src, formats=["PNG", "JPEG"]) as image:
            if image.format not in ("PNG", "JPEG"):
                return NotSlides.code
            width, height = image.size
            if width * height > max_pixels:  # from the header: nothing decoded yet
                return ImageTooLarge.code
            image.load()
            picture = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    except Image.DecompressionBombError:
        return ImageTooLarge.code
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return CorruptMedia.code
    picture.thumbnail(MAX_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def check_image_in_worker(src: str, max_pixels: int) -> str | None:
    """An error code for an image we would refuse, read from its header only."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(src, formats=["PNG", "JPEG"]) as image:
            if image.format not in ("PNG", "JPEG"):
                return NotSlides.code
            width, height = image.size
    except Image.DecompressionBombError:
        return ImageTooLarge.code
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return CorruptMedia.code
    return ImageTooLarge.code if width * height > max_pixels else None


_ERRORS: dict[str, type[MediaError]] = {
    NotSlides.code: NotSlides,
    ImageTooLarge.code: ImageTooLarge,
    CorruptMedia.code: CorruptMedia,
}


async def reencode(pool: Executor, src: Path, max_pixels: int) -> bytes:
    loop = asyncio.get_running_loop()
    result = await loop.run_in_executor(pool, reencode_in_worker, str(src), max_pixels)
    if isinstance(result, str):
        raise _ERRORS[result](f"{src.name}: {result}")
    return result


async def pdf_pages(src: Path, limits: SlideLimits) -> int:
    """The page count; raises for a file poppler cannot read or too many pages."""
    found = await run_tool(
        ["pdfinfo", str(src.resolve())],
        timeout_s=limits.timeout_s,
        memory_bytes=limits.memory_bytes,
    )
    match = re.search(rb"^Pages:\s+(\d+)", found.stdout, re.MULTILINE)
    if found.returncode != 0 or match is None:
        raise CorruptMedia("the PDF cannot be read")
    pages = int(match.group(1))
    if pages == 0:
        raise CorruptMedia("the PDF has no pages")
    if pages > limits.max_pages:
        raise TooManyPages(
            f"{pages} pages; at most {limits.max_pages}", params={"max": limits.max_pages}
        )
    return pages


async def check(src: Path, limits: SlideLimits, pool: Executor) -> int:
    """Quick checks at upload time (a PDF's page count, an image's header);
    returns the number of slides it makes. Raises :class:`NotSlides` etc."""
    with src.open("rb") as f:
        kind = sniff(f.read(16))
    if kind is None:
        raise NotSlides("not a PDF, PNG or JPEG file")
    if kind == "pdf":
        return await pdf_pages(src, limits)
    loop = asyncio.get_running_loop()
    code = await loop.run_in_executor(pool, check_image_in_worker, str(src), limits.max_pixels)
    if code is not None:
        raise _ERRORS[code](f"{src.name}: {code}")
    return 1


async def check_all(sources: list[Path], limits: SlideLimits, pool: Executor) -> int:
    """:func:`check` each file; their slides together stay within ``max_pages``."""
    total = 0
    for src in sources:
        total += await check(src, limits, pool)
        if total > limits.max_pages:
            raise TooManyPages(f"over {limits.max_pages} slides", params={"max": limits.max_pages})
    return total


async def render(src: Path, work_dir: Path, pool: Executor, limits: SlideLimits) -> list[bytes]:
    """The slides of ``src`` as PNG bytes, in page order."""
    with src.open("rb") as f:
        kind = sniff(f.read(16))
    if kind == "image":
        return [await reencode(pool, src, limits.max_pixels)]
    if kind != "pdf":
        raise NotSlides("not a PDF, PNG or JPEG file")
    pages = await pdf_pages(src, limits)
    found = await run_tool(
        ["pdftoppm", "-png", "-l", str(min(pages, limits.max_pages))]
        + ["-scale-to", str(MAX_SIZE[0]), str(src.resolve()), str(work_dir.resolve() / "page")],
        timeout_s=limits.timeout_s,
        memory_bytes=limits.memory_bytes,
    )
    rendered = sorted(work_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if found.returncode != 0 or len(rendered) != pages:
        raise CorruptMedia(f"pdftoppm rendered {len(rendered)} of {pages} pages")
    return [await reencode(pool, page, limits.max_pixels) for page in rendered]
