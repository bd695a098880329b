"""Names in several languages, as specs and metadata carry them.

A spec's ``name`` (and a room's ``name``, an exhibit's ``title``) is written in the
spec's ``lang``; ``names`` / ``titles`` tables add other languages, e.g.
``names = { ru = "Картинная галерея", tt = "Сурәтләр галереясы" }``. Which one a
visitor sees is the server's choice (``server.i18n``); scenes only carry them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

# an ISO 639 language code: "ru", "tt", "en"
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
LANG_FIELD = Field(default="en", pattern=r"^[a-z]{2,3}$", description="Language of the names")
Names = dict[LangCode, Annotated[str, StringConstraints(min_length=1, max_length=200)]]

# rooms every hall has, named by the builder (the spec names only the venue)
HALL_ROOM_NAMES: dict[str, dict[str, str]] = {
    "auditorium": {"en": "Auditorium", "ru": "Зрительный зал", "tt": "Тамашачылар залы"},
    "stage": {"en": "Stage", "ru": "Сцена", "tt": "Сәхнә"},
}


def builtin_room_name(room_id: str, lang: str) -> tuple[str, dict[str, str]]:
    """(name in ``lang``, the other languages) of a room the builder names."""
    known = HALL_ROOM_NAMES[room_id]
    name = known.get(lang, known["en"])
    return name, {code: text for code, text in known.items() if text != name}
