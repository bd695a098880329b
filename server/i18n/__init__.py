"""Languages of institution content: which one a request wants, and which text it gets.

Pure functions, no aiohttp or storage imports, so the API, realtime, demo data and
later content kinds (tours, courses) share them.

Content model: an entity's base columns (``name``, ``title``, ...) hold its text in
the entity's own language ``lang``; ``translations`` holds the others as
``{lang: {field: text}}``. :func:`localize` picks, per field, the requested language,
then :data:`FALLBACK_ORDER` (Russian first: it is the city's common language, every
Tatar reader reads it too), then whatever the base text is written in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

SUPPORTED: tuple[str, ...] = ("ru", "tt", "en")
FALLBACK_ORDER: tuple[str, ...] = ("ru", "tt", "en")
# nothing asked (no header, no parameter): the city's common language
DEFAULT_LANGUAGE = "ru"
# a visitor whose browser names only languages we lack (de, zh ...) is a guest from
# elsewhere: English serves them better than Russian
FOREIGN_DEFAULT = "en"

Translations = dict[str, dict[str, str]]


def normalize_tag(tag: str) -> str:
    """``"tt-RU"`` -> ``"tt"``, ``" EN_gb "`` -> ``"en"``: the primary subtag, lowercased."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def parse_accept_language(header: str) -> list[tuple[str, float]]:
    """Language ranges of an ``Accept-Language`` header, best first (RFC 9110 12.5.4).

    Malformed parts are skipped, never an error; ties keep the header's order."""
    ranges: list[tuple[int, str, float]] = []
    for index, part in enumerate(header.split(",")[:32]):  # bound the work per header
        tag, *params = (p.strip() for p in part.split(";"))
        if not tag or len(tag) > 35 or not all(c.isalnum() or c in "-_*" for c in tag):
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if not 0.0 <= q <= 1.0:
            continue
        ranges.append((index, tag, q))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(tag, q) for _, tag, q in ranges]


def from_accept_language(header: str, supported: Iterable[str] = SUPPORTED) -> str:
    """The supported language an ``Accept-Language`` header prefers.

    ``*`` means any: the first of :data:`FALLBACK_ORDER` the header does not refuse
    (``q=0``). A header naming only unsupported languages gets :data:`FOREIGN_DEFAULT`;
    an empty or unreadable one :data:`DEFAULT_LANGUAGE`."""
    supported = tuple(supported)
    ranges = parse_accept_language(header)
    refused = {normalize_tag(tag) for tag, q in ranges if q == 0.0}
    for tag, q in ranges:
        if q == 0.0:
            continue
        if tag == "*":
            for lang in (*FALLBACK_ORDER, *supported):
                if lang in supported and lang not in refused:
                    return lang
            continue
        lang = normalize_tag(tag)
        if lang in supported and lang not in refused:
            return lang
    if any(q > 0.0 for _, q in ranges):
        return FOREIGN_DEFAULT if FOREIGN_DEFAULT in supported else supported[0]
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in supported else supported[0]


class UnsupportedLanguage(ValueError):
    """``?lang=`` names a language the server does not offer."""

    def __init__(self, value: str):
        super().__init__(f"unsupported language {value!r}")
        self.value = value


def negotiate(
    accept_language: str | None,
    lang_param: str | None,
    supported: Iterable[str] = SUPPORTED,
) -> str:
    """The response language: ``?lang=`` wins over ``Accept-Language``.

    An empty ``lang_param`` counts as absent. A ``lang_param`` outside ``supported``
    raises :class:`UnsupportedLanguage` (the client asked for it by name: a silent
    substitute would hide its bug); the header never raises."""
    supported = tuple(supported)
    if lang_param is not None and lang_param.strip():
        lang = normalize_tag(lang_param)
        if lang not in supported:
            raise UnsupportedLanguage(lang_param[:35])
        return lang
    return from_accept_language(accept_language or "", supported)


def lenient(accept_language: str | None, lang_param: str | None) -> str:
    """:func:`negotiate` that never raises: for error messages about the request itself."""
    try:
        return negotiate(accept_language, lang_param)
    except UnsupportedLanguage:
        return negotiate(accept_language, None)


def fallback_chain(lang: str, base_lang: str, order: Iterable[str] = FALLBACK_ORDER) -> list[str]:
    """Languages to try for ``lang``, without repeats: it, the order, the base language."""
    chain: list[str] = []
    for candidate in (lang, *order, base_lang):
        if candidate not in chain:
            chain.append(candidate)
    return chain


def localize(
    record: Mapping,
    fields: Iterable[str],
    lang: str,
    order: Iterable[str] = FALLBACK_ORDER,
    *,
    base_lang_key: str = "lang",
    translations_key: str = "translations",
) -> dict[str, str]:
    """``{field: text, field + "_lang": language of that text}`` for each field.

    ``record`` holds the base text under each field name, its language under
    ``base_lang_key`` (default ``"en"``) and ``{lang: {field: text}}`` under
    ``translations_key``. Per field the first non-empty text along
    :func:`fallback_chain` wins; a field empty everywhere keeps its base value."""
    base_lang = record.get(base_lang_key) or "en"
    translations: Mapping = record.get(translations_key) or {}
    chain = fallback_chain(lang, base_lang, order)
    out: dict[str, str] = {}
    for field in fields:
        base = record.get(field) or ""
        text, used = base, base_lang
        for candidate in chain:
            if candidate == base_lang:
                found = base
            else:
                found = (translations.get(candidate) or {}).get(field)
            if found:
                text, used = found, candidate
                break
        out[field] = text
        out[field + "_lang"] = used
    return out


def all_translations(record: Mapping, fields: Iterable[str]) -> Translations:
    """Every language's text of ``fields``, the base language included (for editors)."""
    base_lang = record.get("lang") or "en"
    out: Translations = {}
    for lang, texts in (record.get("translations") or {}).items():
        picked = {f: t for f, t in (texts or {}).items() if f in fields and t}
        if picked:
            out[lang] = picked
    base = {f: record[f] for f in fields if record.get(f)}
    if base:
        out[base_lang] = {**out.get(base_lang, {}), **base}
    return out


def clean_translations(value: object, fields: Iterable[str]) -> Translations:
    """Keep only ``{lang: {field: non-empty str}}`` for known fields (data from the DB)."""
    fields = set(fields)
    out: Translations = {}
    if isinstance(value, Mapping):
        for lang, texts in value.items():
            if isinstance(lang, str) and isinstance(texts, Mapping):
                kept = {f: t for f, t in texts.items() if f in fields and isinstance(t, str) and t}
                if kept:
                    out[lang] = kept
    return out
