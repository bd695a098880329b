"""The still pictures of the concert video: its title card and the stage behind the roll.

Russian first (the hall's language), Tatar and English under it, smaller. The credit
line is on the title card itself, so the recording names its sources wherever it is
shown.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from .piano_roll import BACKGROUND, PART_COLOURS
from .pieces import QUARTET_PARTS, ConcertPiece
from .typography import SANS, SANS_BOLD, SERIF, SERIF_BOLD, font

SIZE = (1280, 720)
INK, ACCENT, MUTED = "#f4efe6", "#c9a45c", "#9aa3b2"

CREDIT = {
    "ru": "Ноты: корпус music21 · Звук: FluidSynth и банк FluidR3 GM — компьютерное исполнение",
    "en": "Score: the music21 corpus · Sound: FluidSynth with the FluidR3 GM SoundFont — "
    "a computer rendering",
}


def draw_title_card(piece: ConcertPiece, out: Path) -> Path:
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    left = 110
    draw.rectangle((left, 118, left + 80, 123), fill=ACCENT)
    draw.text((left, 146), "ЗАПИСЬ · ЯЗМА · RECORDING", font=font(SANS, 22), fill=ACCENT)
    draw.text((left, 196), piece.composer["ru"], font=font(SERIF_BOLD, 66), fill=INK)
    draw.text((left, 290), piece.work["ru"], font=font(SERIF, 38), fill=INK)
    draw.text((left, 344), piece.movement, font=font(SERIF, 38), fill=ACCENT)
    small = font(SANS, 24)
    draw.text((left, 430), f"{piece.composer['tt']} · {piece.work['tt']}", font=small, fill=MUTED)
    draw.text((left, 466), f"{piece.composer['en']} · {piece.work['en']}", font=small, fill=MUTED)
    tiny = font(SANS, 19)
    draw.text((left, SIZE[1] - 118), CREDIT["ru"], font=tiny, fill=INK)
    draw.text((left, SIZE[1] - 88), CREDIT["en"], font=tiny, fill=MUTED)
    image.save(out, format="PNG")
    return out


def draw_stage_header(piece: ConcertPiece, height: int, out: Path) -> Path:
    """The strip above the moving roll: what is playing, in Russian and in English."""
    image = Image.new("RGB", (SIZE[0], height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    heading = f"{piece.composer['ru']} · {piece.work['ru']}"
    draw.text((40, 30), heading, font=font(SANS_BOLD, 26), fill=INK)
    english = f"{piece.movement} · {piece.composer['en']}, {piece.work['en']}"
    draw.text((40, 70), english, font=font(SANS, 20), fill=MUTED)
    image.save(out, format="PNG")
    return out


def draw_stage_footer(height: int, out: Path) -> Path:
    """The strip under the roll: the parts' colours (the waveform is drawn over its foot)."""
    image = Image.new("RGB", (SIZE[0], height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    legend = font(SANS, 18)
    x, y = 40, 14
    for index, colour in enumerate(PART_COLOURS):
        draw.rounded_rectangle((x, y + 4, x + 22, y + 16), radius=3, fill=colour)
        label = f"{QUARTET_PARTS['ru'][index]} / {QUARTET_PARTS['en'][index]}"
        draw.text((x + 30, y), label, font=legend, fill=INK)
        x += 30 + int(draw.textlength(label, font=legend)) + 36
    image.save(out, format="PNG")
    return out
