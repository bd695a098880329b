"""Fonts and text layout shared by the title cards and the lecture slides.

DejaVu (Debian's fonts-dejavu-core) has the whole Cyrillic block, Tatar's ә ө ү җ ң һ
included; Pillow's own default font has no Cyrillic, so a missing DejaVu is an error
here rather than a picture of empty boxes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SANS, SANS_BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
SERIF, SERIF_BOLD, SERIF_ITALIC = (
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
)


def font_path(name: str) -> Path:
    path = FONT_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: install Debian's fonts-dejavu-core")
    return path


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size=size)


def wrap(
    draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Lines of ``text`` that each fit in ``width`` pixels, broken at spaces."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and draw.textlength(candidate, font=face) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines
