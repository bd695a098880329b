"""Real content for the demo stage: a quartet concert recording and a lecture's slides.

Building blocks the demo programme wires in (docs/media-credits.md credits every source):

- :func:`render_concert` / :func:`concert_recording`: Haydn's String Quartet Op. 74
  No. 1, II. Andantino grazioso, from music21's corpus, played by fluidsynth with the
  FluidR3 GM soundfont, as an H.264 + AAC MP4 (1280x720, 25 fps), cached by a hash of
  its inputs.
- :func:`render_lecture_slides`: "How the river made the city", PNG slides
  (1920x1080) and the same slides as one PDF, cached the same way.

Blocking functions (subprocesses, Pillow): call them from the build pool.
"""

from . import tools
from .concert import ConcertRecording, concert_recording, render_concert
from .lecture_slides import render_lecture_slides
from .lecture_text import LECTURE_TITLE
from .pieces import HAYDN_OP74_NO1_II, ConcertPiece

__all__ = [
    "HAYDN_OP74_NO1_II",
    "LECTURE_TITLE",
    "ConcertPiece",
    "ConcertRecording",
    "concert_recording",
    "render_concert",
    "render_lecture_slides",
    "tools",
]
