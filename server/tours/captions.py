"""WebVTT captions for a narration from its text and the audio's duration.

The text is split into sentences; each cue lasts its share of the duration in
proportion to its length in characters (speech runs at a near-even rate, and
espeak-ng's reading is the audio of exactly this text). A long sentence is cut
at commas or spaces so that no cue holds more than ``MAX_CUE_CHARS``.
"""

from __future__ import annotations

import re

MAX_CUE_CHARS = 120
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:—])\s+")


def _cut(sentence: str, limit: int) -> list[str]:
    """``sentence`` in pieces of at most ``limit`` characters, at clauses, then words."""
    if len(sentence) <= limit:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for part in _CLAUSE_END.split(sentence):
        words = [part] if len(part) <= limit else part.split()
        for word in words:
            joined = f"{current} {word}".strip()
            if current and len(joined) > limit:
                pieces.append(current)
                current = word
            else:
                current = joined
    if current:
        pieces.append(current)
    return pieces


def cue_texts(text: str, limit: int = MAX_CUE_CHARS) -> list[str]:
    """The cues' texts in order: sentences, long ones cut."""
    sentences = [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]
    return [piece for s in sentences for piece in _cut(s, limit)]


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escape(text: str) -> str:
    # a cue's text is markup in WebVTT: "<" would start a tag, "&" an entity
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cues(text: str, duration_s: float) -> list[tuple[float, float, str]]:
    """``(start, end, text)`` per cue, covering ``[0, duration_s]`` without gaps."""
    texts = cue_texts(text)
    total = sum(len(t) for t in texts)
    out: list[tuple[float, float, str]] = []
    start = 0.0
    done = 0
    for t in texts:
        done += len(t)
        end = duration_s * done / total
        out.append((start, end, t))
        start = end
    return out


def webvtt(text: str, duration_s: float) -> str:
    """The captions file (UTF-8 text) for a narration of ``duration_s`` seconds."""
    lines = ["WEBVTT", ""]
    for i, (start, end, cue) in enumerate(cues(text, duration_s), start=1):
        lines += [str(i), f"{_stamp(start)} --> {_stamp(end)}", _escape(cue), ""]
    return "\n".join(lines)
