"""A content record's title and description per language, for the routes that
write them (events, courses, tours).

On the wire they come as ``{lang: text}`` with ``lang`` naming the record's own
language, which must have a title; in storage (schema.py's content tables) as
the base columns in ``lang`` and the other languages in ``translations``. An
edit (PATCH) changes only the languages it sends: an empty text removes one.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..i18n import all_translations
from .jsonbody import InvalidBody

TEXT_FIELDS = ("title", "description")


def check_title(lang: str, title: dict, what: str) -> None:
    """``ValueError`` (naming the field) when ``title`` has nothing in ``lang``;
    ``what`` is the record's kind in the message ("tour", "course")."""
    if not title.get(lang):
        raise ValueError(f"title: the title in {lang} (the {what}'s language) is empty")


def text_columns(lang: str, title: dict, description: dict) -> dict:
    """The base columns in ``lang``, the other languages in ``translations``."""
    translations: dict[str, dict[str, str]] = {}
    for other in sorted(set(title) | set(description)):
        if other != lang:
            found = {"title": title.get(other, ""), "description": description.get(other, "")}
            found = {k: v for k, v in found.items() if v}
            if found:
                translations[other] = found
    return dict(
        lang=lang,
        title=title[lang],
        description=description.get(lang, ""),
        translations=translations,
    )


def saved_texts(record: Mapping) -> tuple[dict, dict]:
    """A stored record's ``(title, description)``, each ``{lang: text}``."""
    texts = all_translations(record, TEXT_FIELDS)
    title = {k: v["title"] for k, v in texts.items() if v.get("title")}
    description = {k: v["description"] for k, v in texts.items() if v.get("description")}
    return title, description


def edited_text_columns(record: Mapping, change, what: str) -> dict:
    """The columns of ``record``'s texts with ``change`` (a PATCH body with
    ``lang``, ``title`` and ``description``, each maybe None) applied; a title
    missing in the resulting language is a 400 (``InvalidBody``)."""
    title, description = saved_texts(record)
    title.update(change.title or {})
    description.update(change.description or {})
    lang = change.lang or record["lang"]
    try:
        check_title(lang, title, what)
    except ValueError as exc:
        raise InvalidBody(str(exc)) from None
    return text_columns(lang, title, description)
