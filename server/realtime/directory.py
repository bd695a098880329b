"""Looks up events, venues, seats and host (and assistant host) tokens through the server's storage.

The realtime part owns no catalogue: it asks the server helper's repositories
(``server.storage.events`` / ``venues``) and its manifest cache, and keeps only
a small map of seat ids per manifest hash (manifests are immutable).
"""

from __future__ import annotations

import logging

from aiohttp import web

from .. import keys
from ..storage import events as events_repo
from ..storage import tours as tours_repo
from ..storage import venues as venues_repo
from ..tours.default import default_tour
from .protocol import ClientError

log = logging.getLogger("zal.realtime")


class Directory:
    def __init__(self, app: web.Application, cache_limit: int = 64):
        self.app = app
        self.cache_limit = cache_limit
        self._seats: dict[str, frozenset[str]] = {}

    async def resolve(
        self, event_id: str | None, venue_id: str | None
    ) -> tuple[str | None, str, frozenset[str]]:
        """``(event_id, venue_id, seat ids)`` or ``not_found``."""
        engine = self.app[keys.DB_ENGINE]
        if event_id is not None:
            event = await events_repo.get(engine, event_id)
            if event is None:
                raise ClientError("not_found", "no such event")
            venue_id = event["venue_id"]
        assert venue_id is not None
        venue = await venues_repo.get(engine, venue_id)
        if venue is None:
            raise ClientError("not_found", "no such venue")
        return event_id, venue_id, await self._seat_ids(venue["manifest_sha256"])

    async def _seat_ids(self, manifest_sha: str) -> frozenset[str]:
        found = self._seats.get(manifest_sha)
        if found is None:
            metadata = await self.app[keys.METADATA_CACHE].get(self.app, manifest_sha)
            found = frozenset(seat.id for seat in metadata.seats)
            if len(self._seats) >= self.cache_limit:
                self._seats.pop(next(iter(self._seats)))
            self._seats[manifest_sha] = found
        return found

    async def _metadata(self, venue_id: str):
        venue = await venues_repo.get(self.app[keys.DB_ENGINE], venue_id)
        if venue is None:
            return None
        return await self.app[keys.METADATA_CACHE].get(self.app, venue["manifest_sha256"])

    async def bounds(
        self, venue_id: str
    ) -> tuple[tuple[float, float, float], tuple[float, float, float]] | None:
        """The venue's ``(bounds_min, bounds_max)`` in metres (None: unknown venue)."""
        metadata = await self._metadata(venue_id)
        if metadata is None:
            return None
        return tuple(metadata.bounds_min), tuple(metadata.bounds_max)  # type: ignore[return-value]

    async def tour_stop_count(self, venue_id: str, tour_id: str) -> int | None:
        """How many stops a tour of this venue has; None when the venue has no such
        tour (``default``: the default tour made from the hanging, when it has stops)."""
        if tour_id == "default":
            metadata = await self._metadata(venue_id)
            if metadata is None:
                return None
            count = default_tour(metadata, venue_id)["stop_count"]
            return count or None
        tour = await tours_repo.get(self.app[keys.DB_ENGINE], tour_id)
        if tour is None or tour["venue_id"] != venue_id:
            return None
        return tour["stop_count"]

    async def token_role(self, event_id: str, token: str) -> str | None:
        """``host``, ``assistant`` (an assistant host link not revoked) or ``None``."""
        return await events_repo.token_role(self.app[keys.DB_ENGINE], event_id, token)
