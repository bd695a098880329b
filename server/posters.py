"""Event posters for the stage screen: calm typographic PNGs made with Pillow.

Runs in the build pool (:func:`render_poster_in_worker`): strings in, PNG bytes out.
16:9 so it fills a stage screen; the palette is picked by event kind. The words
are drawn into the picture, so there is one poster per language; the caller passes
the texts already in that language.
"""

from __future__ import annotations

import io
import logging
import textwrap
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger("zal.posters")

SIZE = (1280, 720)

# kind -> (background, accent, text)
PALETTES: dict[str, tuple[str, str, str]] = {
    "concert": ("#1d2533", "#c9a45c", "#f4efe6"),
    "performance": ("#2b1a1e", "#d0694f", "#f6ece4"),
    "lecture": ("#1f2a28", "#8fbf9f", "#eef3ee"),
    "masterclass": ("#23213a", "#a99be0", "#f0eefa"),
    "qa": ("#1c2a36", "#6fb1d8", "#ecf4fa"),
    "excursion": ("#2e2a20", "#d9b86c", "#f7f1e3"),
}

# Debian's fonts-dejavu-core (installed with Chromium, and by `make system-deps`):
# Latin and the whole Cyrillic block, Tatar's ә ө ү җ ң һ included. Pillow's own
# default font has no Cyrillic at all.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size=size)
    log.warning("no DejaVu font: posters fall back to Latin only", extra={"font": name})
    return ImageFont.load_default(size=size)  # better than no poster


def render_poster_in_worker(
    title: str, kind: str, venue: str, institution: str, kind_label: str
) -> bytes:
    background, accent, ink = PALETTES.get(kind, PALETTES["concert"])
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    small, big = _font(REGULAR, 28), _font(BOLD, 64)
    margin = 96
    draw.rectangle((margin, 120, margin + 80, 126), fill=accent)
    draw.text((margin, 150), kind_label.upper(), font=small, fill=accent)
    y = 220
    for line in textwrap.wrap(title, width=28)[:3]:
        draw.text((margin, y), line, font=big, fill=ink)
        y += 84
    draw.text((margin, SIZE[1] - 150), venue, font=small, fill=ink)
    draw.text((margin, SIZE[1] - 108), institution, font=small, fill=accent)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
