"""Venue metadata: what every client needs to know about a built venue.

One schema, stored twice: as the ``extras`` of the GLB's root node ``venue`` and as
the JSON manifest written beside the GLB. Units are metres, Y up, floor at y = 0.
Directions are unit vectors. Positions are ``[x, y, z]`` lists.

Documented for humans in docs/venue-metadata.md; the JSON Schema there is generated
from these models (``VenueMetadata.model_json_schema()``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Vec3 = tuple[float, float, float]
VenueKind = Literal["concert_hall", "theatre", "chamber_hall", "lecture_room", "gallery"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Seat(_Model):
    """A seat an audience member can take.

    ``position`` is the point on the seat cushion where a person sits (its top
    centre); ``floor_y`` is the height of the floor the seat stands on;
    ``eye`` is the seated eye point (1.15 m above ``floor_y``); ``facing`` is the
    horizontal unit direction the seated person looks in.
    """

    id: str = Field(description="Stable id, e.g. 'stalls/B/12' (section/row/number)")
    section: str = Field(description="'stalls', 'balcony', 'floor' ...")
    row: str = Field(description="Row label as printed on a ticket: 'A', 'B' ...")
    number: int = Field(ge=1, description="Seat number within the row, 1 = house left")
    position: Vec3
    floor_y: float
    eye: Vec3
    facing: Vec3


class SpawnPoint(_Model):
    """Where a visitor appears when entering (standing, eye height not included)."""

    id: str
    position: Vec3
    facing: Vec3


class ScreenRect(_Model):
    """The stage screen where the stream or poster plays: a rectangle in 3D.

    ``center`` is the middle of the visible picture, ``normal`` points towards the
    audience, ``up`` is the picture's up direction; ``width``/``height`` in metres.
    ``corners`` are bottom-left, bottom-right, top-right, top-left as seen by the
    audience. The GLB holds a mesh node named ``screen`` with UVs covering [0, 1]^2
    over exactly this rectangle, so a client can swap its material for a video.
    """

    center: Vec3
    normal: Vec3
    up: Vec3
    width: float = Field(gt=0)
    height: float = Field(gt=0)
    corners: tuple[Vec3, Vec3, Vec3, Vec3]


class Stage(_Model):
    """The stage platform; ``front_edge`` is its audience-side edge (left, right)."""

    height: float = Field(ge=0, description="Stage floor height above y = 0")
    width: float = Field(gt=0)
    depth: float = Field(gt=0)
    front_edge: tuple[Vec3, Vec3]
    center: Vec3


class WalkableArea(_Model):
    """A planar convex polygon visitors may stand on or teleport to.

    ``vertices`` are in counter-clockwise order seen from above (+Y). Stepped
    floors are several areas, one per tread; ramps are sloped areas.
    """

    id: str
    vertices: list[Vec3] = Field(min_length=3)


class ExhibitSlot(_Model):
    """A place for an artwork: a hanging slot on a wall or a plinth top.

    For ``wall`` slots ``position`` is the centre of the picture on the wall and
    ``normal`` points into the room; ``size`` is (width, height, 0). For ``plinth``
    slots ``position`` is the centre of the plinth top, ``normal`` is +Y and
    ``size`` is (width, max height, depth) of the object it can hold.
    """

    id: str
    room: str
    kind: Literal["wall", "plinth"]
    position: Vec3
    normal: Vec3
    size: Vec3
    exhibit: str | None = Field(default=None, description="Exhibit id from the spec, if any")
    label_center: Vec3 | None = Field(
        default=None, description="Centre of the wall label beside a hung work (its face)"
    )
    label_size: tuple[float, float] | None = Field(
        default=None, description="The label's (width, height), metres; it faces like the slot"
    )


class Light(_Model):
    """A light the client should create (the GLB itself carries no lights)."""

    id: str
    type: Literal["ambient", "hemisphere", "directional", "point", "spot"]
    color: tuple[float, float, float] = (1.0, 1.0, 1.0)
    ground_color: tuple[float, float, float] | None = None
    intensity: float = Field(ge=0)
    position: Vec3 | None = None
    target: Vec3 | None = None
    distance: float | None = Field(default=None, ge=0, description="0 or None = no limit")
    angle: float | None = Field(default=None, description="Spot cone half-angle, radians")
    penumbra: float | None = None
    cast_shadow: bool = False


class Room(_Model):
    """A named room of the venue with its floor-plan bounds (x/z min and max)."""

    id: str
    name: str
    names: dict[str, str] = Field(default={}, description="The name in other languages")
    bounds_min: Vec3
    bounds_max: Vec3


class ExhibitInfo(_Model):
    """What a visitor reads on a work's card, beyond its title.

    Texts are in the venue's ``lang``; ``mediums`` / ``descriptions`` hold other
    languages (like ``titles``). ``size_cm`` is the catalogued (width, height);
    ``None`` when the collection did not know it (the work is then hung at a
    size derived from its image, see ``Exhibit.size_m``)."""

    author: str | None = None
    year: str | None = None
    medium: str | None = None
    mediums: dict[str, str] = Field(default={}, description="The medium in other languages")
    description: str | None = None
    descriptions: dict[str, str] = Field(
        default={}, description="The description in other languages"
    )
    size_cm: tuple[float, float] | None = Field(
        default=None, description="Catalogued (width, height) in cm; None = not known"
    )
    image_url: str | None = Field(default=None, description="The larger image for the card")
    image_size: tuple[int, int] | None = Field(default=None, description="Its pixels (w, h)")
    audio_url: str | None = Field(default=None, description="Audio guide, if any")
    credit: str | None = Field(default=None, description="Credit line: holder and licence")


class Exhibit(ExhibitInfo):
    """An exhibit of a gallery spec: its title, shown on its placard and card.

    ``id`` is what ``ExhibitSlot.exhibit`` names; ``title`` is in the venue's
    ``lang``, ``titles`` holds other languages. ``size_m`` is the (width, height)
    it is hung or shown at; ``node`` names the GLB mesh showing the picture."""

    id: str
    room: str
    title: str
    titles: dict[str, str] = Field(default={}, description="The title in other languages")
    size_m: tuple[float, float] | None = None
    node: str | None = Field(default=None, description="GLB node of the picture, if drawn")


class SightlineStats(_Model):
    """C-values of a seating section, in millimetres."""

    section: str
    worst_mm: float
    median_mm: float


class BuildStats(_Model):
    triangles: int
    draw_calls: int
    materials: int
    glb_bytes: int = 0
    texture_max_px: int = 0


class VenueMetadata(_Model):
    schema_version: int = SCHEMA_VERSION
    id: str
    name: str
    lang: str = Field(default="en", description="Language of name, room names and titles")
    names: dict[str, str] = Field(default={}, description="The name in other languages")
    kind: VenueKind
    spec_hash: str = Field(description="sha256 of the canonical spec JSON")
    bounds_min: Vec3
    bounds_max: Vec3
    rooms: list[Room] = []
    stage: Stage | None = None
    screen: ScreenRect | None = None
    seats: list[Seat] = []
    spawn_points: list[SpawnPoint] = Field(min_length=1)
    walkable: list[WalkableArea] = Field(min_length=1)
    exhibit_slots: list[ExhibitSlot] = []
    exhibits: list[Exhibit] = []
    lights: list[Light] = []
    sightlines: list[SightlineStats] = []
    stats: BuildStats | None = None
