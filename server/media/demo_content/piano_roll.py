"""The picture of the music: one long piano-roll strip of the whole movement.

Drawn once with Pillow, then scrolled past a fixed playhead by ffmpeg's ``crop``
(:mod:`.concert_video`): a frame costs ffmpeg a crop, not a drawing, so a five-minute
movement renders in well under its own length on two cores. Time runs left to right
at ``pixels_per_second``; the strip has a screen's width of empty space before the
first note and after the last, so the crop never leaves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from .score import NoteEvent

# one colour per part: violin I, violin II, viola, cello
PART_COLOURS = ("#e8c46a", "#e27d60", "#6cc3a0", "#6fa8dc")
BACKGROUND = "#12151c"
STAFF_LINE = "#1d222c"


@dataclass(frozen=True)
class RollLayout:
    """Where the strip goes on screen: ``height`` pixels tall, the playhead ``playhead_x``
    pixels from the left of a ``screen_width`` wide frame."""

    screen_width: int
    height: int
    playhead_x: int
    pixels_per_second: float

    def strip_width(self, seconds: float) -> int:
        return self.playhead_x + int(seconds * self.pixels_per_second) + self.screen_width

    def crop_x(self, seconds: float) -> float:
        """The strip's left edge at time ``seconds``: that moment sits on the playhead."""
        return seconds * self.pixels_per_second


def draw_piano_roll(
    notes: Sequence[NoteEvent], seconds: float, layout: RollLayout, out: Path
) -> Path:
    """Draw ``notes`` (``seconds`` long) as a PNG strip at ``out``."""
    if not notes:
        raise ValueError("no notes to draw")
    width = layout.strip_width(seconds)
    image = Image.new("RGB", (width, layout.height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    low = min(note.pitch for note in notes) - 2
    high = max(note.pitch for note in notes) + 2
    row = layout.height / (high - low + 1)
    for pitch in range(low, high + 1):
        if pitch % 12 == 0:  # every C: a faint line to read the register by
            y = layout.height - (pitch - low + 0.5) * row
            draw.line((0, y, width, y), fill=STAFF_LINE, width=1)
    # lower parts first, so the first violin's melody is drawn on top
    for note in sorted(notes, key=lambda n: -n.part):
        x0 = layout.playhead_x + note.start_s * layout.pixels_per_second
        x1 = x0 + max(note.length_s * layout.pixels_per_second - 2, 3)
        y1 = layout.height - (note.pitch - low) * row
        y0 = y1 - max(row - 1, 2)
        draw.rounded_rectangle((x0, y0, x1, y1), radius=2, fill=PART_COLOURS[note.part])
    image.save(out, format="PNG", compress_level=1)
    return out
