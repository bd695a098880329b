"""One audience over several processes (a mixin of :class:`.namespace.LiveNamespace`).

Only active with Redis (``Services.shared``, shared_live.py). It keeps the shared
records up to date as members join, sit and leave; lets a host mute or remove a
member connected to another process; applies the notes other processes send;
and resumes here a member whose process went away (its id, name and seat kept).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from . import protocol as p
from .audience import Audience, Departure, Member
from .moderation import Moderation
from .protocol import ClientError, ok

if TYPE_CHECKING:
    from .namespace import Services

log = logging.getLogger("zal.realtime.shared")
WARN_EVERY_S = 10.0
PRESENT_EVERY_S = 10.0  # a third of shared_live.PRESENT_FRESH_S


class SharedEvents:
    s: Services
    _shared_warned_at = float("-inf")  # when the last "skipped" line was logged
    _present_told_at = float("-inf")  # live clock: when attendance figures were last told

    if TYPE_CHECKING:  # provided by socketio.AsyncNamespace and LiveNamespace

        async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None: ...
        async def disconnect(self, sid: str, **kwargs: Any) -> None: ...
        async def _announce_left(self, departure: Departure) -> None: ...
        async def _send_off(self, sid: str, reason: str, message: str, wait: bool) -> None: ...
        async def qa_member_removed(self, audience: Audience, member_id: str) -> None: ...

    # -- records ---------------------------------------------------------------
    # Redis away must not stop the show: a record not written costs that member a
    # resume on another process; moderation and the stage keep this process's copy

    async def _best_effort(self, what: str, work: Awaitable[None]) -> None:
        try:
            await work
        except (RedisError, OSError) as exc:
            now = time.monotonic()
            if now - self._shared_warned_at >= WARN_EVERY_S:  # not a line per join
                self._shared_warned_at = now
                log.warning("shared live state: %s skipped (%s)", what, type(exc).__name__)

    async def shared_joined(self, member: Member) -> None:
        if self.s.shared is not None:
            await self._best_effort("a resume record", self.s.shared.joined(member))

    async def shared_departed(self, departure: Departure) -> None:
        if self.s.shared is not None:
            audience = departure.instance.audience
            forget = self.s.shared.departed(departure.member.id, audience.key)
            await self._best_effort("forgetting a member", forget)
            if self.s.attendance is not None:  # one fewer here, for the others' peak
                await self.s.attendance.present_everywhere(audience)

    async def shared_tick(self, now: float, gone: list[Departure]) -> None:
        for departure in gone:  # grace ended: the member is not coming back
            await self.shared_departed(departure)
        if self.s.attendance is not None and now - self._present_told_at >= PRESENT_EVERY_S:
            # our figures stay fresh for the others (shared_live.PRESENT_FRESH_S)
            self._present_told_at = now
            for audience in list(self.s.state.audiences.values()):
                await self.s.attendance.present_everywhere(audience)

    async def shared_audience(self, audience: Audience) -> None:
        """Before a join: a copy of the audience new to this process takes the
        shared moderation and stage, and a new instance its number."""
        if self.s.shared is not None:
            await self._best_effort("reading the audience", self._load_audience(audience))

    async def _load_audience(self, audience: Audience) -> None:
        shared = self.s.shared
        assert shared is not None
        if not audience.instances:
            await shared.load_moderation(audience)
        full = all(i.count + i.reserved >= i.capacity for i in audience.instances.values())
        if full and audience.spare_index is None:  # the join will open a new copy
            audience.spare_index = await shared.next_instance(audience)
        event_id = audience.event_id
        if event_id is not None and event_id not in self.s.stages.stages:
            state = await shared.load_stage(event_id)
            if state is not None:
                self.s.stages.adopt(event_id, state)

    # -- a host acting on a member of another process ------------------------------
    async def _remote_node(self, host: Member, member_id: str) -> tuple[Audience, str] | None:
        """The process of ``member_id`` when it is joined elsewhere; None if here."""
        audience = Moderation.require_host(host)
        if self.s.shared is None or self.s.state.member_by_id(audience, member_id) is not None:
            return None
        if member_id == host.id:
            return None
        node = await self.s.shared.node_of(audience.key, member_id)
        if node is None:
            raise ClientError("not_found", "no such member in this audience")
        return audience, node

    async def remote_mute(self, host: Member, member_id: str, muted: bool) -> dict | None:
        found = await self._remote_node(host, member_id)
        if found is None:
            return None
        audience, _node = found
        assert self.s.shared is not None
        (audience.muted.add if muted else audience.muted.discard)(member_id)
        await self.s.shared.set_muted(audience, member_id, muted)
        await self.s.moderation.record(host, audience, "mute" if muted else "unmute", member_id)
        return ok()

    async def remote_remove(self, host: Member, member_id: str) -> dict | None:
        found = await self._remote_node(host, member_id)
        if found is None:
            return None
        audience, node = found
        assert self.s.shared is not None
        audience.banned.add(member_id)
        await self.s.shared.ban(audience, member_id)
        await self.s.shared.ask_to_drop(node, member_id, "removed")
        await self.s.moderation.record(host, audience, "remove", member_id)
        await self.qa_member_removed(audience, member_id)
        return ok()

    # -- notes from other processes -------------------------------------------------
    async def shared_note(self, note: dict[str, Any]) -> None:
        try:
            await self._apply_note(note)
        except Exception:  # one bad note must not stop the listener
            log.exception("shared note failed", extra={"op": note.get("op")})

    async def _apply_note(self, note: dict[str, Any]) -> None:
        shared, state = self.s.shared, self.s.state
        assert shared is not None
        op = note.get("op")
        if op == "resubscribed":  # notes may have been missed: read everything again
            for audience in list(state.audiences.values()):
                await shared.load_moderation(audience)
        elif op == "moderation":
            changed = state.audiences.get(str(note.get("audience")))
            if changed is None:
                return
            await shared.load_moderation(changed)
            member = state.member_by_id(changed, str(note.get("member")))
            if member is not None and member.sid is not None and note.get("action"):
                await self.emit(p.MODERATED, {"action": note["action"]}, to=member.sid)
        elif op == "stage":
            self.s.stages.adopt(str(note.get("event")), dict(note.get("state") or {}))
        elif op == "drop" and note.get("node") == state.node:
            member = state.members.get(str(note.get("member")))
            if member is not None:
                await self._drop_here(member, str(note.get("reason")))

    async def _drop_here(self, member: Member, reason: str) -> None:
        sid = member.sid
        if reason == "moved" and self.s.shared is not None:
            # its record is the new process's now: leave it alone
            self.s.shared.let_go(member.id)
        departure = self.s.state.drop(member)
        if sid is not None and reason == "removed":
            await self.emit(p.MODERATED, {"action": "removed"}, to=sid)
        if departure is not None:
            await self._announce_left(departure)
        if sid is not None and reason == "removed":
            message = "a host removed you from this audience"
            await self._send_off(sid, p.REMOVED_BY_HOST, message, wait=False)
        elif sid is not None:  # the same member is connected to another process now
            await self.disconnect(sid)

    # -- resuming here a member of another process ---------------------------------------
    async def adopt(self, sid: str, resume: str, token: str | None, now: float) -> Member | None:
        """The member whose record holds ``resume``, joined here with its id, name and
        seat (if free in its new copy of the hall); None if no process knows it."""
        shared = self.s.shared
        if shared is None:
            return None
        record = await shared.claim(resume)
        if record is None:
            return None
        event_id, venue_id, seat_ids = await self.s.directory.resolve(
            record["event_id"], record["venue_id"]
        )
        role = await self.s.directory.token_role(event_id, token) if event_id and token else None
        audience = self.s.state.audience(event_id, venue_id, seat_ids)
        await self.shared_audience(audience)
        member = self.s.state.adopt(
            sid, record["id"], int(record["number"]), str(record["name"]), token, resume, now
        )
        try:
            instance = self.s.state.join(
                member, audience, role == "host", token if role == "assistant" else None
            )
        except ClientError:
            self.s.state.drop(member)
            raise
        if record.get("seat"):
            try:
                self.s.state.sit(member, str(record["seat"]))
            except ClientError:
                pass  # taken in this copy of the hall: the member stands
        if record.get("node") != self.s.state.node:
            await shared.ask_to_drop(str(record["node"]), member.id, "moved")
        await shared.joined(member)
        log.info("resumed from another process", extra={"member": member.id})
        await self.emit(p.MEMBER_JOINED, member.public(), room=instance.room, skip_sid=sid)
        return member
