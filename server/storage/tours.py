"""Tours (excursions, issue 11): a venue's stops in order, and their narration audio.

A tour belongs to one venue (a gallery) and through it to the venue's institution.
Its title and description follow the content-table pattern (``lang`` plus
``translations``, see schema.py). Its stops are rows of ``tour_stops`` in order:
``position`` counts from 0, ``stop_id`` is a short id that stays with the stop
across edits (a recording is kept by it), ``place`` is ``{"position": [x, y, z],
"yaw", "pitch"}`` (feet on the floor, radians as the client's camera takes them),
``texts`` is ``{lang: {"title", "narration"}}``.

Narration audio is of two kinds, both content-addressed blobs (so
``zal storage gc`` keeps what a row names, through the foreign keys):

- ``speech_clips``: espeak-ng's reading of a text, keyed by a hash of the voice,
  the engine settings and the text (server/tours/speech.py). Any stop, of any
  tour, with the same text in the same language shares one clip; a clip outlives
  the stops (a cache: an edit back to an old text costs nothing).
- ``tour_recordings``: a file the institution uploaded for one stop and language,
  which replaces the generated reading. It goes with its stop.

The API checks stops against the venue (server/api/tours.py); storage keeps what
it is given.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Float, ForeignKey, Integer, String, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import JSON

from .dialects import insert_for
from .ordered import insert_row, replace_items, update_row
from .schema import metadata, text_columns, venues

tours = Table(
    "tours",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("venue_id", ForeignKey("venues.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    *text_columns(),  # title, description
)

tour_stops = Table(
    "tour_stops",
    metadata,
    Column("tour_id", ForeignKey("tours.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("stop_id", String(32), nullable=False),
    Column("exhibit_id", String(128), nullable=True),
    Column("place", JSON, nullable=False),  # {"position": [x, y, z], "yaw", "pitch"}
    Column("seconds", Integer, nullable=False),
    Column("texts", JSON, nullable=False, default=dict),  # {lang: {"title", "narration"}}
)

tour_recordings = Table(
    "tour_recordings",
    metadata,
    Column("tour_id", ForeignKey("tours.id", ondelete="CASCADE"), primary_key=True),
    Column("stop_id", String(32), primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("audio_sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("ext", String(8), nullable=False),  # mp3 | ogg | m4a (the /media/ name)
    Column("captions_sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

speech_clips = Table(
    "speech_clips",
    metadata,
    Column("key", String(64), primary_key=True),  # sha256 of voice, settings and text
    Column("audio_sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("captions_sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def _tour_query():
    return select(tours, venues.c.institution_id.label("institution_id")).join(
        venues, venues.c.id == tours.c.venue_id
    )


async def _stop_counts(conn: AsyncConnection, ids: list[str]) -> dict[str, tuple[int, int]]:
    counts = dict.fromkeys(ids, (0, 0))
    if ids:
        q = select(tour_stops.c.tour_id, tour_stops.c.seconds).where(tour_stops.c.tour_id.in_(ids))
        for row in await conn.execute(q):
            n, seconds = counts[row.tour_id]
            counts[row.tour_id] = (n + 1, seconds + row.seconds)
    return counts


async def list_for_venue(engine: AsyncEngine, venue_id: str) -> list[dict]:
    """The venue's tours by title, each with ``stop_count`` and ``seconds`` (summed)."""
    q = _tour_query().where(tours.c.venue_id == venue_id).order_by(tours.c.title, tours.c.id)
    async with engine.connect() as conn:
        rows = [dict(r._mapping) for r in await conn.execute(q)]
        counts = await _stop_counts(conn, [r["id"] for r in rows])
    for row in rows:
        row["stop_count"], row["seconds"] = counts[row["id"]]
    return rows


async def get(engine: AsyncEngine, tour_id: str) -> dict | None:
    """The tour with ``stops`` in order and ``recordings``: ``{(stop_id, lang): row}``."""
    async with engine.connect() as conn:
        row = (await conn.execute(_tour_query().where(tours.c.id == tour_id))).first()
        if row is None:
            return None
        tour = dict(row._mapping)
        q = tour_stops.select().where(tour_stops.c.tour_id == tour_id)
        stops = [dict(r._mapping) for r in await conn.execute(q.order_by(tour_stops.c.position))]
        q = tour_recordings.select().where(tour_recordings.c.tour_id == tour_id)
        recordings = {(r.stop_id, r.lang): dict(r._mapping) for r in await conn.execute(q)}
    tour["stops"] = stops
    tour["recordings"] = recordings
    tour["stop_count"] = len(stops)
    tour["seconds"] = sum(s["seconds"] for s in stops)
    return tour


async def _write_stops(conn: AsyncConnection, tour_id: str, stops: list[dict]) -> None:
    """Replace the stops; recordings of stops no longer there go with them."""
    kept = [s["stop_id"] for s in stops]
    await conn.execute(
        tour_recordings.delete().where(
            tour_recordings.c.tour_id == tour_id, tour_recordings.c.stop_id.not_in(kept)
        )
    )
    await replace_items(
        conn,
        tour_stops.c.tour_id,
        tour_id,
        [
            {"stop_id": s["stop_id"], "exhibit_id": s.get("exhibit_id"), "place": s["place"],
             "seconds": s["seconds"], "texts": s.get("texts") or {}}
            for s in stops
        ],
    )  # fmt: skip


async def add(
    engine: AsyncEngine,
    *,
    id: str,
    venue_id: str,
    title: str,
    description: str,
    lang: str,
    translations: dict,
    stops: list[dict],
) -> None:
    """A new tour; ``stops`` as :func:`get` gives them (``stop_id``, ``exhibit_id``,
    ``place``, ``seconds``, ``texts``), in order."""
    values = dict(
        id=id,
        venue_id=venue_id,
        title=title,
        description=description,
        lang=lang,
        translations=translations,
    )
    await insert_row(engine, tours, values, lambda conn: _write_stops(conn, id, stops))


async def update(
    engine: AsyncEngine, tour_id: str, *, stops: list[dict] | None = None, **values: object
) -> None:
    """Set texts and, when given, replace the stops, in one transaction."""
    write = None if stops is None else (lambda conn: _write_stops(conn, tour_id, stops))
    await update_row(engine, tours, tour_id, values, write)


async def delete(engine: AsyncEngine, tour_id: str) -> bool:
    """Remove the tour, its stops and recordings; False when there was none."""
    async with engine.begin() as conn:
        await conn.execute(tour_recordings.delete().where(tour_recordings.c.tour_id == tour_id))
        await conn.execute(tour_stops.delete().where(tour_stops.c.tour_id == tour_id))
        result = await conn.execute(tours.delete().where(tours.c.id == tour_id))
    return result.rowcount > 0


async def set_recording(
    engine: AsyncEngine,
    tour_id: str,
    stop_id: str,
    lang: str,
    *,
    audio_sha256: str,
    ext: str,
    captions_sha256: str,
    duration_s: float,
) -> None:
    values = dict(
        audio_sha256=audio_sha256,
        ext=ext,
        captions_sha256=captions_sha256,
        duration_s=duration_s,
        created_at=datetime.now(UTC),
    )
    async with engine.begin() as conn:
        stmt = insert_for(conn, tour_recordings).values(
            tour_id=tour_id, stop_id=stop_id, lang=lang, **values
        )
        await conn.execute(
            stmt.on_conflict_do_update(index_elements=["tour_id", "stop_id", "lang"], set_=values)
        )


async def remove_recording(engine: AsyncEngine, tour_id: str, stop_id: str, lang: str) -> bool:
    async with engine.begin() as conn:
        result = await conn.execute(
            tour_recordings.delete().where(
                tour_recordings.c.tour_id == tour_id,
                tour_recordings.c.stop_id == stop_id,
                tour_recordings.c.lang == lang,
            )
        )
    return result.rowcount > 0


async def find_clips(engine: AsyncEngine, keys: list[str]) -> dict[str, dict]:
    """Speech clips by key, those that exist."""
    if not keys:
        return {}
    q = speech_clips.select().where(speech_clips.c.key.in_(sorted(set(keys))))
    async with engine.connect() as conn:
        return {r.key: dict(r._mapping) for r in await conn.execute(q)}


async def add_clip(
    engine: AsyncEngine, key: str, *, audio_sha256: str, captions_sha256: str, duration_s: float
) -> None:
    async with engine.begin() as conn:
        stmt = insert_for(conn, speech_clips).values(
            key=key,
            audio_sha256=audio_sha256,
            captions_sha256=captions_sha256,
            duration_s=duration_s,
            created_at=datetime.now(UTC),
        )
        await conn.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
