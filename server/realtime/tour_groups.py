"""Live-guided tour groups: pure state (no sockets, no clock), like :mod:`.hand_queue`.

A host of an event (the **guide**) leads a group through a gallery: members
join up to the group's ``cap``, the guide gathers them, has them follow, points
at works and moves the group's tour from stop to stop. Several groups with their
own guides share one event. A member is in at most one group (a guide in its
own). The socket side is :mod:`.group_events`; the wire, docs/PROTOCOL.md 4.12.

Poses are the server's own (the latest each member sent, kept quantised on the
member, :mod:`.snapshot`): where the guide stands when it gathers, how far each
member is from it in the roster.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

from . import snapshot
from .audience import Member
from .protocol import ClientError
from .ratelimit import TokenBucket

LAGGING_M = 8.0  # a member farther than this from the guide (on the floor plan) lags
LEFT_KEPT_S = 120.0  # a member who left stays on the roster, marked, this long
ROSTER_EVERY_S = 2.0  # the guide's roster, besides every change
POINTER_RATE = 10.0  # guide's pointer updates per second (burst as many)
# gather spots: rows of arcs in front of the guide, facing it
SPOT_FIRST_RING_M = 1.6
SPOT_RING_STEP_M = 0.9
SPOT_SPACING_M = 0.8
SPOT_ARC = math.radians(200.0)
MAX_RINGS = 16  # out to 15 m from the guide
BOUNDS_MARGIN_M = 0.3

Vec3 = tuple[float, float, float]
Bounds = tuple[Vec3, Vec3]  # venue's bounds_min, bounds_max


def pose_of(member: Member) -> tuple[Vec3, float] | None:
    """``(position, yaw)`` of a member's latest pose (None before its first).

    yaw in radians as the tours' stops have it: 0 looks along -Z, pi/2 along -X.
    """
    if member.head is None:
        return None
    _seq, x, y, z, word = snapshot.POSE.unpack(member.head)
    qx, qy, qz, qw = snapshot.unpack_quaternion(word)
    # forward (0, 0, -1) rotated by q: only its x and z are needed
    fx = -2.0 * (qx * qz + qw * qy)
    fz = -(1.0 - 2.0 * (qx * qx + qy * qy))
    yaw = math.atan2(-fx, -fz) if fx * fx + fz * fz > 1e-9 else 0.0
    return (x / 1000.0, y / 1000.0, z / 1000.0), yaw


def floor_distance(a: Vec3, b: Vec3) -> float:
    """Metres apart on the floor plan (x, z): a member on a stair is not lagging."""
    return math.hypot(a[0] - b[0], a[2] - b[2])


def _wrap(angle: float) -> float:
    return math.atan2(math.sin(angle), math.cos(angle))


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def _ring_offsets(radius: float, front: bool) -> list[float]:
    """Angles from the guide's forward of the places on one ring, 0.8 m apart:
    the front arc (200 degrees) centre first, then alternating sides; or (not
    ``front``) the rest of the circle, behind the guide."""
    step = SPOT_SPACING_M / radius
    half = SPOT_ARC / 2
    out = [] if not front else [0.0]
    k = 1
    while k * step <= math.pi:
        offset = k * step
        if (offset <= half) == front:
            out.append(offset)
            if offset < math.pi - step / 2:  # the place straight behind only once
                out.append(-offset)
        k += 1
    return out


def gather_spots(
    guide: Vec3, yaw: float, count: int, bounds: Bounds | None
) -> list[tuple[Vec3, float]]:
    """``count`` distinct places to stand around the guide, each ``(position, yaw)``.

    Rings of places in front of the guide (an arc of 200 degrees), the first
    1.6 m away, the next ones 0.9 m farther, 0.8 m between neighbours, centre
    first; each place looks at the guide, at the guide's height. With ``bounds``
    places closer than 0.3 m to the venue's walls are skipped; a guide facing a
    wall gets its group beside and behind it. Only when even that is not enough
    (a tiny room, a huge group) are places pressed against the walls, and may
    coincide.
    """
    low, high = bounds if bounds is not None else ((-math.inf,) * 3, (math.inf,) * 3)
    x_min, x_max = low[0] + BOUNDS_MARGIN_M, high[0] - BOUNDS_MARGIN_M
    z_min, z_max = low[2] + BOUNDS_MARGIN_M, high[2] - BOUNDS_MARGIN_M

    def place(radius: float, offset: float) -> tuple[Vec3, float]:
        angle = yaw + offset
        x = guide[0] - radius * math.sin(angle)
        z = guide[2] - radius * math.cos(angle)
        return (x, guide[1], z), _wrap(angle + math.pi)

    def fits(spot: tuple[Vec3, float]) -> bool:
        x, _, z = spot[0]
        return x_min <= x <= x_max and z_min <= z <= z_max

    chosen: list[tuple[Vec3, float]] = []
    spare: list[tuple[Vec3, float]] = []
    for front in (True, False):
        for ring in range(MAX_RINGS):
            radius = SPOT_FIRST_RING_M + ring * SPOT_RING_STEP_M
            for offset in _ring_offsets(radius, front):
                spot = place(radius, offset)
                (chosen if fits(spot) else spare).append(spot)
                if len(chosen) == count:
                    break
            if len(chosen) == count:
                break
        if len(chosen) == count:
            break
    for (x, y, z), facing in spare[: count - len(chosen)]:
        chosen.append(((_clamp(x, x_min, x_max), y, _clamp(z, z_min, z_max)), facing))
    return [((round(x, 3), y, round(z, 3)), round(f, 4)) for (x, y, z), f in chosen]


def inside(point: Vec3, bounds: Bounds | None, margin: float = 0.5) -> bool:
    if bounds is None:
        return True
    low, high = bounds
    return all(low[i] - margin <= point[i] <= high[i] + margin for i in range(3))


@dataclass
class Left:
    name: str
    at: float


class TourGroup:
    """One group: its guide, members in the order they joined, who left lately."""

    def __init__(
        self,
        group_id: str,
        audience_key: str,
        guide: Member,
        name: str,
        cap: int,
        tour_id: str | None,
        stop_count: int | None,
        bounds: Bounds | None,
        now: float,
    ):
        self.id = group_id
        self.audience_key = audience_key
        self.guide_id = guide.id
        self.guide_name = guide.name
        self.name = name
        self.cap = cap
        self.tour_id = tour_id
        self.stop_count = stop_count  # None: the tour's length is not known
        self.bounds = bounds
        self.members: dict[str, str] = {}  # member id -> name, in joining order
        self.left: dict[str, Left] = {}
        self.follow = False
        self.stop: int | None = None
        self.pointer: list[float] | None = None
        self.pointer_rate = TokenBucket(POINTER_RATE, POINTER_RATE, now)

    @property
    def room(self) -> str:
        """The Socket.IO room of the group's members (not the guide)."""
        return f"g:{self.audience_key}/{self.id}"

    @property
    def chat_key(self) -> str:
        """Where the group's chat is stored (apart from the hall's history)."""
        return f"{self.audience_key}#{self.id}"

    @property
    def full(self) -> bool:
        return len(self.members) >= self.cap

    def add(self, member: Member) -> None:
        if self.full:
            raise ClientError("group_full", f"the group is full ({self.cap} members)")
        self.members[member.id] = member.name
        self.left.pop(member.id, None)

    def remove(self, member_id: str, now: float) -> bool:
        name = self.members.pop(member_id, None)
        if name is None:
            return False
        self.left[member_id] = Left(name, now)
        return True

    def forget_left(self, now: float) -> bool:
        """Drop roster entries of members gone longer than ``LEFT_KEPT_S``."""
        old = [k for k, left in self.left.items() if now - left.at >= LEFT_KEPT_S]
        for k in old:
            del self.left[k]
        return bool(old)

    def summary(self, guide: Member | None) -> dict:
        """What everyone in the event sees of the group (``group_update``)."""
        return {
            "id": self.id,
            "name": self.name,
            "guide": {
                "member_id": self.guide_id,
                "name": self.guide_name,
                "slot": guide.slot if guide is not None else None,
            },
            "cap": self.cap,
            "count": len(self.members),
            "full": self.full,
            "tour_id": self.tour_id,
            "instance": guide.instance.id if guide is not None and guide.instance else None,
        }

    def state(self, guide: Member | None, role: str) -> dict:
        """What a member (``role`` "member") or the guide ("guide") knows of it."""
        return {
            **self.summary(guide),
            "role": role,
            "follow": self.follow,
            "stop": self.stop,
            "stop_count": self.stop_count,
            "pointer": self.pointer,
        }

    def roster(self, guide: Member | None, lookup, now: float) -> dict:
        """The guide's view: each member's distance from the guide (metres on the
        floor plan, None without poses), ``lagging`` beyond ``LAGGING_M``, ``away``
        while its connection is down (grace period), and who ``left`` lately.

        ``lookup(member_id)`` -> the member if still in the event.
        """
        here = pose_of(guide) if guide is not None else None
        rows = []
        for member_id, name in self.members.items():
            member = lookup(member_id)
            there = pose_of(member) if member is not None else None
            distance = None
            if here is not None and there is not None:
                distance = round(floor_distance(here[0], there[0]), 2)
            rows.append({
                "member_id": member_id,
                "name": name,
                "distance": distance,
                "lagging": distance is not None and distance > LAGGING_M,
                "away": member is None or member.sid is None,
                "left": False,
            })  # fmt: skip
        for member_id, left in self.left.items():
            rows.append({
                "member_id": member_id,
                "name": left.name,
                "distance": None,
                "lagging": False,
                "away": False,
                "left": True,
                "left_s": round(max(0.0, now - left.at), 1),
            })  # fmt: skip
        return {"group_id": self.id, "lagging_m": LAGGING_M, "members": rows}


class TourGroups:
    """Every group of this process, by id; which group each member is in."""

    def __init__(self, default_cap: int = 25):
        if default_cap < 1:
            raise ValueError(f"default group cap must be >= 1, got {default_cap}")
        self.default_cap = default_cap
        self.groups: dict[str, TourGroup] = {}
        self.of_member: dict[str, str] = {}  # member id (guides too) -> group id
        self.roster_at = float("-inf")  # when the rosters last went out on the tick

    def create(self, guide: Member, name: str, cap: int, tour_id: str | None,
               stop_count: int | None, bounds: Bounds | None, now: float) -> TourGroup:  # fmt: skip
        assert guide.audience is not None
        if guide.id in self.of_member:
            raise ClientError("already_in_group", "you are in a group already; leave it first")
        group_id = "g_" + secrets.token_urlsafe(6)
        group = TourGroup(
            group_id, guide.audience.key, guide, name, cap, tour_id, stop_count, bounds, now
        )
        self.groups[group_id] = group
        self.of_member[guide.id] = group_id
        return group

    def in_audience(self, key: str) -> list[TourGroup]:
        return [g for g in self.groups.values() if g.audience_key == key]

    def of(self, member_id: str) -> TourGroup | None:
        group_id = self.of_member.get(member_id)
        return self.groups.get(group_id) if group_id is not None else None

    def get(self, key: str, group_id: str) -> TourGroup | None:
        group = self.groups.get(group_id)
        return group if group is not None and group.audience_key == key else None

    def join(self, group: TourGroup, member: Member) -> None:
        if member.id in self.of_member:
            raise ClientError("already_in_group", "you are in a group already; leave it first")
        group.add(member)
        self.of_member[member.id] = group.id

    def leave(self, group: TourGroup, member_id: str, now: float) -> bool:
        if self.of_member.get(member_id) != group.id or member_id == group.guide_id:
            return False
        del self.of_member[member_id]
        return group.remove(member_id, now)

    def end(self, group: TourGroup) -> list[str]:
        """Forget the group; returns the ids of its members (not the guide)."""
        self.groups.pop(group.id, None)
        members = list(group.members)
        for member_id in [*members, group.guide_id]:
            if self.of_member.get(member_id) == group.id:
                del self.of_member[member_id]
        return members

    def reserved_in(self, instance_id: str, lookup_guide) -> int:
        """Places the groups guided in an instance still keep for their members."""
        total = 0
        for group in self.groups.values():
            guide = lookup_guide(group)
            instance = guide.instance if guide is not None else None
            if instance is not None and instance.id == instance_id:
                total += group.cap - len(group.members)
        return total
