"""Tours on the wire (docs/tours.md): what editors send and what everyone gets.

Texts come per language (``{"en": ..., "ru": ..., "tt": ...}``) like the
programme's; ``lang`` names the tour's own language, which must have a title.
A stop is a place (``position``: feet on the floor, metres; ``yaw`` and
``pitch`` in radians as the client's camera takes them), an optional exhibit,
its narration per language and a suggested time. The checks against the venue
(exhibits, walkable floor, the speech limit) are server/tours/check.py's.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .models import Translations
from .programme_input import Description, Lang, Title, _clean
from .texts import check_title

MAX_STOPS = 100
StopId = Annotated[str, Field(pattern=r"^[a-z0-9]{1,32}$")]
# the speech limit (server/tours/speech.py MAX_CHARS) is checked per stop, naming it;
# this bound only keeps absurd bodies out
Narration = Annotated[str, Field(max_length=50_000), AfterValidator(_clean)]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Coordinate = Annotated[float, AfterValidator(_finite)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StopInput(_Input):
    id: StopId | None = None  # an existing stop's id keeps its uploaded recordings
    exhibit: str | None = Field(default=None, min_length=1, max_length=128)
    position: tuple[Coordinate, Coordinate, Coordinate]
    yaw: Coordinate = 0.0
    pitch: Annotated[float, Field(ge=-1.5, le=1.5)] = 0.0
    seconds: Annotated[int, Field(ge=5, le=1800)] = 60
    title: dict[Lang, Title] = {}
    narration: dict[Lang, Narration] = {}

    def texts(self) -> dict[str, dict[str, str]]:
        """``{lang: {"title", "narration"}}`` without empty texts (as storage keeps them)."""
        out: dict[str, dict[str, str]] = {}
        for lang in sorted(set(self.title) | set(self.narration)):
            found = {"title": self.title.get(lang, ""), "narration": self.narration.get(lang, "")}
            found = {k: v for k, v in found.items() if v}
            if found:
                out[lang] = found
        return out


class TourChange(_Input):
    """An edit (``PATCH /api/tours/{id}``): only the fields sent change; ``stops``,
    when sent, is the whole new list in its order."""

    lang: Lang | None = None
    title: dict[Lang, Title] | None = None
    description: dict[Lang, Description] | None = None
    stops: list[StopInput] | None = Field(default=None, min_length=1, max_length=MAX_STOPS)


class TourCreate(TourChange):
    """A new tour (``POST /api/venues/{id}/tours``)."""

    lang: Lang = "en"
    title: dict[Lang, Title]
    description: dict[Lang, Description] = {}
    stops: list[StopInput] = Field(min_length=1, max_length=MAX_STOPS)

    @model_validator(mode="after")
    def _titled(self) -> TourCreate:
        check_title(self.lang, self.title, "tour")
        return self


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StopAudio(_Wire):
    url: str  # /media/<sha256>.ogg|mp3|m4a
    captions_url: str  # /media/<sha256>.vtt
    duration_s: float
    lang: str
    source: Literal["speech", "recording"]


class Stop(_Wire):
    number: int  # 1, 2, 3 ... in the tour's order
    id: str
    exhibit: str | None
    position: tuple[float, float, float]
    yaw: float
    pitch: float
    seconds: int
    title: str
    title_lang: str
    narration: str
    narration_lang: str
    audio: StopAudio | None  # None: not made yet (audio_pending) or no narration
    audio_pending: bool
    translations: Translations | None = None  # ?translations=1: the stop's own texts
    # ?translations=1 on a stored tour: the audio in every language with a narration
    # or a recording (null: the reading is not made yet), for its editors
    audios: dict[str, StopAudio | None] | None = None


class TourSummary(_Wire):
    id: str
    venue_id: str
    institution_id: str
    default: bool  # made from the hanging (not stored; copy it to edit)
    title: str
    title_lang: str
    description: str
    description_lang: str
    stop_count: int
    seconds: int  # the stops' suggested times, summed
    url: str  # this tour in the API


class TourDetail(TourSummary):
    stops: list[Stop]
    translations: Translations | None = None


class TourList(_Wire):
    tours: list[TourSummary]
