"""A stage changed by the server itself, the way a host would change it.

The demo's autopilot uses it (server/demo_media.py): the string-quartet evening
plays its recording, the lecture turns its slides, with nobody at a console.
Every change is broadcast as ``stage`` to the event's audience, exactly as a
host's ``stage_*`` event would be.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import socketio

from . import protocol as p
from .audience import audience_key, audience_room
from .stage import Stage, StageBoard


class StageDirector:
    def __init__(self, sio: socketio.AsyncServer, stages: StageBoard, wall: Callable[[], float]):
        self.sio = sio
        self.stages = stages
        self.wall = wall

    def stage(self, event_id: str) -> Stage:
        return self.stages.get(event_id, self.wall())

    async def _broadcast(self, event_id: str, stage: Stage) -> None:
        room = audience_room(audience_key(event_id, ""))
        await self.sio.emit(p.STAGE, stage.view(self.wall()), room=room, namespace=p.NAMESPACE)
        await self.stages.changed(event_id, stage)

    async def show(self, event_id: str, media: dict[str, Any], play_from: float | None = None):
        """Put ``media`` (a media view) on the stage; play it from ``play_from`` seconds
        (a stream: any ``play_from`` goes live, it has no position)."""
        stage = self.stage(event_id)
        now = self.wall()
        stage.set_media(media, now)
        if play_from is not None:
            stage.play(now, None if media.get("kind") == "stream" else play_from)
        await self._broadcast(event_id, stage)

    async def play_from(self, event_id: str, position: float) -> None:
        stage = self.stage(event_id)
        stage.play(self.wall(), position)
        await self._broadcast(event_id, stage)

    async def slide(self, event_id: str, index: int) -> None:
        stage = self.stage(event_id)
        stage.set_slide(index)
        await self._broadcast(event_id, stage)
