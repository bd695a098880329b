"""Audio guides: MP3, Ogg or M4A by their bytes, passed on unchanged."""

from __future__ import annotations

from .errors import CollectionRefused

AUDIO_TYPES = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "m4a": "audio/mp4"}


def sniff_audio(head: bytes) -> str | None:
    """``mp3``, ``ogg`` or ``m4a`` from the first bytes, else None."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a"
    return None


def check_audio(data: bytes, name: str, max_bytes: int) -> str:
    """The audio guide's extension; :class:`CollectionRefused` names ``name``."""
    if not data:
        raise CollectionRefused([f"{name}: the audio guide is empty (0 bytes)"])
    if len(data) > max_bytes:
        raise CollectionRefused([f"{name}: {len(data)} bytes, over max_audio_bytes {max_bytes}"])
    kind = sniff_audio(data[:16])
    if kind is None:
        raise CollectionRefused([f"{name}: not an MP3, Ogg or M4A audio file"])
    return kind
