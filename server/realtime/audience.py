"""Pure live-audience state: members, audiences, instances, seats, latest poses.

No sockets and no clock in here: the namespace and the ticker call these methods
with the time and turn the results into emits, so all of it is tested without a
network. Per-tick work is O(changed members): poses are quantised when they
arrive and kept as ready-made snapshot records, and only instances and
audiences marked dirty are visited.
"""

from __future__ import annotations

import heapq
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field

from . import snapshot
from .protocol import REACTION_KINDS, ClientError
from .ratelimit import Limits

# friendly, distinguishable avatar colours (picked by member number)
PALETTE = (
    "#e07a5f", "#3d85c6", "#81b29a", "#f2cc8f", "#9b5de5", "#f15bb5",
    "#00bbf9", "#00a67e", "#ff924c", "#c65f9e", "#6a994e", "#b56576",
)  # fmt: skip

Record = tuple[int, bytes, int, bytes | None]  # slot, head bytes, flags, hand bytes


class Member:
    """One connected (or briefly disconnected) person. Identity is server-made."""

    __slots__ = (
        "id", "number", "name", "colour", "resume", "token", "sid", "limits",
        "audience", "instance", "slot", "seat", "host_of", "assistant_of", "assistant_token",
        "head", "hands",
        "record", "last_chat", "detached_at", "dropped_poses", "last_rejected", "client",
    )  # fmt: skip

    def __init__(
        self,
        member_id: str,
        number: int,
        name: str,
        token: str | None,
        now: float,
        pose_hz: float = 20.0,
    ):
        self.id = member_id
        self.number = number
        self.name = name
        self.colour = PALETTE[number % len(PALETTE)]
        self.resume: str | None = None
        self.token = token  # host token given at connect (checked per event on join)
        # (address, user agent) of the connection: hashed for attendance, never stored
        self.client: tuple[str, str] = ("", "")
        self.sid: str | None = None
        self.limits = Limits(now, pose_hz)
        self.audience: Audience | None = None
        self.instance: Instance | None = None
        self.slot = -1
        self.seat: str | None = None
        self.host_of: str | None = None  # audience key this member hosts
        # audience key where this member is an assistant host (Q&A moderation only),
        # and the token it joined with (checked again on every assistant action)
        self.assistant_of: str | None = None
        self.assistant_token: str | None = None
        self.head: bytes | None = None
        self.hands: bytes | None = None
        self.record: Record | None = None
        self.last_chat = float("-inf")
        self.detached_at: float | None = None
        self.dropped_poses = 0
        self.last_rejected = float("-inf")

    @property
    def is_host(self) -> bool:
        return self.audience is not None and self.host_of == self.audience.key

    @property
    def is_assistant(self) -> bool:
        return self.audience is not None and self.assistant_of == self.audience.key

    @property
    def role(self) -> str:
        """``host``, ``assistant`` or ``member`` in the joined audience."""
        return "host" if self.is_host else "assistant" if self.is_assistant else "member"

    def public(self) -> dict:
        return {
            "id": self.id,
            "slot": self.slot,
            "name": self.name,
            "colour": self.colour,
            "seat": self.seat,
            "host": self.is_host,
            "assistant": self.is_assistant,
        }

    def _flags(self) -> int:
        return (snapshot.SEATED if self.seat else 0) | (snapshot.VR if self.hands else 0)

    def _rebuild_record(self) -> None:
        if self.head is not None:
            self.record = (self.slot, self.head, self._flags(), self.hands)


class Instance:
    """One copy of the hall: at most ``capacity`` members, its own seats."""

    def __init__(
        self, audience: Audience, index: int, capacity: int, node: str = "local", seq: int = 0
    ):
        self.audience = audience
        self.index = index
        self.capacity = capacity
        # this process's running count of instances made: the ticker sends the
        # instance's snapshots in slice ``seq % slices`` of its period (ticker.py)
        self.seq = seq
        self.id = f"{audience.key}/{index}"
        # instances belong to one process: with a shared (Redis) room manager the
        # node keeps two processes' "instance 1" apart; audience rooms are shared
        self.room = f"i:{node}:{self.id}"
        self.slots: list[Member | None] = []
        self.count = 0
        self._free: list[int] = []  # heap of reusable slots
        self._pending: list[int] = []  # freed this tick: reusable after the next snapshot
        self.seats: dict[str, Member] = {}
        # places kept for members of tour groups guided here (group_events.py):
        # a plain join does not take them, a group's member moving in does
        self.reserved = 0
        self.dirty: set[int] = set()
        self.removed: list[int] = []

    def members(self) -> list[Member]:
        return [m for m in self.slots if m is not None]

    def describe(self) -> dict:
        return {"id": self.id, "index": self.index, "capacity": self.capacity}

    def _take_slot(self, member: Member) -> None:
        if self._free:
            slot = heapq.heappop(self._free)
            self.slots[slot] = member
        else:
            slot = len(self.slots)
            self.slots.append(member)
        member.slot = slot
        self.count += 1

    def _free_slot(self, slot: int) -> None:
        self.slots[slot] = None
        self.count -= 1
        self.dirty.discard(slot)
        self.removed.append(slot)
        self._pending.append(slot)

    def collect(self) -> tuple[list[Record], list[int]]:
        """What changed since the last call (records, removed slots); resets both."""
        slots = self.slots
        changed = []
        for slot in self.dirty:
            m = slots[slot]
            if m is not None and m.record is not None:
                changed.append(m.record)
        removed = self.removed
        self.dirty = set()
        self.removed = []
        for slot in self._pending:
            heapq.heappush(self._free, slot)
        self._pending = []
        return changed, removed

    def full(self) -> list[Record]:
        return [m.record for m in self.slots if m is not None and m.record is not None]


@dataclass(eq=False)
class Audience:
    """Everyone in one event (or one venue without an event), over its instances."""

    key: str
    event_id: str | None
    venue_id: str
    seat_ids: frozenset[str]
    instances: dict[int, Instance] = field(default_factory=dict)
    slow_mode: int = 0
    closed: bool = False
    muted: set[str] = field(default_factory=set)
    banned: set[str] = field(default_factory=set)
    reactions: dict[str, int] = field(default_factory=dict)
    # several processes: the number of this process's next new instance, taken
    # from a counter they share, so no two copies of the hall have one id
    spare_index: int | None = None

    @property
    def room(self) -> str:
        return audience_room(self.key)

    def chat_state(self) -> dict:
        return {"slow_mode": self.slow_mode, "closed": self.closed}

    def describe(self) -> dict:
        return {"event_id": self.event_id, "venue_id": self.venue_id}

    def idle(self) -> bool:
        return not (self.instances or self.slow_mode or self.closed or self.muted or self.banned)


def audience_key(event_id: str | None, venue_id: str) -> str:
    return f"event:{event_id}" if event_id is not None else f"venue:{venue_id}"


def audience_room(key: str) -> str:
    """The Socket.IO room of everyone in an audience (all its instances)."""
    return f"a:{key}"


@dataclass(frozen=True, slots=True)
class Departure:
    """A member left an instance: tell the instance ``member_left``."""

    member: Member
    instance: Instance
    slot: int


class LiveState:
    """All members and audiences of this process."""

    def __init__(
        self,
        capacity: int = 50,
        grace: float = 30.0,
        pose_hz: float = 20.0,
        node: str | None = None,
    ):
        if capacity < 1:
            raise ValueError(f"instance capacity must be >= 1, got {capacity}")
        self.node = node or secrets.token_hex(4)
        self.capacity = capacity
        self.grace = grace
        self.pose_hz = pose_hz
        self.members: dict[str, Member] = {}
        self.by_sid: dict[str, Member] = {}
        self.by_resume: dict[str, Member] = {}
        self.detached: dict[str, Member] = {}
        self.audiences: dict[str, Audience] = {}
        self.dirty_instances: set[Instance] = set()
        self.reacting: set[Audience] = set()
        self.tick = 0  # advanced by the ticker; stamped into snapshots
        self._numbers = 0
        self._instances_made = 0

    # -- members -----------------------------------------------------------
    def connect(self, sid: str, name: str, token: str | None, now: float) -> Member:
        self._numbers += 1
        member_id = "m_" + secrets.token_urlsafe(9)
        member = Member(member_id, self._numbers, name, token, now, self.pose_hz)
        member.sid = sid
        self.members[member.id] = member
        self.by_sid[sid] = member
        return member

    def adopt(
        self,
        sid: str,
        member_id: str,
        number: int,
        name: str,
        token: str | None,
        resume: str,
        now: float,
    ) -> Member:
        """A member that resumes here from another process (shared_events.py): its
        id, number and resume token kept; the caller joins it."""
        member = Member(member_id, number, name, token, now, self.pose_hz)
        member.sid = sid
        member.resume = resume
        self.members[member.id] = member
        self.by_sid[sid] = member
        self.by_resume[resume] = member
        return member

    def resume(self, token: str, sid: str, now: float) -> tuple[Member, str | None] | None:
        """Re-attach the member owning ``token``; returns it and the old sid to close."""
        member = self.by_resume.get(token)
        if member is None:
            return None
        old_sid = member.sid
        if old_sid is not None:
            self.by_sid.pop(old_sid, None)
        self.detached.pop(member.id, None)
        member.detached_at = None
        member.sid = sid
        self.by_sid[sid] = member
        return member, old_sid

    def detach(self, sid: str, now: float) -> Member | None:
        """The socket closed. A joined member waits ``grace`` seconds; others go now."""
        member = self.by_sid.pop(sid, None)
        if member is None or member.sid != sid:
            return None
        member.sid = None
        if member.instance is None:
            self._forget(member)
            return None
        member.detached_at = now
        self.detached[member.id] = member
        return member

    def expire(self, now: float) -> list[Departure]:
        """Drop members whose grace period ended."""
        gone = []
        for member in list(self.detached.values()):
            if member.detached_at is not None and now - member.detached_at >= self.grace:
                departure = self.drop(member)
                if departure is not None:
                    gone.append(departure)
        return gone

    def drop(self, member: Member) -> Departure | None:
        """Remove a member for good (grace over, removed by a host)."""
        departure = self.leave(member)
        if member.sid is not None:
            self.by_sid.pop(member.sid, None)
            member.sid = None
        self._forget(member)
        return departure

    def _forget(self, member: Member) -> None:
        self.members.pop(member.id, None)
        self.detached.pop(member.id, None)
        if member.resume is not None:
            self.by_resume.pop(member.resume, None)
            member.resume = None

    # -- audiences and instances --------------------------------------------
    def audience(self, event_id: str | None, venue_id: str, seat_ids: frozenset[str]) -> Audience:
        key = audience_key(event_id, venue_id)
        found = self.audiences.get(key)
        if found is None:
            found = self.audiences[key] = Audience(key, event_id, venue_id, seat_ids)
        else:
            found.seat_ids = seat_ids  # a rebuilt venue may have new seats
        return found

    def join(
        self,
        member: Member,
        audience: Audience,
        host: bool = False,
        assistant_token: str | None = None,
    ) -> Instance:
        """``assistant_token``: the member joins as an assistant host (checked by the
        caller) with that token."""
        if member.instance is not None:
            raise ClientError("already_joined", "already in an audience; send leave first")
        if member.id in audience.banned:
            raise ClientError("banned", "you were removed from this event")
        instance = self.instance_with_room(audience, 1)
        instance._take_slot(member)
        member.audience = audience
        member.instance = instance
        member.host_of = audience.key if host else None
        assistant = not host and assistant_token is not None
        member.assistant_of = audience.key if assistant else None
        member.assistant_token = assistant_token if assistant else None
        member.seat = None
        member.head = member.hands = member.record = None
        if member.resume is None:
            member.resume = "r_" + secrets.token_urlsafe(24)
            self.by_resume[member.resume] = member
        return instance

    def instance_with_room(self, audience: Audience, need: int) -> Instance:
        """The first instance (lowest index) with ``need`` places neither taken nor
        reserved; a new one when none has."""
        for index in sorted(audience.instances):
            candidate = audience.instances[index]
            if candidate.count + candidate.reserved + need <= candidate.capacity:
                return candidate
        if audience.spare_index is not None and audience.spare_index not in audience.instances:
            index, audience.spare_index = audience.spare_index, None
        else:
            index = 1
            while index in audience.instances:
                index += 1
        instance = Instance(audience, index, self.capacity, self.node, self._instances_made)
        self._instances_made += 1
        audience.instances[index] = instance
        return instance

    def move(self, member: Member, target: Instance) -> Departure:
        """Move a joined member into another instance of its audience (a tour
        group's member to its guide, group_events.py): a new slot there, its seat
        given up, its latest pose kept. The old instance gets the departure."""
        old = member.instance
        if old is None or old.audience is not target.audience or old is target:
            raise ValueError("move: not a joined member of another instance of this audience")
        if target.count >= target.capacity:
            raise ClientError("instance_full", "that copy of the hall is full")
        slot = member.slot
        if member.seat is not None:
            old.seats.pop(member.seat, None)
            member.seat = None
        old._free_slot(slot)
        self.dirty_instances.add(old)
        if old.count == 0:
            del old.audience.instances[old.index]
            self.dirty_instances.discard(old)
        target._take_slot(member)
        member.instance = target
        if member.head is not None:
            member._rebuild_record()
            target.dirty.add(member.slot)
            self.dirty_instances.add(target)
        return Departure(member, old, slot)

    def leave(self, member: Member) -> Departure | None:
        instance = member.instance
        if instance is None:
            return None
        audience = instance.audience
        slot = member.slot
        if member.seat is not None:
            instance.seats.pop(member.seat, None)
        instance._free_slot(slot)
        self.dirty_instances.add(instance)
        if instance.count == 0:
            del audience.instances[instance.index]
            self.dirty_instances.discard(instance)
        audience.muted.discard(member.id)
        member.audience = member.instance = None
        member.slot = -1
        member.seat = None
        member.host_of = None
        member.assistant_of = member.assistant_token = None
        member.head = member.hands = member.record = None
        if member.resume is not None:
            self.by_resume.pop(member.resume, None)
            member.resume = None
        if audience.idle():
            self.audiences.pop(audience.key, None)
            self.reacting.discard(audience)
        return Departure(member, instance, slot)

    # -- per-member state -----------------------------------------------------
    def pose(self, member: Member, seq: int, values: list[float], now: float) -> bool:
        """Keep the latest pose; False if dropped (not joined, or over the rate)."""
        instance = member.instance
        if instance is None:
            return False
        if not member.limits.pose.take(now):
            member.dropped_poses += 1
            return False
        member.head, member.hands = snapshot.pack_pose(seq, values)
        member.record = (member.slot, member.head, member._flags(), member.hands)
        instance.dirty.add(member.slot)
        self.dirty_instances.add(instance)
        return True

    def sit(self, member: Member, seat_id: str) -> None:
        instance = member.instance
        if instance is None:
            raise ClientError("not_joined", "join an event or venue first")
        if seat_id not in instance.audience.seat_ids:
            raise ClientError("unknown_seat", "no such seat in this venue")
        holder = instance.seats.get(seat_id)
        if holder is member:
            return
        if holder is not None:
            raise ClientError("seat_taken", "that seat is taken")
        if member.seat is not None:
            instance.seats.pop(member.seat, None)
        instance.seats[seat_id] = member
        member.seat = seat_id
        self._touch(member)

    def stand(self, member: Member) -> None:
        instance = member.instance
        if instance is None:
            raise ClientError("not_joined", "join an event or venue first")
        if member.seat is not None:
            instance.seats.pop(member.seat, None)
            member.seat = None
            self._touch(member)

    def _touch(self, member: Member) -> None:
        if member.head is not None and member.instance is not None:
            member._rebuild_record()
            member.instance.dirty.add(member.slot)
            self.dirty_instances.add(member.instance)

    def react(self, member: Member, kind: str, now: float) -> bool:
        audience = member.audience
        if audience is None or kind not in REACTION_KINDS:
            return False
        if not member.limits.react.take(now):
            return False
        audience.reactions[kind] = audience.reactions.get(kind, 0) + 1
        self.reacting.add(audience)
        return True

    def take_dirty(self) -> tuple[set[Instance], set[Audience]]:
        """Instances with pose changes and audiences with reactions since the last tick."""
        dirty, reacting = self.dirty_instances, self.reacting
        self.dirty_instances, self.reacting = set(), set()
        return dirty, reacting

    def take_dirty_instances(self, phases: Collection[int], slices: int) -> list[Instance]:
        """Dirty instances whose slice (``seq % slices``) is one of ``phases``; the
        others stay dirty until their own slice comes."""
        dirty = self.dirty_instances
        if slices <= 1 or len(phases) >= slices:
            self.dirty_instances = set()
            return list(dirty)
        due = [i for i in dirty if i.seq % slices in phases]
        dirty.difference_update(due)
        return due

    def take_reacting(self) -> set[Audience]:
        """Audiences with reactions since the last call."""
        reacting, self.reacting = self.reacting, set()
        return reacting

    def member_by_id(self, audience: Audience, member_id: str) -> Member | None:
        member = self.members.get(member_id)
        if member is None or member.audience is not audience:
            return None
        return member
