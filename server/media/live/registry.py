"""Which live streams Zal admitted: a ``media`` row of kind ``stream`` whose
``stream_url`` is ``/live/<playback id>/index.m3u8``.

``/live/`` is asked once per segment and playlist by every viewer (a playlist
every two seconds each), so a positive answer is remembered for ``ttl_s``; an
unknown id always goes to the database, so a stream registered a moment ago is
found at once. A deleted stream keeps being served for at most ``ttl_s``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...storage.media import media
from .keys import playback_url

CACHE_LIMIT = 4096


class LiveRegistry:
    def __init__(
        self,
        engine: AsyncEngine,
        ttl_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.engine = engine
        self.ttl_s = ttl_s
        self.clock = clock
        self._known: dict[str, float] = {}  # playback id -> when the answer expires

    async def find(self, pid: str) -> dict | None:
        """The stream's ``media`` row (id, event_id, title), or None."""
        q = select(media.c.id, media.c.event_id, media.c.title).where(
            media.c.kind == "stream", media.c.stream_url == playback_url(pid)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(q)).first()
        return dict(row._mapping) if row else None

    async def admitted(self, pid: str) -> bool:
        now = self.clock()
        if self._known.get(pid, 0.0) > now:
            return True
        if await self.find(pid) is None:
            self._known.pop(pid, None)
            return False
        if len(self._known) >= CACHE_LIMIT:
            self._known = {k: t for k, t in self._known.items() if t > now}
            if len(self._known) >= CACHE_LIMIT:
                self._known.clear()
        self._known[pid] = now + self.ttl_s
        return True
