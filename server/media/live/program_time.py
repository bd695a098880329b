"""Wall-clock times in live playlists (``EXT-X-PROGRAM-DATE-TIME``).

A live hall sits together only if every player knows *when* each bit of the
stream happened: then all of them can play what happened ``delay`` seconds
before the server's now (web_client/src/stage/show.js), instead of each sitting
wherever its own view of the live edge put it.

nginx-rtmp writes no program date time, but with ``hls_fragment_naming system``
it names each fragment after the system time (in milliseconds) at which it began
writing it: the time the fragment's first frame reached nginx. The playlist Zal
serves gets that time as an ``EXT-X-PROGRAM-DATE-TIME`` tag before each segment;
a playlist that already carries the tags (the demo's ffmpeg writes them) is left
as it is.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

TAG = "#EXT-X-PROGRAM-DATE-TIME:"
# 2001-09-09 .. 2286-11-20 in milliseconds: 13 digits is a system-time name;
# shorter ones are sequence numbers
_SYSTEM_TIME_NAME = re.compile(r"([0-9]{13})\.(?:ts|m4s)")


def program_date_time(ms: int) -> str:
    """ISO 8601 with milliseconds and a zone, as RFC 8216 wants it."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def with_program_date_time(playlist: str) -> str:
    """``playlist`` with a date-time tag before every system-time-named segment.

    Unchanged when it already has such tags, or names no segment that way.
    """
    if TAG in playlist:
        return playlist
    out: list[str] = []
    changed = False
    for line in playlist.splitlines():
        named = _SYSTEM_TIME_NAME.fullmatch(line.strip())
        if named:
            # right before the URI, after its #EXTINF: it dates that segment
            out.append(TAG + program_date_time(int(named.group(1))))
            changed = True
        out.append(line)
    if not changed:
        return playlist
    return "\n".join(out) + ("\n" if playlist.endswith("\n") else "")
