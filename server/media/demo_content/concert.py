"""The demo concert: a quartet movement from the score to an MP4, made once and cached.

score (music21 corpus) -> MIDI (music21) -> WAV (fluidsynth, FluidR3 GM) -> MP4
(ffmpeg: title card, then a scrolling piano roll and the waveform over the music).
The cache key hashes every input: the score file, the soundfont, our tempo and
texts, and this package's own source, so a changed recipe makes a new recording
and an unchanged one is reused without starting a single tool.
"""

from __future__ import annotations

import hashlib
import json
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

from . import tools
from .build_cache import build_once, digest_file_identity, digest_sources
from .concert_cards import draw_stage_footer, draw_stage_header, draw_title_card
from .concert_video import (
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    ROLL,
    VideoInputs,
    ffmpeg_command,
)
from .piano_roll import draw_piano_roll
from .pieces import HAYDN_OP74_NO1_II, ConcertPiece
from .score import corpus_file, music_seconds, note_events, prepare_score, write_midi
from .typography import SANS, SANS_BOLD, SERIF, SERIF_BOLD, font_path

SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SAMPLE_RATE = 44100
FLUIDSYNTH_GAIN = 0.4  # four strings at 0.4 peak near -2 dBFS: loud, not clipped
TITLE_SECONDS = 6.0
# x264's: superfast makes the movement in about half veryfast's time at ~1.7x the size;
# this MP4 is only the source of the HLS renditions, which are encoded again
PRESET = "superfast"
MP4_NAME, MANIFEST_NAME = "concert.mp4", "concert.json"
# what decides the video's bytes besides the inputs above: our code and the fonts drawn with
SOURCES = (
    "concert",
    "concert_cards",
    "concert_video",
    "piano_roll",
    "pieces",
    "score",
    "typography",
)
FONTS = (SANS, SANS_BOLD, SERIF, SERIF_BOLD)


@dataclass(frozen=True)
class ConcertRecording:
    """A rendered concert: the MP4, what it plays, and how long it lasts (title card included)."""

    path: Path
    piece: ConcertPiece
    duration_s: float
    bars: int | None  # None: the whole movement

    def title(self, lang: str) -> str:
        return self.piece.title(lang)


def render_concert(
    cache_dir: Path,
    piece: ConcertPiece = HAYDN_OP74_NO1_II,
    bars: int | None = None,
    preset: str = PRESET,
) -> Path:
    """The concert MP4 under ``cache_dir``, made if it is not there yet.

    ``bars`` cuts the movement to its first bars (tests); ``preset`` is x264's.
    Safe to call from several processes at once (:func:`.build_cache.build_once`).
    """
    key = _cache_key(piece, bars, preset)

    def build(work: Path) -> None:
        duration_s = _build(piece, bars, preset, work)
        manifest = {"key": key, "piece": asdict(piece), "bars": bars, "duration_s": duration_s}
        (work / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))

    done = build_once(cache_dir / f"concert-{key[:20]}", _is_complete, build)
    return done / MP4_NAME


def _is_complete(folder: Path) -> bool:
    return (folder / MP4_NAME).is_file() and (folder / MANIFEST_NAME).is_file()


def concert_recording(
    cache_dir: Path,
    piece: ConcertPiece = HAYDN_OP74_NO1_II,
    bars: int | None = None,
    preset: str = PRESET,
) -> ConcertRecording:
    """:func:`render_concert` and the description of what it made."""
    path = render_concert(cache_dir, piece, bars, preset)
    manifest = json.loads((path.parent / MANIFEST_NAME).read_text())
    return ConcertRecording(path, piece, float(manifest["duration_s"]), bars)


def _build(piece: ConcertPiece, bars: int | None, preset: str, work: Path) -> float:
    """Make ``work/concert.mp4``; its length in seconds."""
    score = prepare_score(piece.corpus_path, piece.quarter_bpm, bars)
    midi = write_midi(score, work / "score.mid")
    audio = render_audio(midi, work / "music.wav")
    music_s = wav_seconds(audio)
    notes = note_events(score, piece.quarter_bpm)
    roll_seconds = max(music_s, music_seconds(score, piece.quarter_bpm))
    inputs = VideoInputs(
        title_card=draw_title_card(piece, work / "title.png"),
        header=draw_stage_header(piece, HEADER_HEIGHT, work / "header.png"),
        roll=draw_piano_roll(notes, roll_seconds, ROLL, work / "roll.png"),
        footer=draw_stage_footer(FOOTER_HEIGHT, work / "footer.png"),
        audio=audio,
        title_s=TITLE_SECONDS,
        music_s=music_s,
    )
    tools.run_tool(ffmpeg_command(inputs, work / MP4_NAME, preset), timeout_s=1200)
    for scratch in ("title.png", "header.png", "roll.png", "footer.png", "music.wav", "score.mid"):
        (work / scratch).unlink()
    return round(TITLE_SECONDS + music_s, 3)


def render_audio(midi: Path, out: Path) -> Path:
    """Play ``midi`` with fluidsynth and the GM soundfont into a 16-bit stereo WAV."""
    tools.run_tool(
        ["fluidsynth", "-ni", "-q", "-g", str(FLUIDSYNTH_GAIN), "-r", str(SAMPLE_RATE),
         "-F", str(out), str(SOUNDFONT), str(midi)],
        timeout_s=180,
    )  # fmt: skip
    return out


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as sound:
        return sound.getnframes() / sound.getframerate()


def _cache_key(piece: ConcertPiece, bars: int | None, preset: str) -> str:
    digest = hashlib.sha256()
    recipe = {
        "piece": asdict(piece),
        "bars": bars,
        "preset": preset,
        "title_s": TITLE_SECONDS,
        "gain": FLUIDSYNTH_GAIN,
        "rate": SAMPLE_RATE,
    }
    digest.update(json.dumps(recipe, sort_keys=True, ensure_ascii=False).encode())
    digest.update(corpus_file(piece.corpus_path).read_bytes())
    digest_file_identity(digest, SOUNDFONT)  # 140 MB: its identity, not its bytes
    for name in FONTS:
        digest_file_identity(digest, font_path(name))
    digest_sources(digest, SOURCES)
    return digest.hexdigest()
