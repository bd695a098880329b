"""The web client's locale files (web_client/locales/*.json) against each other and
against the code that uses them: every key in every language, the plural forms
each language needs, the same {placeholders}, no key unused and none missing.

Keys are found in web_client/ as `t('key'…)` calls, any other string literal in
the shape of a key of a known namespace (`cond ? 'venue.stand_up' : …`), and
`data-i18n="key"` / `data-i18n-attr="attr:key;…"` in HTML. Keys built at run time
from a code the server or a list sends are covered by DYNAMIC_PREFIXES below.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "web_client"
LOCALES = CLIENT / "locales"
LANGS = ("en", "ru", "tt")

# CLDR cardinal plural categories: the ones a plural entry must have (all of them)
PLURAL_CATEGORIES = {
    "en": {"one", "other"},
    "ru": {"one", "few", "many", "other"},
    "tt": {"other"},
}

# Key prefixes completed at run time, each with the code that completes it:
DYNAMIC_PREFIXES = {
    "reaction.": "reaction kinds: reaction.<kind> (reactions.js, icons.KINDS)",
    "chat.error.": "error acks of realtime events: chat.error.<code> (chat.js errorText)",
    "error.": "HTTP API error codes: error.<code> (api.js apiErrorText)",
    "kind.event.": "event kinds from the API (lobby/labels.js)",
    "kind.venue.": "venue kinds from the API (lobby/labels.js)",
    "venue.section.": "seat sections from the venue metadata (venue/hud.js seatLabel)",
    "live.notice_": "moderation actions sent to a member (live/live.js NOTICES)",
    "host.kind_": "media kinds from the API (host/mediapanel.js)",
}

T_CALL = re.compile(r"""\bt\(\s*(['"])([^'"]+)\1""")
LITERAL = re.compile(r"""(['"])([a-z][a-z0-9]*(?:\.[a-z0-9_]+)+)\1""")
DATA_I18N = re.compile(r"""data-i18n=["']([^"']+)["']""")
DATA_I18N_ATTR = re.compile(r"""data-i18n-attr=["']([^"']+)["']""")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәӨөҮүҖҗҢңҺһ]")


def load(lang: str) -> dict:
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def client_sources() -> list[Path]:
    files = [*CLIENT.glob("*.html")]
    for path in (CLIENT / "src").rglob("*.js"):
        files.append(path)
    return files


def without_comments(source: str) -> str:
    """Comment lines out: they may show a key's shape (`data-i18n="key"`) without using one."""
    return "\n".join(
        line for line in source.splitlines() if not line.lstrip().startswith(("//", "*", "/*"))
    )


def used_keys(namespaces: set[str]) -> dict[str, set[Path]]:
    """key -> files that use it."""
    found: dict[str, set[Path]] = {}
    for path in client_sources():
        text = without_comments(path.read_text(encoding="utf-8"))
        keys = {m.group(2) for m in T_CALL.finditer(text)}
        keys |= {
            m.group(2) for m in LITERAL.finditer(text) if m.group(2).split(".")[0] in namespaces
        }
        keys |= {m.group(1) for m in DATA_I18N.finditer(text)}
        for attrs in DATA_I18N_ATTR.finditer(text):
            for pair in attrs.group(1).split(";"):
                if ":" in pair:
                    keys.add(pair.split(":", 1)[1].strip())
        for key in keys:
            found.setdefault(key, set()).add(path)
    return found


def texts(value) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


@pytest.fixture(scope="module")
def locales() -> dict[str, dict]:
    return {lang: load(lang) for lang in LANGS}


def test_every_language_has_exactly_the_english_keys(locales):
    english = set(locales["en"])
    for lang in LANGS[1:]:
        keys = set(locales[lang])
        assert sorted(english - keys) == [], f"{lang} lacks keys"
        assert sorted(keys - english) == [], f"{lang} has keys English lacks"


def test_plural_entries_have_each_languages_categories(locales):
    plural_keys = {k for k, v in locales["en"].items() if isinstance(v, dict)}
    assert "live.people" in plural_keys  # the check below has something to check
    for lang, entries in locales.items():
        for key, value in entries.items():
            if key in plural_keys:
                assert isinstance(value, dict), f"{lang} {key} must be a plural entry"
                assert set(value) == PLURAL_CATEGORIES[lang], f"{lang} {key}: {sorted(value)}"
                assert all("{count}" in form for form in value.values()), f"{lang} {key}"
            else:
                assert isinstance(value, str) and value.strip(), f"{lang} {key} must be a string"


def test_translations_keep_the_placeholders(locales):
    for key, value in locales["en"].items():
        wanted = {p for text in texts(value) for p in PLACEHOLDER.findall(text)}
        for lang in LANGS[1:]:
            for text in texts(locales[lang][key]):
                assert set(PLACEHOLDER.findall(text)) == wanted, f"{lang} {key}: {text!r}"


def test_russian_and_tatar_are_written_in_cyrillic(locales):
    for key, value in locales["en"].items():
        words = PLACEHOLDER.sub("", " ".join(texts(value)))
        if len(re.findall(r"[A-Za-z]", words.replace("WASD", "").replace("WebGL", ""))) < 3:
            continue
        for lang in LANGS[1:]:
            assert CYRILLIC.search(" ".join(texts(locales[lang][key]))), (
                f"{lang} {key} is not translated"
            )
    tatar = " ".join(t for v in locales["tt"].values() for t in texts(v))
    assert set("әөүҗңһ") <= set(tatar), "Tatar uses its own letters"


def test_every_used_key_exists(locales):
    namespaces = {key.split(".")[0] for key in locales["en"]}
    missing = {
        key: sorted(str(p.relative_to(CLIENT)) for p in paths)
        for key, paths in used_keys(namespaces).items()
        if key not in locales["en"] and key not in DYNAMIC_PREFIXES
    }
    assert missing == {}


def test_every_key_is_used(locales):
    namespaces = {key.split(".")[0] for key in locales["en"]}
    used = used_keys(namespaces)
    unused = [
        key
        for key in locales["en"]
        if key not in used and not any(key.startswith(p) for p in DYNAMIC_PREFIXES)
    ]
    assert unused == []


def test_dynamic_prefixes_are_really_built_in_the_code():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in client_sources())
    for prefix in DYNAMIC_PREFIXES:
        assert f"'{prefix}' +" in sources or f"'{prefix}'," in sources, prefix
