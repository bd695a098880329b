"""The default tour of a gallery: one stop per hung work, in hanging order.

Pure: the venue's metadata in, a tour record out (the shape storage gives,
server/storage/tours.py, with ``id`` ``"default"``). Each stop stands the
visitor about ``VIEW_DISTANCE_M`` in front of the work, facing it, on walkable
floor (nearer or farther when a bench or a doorway is there; a work with no
floor in front of it within reach is left out), and narrates the work's title,
author, year and description in each language the venue has them in.
"""

from __future__ import annotations

import hashlib
import math

from .check import floor_height

VIEW_DISTANCE_M = 2.0
# tried in this order when the floor 2 m in front of a work is taken (a bench)
DISTANCES_M = (VIEW_DISTANCE_M, 1.7, 2.4, 1.4, 2.8, 1.1, 3.2)
EYE_HEIGHT_M = 1.6  # the client's standing eye (web_client/src/venue/controls.js)
LANGS = ("ru", "tt", "en")
CHARS_PER_SECOND = 14.0  # espeak-ng at 150 words a minute, roughly
MIN_SECONDS, MAX_SECONDS = 15, 300
TITLES = {
    "en": "A walk through {name}",
    "ru": "Прогулка по залам: {name}",
    "tt": "Залларда йөрү: {name}",
}
DESCRIPTIONS = {
    "en": "Every work in the order it hangs, with its story read aloud.",
    "ru": "Все работы в порядке развески, о каждой рассказывает голос.",
    "tt": "Барлык әсәрләр эленгән тәртиптә, һәрберсе турында тавыш сөйли.",
}


def stop_id_for(exhibit_id: str) -> str:
    return "w" + hashlib.sha256(exhibit_id.encode()).hexdigest()[:12]


def _text(base: str | None, others: dict[str, str], base_lang: str, lang: str) -> str | None:
    """The text in ``lang`` only (a Tatar voice reading English is no guide)."""
    return base if lang == base_lang else others.get(lang)


def _title(exhibit, base_lang: str, lang: str) -> str:
    # a title falls back to the venue's language: it is a name, and a name is read
    return _text(exhibit.title, exhibit.titles, base_lang, lang) or exhibit.title


def narration(exhibit, base_lang: str, lang: str) -> str:
    """ "Title. Author, year. Description." in ``lang`` (what it has)."""
    title = _title(exhibit, base_lang, lang)
    parts = [f"«{title}»." if lang in ("ru", "tt") else f"{title}."]
    who = ", ".join(p for p in (exhibit.author, exhibit.year) if p)
    if who:
        parts.append(who + ".")
    description = _text(exhibit.description, exhibit.descriptions, base_lang, lang)
    if description:
        parts.append(description if description.endswith((".", "!", "?")) else description + ".")
    return " ".join(parts)


def _seconds(texts: list[str]) -> int:
    longest = max((len(t) for t in texts), default=0)
    return max(MIN_SECONDS, min(MAX_SECONDS, round(longest / CHARS_PER_SECOND) + 10))


def viewing_place(slot, walkable) -> tuple[list[float], float, float] | None:
    """(feet position, yaw, pitch) in front of a slot, or None when no floor is there.
    Yaw as the client's camera (``atan2(-dx, -dz)`` of the look direction)."""
    px, py, pz = slot.position
    if slot.kind == "wall":
        directions = [(slot.normal[0], slot.normal[2])]
    else:  # a plinth: walk round it until there is floor
        directions = [(0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (-1.0, 0.0)]
    for dx, dz in directions:
        for distance in DISTANCES_M:
            x, z = px + dx * distance, pz + dz * distance
            floor = floor_height(walkable, x, 0.0, z)
            if floor is None:
                continue
            look_x, look_z = px - x, pz - z
            yaw = math.atan2(-look_x, -look_z)
            pitch = math.atan2(py - (floor + EYE_HEIGHT_M), math.hypot(look_x, look_z))
            return [round(x, 3), round(floor, 3), round(z, 3)], round(yaw, 4) + 0.0, round(pitch, 4)
    return None


def default_tour(metadata, venue_id: str) -> dict:
    """The tour record (``stops`` empty when nothing hangs)."""
    base = metadata.lang
    exhibits = {e.id: e for e in metadata.exhibits}
    stops = []
    for slot in metadata.exhibit_slots:
        exhibit = exhibits.get(slot.exhibit or "")
        if exhibit is None:
            continue
        place = viewing_place(slot, metadata.walkable)
        if place is None:
            continue
        position, yaw, pitch = place
        texts = {
            lang: {
                "title": _title(exhibit, base, lang),
                "narration": narration(exhibit, base, lang),
            }
            for lang in LANGS
        }
        stops.append(
            {
                "stop_id": stop_id_for(exhibit.id),
                "exhibit_id": exhibit.id,
                "place": {"position": position, "yaw": yaw, "pitch": pitch},
                "seconds": _seconds([t["narration"] for t in texts.values()]),
                "texts": texts,
            }
        )
    names = {base: metadata.name, **metadata.names}
    translations = {
        lang: {"title": TITLES[lang].format(name=names.get(lang, metadata.name)),
               "description": DESCRIPTIONS[lang]}
        for lang in LANGS if lang != base
    }  # fmt: skip
    return {
        "id": "default",
        "venue_id": venue_id,
        "title": TITLES.get(base, TITLES["en"]).format(name=metadata.name),
        "description": DESCRIPTIONS.get(base, DESCRIPTIONS["en"]),
        "lang": base if base in TITLES else "en",
        "translations": translations,
        "stops": stops,
        "recordings": {},
        "stop_count": len(stops),
        "seconds": sum(s["seconds"] for s in stops),
    }
