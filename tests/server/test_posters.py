"""Posters carry their words in the picture, so the font must have every letter."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from server.posters import BOLD, REGULAR, SIZE, _font, render_poster_in_worker

# Tatar's own letters, Russian ones, and Latin
LETTERS = "әөүҗңһ ӘӨҮҖҢҺ ёйщъыэюя ЁЙЩЪЫЭЮЯ Wq"
MISSING = "\U000f0000"  # a private-use code point: no font has a glyph for it


def _glyph(font, char: str) -> bytes:
    mask = font.getmask(char)
    return bytes(mask) + bytes(str(mask.size), "ascii")


def test_the_poster_font_draws_every_tatar_russian_and_latin_letter():
    for name in (REGULAR, BOLD):
        font = _font(name, 64)
        notdef = _glyph(font, MISSING)
        missing = [c for c in LETTERS if c != " " and _glyph(font, c) == notdef]
        assert missing == [], f"{name} lacks {missing}"


def test_a_tatar_poster_is_a_16_9_png_with_its_title_drawn():
    words = dict(
        kind="concert",
        venue="Филармониянең Зур залы",
        institution="Шәһәр филармониясе",
        kind_label="Концерт",
    )
    tatar = render_poster_in_worker(title="Чайковский: 5 нче симфония", **words)
    other = render_poster_in_worker(title="Чайковский: 5-я симфония", **words)
    image = Image.open(io.BytesIO(tatar))
    assert image.format == "PNG" and image.size == SIZE
    # the title is there: the pictures differ exactly where the titles do
    a, b = (np.asarray(Image.open(io.BytesIO(png)).convert("L")) for png in (tatar, other))
    rows = np.nonzero((a != b).any(axis=1))[0]
    assert rows.size and 200 <= rows.min() and rows.max() < 400
