"""Works of a collection as a gallery spec: real sizes, rooms that hold them.

A work is hung at its catalogued size. With one dimension known the other follows
the image's aspect; with neither, its longest side is ``DEFAULT_LONG_SIDE_M`` (a
middling easel painting), and its card says the size is not known. Works go to
the room their ``room`` column names; works without one fill rooms of at most
``ROOM_WALL_SHARE`` of the two long walls' usable length, in manifest order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scenes.gallery import GalleryRoomSpec, GallerySpec, WallExhibit
from scenes.metadata import ExhibitInfo

from .manifest import ManifestWork

DEFAULT_LONG_SIDE_M = 0.8
ROOM_WALL_SHARE = 0.85  # of 2 x (max wall - corners): leaves the spread some slack
CEILING_ROOM = 1.2  # wall above the tallest picture's top, for auto rooms


@dataclass(frozen=True)
class HungWork:
    work: ManifestWork
    picture: str  # sha256 of the wall texture
    width_m: float
    height_m: float
    info: ExhibitInfo


def hung_size(work: ManifestWork, px_w: int, px_h: int) -> tuple[float, float]:
    """(width, height) in metres to hang ``work`` at."""
    aspect = px_w / px_h
    if work.width_cm and work.height_cm:
        return work.width_cm / 100, work.height_cm / 100
    if work.width_cm:
        return work.width_cm / 100, work.width_cm / 100 / aspect
    if work.height_cm:
        return work.height_cm / 100 * aspect, work.height_cm / 100
    if aspect >= 1:
        return DEFAULT_LONG_SIDE_M, DEFAULT_LONG_SIDE_M / aspect
    return DEFAULT_LONG_SIDE_M * aspect, DEFAULT_LONG_SIDE_M


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s or "work")[:56]


def _exhibit_ids(works: list[HungWork]) -> list[str]:
    ids: list[str] = []
    for hw in works:
        base = slug(hw.work.file.rsplit(".", 1)[0])
        eid, n = base, 2
        while eid in ids:
            eid, n = f"{base}-{n}", n + 1
        ids.append(eid)
    return ids


def _room_of(name: str, rooms: list[GalleryRoomSpec]) -> GalleryRoomSpec | None:
    key = name.strip().lower()
    return next((r for r in rooms if key in (r.id, r.name.lower())), None)


def _fill_rooms(
    frame: GallerySpec, works: list[HungWork]
) -> tuple[list[GalleryRoomSpec], list[str]]:
    """Rooms for works without a ``room``: filled in order up to their capacity."""
    s = frame.spacing
    capacity = ROOM_WALL_SHARE * 2 * (s.max_wall_length - 2 * s.corner_margin)
    rooms: list[GalleryRoomSpec] = []
    assigned: list[str] = []
    run = capacity + 1
    for hw in works:
        if run + hw.width_m + s.picture_gap > capacity:
            n = len(rooms) + 1
            rooms.append(GalleryRoomSpec(id=f"room-{n}", name=f"Room {n}"))
            run = 0.0
        run += hw.width_m + s.picture_gap
        assigned.append(rooms[-1].id)
    return rooms, assigned


def _tall_enough(
    rooms: list[GalleryRoomSpec], works: list[HungWork], assigned: list[str], s
) -> list[GalleryRoomSpec]:
    """Walls raised where a tall work needs it: its top plus room for the light rail."""
    tops: dict[str, float] = {}
    for hw, rid in zip(works, assigned, strict=True):
        top = max(s.eye_height, 0.45 + hw.height_m / 2) + hw.height_m / 2
        tops[rid] = max(tops.get(rid, 0.0), top)
    return [
        r.model_copy(
            update={"wall_height": round(max(r.wall_height, tops.get(r.id, 0) + CEILING_ROOM), 2)}
        )
        for r in rooms
    ]


def gallery_spec(frame: GallerySpec, works: list[HungWork]) -> tuple[GallerySpec, list[str]]:
    """The frame (name, rooms, spacing) hung with ``works``; problems name the row.

    A frame with rooms (the demo's) takes works only into those; a frame without
    (an upload's) gets a room for each ``room`` the manifest names, in order, and
    rooms filled in order for works that name none."""
    problems: list[str] = []
    fixed = list(frame.rooms)
    named: list[GalleryRoomSpec] = []
    placed: list[str | None] = []
    for hw in works:
        if hw.work.room is None:
            placed.append(None)
            continue
        room = _room_of(hw.work.room, fixed + named)
        if room is None and not fixed:
            room = GalleryRoomSpec(id=slug(hw.work.room), name=hw.work.room)
            named.append(room)
        if room is None:
            known = ", ".join(r.id for r in fixed)
            problems.append(f"row {hw.work.row}: unknown room {hw.work.room!r} (rooms: {known})")
        placed.append(room.id if room else None)
    loose = [hw for hw, rid in zip(works, placed, strict=True) if rid is None]
    filled, loose_rooms = _fill_rooms(frame, loose) if loose else ([], [])
    it = iter(loose_rooms)
    room_ids = [rid if rid is not None else next(it) for rid in placed]
    rooms = fixed + named + filled
    if not fixed:
        rooms = _tall_enough(rooms, works, room_ids, frame.spacing)
    exhibits = [
        WallExhibit(
            kind="wall",
            id=eid,
            title=hw.work.title,
            titles={lang: t["title"] for lang, t in hw.work.texts.items() if t.get("title")},
            room=rid,
            width=round(hw.width_m, 4),
            height=round(hw.height_m, 4),
            picture=hw.picture,
            info=hw.info,
        )
        for hw, eid, rid in zip(works, _exhibit_ids(works), room_ids, strict=True)
    ]
    spec = frame.model_copy(update={"rooms": rooms, "exhibits": exhibits})
    return GallerySpec.model_validate(spec.model_dump()), problems
