"""Live-guided tour groups of ``/live`` (a mixin of :class:`.namespace.LiveNamespace`).

A host of an event creates a group and guides it (``group_create``); anyone in
the event lists the open groups (the join ack's ``groups``, ``group_list``,
``group_update`` after every change) and joins one (``group_join``) or leaves
(``group_leave``). Only the group's guide gathers it (``group_gather``), has it
follow (``group_follow``), points (``group_pointer``), moves its tour to a stop
(``group_stop``) and ends it (``group_end``); anyone else gets ``not_guide``,
checked before the payload. The guide sees its roster (``group_roster``).

Members see their guide's avatar, so a group lives in its guide's instance: a
member joining from another instance is **moved** there (``instance_changed``;
its seat is given up), and the instance keeps places for the group's free cap
that plain joins do not take (``Instance.reserved``). A guide whose instance has
no room for the cap is moved, when creating the group, to one that has (a new
one if none). The state is :mod:`.tour_groups`; the wire, docs/PROTOCOL.md 4.12.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import protocol as p
from .audience import Audience, Departure, Instance, Member
from .protocol import ClientError, ok, parse
from .tour_groups import ROSTER_EVERY_S, TourGroup, gather_spots, inside, pose_of

if TYPE_CHECKING:
    from .namespace import Services


class GroupEvents:
    s: Services

    if TYPE_CHECKING:  # provided by socketio.AsyncNamespace and LiveNamespace

        async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None: ...
        async def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None: ...
        async def leave_room(self, sid: str, room: str, namespace: str | None = None) -> None: ...
        async def close_room(self, room: str, namespace: str | None = None) -> None: ...
        async def _send_full(self, sid: str, instance: Instance) -> None: ...

    def group_handlers(self) -> dict[str, Callable]:
        return {
            p.GROUP_CREATE: self._group_create,
            p.GROUP_LIST: self._group_list,
            p.GROUP_JOIN: self._group_join,
            p.GROUP_LEAVE: self._group_leave,
            p.GROUP_GATHER: self._group_gather,
            p.GROUP_FOLLOW: self._group_follow,
            p.GROUP_POINTER: self._group_pointer,
            p.GROUP_STOP: self._group_stop,
            p.GROUP_END: self._group_end,
            p.GROUP_ROSTER: self._group_roster,
        }

    # -- lookups ----------------------------------------------------------------
    def _guide(self, group: TourGroup) -> Member | None:
        guide = self.s.state.members.get(group.guide_id)
        if guide is None or guide.audience is None or guide.audience.key != group.audience_key:
            return None
        return guide

    def _lookup(self, group: TourGroup) -> Callable[[str], Member | None]:
        def find(member_id: str) -> Member | None:
            member = self.s.state.members.get(member_id)
            if member is None or member.audience is None:
                return None
            return member if member.audience.key == group.audience_key else None

        return find

    def _default_cap(self) -> int:
        return max(1, min(self.s.groups.default_cap, self.s.state.capacity - 1))

    def _summaries(self, audience: Audience) -> list[dict]:
        groups = self.s.groups.in_audience(audience.key)
        return [g.summary(self._guide(g)) for g in groups]

    def _state_for(self, group: TourGroup, member: Member) -> dict:
        role = "guide" if group.guide_id == member.id else "member"
        return group.state(self._guide(group), role)

    @staticmethod
    def _event_of(member: Member) -> Audience:
        audience = member.audience
        if audience is None:
            raise ClientError("not_joined", "join an event first")
        if audience.event_id is None:
            raise ClientError("not_found", "tour groups are made at an event, not in a venue")
        return audience

    def _guided(self, member: Member) -> tuple[TourGroup, Audience]:
        """The group this member guides, or ``not_guide`` (before any payload check)."""
        audience = self._event_of(member)
        group = self.s.groups.of(member.id)
        if group is None or group.guide_id != member.id:
            raise ClientError("not_guide", "only the group's guide may do that")
        return group, audience

    # -- what others learn ------------------------------------------------------
    def groups_welcome(self, member: Member, audience: Audience) -> dict | None:
        """The ``groups`` field of the join ack: the open groups and this member's own."""
        if audience.event_id is None:
            return None
        mine = self.s.groups.of(member.id)
        return {
            "groups": self._summaries(audience),
            "mine": self._state_for(mine, member) if mine is not None else None,
            "default_cap": self._default_cap(),
        }

    def _reserve(self, audience: Audience) -> None:
        """Each instance keeps the free places of the groups guided in it."""
        groups = self.s.groups
        for instance in audience.instances.values():
            instance.reserved = groups.reserved_in(instance.id, self._guide)

    async def _announce_groups(self, audience: Audience) -> None:
        self._reserve(audience)
        await self.emit(p.GROUP_UPDATE, {"groups": self._summaries(audience)}, room=audience.room)

    async def _send_roster(self, group: TourGroup) -> None:
        guide = self._guide(group)
        if guide is not None and guide.sid is not None:
            roster = group.roster(guide, self._lookup(group), self.s.clock())
            await self.emit(p.GROUP_ROSTER, roster, to=guide.sid)

    async def _changed(self, group: TourGroup, audience: Audience) -> None:
        await self._announce_groups(audience)
        await self._send_roster(group)

    async def _relay(self, group: TourGroup, event: str, data: dict) -> None:
        """To the group's members (the guide, also in the room, sent it)."""
        guide = self._guide(group)
        skip = guide.sid if guide is not None else None
        await self.emit(event, data, room=group.room, skip_sid=skip)

    async def _move_to_instance(self, member: Member, target: Instance) -> None:
        """Into ``target`` (its guide's instance): the old instance sees it leave,
        the new one arrive; the member gets ``instance_changed`` and a full snapshot."""
        departure: Departure = self.s.state.move(member, target)
        old, sid = departure.instance, member.sid
        if sid is not None:
            await self.leave_room(sid, old.room)
        await self.emit(p.MEMBER_LEFT, {"id": member.id, "slot": departure.slot}, room=old.room)
        if sid is not None:
            await self.enter_room(sid, target.room)
        await self.emit(p.MEMBER_JOINED, member.public(), room=target.room, skip_sid=sid)
        if sid is not None:
            others = [m.public() for m in target.members() if m is not member]
            changed = {"instance": target.describe(), "member": member.public(), "members": others}
            await self.emit(p.INSTANCE_CHANGED, changed, to=sid)
            await self._send_full(sid, target)

    async def _end(self, group: TourGroup, audience: Audience, reason: str) -> None:
        self.s.groups.end(group)
        await self.emit(p.GROUP_ENDED, {"group_id": group.id, "reason": reason}, room=group.room)
        await self.close_room(group.room)
        await self._announce_groups(audience)

    # -- anyone in the event ----------------------------------------------------
    async def _group_list(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._event_of(member)
        parse(p.Empty, payload)
        return ok(groups=self._summaries(audience))

    async def _group_join(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._event_of(member)
        req = parse(p.GroupJoinPayload, payload)
        group = self.s.groups.get(audience.key, req.group_id)
        if group is None:
            raise ClientError("not_found", "no such group in this event")
        if self.s.groups.of(member.id) is not None:
            raise ClientError("already_in_group", "you are in a group already; leave it first")
        if group.full:
            raise ClientError("group_full", f"the group is full ({group.cap} members)")
        guide = self._guide(group)
        if guide is None or guide.instance is None:
            raise ClientError("not_found", "the group's guide has gone")
        target = guide.instance
        moved = member.instance is not target
        if moved and target.count >= target.capacity:
            raise ClientError(
                "instance_full", "the guide's copy of the hall is full: the group cannot take you"
            )
        self.s.groups.join(group, member)
        if moved:
            await self._move_to_instance(member, target)
        if member.sid is not None:
            await self.enter_room(member.sid, group.room)
        history = await self.s.chat.history(audience, group.chat_key)
        await self._changed(group, audience)
        instance = member.instance
        assert instance is not None
        return ok(
            group=self._state_for(group, member),
            moved=moved,
            instance=instance.describe(),
            chat={"history": [{**m, "scope": "group", "group_id": group.id} for m in history]},
        )

    async def _group_leave(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._event_of(member)
        parse(p.Empty, payload)
        group = self.s.groups.of(member.id)
        if group is None:
            raise ClientError("not_in_group", "you are not in a group")
        if group.guide_id == member.id:  # the guide leaving ends its group
            await self._end(group, audience, "ended")
            return ok()
        self.s.groups.leave(group, member.id, now)
        await self.leave_room(sid, group.room)
        await self._changed(group, audience)
        return ok()

    async def group_chat(self, member: Member, text: str, now: float) -> dict:
        """A ``chat`` with ``scope: "group"``: the hall's checks (closed, muted, slow
        mode, rate; chat.py), stored apart, sent to the group's room only."""
        if member.audience is None:
            raise ClientError("not_joined", "join an event first")
        group = self.s.groups.of(member.id)
        if group is None:
            raise ClientError("not_in_group", "you are not in a group")
        message = await self.s.chat.send(member, text, now, None, key=group.chat_key)
        message = {**message, "scope": "group", "group_id": group.id}
        await self.emit(p.CHAT_MESSAGE, message, room=group.room)
        return ok(id=message["id"], sent_at=message["sent_at"])

    # -- the guide --------------------------------------------------------------
    async def _group_create(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        audience = self._event_of(member)
        if not member.is_host:
            raise ClientError("forbidden", "only a host of this event may guide a group")
        req = parse(p.GroupCreatePayload, payload)
        if self.s.groups.of(member.id) is not None:
            raise ClientError("already_in_group", "you are in a group already; leave it first")
        limit = self.s.state.capacity - 1  # the guide takes a place of the instance too
        if limit < 1:
            raise ClientError("instance_full", "an instance holds one member: no room for a group")
        cap = req.cap if req.cap is not None else self._default_cap()
        if cap > limit:
            raise ClientError(
                "invalid_payload", f"cap: at most {limit} (an instance holds {limit + 1})"
            )
        stop_count = None
        if req.tour_id is not None:
            found = await self.s.directory.tour_stop_count(audience.venue_id, req.tour_id)
            if found is None:
                raise ClientError("not_found", "no such tour in this venue")
            stop_count = found
        bounds = await self.s.directory.bounds(audience.venue_id)
        # looked things up: the member may have left or made a group meanwhile
        if member.audience is not audience or member.sid != sid or member.instance is None:
            raise ClientError("not_joined", "left the event during the request")
        if self.s.groups.of(member.id) is not None:
            raise ClientError("already_in_group", "you are in a group already; leave it first")
        here = member.instance
        if here.capacity - here.count - here.reserved < cap:
            await self._move_to_instance(member, self.s.state.instance_with_room(audience, cap + 1))
        group = self.s.groups.create(member, req.name, cap, req.tour_id, stop_count, bounds, now)
        await self.enter_room(sid, group.room)
        await self._changed(group, audience)
        instance = member.instance
        assert instance is not None
        return ok(group=self._state_for(group, member), instance=instance.describe())

    async def _group_gather(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        group, _ = self._guided(member)
        parse(p.Empty, payload)
        here = pose_of(member)
        if here is None:
            raise ClientError("no_pose", "your position is not known yet: send a pose first")
        find = self._lookup(group)
        present = [m for m in map(find, group.members) if m is not None]
        spots = gather_spots(here[0], here[1], len(present), group.bounds)
        guide = {"member_id": member.id, "position": list(here[0]), "yaw": round(here[1], 4)}
        for who, (position, yaw) in zip(present, spots, strict=True):
            if who.sid is not None:
                spot = {"position": list(position), "yaw": yaw}
                gathered = {"group_id": group.id, "guide": guide, "spot": spot}
                await self.emit(p.GROUP_GATHERED, gathered, to=who.sid)
        return ok(guide=guide, count=len(present))

    async def _group_follow(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        group, _ = self._guided(member)
        req = parse(p.GroupFollowPayload, payload)
        group.follow = req.on
        guide = {"member_id": member.id, "slot": member.slot}
        following = {"group_id": group.id, "on": req.on, "guide": guide}
        await self._relay(group, p.GROUP_FOLLOW, following)
        return ok(on=req.on)

    async def _group_pointer(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        group, _ = self._guided(member)
        req = parse(p.GroupPointerPayload, payload)
        if req.point is not None and not inside(tuple(req.point), group.bounds):
            raise ClientError("invalid_payload", "point: outside the venue")
        if not group.pointer_rate.take(now):
            raise ClientError(
                "rate_limited", "too many pointer moves", group.pointer_rate.retry_after(now)
            )
        group.pointer = list(req.point) if req.point is not None else None
        await self._relay(group, p.GROUP_POINTER, {"group_id": group.id, "point": group.pointer})
        return ok()

    async def _group_stop(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        group, _ = self._guided(member)
        req = parse(p.GroupStopPayload, payload)
        if group.tour_id is None:
            raise ClientError("no_tour", "the group has no tour (give tour_id when creating it)")
        if group.stop_count is not None and req.index >= group.stop_count:
            n = group.stop_count
            raise ClientError("not_found", f"no stop {req.index}: the tour's stops are 0..{n - 1}")
        group.stop = req.index
        moved = {"group_id": group.id, "tour_id": group.tour_id, "index": req.index}
        await self._relay(group, p.GROUP_STOP, moved)
        return ok(stop=req.index)

    async def _group_end(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        group, audience = self._guided(member)
        parse(p.Empty, payload)
        await self._end(group, audience, "ended")
        return ok()

    async def _group_roster(self, sid: str, member: Member, payload: Any, now: float) -> dict:
        group, _ = self._guided(member)
        parse(p.Empty, payload)
        return ok(roster=group.roster(member, self._lookup(group), now))

    # -- members coming and going -----------------------------------------------
    async def groups_departed(self, member: Member, audience: Audience) -> None:
        """A member left the event (left, removed, forced out, grace over): out of
        its group; a guide's going ends the group (``group_ended``, ``guide_left``)."""
        group = self.s.groups.of(member.id)
        if group is None:
            return
        if group.guide_id == member.id:
            await self._end(group, audience, "guide_left")
            return
        self.s.groups.leave(group, member.id, self.s.clock())
        if member.sid is not None:
            await self.leave_room(member.sid, group.room)
        await self._changed(group, audience)

    async def groups_resumed(self, sid: str, member: Member) -> None:
        """A resumed member is back in its group's room (the guide gets its roster)."""
        group = self.s.groups.of(member.id)
        if group is None:
            return
        await self.enter_room(sid, group.room)
        if group.guide_id == member.id:
            await self._send_roster(group)

    async def groups_tick(self, now: float, departures: list[Departure]) -> None:
        """From the ticker: members whose grace ended leave their groups; every
        ``ROSTER_EVERY_S`` each guide gets its roster (distances change as people walk)."""
        for departure in departures:
            await self.groups_departed(departure.member, departure.instance.audience)
        groups = self.s.groups
        if not groups.groups or now - groups.roster_at < ROSTER_EVERY_S:
            return
        groups.roster_at = now
        for group in list(groups.groups.values()):
            group.forget_left(now)
            await self._send_roster(group)
