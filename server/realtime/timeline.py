"""Chat on a recording's timeline: where in the media a message was sent.

A message sent while the event's stage shows a recording (not a live stream,
not slides, not after the show ended) is stored with that recording's id and
its position at the server time of sending, so a later viewer of the recording
sees it at the same moment (``GET /api/media/{id}/comments``). Paused, the
position is where the recording is paused: the audience is looking at that frame.
A recording chosen but not started (paused at 0) stamps nothing: talk before
the show ("when does it start?") is not a comment on its first frame.
"""

from __future__ import annotations

from .stage import Stage


def media_moment(stage: Stage | None, now: float) -> tuple[str, float] | None:
    """``(media_id, media_time)`` for a message sent at server time ``now``, or None."""
    if stage is None or stage.ended or stage.kind != "recording" or stage.media is None:
        return None
    if not stage.playing and stage.position <= 0.0:
        return None
    media_id = stage.media.get("id")
    if not isinstance(media_id, str):
        return None
    return media_id, round(stage.position_at(now), 3)
