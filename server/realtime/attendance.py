"""Counting the audience without tracking people (issue 8).

A visitor is named by ``sha256(day salt, event, address, browser)``: the salt is
32 random bytes made when a UTC day begins and kept only in this process's
memory, so yesterday's hashes cannot be matched with today's, nor turned back
into an address. The same person on two days, or after a server restart on the
same day, counts again (documented in docs/api.md). The peak is the most people
the event's audience had at once in this process: a member whose socket closed
waits out its grace period in its place, and is not counted beside the one who
came back as a new member (a host reloading the console, a visitor reloading the
page), see :func:`present`. Joins after the event's end are not counted: the
figures a host reads then are final.

Several processes (shared_live.py): the day's salt is one for all of them, kept in
Redis (in memory, for two days at most), so a person who comes back through
another process is the same visitor; the peak adds up what each process has
present, each process telling its own figure at every join and departure and
every few seconds (a process that stops telling drops out of the sum).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from ..storage import attendance as repo
from .audience import Audience, Member
from .shared_live import SharedLive

log = logging.getLogger("zal.realtime")


def client_of(environ: dict) -> tuple[str, str]:
    """The peer address and user agent of a Socket.IO connection (engine.io's aiohttp
    driver puts the request in the environ; its REMOTE_ADDR is a placeholder)."""
    request = environ.get("aiohttp.request")
    address = getattr(request, "remote", None) or environ.get("REMOTE_ADDR", "")
    return str(address), str(environ.get("HTTP_USER_AGENT", ""))


def _identities(member: Member) -> set[tuple[str, ...]]:
    """Who a member is, for telling a reload from a newcomer: its connection's
    address and browser, and the host or assistant token it holds."""
    found: set[tuple[str, ...]] = set()
    if any(member.client):
        found.add(("client", *member.client))
    token = member.assistant_token or (member.token if member.is_host else None)
    if token:
        found.add(("token", token))
    return found


def present(audience: Audience) -> int:
    """How many people are in the audience now. A member in its grace period (socket
    closed, place kept) counts only while nobody connected shares an identity with
    it: a reload joins as a new member before the old one expires, and is one person."""
    members = [m for instance in audience.instances.values() for m in instance.members()]
    here = {key for m in members if m.detached_at is None for key in _identities(m)}
    return sum(1 for m in members if m.detached_at is None or not _identities(m) & here)


class Attendance:
    def __init__(
        self,
        engine: AsyncEngine,
        today: Callable[[], date] | None = None,
        now: Callable[[], datetime] | None = None,
        shared: SharedLive | None = None,
    ):
        self.engine = engine
        self.shared = shared
        self._now = now or (lambda: datetime.now(UTC))
        self._today = today or (lambda: self._now().date())
        self._day: date | None = None
        self._salt = b""
        self._peaks: dict[str, int] = {}  # event id -> peak known to be stored

    def _salt_of_today(self) -> bytes:
        today = self._today()
        if today != self._day:
            self._day, self._salt = today, secrets.token_bytes(32)
        return self._salt

    def visitor(
        self, event_id: str, address: str, user_agent: str, salt: bytes | None = None
    ) -> str:
        digest = hashlib.sha256(salt if salt is not None else self._salt_of_today())
        for part in (event_id, address, user_agent[:512]):
            digest.update(b"\x00" + part.encode("utf-8", "replace"))
        return digest.hexdigest()

    async def joined(self, audience: Audience, address: str, user_agent: str) -> None:
        """A member joined an event's audience: count the visitor and the peak. Runs
        after the join's ack; a failure costs a count, never the join."""
        event_id = audience.event_id
        if event_id is None:
            return
        now_present = await self.present_everywhere(audience)
        visitor = self.visitor(event_id, address, user_agent, await self._shared_salt())
        try:
            if await repo.has_ended(self.engine, event_id, self._now()):
                return
            await repo.record_visitor(self.engine, event_id, visitor)
            if now_present > self._peaks.get(event_id, 0):
                self._peaks[event_id] = await repo.record_peak(self.engine, event_id, now_present)
        except (SQLAlchemyError, OSError):  # OSError: the database is away
            log.warning("attendance not counted", extra={"event": event_id}, exc_info=True)

    # -- several processes ------------------------------------------------------
    async def _shared_salt(self) -> bytes | None:
        if self.shared is None:
            return None
        try:
            return await self.shared.day_salt(self._today().isoformat())
        except (RedisError, OSError):  # Redis away: this process's own salt
            return None

    async def present_everywhere(self, audience: Audience) -> int:
        """:func:`present` here, plus what the other processes last told (one
        process: just here). Also tells this process's figure to the others."""
        here = present(audience)
        if self.shared is None or audience.event_id is None:
            return here
        try:
            return await self.shared.present_total(audience.event_id, here)
        except (RedisError, OSError):
            return here
