"""Event posters for the stage screen: calm typographic PNGs made with Pillow.

Runs in the build pool (:func:`render_poster_in_worker`): strings in, PNG bytes out.
16:9 so it fills a stage screen; the palette is picked by event kind.
"""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

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

KIND_LABELS = {
    "concert": "Concert",
    "performance": "Performance",
    "lecture": "Lecture",
    "masterclass": "Master class",
    "qa": "Questions & answers",
    "excursion": "Guided tour",
}


def render_poster_in_worker(title: str, kind: str, venue: str, institution: str) -> bytes:
    background, accent, ink = PALETTES.get(kind, PALETTES["concert"])
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=30)
    big = ImageFont.load_default(size=72)
    margin = 96
    draw.rectangle((margin, 120, margin + 80, 126), fill=accent)
    draw.text((margin, 150), KIND_LABELS.get(kind, kind).upper(), font=small, fill=accent)
    y = 220
    for line in textwrap.wrap(title, width=28)[:3]:
        draw.text((margin, y), line, font=big, fill=ink)
        y += 88
    draw.text((margin, SIZE[1] - 150), venue, font=small, fill=ink)
    draw.text((margin, SIZE[1] - 108), institution, font=small, fill=accent)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
