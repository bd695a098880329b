"""Pure stage state of each event: what plays on the screen, and where it is.

The server is the clock of a show. Each event's :class:`Stage` keeps
``{media, playing, position, at, slide, live, pinned, ended}``: while
``playing``, the media time is ``position + (now - at)`` (``at`` and ``now``
in server seconds). Clients get the state with the server's ``now`` and
compute the same position (docs/PROTOCOL.md, section 10).

No sockets and no clock in here: every method takes ``now``, like
:class:`.audience.LiveState`, so tests are exact.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

from .protocol import ClientError


class Stage:
    """One event's stage. ``media`` is the client view of a media row
    (``server.media.views.media_view``: id, kind, title, url, slides, duration_s...)."""

    __slots__ = ("media", "playing", "position", "at", "slide", "pinned", "ended", "version")

    def __init__(self, now: float):
        self.media: dict[str, Any] | None = None
        self.playing = False
        self.position = 0.0
        self.at = now
        self.slide = 0
        self.pinned: dict[str, Any] | None = None
        self.ended = False
        self.version = 0  # bumped by every change: clients drop an older state

    def state(self) -> dict[str, Any]:
        """Everything of this stage, for another process (shared_live.py)."""
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def restore(cls, state: dict[str, Any]) -> Stage:
        stage = cls(0.0)
        for name in cls.__slots__:
            if name in state:
                setattr(stage, name, state[name])
        return stage

    # -- reading ---------------------------------------------------------------
    @property
    def duration(self) -> float | None:
        d = self.media.get("duration_s") if self.media else None
        return float(d) if isinstance(d, int | float) and math.isfinite(d) and d > 0 else None

    @property
    def kind(self) -> str | None:
        return self.media.get("kind") if self.media else None

    @property
    def live(self) -> bool:
        """A stream that the host has started (and not paused or ended)."""
        return self.kind == "stream" and self.playing

    def position_at(self, now: float) -> float:
        """Media seconds at server time ``now`` (held at the end of a recording)."""
        position = self.position + (now - self.at if self.playing else 0.0)
        duration = self.duration
        if duration is not None and position > duration:
            return duration
        return max(0.0, position)

    def view(self, now: float) -> dict[str, Any]:
        """The wire ``stage`` object: the state as of ``at``, plus the server's ``now``."""
        return {
            "media": self.media,
            "playing": self.playing,
            "position": round(self.position, 3),
            "at": round(self.at, 3),
            "now": round(now, 3),
            "slide": self.slide,
            "live": self.live,
            "pinned": self.pinned,
            "ended": self.ended,
            "version": self.version,
        }

    # -- changes (the caller checked the role) --------------------------------
    def _changed(self) -> None:
        self.version += 1

    def _rebase(self, now: float) -> None:
        """Fold the time played so far into ``position``, so ``at`` becomes ``now``."""
        self.position = self.position_at(now)
        self.at = now

    def set_media(self, media: dict[str, Any] | None, now: float) -> None:
        """A new media starts paused at 0 (slides at the first slide)."""
        self.media = media
        self.playing = False
        self.position = 0.0
        self.at = now
        self.slide = 0
        self.ended = False
        self._changed()

    def _require_timed(self) -> None:
        if self.media is None:
            raise ClientError("no_media", "choose a media for the stage first")
        if self.kind == "slides":
            raise ClientError("wrong_media", "slides have no play state; use stage_slide")

    def play(self, now: float, position: float | None = None) -> None:
        self._require_timed()
        if position is not None:
            self._check_seekable(position)
            self.position, self.at = position, now
        else:
            self._rebase(now)
            duration = self.duration
            if duration is not None and self.position >= duration:
                self.position = 0.0  # play after the end starts again
        self.playing = True
        self.ended = False
        self._changed()

    def pause(self, now: float, position: float | None = None) -> None:
        self._require_timed()
        if position is not None:
            self._check_seekable(position)
            self.position, self.at = position, now
        else:
            self._rebase(now)
        self.playing = False
        self._changed()

    def seek(self, position: float, now: float) -> None:
        self._require_timed()
        self._check_seekable(position)
        self.position, self.at = position, now
        self._changed()

    def _check_seekable(self, position: float) -> None:
        if self.kind == "stream":
            raise ClientError("not_seekable", "a live stream cannot be seeked")
        duration = self.duration
        if duration is not None and position > duration:
            raise ClientError(
                "invalid_payload", f"position is past the end (the media lasts {duration:g} s)"
            )

    def set_slide(self, index: int) -> None:
        if self.media is None:
            raise ClientError("no_media", "choose a media for the stage first")
        slides = self.media.get("slides") or []
        if self.kind != "slides":
            raise ClientError("wrong_media", "the stage media has no slides")
        if index >= len(slides):
            raise ClientError("invalid_payload", f"no slide {index} (there are {len(slides)})")
        self.slide = index
        self._changed()

    def pin(self, message: dict[str, Any] | None) -> None:
        self.pinned = message
        self._changed()

    def end(self, now: float) -> None:
        """The show is over: the media stops, clients show the closing card."""
        if self.media is not None and self.kind != "slides":
            self._rebase(now)
        self.playing = False
        self.ended = True
        self._changed()


class StageBoard:
    """Every event's stage in this process (kept while the server runs)."""

    def __init__(self) -> None:
        self.stages: dict[str, Stage] = {}
        # several processes: told of every change, so the others can show it too
        self.on_change: Callable[[str, Stage], Awaitable[None]] | None = None

    async def changed(self, event_id: str, stage: Stage) -> None:
        if self.on_change is not None:
            await self.on_change(event_id, stage)

    def adopt(self, event_id: str, state: dict[str, Any]) -> None:
        """Another process's stage of ``event_id``, unless this one's is newer."""
        current = self.stages.get(event_id)
        if current is None or current.version <= int(state.get("version", 0)):
            self.stages[event_id] = Stage.restore(state)

    def get(self, event_id: str, now: float) -> Stage:
        stage = self.stages.get(event_id)
        if stage is None:
            stage = self.stages[event_id] = Stage(now)
        return stage

    def view(self, event_id: str | None, now: float) -> dict[str, Any] | None:
        """The ``stage`` of an event's join ack (None for a venue audience)."""
        if event_id is None:
            return None
        stage = self.stages.get(event_id)
        return (stage or Stage(now)).view(now)
