"""Hand raising of the ``/live`` namespace (a mixin of :class:`.namespace.LiveNamespace`).

A resident raises (``raise_hand``) or lowers (``lower_hand``) its hand; the host
sees the queue in order (``hand_queue``, to the hosts' room), calls the next
(``hand_next``) or lowers anyone's (``lower_hand`` with a ``member_id``). Who is
called goes to the whole hall (``hand_called``, with the seat, which clients
highlight). Whoever moves up the line is told its new place (``hand_position``).
The queue is the process's own state (server/realtime/hand_queue.py): hands are a
live gesture, not a record, and a member who leaves is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import protocol as p
from . import store
from .audience import Audience, Member
from .hand_queue import HandQueue
from .protocol import ClientError, Id, _Payload, ok, parse
from .qa_events import hosts_room

if TYPE_CHECKING:
    from .namespace import Services


class LowerPayload(_Payload):
    member_id: Id | None = None  # a host lowers someone else's hand


class HandEvents:
    s: Services

    if TYPE_CHECKING:  # provided by socketio.AsyncNamespace

        async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None: ...

    def hand_handlers(self) -> dict[str, Callable]:
        return {
            p.RAISE_HAND: self._raise_hand,
            p.LOWER_HAND: self._lower_hand,
            p.HAND_NEXT: self._hand_next,
        }

    def hands_welcome(self, member: Member, audience: Audience) -> dict[str, Any] | None:
        """The ``hands`` field of the join ack: who is called, this member's place in
        line, and (hosts) the whole queue."""
        if audience.event_id is None:
            return None
        queue = self.s.hands.peek(audience.key) or HandQueue()
        out: dict[str, Any] = {
            "called": self._who(audience, queue.called),
            "position": queue.position(member.id),
        }
        if member.is_host:
            out["queue"] = self._queue_view(audience, queue)
        return out

    def _who(self, audience: Audience, member_id: str | None) -> dict[str, Any] | None:
        if member_id is None:
            return None
        member = self.s.state.member_by_id(audience, member_id)
        if member is None:
            return None
        return {"member_id": member.id, "name": member.name, "seat": member.seat}

    def _queue_view(self, audience: Audience, queue: HandQueue) -> list[dict[str, Any]]:
        """Members still here, in order (those gone are dropped from the queue), each
        with how long its hand has been up (``waited_s``)."""
        out = []
        now = self.s.clock()
        for member_id, at in list(queue.raised.items()):
            who = self._who(audience, member_id)
            if who is None:
                queue.lower(member_id)
                continue
            who["waited_s"] = round(max(0.0, now - at), 1)
            out.append(who)
        return out

    def _event(self, member: Member) -> tuple[Audience, HandQueue]:
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event first")
        if audience.event_id is None:
            raise ClientError("not_found", "hands are raised at an event, not in a venue")
        return audience, self.s.hands.get(audience.key)

    async def _raise_hand(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, queue = self._event(member)
        parse(p.Empty, payload)
        if member.id in audience.muted:
            raise ClientError("muted", "the host muted you")
        if queue.raise_hand(member.id, now):
            await self._announce_queue(audience, queue)
        return ok(position=queue.position(member.id))

    async def _lower_hand(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, queue = self._event(member)
        req = parse(LowerPayload, payload)
        target = member.id
        if req.member_id is not None and req.member_id != member.id:
            if not member.is_host:
                raise ClientError("forbidden", "only a host lowers someone else's hand")
            target = req.member_id
        was_called = queue.called == target
        place = queue.position(target)  # those after it move up
        if queue.lower(target):
            await self._announce_queue(audience, queue, moved_from=place)
            if was_called:
                await self.emit(p.HAND_CALLED, {"called": None}, room=audience.room)
            if target != member.id:
                await self._record_hand(member, audience, "hand_lower", target)
                lowered = self.s.state.member_by_id(audience, target)
                if lowered is not None and lowered.sid is not None:
                    await self.emit(p.HAND_LOWERED, {}, to=lowered.sid)
        self.s.hands.forget_if_idle(audience.key)
        return ok()

    async def _hand_next(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience, queue = self._event(member)
        if not member.is_host:
            raise ClientError("forbidden", "only a host of this event may do that")
        parse(p.Empty, payload)
        self._queue_view(audience, queue)  # drop those who left before calling one
        called = self._who(audience, queue.call_next())
        await self.emit(p.HAND_CALLED, {"called": called}, room=audience.room)
        await self._announce_queue(audience, queue, moved_from=1 if called else None)
        await self._record_hand(
            member, audience, "hand_next", called["member_id"] if called else None
        )
        self.s.hands.forget_if_idle(audience.key)
        return ok(called=called)

    async def _announce_queue(
        self, audience: Audience, queue: HandQueue, moved_from: int | None = None
    ) -> None:
        """The line to the hosts; with ``moved_from`` (the 1-based place a hand left),
        each member from that place on is told its new place."""
        line = self._queue_view(audience, queue)
        await self.emit(p.HAND_QUEUE, line, room=hosts_room(audience))
        if moved_from is None:
            return
        for place, who in enumerate(line, start=1):
            if place < moved_from:
                continue
            member = self.s.state.member_by_id(audience, who["member_id"])
            if member is not None and member.sid is not None:
                await self.emit(p.HAND_POSITION, {"position": place}, to=member.sid)

    async def hands_departed(self, member: Member, audience: Audience) -> None:
        """A member left the event: its hand goes down, and the hall is told if it
        was the one called."""
        queue = self.s.hands.peek(audience.key)
        if queue is None:
            return
        was_called = queue.called == member.id
        place = queue.position(member.id)
        if queue.lower(member.id):
            await self._announce_queue(audience, queue, moved_from=place)
            if was_called:
                await self.emit(p.HAND_CALLED, {"called": None}, room=audience.room)
        self.s.hands.forget_if_idle(audience.key)

    async def _record_hand(
        self, member: Member, audience: Audience, action: str, target: str | None
    ) -> None:
        await store.record_action(
            self.s.moderation.engine, audience.key, member.id, member.name, action, target, None
        )
