"""A public-domain score from music21's corpus, made ready to be played: MIDI and notes.

The corpus files carry no tempo and, for some quartets, a piano as every part's
instrument (the encoder's default): :func:`prepare_score` puts the right string
instruments and one metronome mark on them, so the MIDI file is what a quartet
would play. :func:`note_events` turns the same score into plain timed notes (in
seconds) for the picture of the music.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from music21 import bar, corpus, instrument, stream, tempo

# part index -> the instrument a string quartet plays it on
QUARTET_INSTRUMENTS = (
    instrument.Violin,
    instrument.Violin,
    instrument.Viola,
    instrument.Violoncello,
)


@dataclass(frozen=True)
class NoteEvent:
    """One sounding pitch: which part, MIDI pitch number, start and length in seconds."""

    part: int
    pitch: int
    start_s: float
    length_s: float


def corpus_file(corpus_path: str) -> Path:
    """The file of a corpus work, e.g. ``haydn/opus74no1/movement2`` -> ``.../movement2.mxl``."""
    return Path(str(corpus.getWork(corpus_path)))


def prepare_score(corpus_path: str, quarter_bpm: float, bars: int | None = None) -> stream.Score:
    """The score with string instruments and a tempo, cut to its first ``bars`` bars if given."""
    if bars is not None and bars < 1:
        raise ValueError(f"bars must be at least 1, not {bars}")
    score = corpus.parse(corpus_path)
    if len(score.parts) != len(QUARTET_INSTRUMENTS):
        raise ValueError(f"{corpus_path} has {len(score.parts)} parts, a quartet has four")
    if bars is not None:
        score = score.measures(0, bars)
    _drop_repeats(score)
    for index, part in enumerate(score.parts):
        for old in list(
            part.recurse().getElementsByClass((instrument.Instrument, tempo.TempoIndication))
        ):
            if old.activeSite is not None:
                old.activeSite.remove(old)
        part.insert(0, QUARTET_INSTRUMENTS[index]())
        part.insert(0, tempo.MetronomeMark(number=quarter_bpm))
    return score


def _drop_repeats(score: stream.Score) -> None:
    # Played once through, as many concert performances take it: half the length to
    # render, and music21's MIDI writer would otherwise expand the repeats, so the
    # notes drawn (from the score) and the notes heard (from the MIDI) would part.
    for repeat in list(score.recurse().getElementsByClass(bar.Repeat)):
        measure = repeat.activeSite
        if isinstance(measure, stream.Measure):
            if measure.leftBarline is repeat:
                measure.leftBarline = None
            if measure.rightBarline is repeat:
                measure.rightBarline = bar.Barline("regular")


def write_midi(score: stream.Score, out: Path) -> Path:
    score.write("midi", fp=str(out))
    return out


def note_events(score: stream.Score, quarter_bpm: float) -> list[NoteEvent]:
    """Every sounding pitch of the score in seconds (one constant tempo, ties joined)."""
    seconds_per_quarter = 60.0 / quarter_bpm
    events: list[NoteEvent] = []
    for index, part in enumerate(score.parts):
        sounding: dict[int, int] = {}  # pitch -> its event's index, while a tie holds it
        # flatten, not stripTies: joining ties here by hand is fifteen times faster
        for element in part.flatten().notes:
            length = float(element.quarterLength) * seconds_per_quarter
            if length <= 0:  # grace notes: too short to draw, and music21 writes none
                continue
            start = float(element.offset) * seconds_per_quarter
            tie = element.tie.type if element.tie is not None else None
            for pitch in element.pitches:
                held = sounding.get(pitch.midi)
                if tie in ("stop", "continue") and held is not None:
                    before = events[held]
                    events[held] = NoteEvent(
                        index, pitch.midi, before.start_s, start + length - before.start_s
                    )
                else:
                    events.append(NoteEvent(index, pitch.midi, start, length))
                    held = len(events) - 1
                if tie in ("start", "continue"):
                    sounding[pitch.midi] = held
                else:
                    sounding.pop(pitch.midi, None)
    return events


def music_seconds(score: stream.Score, quarter_bpm: float) -> float:
    """How long the written music lasts at the tempo (without the instruments' release)."""
    return float(score.highestTime) * 60.0 / quarter_bpm
