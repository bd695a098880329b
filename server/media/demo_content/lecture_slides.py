"""The demo lecture's slides: 1920x1080 PNGs drawn with Pillow, and the same pages as a PDF.

The PDF exists so the media pipeline's PDF path (pdftoppm) has a real lecture to
take apart; the PNGs are the image-upload path. Cached like the concert: a folder
named by the hash of this package's source and the fonts it draws with.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from PIL import Image, ImageDraw

from .build_cache import build_once, digest_file_identity, digest_sources
from .lecture_text import LECTURE_HOST, LECTURE_SUBTITLE, LECTURE_TITLE, SLIDES, Slide
from .typography import SANS, SANS_BOLD, SERIF, SERIF_BOLD, font, font_path, wrap

SIZE = (1920, 1080)
BACKGROUND, ACCENT, INK, MUTED = "#1f2a28", "#8fbf9f", "#eef3ee", "#a9b8b2"
RIVER, RIVER_LINE = "#27403b", "#3f6a60"
LEFT, TEXT_WIDTH = 150, 1620
RIVER_TOP = 960  # the drawn river along the bottom: text must end above it
PDF_NAME = "lecture.pdf"


def render_lecture_slides(cache_dir: Path) -> tuple[list[Path], Path]:
    """The slides as PNGs (in order) and as one PDF, made under ``cache_dir`` if missing."""
    names = [f"slide-{number:02d}.png" for number in range(1, slide_count() + 1)]

    def is_complete(folder: Path) -> bool:
        return all((folder / name).is_file() for name in [*names, PDF_NAME])

    def build(work: Path) -> None:
        pages = [draw_title_slide(), *(draw_slide(slide, n + 2) for n, slide in enumerate(SLIDES))]
        for page, name in zip(pages, names, strict=True):
            page.save(work / name, format="PNG")
        # 144 dpi: a 1920-pixel page is 960 pt wide, a 16:9 page of a usual size
        pages[0].save(
            work / PDF_NAME,
            format="PDF",
            save_all=True,
            append_images=pages[1:],
            resolution=144.0,
            title=LECTURE_TITLE["ru"],
        )

    done = build_once(cache_dir / f"lecture-{_cache_key()[:20]}", is_complete, build)
    return [done / name for name in names], done / PDF_NAME


def slide_count() -> int:
    return len(SLIDES) + 1


def draw_title_slide() -> Image.Image:
    image, draw = _page()
    draw.rectangle((LEFT, 230, LEFT + 120, 238), fill=ACCENT)
    draw.text((LEFT, 270), LECTURE_HOST.upper(), font=font(SANS, 30), fill=ACCENT)
    y = 330
    for line in wrap(draw, LECTURE_TITLE["ru"], font(SERIF_BOLD, 110), TEXT_WIDTH):
        draw.text((LEFT, y), line, font=font(SERIF_BOLD, 110), fill=INK)
        y += 130
    draw.text((LEFT, y + 20), LECTURE_SUBTITLE["ru"], font=font(SERIF, 50), fill=INK)
    y += 140
    for lang in ("tt", "en"):
        text = f"{LECTURE_TITLE[lang]} · {LECTURE_SUBTITLE[lang]}"
        draw.text((LEFT, y), text, font=font(SANS, 32), fill=MUTED)
        y += 50
    return image


def draw_slide(slide: Slide, number: int) -> Image.Image:
    image, draw = _page()
    kicker = font(SANS, 28)
    draw.text((LEFT, 80), LECTURE_TITLE["ru"].upper(), font=kicker, fill=ACCENT)
    page_label = f"{number} / {slide_count()}"
    draw.text(
        (SIZE[0] - LEFT - draw.textlength(page_label, font=kicker), 80),
        page_label,
        font=kicker,
        fill=MUTED,
    )
    heading = font(SERIF_BOLD, 68)
    y = 150
    for line in wrap(draw, slide.title, heading, TEXT_WIDTH):
        draw.text((LEFT, y), line, font=heading, fill=INK)
        y += 84
    y += 50
    body = font(SANS, 40)
    for point in slide.points:
        draw.ellipse((LEFT, y + 17, LEFT + 14, y + 31), fill=ACCENT)
        for line in wrap(draw, point, body, TEXT_WIDTH - 50):
            draw.text((LEFT + 50, y), line, font=body, fill=INK)
            y += 56
        y += 30
    if y > RIVER_TOP:
        raise ValueError(f"slide {number} ({slide.title!r}) runs {y - RIVER_TOP}px into the river")
    return image


def _page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_river(draw)
    return image, draw


def _draw_river(draw: ImageDraw.ImageDraw) -> None:
    """A calm river along the bottom of every page: two slow waves, filled below."""
    width, height = SIZE
    for offset, colour, amplitude in ((0, RIVER, 10), (40, RIVER_LINE, 6)):
        top = [
            (x, RIVER_TOP + 40 + offset + amplitude * math.sin(x / 95 + offset))
            for x in range(0, width + 1, 16)
        ]
        if colour == RIVER:
            draw.polygon([*top, (width, height), (0, height)], fill=colour)
        else:
            draw.line(top, fill=colour, width=4)


def _cache_key() -> str:
    digest = hashlib.sha256()
    digest_sources(digest, ("lecture_slides", "lecture_text", "typography"))
    for name in (SANS, SANS_BOLD, SERIF, SERIF_BOLD):
        digest_file_identity(digest, font_path(name))
    return digest.hexdigest()
