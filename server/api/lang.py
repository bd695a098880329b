"""The response language of an API request, and the headers that say it.

``?lang=`` wins over ``Accept-Language`` (``server.i18n.negotiate``); an unsupported
``?lang=`` is a 400 ``unsupported_language``, an unsupported header never an error.
Every localized answer carries ``Content-Language`` and ``Vary: Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from aiohttp import web

from ..errors import ApiError
from ..i18n import SUPPORTED, UnsupportedLanguage, localize, negotiate

# any response type in, the same type out
R = TypeVar("R", bound=web.StreamResponse)


class UnsupportedLanguageError(ApiError):
    status = 400
    code = "unsupported_language"


def request_language(request: web.Request, lang_param: str | None) -> str:
    try:
        return negotiate(request.headers.get("Accept-Language"), lang_param)
    except UnsupportedLanguage as exc:
        raise UnsupportedLanguageError(
            params={"value": exc.value, "supported": ", ".join(SUPPORTED)}
        ) from None


def mark_language(response: R, lang: str) -> R:
    response.headers["Content-Language"] = lang
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "Accept-Language" not in vary:
        vary.append("Accept-Language")
    response.headers["Vary"] = ", ".join(vary)
    return response


def part(row: Mapping, prefix: str, fields: tuple[str, ...] = ("name",)) -> dict:
    """The joined entity ``prefix`` of a row as its own record: ``venue_name``,
    ``venue_lang``, ``venue_translations`` -> ``{"name", "lang", "translations"}``."""
    record = {f: row[f"{prefix}_{f}"] for f in fields}
    record["lang"] = row[f"{prefix}_lang"]
    record["translations"] = row[f"{prefix}_translations"]
    return record


def localized_name(record: Mapping, lang: str) -> tuple[str, str]:
    """(name, language of that name) of a record with a ``name`` field."""
    found = localize(record, ("name",), lang)
    return found["name"], found["name_lang"]
