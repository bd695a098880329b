"""Stream keys, playback ids and the names of live files.

A *stream key* is the secret an encoder pushes with (``rtmp://…/live/<key>``);
whoever holds it can broadcast on the event's stage, so Zal shows it once, to the
host who registered the stream, and keeps only its sha256: the *playback id*,
which names the HLS folder and the public URL ``/live/<playback id>/index.m3u8``.
Guests see the playback id; it cannot be turned back into the key. The same
stream key always gives the same playback id, so nginx's ``on_publish`` callback
finds the stream by hashing the key it is given, with no secret in the database.
"""

from __future__ import annotations

import hashlib
import re
import secrets

KEY_PREFIX = "zk_"
# 32 random bytes as url-safe base64: 43 characters from [A-Za-z0-9_-]
STREAM_KEY = re.compile(r"zk_[A-Za-z0-9_-]{43}")
PLAYBACK_ID = re.compile(r"[0-9a-f]{64}")
# what nginx-rtmp (index.m3u8, segments named by the system time in ms,
# 1764651234567.ts) and the demo ffmpeg (0.ts, 1.ts…) write, plus the names of an
# ffmpeg fMP4 live stream (init.mp4, 0.m4s…); nothing else
LIVE_FILE = re.compile(r"(index\.m3u8|[0-9]{1,13}\.(ts|m4s)|init\.mp4)")
PLAYLIST = "index.m3u8"


def new_stream_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def playback_id(stream_key: str) -> str:
    return hashlib.sha256(stream_key.encode()).hexdigest()


def playback_url(pid: str) -> str:
    """The same-origin playlist URL of a live stream (stored as ``media.stream_url``)."""
    return f"/live/{pid}/{PLAYLIST}"


_PLAYBACK_URL = re.compile(r"/live/([0-9a-f]{64})/index\.m3u8")


def playback_id_of_url(url: str | None) -> str | None:
    """The playback id of a same-origin live URL, None for anything else."""
    match = _PLAYBACK_URL.fullmatch(url or "")
    return match.group(1) if match else None
