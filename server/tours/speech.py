"""Narration without a studio: espeak-ng reads a text, ffmpeg makes it Opus in Ogg.

Both run as limited subprocesses (server/media/process.py: a wall-time limit,
a memory cap, killed with the server), never on the event loop. espeak-ng reads
the text from a file (a text starting with "-" is then no option) and writes a
WAV; its length is the narration's duration. Opus in Ogg at 32 kbit/s mono is
small (a minute is about 240 KB) and every current browser plays it (Chromium,
Firefox, Safari 17+).

``clip_key`` names a reading: the same text, voice and settings give the same
key, so a clip is made once (server/storage/tours.py ``speech_clips``).
"""

from __future__ import annotations

import asyncio
import hashlib
import wave
from dataclasses import dataclass
from pathlib import Path

from ..media.process import run_tool

# espeak-ng's voices for our languages (``espeak-ng --voices``: en-gb, ru, tt)
VOICES = {"en": "en-gb", "ru": "ru", "tt": "tt"}
WORDS_PER_MINUTE = 150  # espeak-ng's -s; its default 175 is hurried for a guide
MAX_CHARS = 2000  # a narration the speech worker takes: about two and a half minutes
OPUS_BITRATE = "32k"
# part of every clip's key: a change here makes new clips instead of reusing old ones
ENGINE = f"espeak-ng/{WORDS_PER_MINUTE}wpm/opus-{OPUS_BITRATE}/1"


class SpeechFailed(RuntimeError):
    """espeak-ng or ffmpeg failed or ran too long (logged; the stop has no audio)."""


@dataclass(frozen=True)
class SpeechLimits:
    timeout_s: float = 60.0
    memory_bytes: int = 1 << 30


@dataclass(frozen=True)
class Spoken:
    ogg: Path
    duration_s: float


def clip_key(lang: str, text: str) -> str:
    return hashlib.sha256(f"{ENGINE}\n{VOICES[lang]}\n{text}".encode()).hexdigest()


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


async def speak(text: str, lang: str, work_dir: Path, limits: SpeechLimits) -> Spoken:
    """``text`` read in ``lang`` into ``work_dir/speech.ogg``; ``ValueError`` for an
    empty or too long text or an unknown language."""
    if lang not in VOICES:
        raise ValueError(f"no voice for language {lang!r}")
    if not text.strip():
        raise ValueError("nothing to read")
    if len(text) > MAX_CHARS:
        raise ValueError(f"{len(text)} characters, over the speech limit of {MAX_CHARS}")
    src, wav, ogg = work_dir / "text.txt", work_dir / "speech.wav", work_dir / "speech.ogg"
    await asyncio.to_thread(src.write_text, text, encoding="utf-8")
    tools = (
        ["espeak-ng", "-v", VOICES[lang], "-s", str(WORDS_PER_MINUTE), "-f", str(src),
         "-w", str(wav)],
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(wav), "-map_metadata", "-1",
         "-c:a", "libopus", "-b:a", OPUS_BITRATE, "-ac", "1", "-application", "voip",
         str(ogg)],
    )  # fmt: skip
    for args in tools:
        try:
            done = await run_tool(
                args, timeout_s=limits.timeout_s, memory_bytes=limits.memory_bytes
            )
        except Exception as exc:  # ProcessTimeout, or the tool is not installed
            raise SpeechFailed(f"{args[0]}: {exc}") from exc
        if done.returncode != 0:
            raise SpeechFailed(f"{args[0]} exited {done.returncode}: {done.stderr_tail[-500:]}")
    duration = await asyncio.to_thread(_wav_seconds, wav)
    if duration <= 0:
        raise SpeechFailed("espeak-ng made no sound")
    return Spoken(ogg, duration)
