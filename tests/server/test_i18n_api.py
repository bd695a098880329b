"""Russian, Tatar and English: negotiation, fallback, the localized API, error texts,
and the schema-1 -> 2 migration (real app, real SQLite)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

import server
from server import middleware
from server.api import lang as api_lang
from server.api import pages, params
from server.demo_programme import EVENT_TRANSLATIONS, INSTITUTION_TRANSLATIONS
from server.errors import ApiError
from server.i18n import (
    SUPPORTED,
    UnsupportedLanguage,
    all_translations,
    localize,
    messages,
    negotiate,
    parse_accept_language,
)

# --- negotiation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "ru"),  # nothing asked: the city's common language
        ("", "ru"),
        ("tt-RU", "tt"),
        ("tt", "tt"),
        ("ru-RU;q=0.9, en;q=0.8", "ru"),
        ("en;q=0.5, tt;q=0.9", "tt"),  # q-values, not order
        ("en-GB,en;q=0.9,ru;q=0.8", "en"),
        ("de-DE, en;q=0.3", "en"),
        ("de-DE, de;q=0.9", "en"),  # only foreign languages: English
        ("de-DE, de;q=0.9, tt;q=0.1", "tt"),
        ("*", "ru"),
        ("ru;q=0, *", "tt"),  # * is any language not refused
        ("de, *;q=0.5", "ru"),
        ("TT-ru", "tt"),
        ("en;q=0, ru;q=0", "ru"),  # everything refused: the default
        ("%%%, ;;;, =", "ru"),  # garbage is ignored
        ("en;q=abc, tt", "tt"),  # a malformed q drops that range only
        ("en;q=2, tt;q=0.4", "tt"),  # q above 1 is malformed
        ("x" * 5000, "ru"),
        ("ru\x00, tt", "tt"),
    ],
)
def test_accept_language(header, expected):
    assert negotiate(header, None) == expected


def test_query_parameter_wins_and_is_checked():
    assert negotiate("tt", "en") == "en"
    assert negotiate("en", "TT-ru") == "tt"  # a region or case is fine
    assert negotiate("tt", "") == "tt"  # empty counts as absent
    with pytest.raises(UnsupportedLanguage):
        negotiate("ru", "de")
    with pytest.raises(UnsupportedLanguage):
        negotiate(None, "<script>")


def test_parse_accept_language_orders_by_q_then_position():
    assert parse_accept_language("a;q=0.5, b, c;q=0.5, d;q=1") == [
        ("b", 1.0),
        ("d", 1.0),
        ("a", 0.5),
        ("c", 0.5),
    ]


def test_localize_falls_back_per_field_and_says_where_from():
    record = {
        "title": "Icons and light",
        "description": "How painters worked with gold.",
        "lang": "en",
        "translations": {
            "ru": {"title": "Иконы и свет", "description": "Как работали с золотом."},
            "tt": {"title": "Иконалар һәм яктылык"},
        },
    }
    tt = localize(record, ("title", "description"), "tt")
    assert tt == {
        "title": "Иконалар һәм яктылык",
        "title_lang": "tt",
        "description": "Как работали с золотом.",
        "description_lang": "ru",  # tt -> ru
    }
    assert localize(record, ("title",), "en") == {"title": "Icons and light", "title_lang": "en"}
    # no translations at all (a row from before schema 2): the base text
    old = {"title": "Old", "lang": "en", "translations": {}}
    assert localize(old, ("title",), "tt") == {"title": "Old", "title_lang": "en"}
    # an empty translation is no translation
    blank = {"title": "Base", "lang": "en", "translations": {"tt": {"title": ""}}}
    assert localize(blank, ("title",), "tt")["title_lang"] == "en"
    assert all_translations(record, ("title",)) == {
        "en": {"title": "Icons and light"},
        "ru": {"title": "Иконы и свет"},
        "tt": {"title": "Иконалар һәм яктылык"},
    }


# --- the message catalogue -----------------------------------------------------------


def _server_codes() -> set[str]:
    """Every error code the HTTP side can answer with."""
    codes = set(middleware._CODES.values()) | {"http_error", "internal_error"}
    todo = [ApiError]
    while todo:
        cls = todo.pop()
        codes.add(cls.code)
        todo.extend(cls.__subclasses__())
    # the subclasses that live in route modules are imported above
    assert {pages.ClientMissing, params.InvalidParameter, api_lang.UnsupportedLanguageError}
    return codes


def test_every_code_and_message_has_all_three_languages():
    for code in _server_codes():
        assert messages.has(code), f"error code {code!r} has no message"
    for key, entry in messages.CATALOGUE.items():
        assert set(entry) == set(SUPPORTED), key
        english = messages.placeholders(entry["en"])
        for lang, template in entry.items():
            assert template.strip(), (key, lang)
            assert messages.placeholders(template) <= english, (key, lang)
    # Tatar is not Russian with a few letters changed: the sentences differ (the
    # names of event kinds are shared loanwords: концерт, спектакль, лекция)
    sentences = [e for k, e in messages.CATALOGUE.items() if not k.startswith("poster.kind.")]
    assert all(e["tt"] != e["ru"] for e in sentences)


# keys the server builds from a value: the f-string that does it, and the values
DYNAMIC_KEYS = {
    "poster.kind.": ('f"poster.kind.{entry.kind}"', ("concert", "performance", "lecture",
                     "masterclass", "qa", "excursion")),
    "page.title.": ('f"page.title.{status}"', ("404", "500")),
}  # fmt: skip


def test_every_message_key_is_used_by_the_server():
    """A key nothing raises is a text nobody reads (and one that goes stale)."""
    root = Path(server.__file__).parent
    source = "\n".join(
        p.read_text("utf-8") for p in root.rglob("*.py") if p != Path(messages.__file__)
    )
    for prefix, (expression, values) in DYNAMIC_KEYS.items():
        assert expression in source, expression
        assert {k.removeprefix(prefix) for k in messages.CATALOGUE if k.startswith(prefix)} >= {
            *values
        }
    codes = _server_codes()
    unused = [
        key
        for key in messages.CATALOGUE
        if key not in codes
        and f'"{key}"' not in source
        and not any(key.startswith(p) for p in DYNAMIC_KEYS)
    ]
    assert unused == []


def test_message_text_fills_placeholders_and_keeps_unknown_ones():
    assert messages.text("not_found.event", "tt", id="x") == "«x» чарасы юк"
    assert messages.text("not_found.event", "ru") == "Мероприятия «{id}» нет"
    assert messages.text("not_found.nothing_like_it", "en") == "not found"


# --- the API ---------------------------------------------------------------------------


async def get(client, path: str, **headers: str):
    response = await client.get(path, headers=headers)
    return response, await response.json()


def by_id(events: list[dict]) -> dict[str, dict]:
    return {e["id"]: e for e in events}


async def test_events_in_tatar_with_fallback_marked(client):
    response, body = await get(client, "/api/events?lang=tt")
    assert response.status == 200
    assert response.headers["Content-Language"] == "tt"
    assert "Accept-Language" in response.headers["Vary"]
    events = by_id(body["events"])
    five = events["tchaikovsky-five"]
    assert five["title"] == EVENT_TRANSLATIONS["tchaikovsky-five"]["tt"]["title"]
    assert five["description"] == EVENT_TRANSLATIONS["tchaikovsky-five"]["tt"]["description"]
    assert five["title_lang"] == five["description_lang"] == "tt"
    assert five["venue_name"] == "Филармониянең Зур залы" and five["venue_name_lang"] == "tt"
    assert (
        five["institution"]["name"] == INSTITUTION_TRANSLATIONS["city-philharmonic"]["tt"]["name"]
    )
    assert five["institution"]["name_lang"] == "tt"
    icons = events["icons-lecture"]  # its Tatar description is not written yet
    assert icons["title"] == "Иконалар һәм яктылык" and icons["title_lang"] == "tt"
    assert icons["description"] == EVENT_TRANSLATIONS["icons-lecture"]["ru"]["description"]
    assert icons["description_lang"] == "ru"


async def test_query_beats_header_and_header_is_used_without_query(client):
    _, english = await get(
        client, "/api/events/cherry-orchard?lang=en", **{"Accept-Language": "tt"}
    )
    assert english["title"] == "The Cherry Orchard" and english["title_lang"] == "en"
    response, tatar = await get(
        client, "/api/events/cherry-orchard", **{"Accept-Language": "tt-RU"}
    )
    assert response.headers["Content-Language"] == "tt"
    assert tatar["title"] == "Чия бакчасы"
    response, russian = await get(client, "/api/events/cherry-orchard")
    assert response.headers["Content-Language"] == "ru"
    assert russian["title"] == "Вишнёвый сад"
    # field names old clients read are all still there
    assert set(english) >= {"title", "description", "venue_name", "institution"}
    assert "translations" not in english


async def test_unreadable_or_foreign_header_is_never_an_error(client):
    for header in ("%%%;q=zz", "de-CH, fr;q=0.5", "*;q=0", "ru;q=1;q=1, , ,"):
        response, body = await get(client, "/api/venues", **{"Accept-Language": header})
        assert response.status == 200, header
        assert response.headers["Content-Language"] in SUPPORTED
        assert body["venues"]


async def test_unsupported_lang_parameter_is_a_400_in_the_header_language(client):
    response, body = await get(client, "/api/events?lang=de", **{"Accept-Language": "tt"})
    assert response.status == 400
    assert response.headers["Content-Language"] == "tt"
    assert body["error"]["code"] == "unsupported_language"
    assert body["error"]["message"] == "«de» теле юк; сайлап була: ru, tt, en"
    for path in (
        "/api/venues?lang=xx",
        "/api/venues/gallery?lang=xx",
        "/api/events/tram-qa?lang=xx",
    ):
        response, body = await get(client, path, **{"Accept-Language": "en"})
        assert response.status == 400, path
        assert body["error"] == {
            "code": "unsupported_language",
            "message": "unsupported language 'xx'; use one of: ru, tt, en",
        }


async def test_error_messages_are_localized_and_codes_stay(client):
    cases = [
        ("/api/events/nope", "not_found", "not_found.event", {"id": "nope"}),
        ("/api/venues/nope", "not_found", "not_found.venue", {"id": "nope"}),
        (
            "/api/events?color=red",
            "invalid_parameter",
            "invalid_parameter.unknown",
            {"name": "color"},
        ),
        ("/api/events?when=a&when=b", "invalid_parameter", "invalid_parameter.repeated", {}),
    ]
    for path, code, key, fill in cases:
        seen = set()
        for lang in SUPPORTED:
            response, body = await get(client, path, **{"Accept-Language": lang})
            assert body["error"]["code"] == code, path
            assert body["error"]["message"] == messages.text(key, lang, **fill), (path, lang)
            assert response.headers["Content-Language"] == lang
            seen.add(body["error"]["message"])
        assert len(seen) == 3, path
    # an aiohttp error (405) and the browser's HTML error page too
    response = await client.post("/api/venues", headers={"Accept-Language": "tt"})
    assert (await response.json())["error"] == {
        "code": "method_not_allowed",
        "message": messages.text("method_not_allowed", "tt"),
    }
    page = await client.get(
        "/venue/atlantis", headers={"Accept": "text/html", "Accept-Language": "tt"}
    )
    text = await page.text()
    assert page.status == 404 and "<html lang=tt>" in text
    assert messages.text("page.title.404", "tt") in text and "«atlantis»" in text


async def test_event_detail_translations_for_editors(client):
    _, body = await get(client, "/api/events/icons-lecture?translations=1&lang=en")
    assert body["title"] == "Icons and light"
    assert body["translations"] == {
        "en": {"title": "Icons and light", "description": body["description"]},
        **EVENT_TRANSLATIONS["icons-lecture"],
    }
    _, body = await get(client, "/api/events/icons-lecture?translations=0")
    assert "translations" not in body
    # lists do not take it
    response, body = await get(client, "/api/events?translations=1")
    assert response.status == 400 and body["error"]["code"] == "invalid_parameter"


async def test_venue_detail_localizes_names_rooms_and_exhibit_labels(client):
    response, body = await get(client, "/api/venues/gallery?lang=tt")
    assert response.headers["Content-Language"] == "tt"
    assert set(response.headers["Vary"].replace(" ", "").split(",")) == {
        "Accept-Encoding",
        "Accept-Language",
    }
    assert body["name"] == body["metadata"]["name"] == "Шәһәр галереясы"
    assert body["name_lang"] == body["metadata"]["name_lang"] == "tt"
    rooms = {r["id"]: r for r in body["metadata"]["rooms"]}
    assert rooms["portraits"]["name"] == "Портретлар"
    # the demo paintings (assets/art, hung through the collection pipeline)
    exhibits = {e["id"]: e for e in body["metadata"]["exhibits"]}
    harvesters = exhibits["bruegel-harvesters-1565"]
    assert (harvesters["title"], harvesters["title_lang"]) == ("Урак өсте", "tt")
    assert harvesters["medium"] == "Агач, май буяу" and harvesters["description_lang"] == "tt"
    slotted = {s["exhibit"] for s in body["metadata"]["exhibit_slots"] if s["exhibit"]}
    assert slotted == set(exhibits)  # every hung exhibit has its label
    assert "translations" not in body

    english_response, english = await get(client, "/api/venues/gallery?lang=en")
    assert english["metadata"]["exhibits"][0]["title_lang"] == "en"
    assert english_response.headers["ETag"] != response.headers["ETag"]
    # each language revalidates with its own ETag
    again = await client.get(
        "/api/venues/gallery?lang=tt", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status == 304 and again.headers["Content-Language"] == "tt"

    _, full = await get(client, "/api/venues/gallery?lang=ru&translations=1")
    assert full["name"] == "Городская галерея"
    assert full["translations"]["tt"] == {"name": "Шәһәр галереясы"}
    assert full["translations"]["en"] == {"name": "City Gallery"}
    assert full["institution"]["translations"]["tt"] == {"name": "Шәһәр сәнгать һәм тарих музее"}


async def test_hall_rooms_are_named_in_every_language(client):
    _, body = await get(client, "/api/venues/philharmonic?lang=tt")
    names = {r["id"]: (r["name"], r["name_lang"]) for r in body["metadata"]["rooms"]}
    assert names == {"auditorium": ("Тамашачылар залы", "tt"), "stage": ("Сәхнә", "tt")}


# --- migration from a schema-1 database --------------------------------------------

# schema 1 exactly as shipped (server/storage/schema.py at SCHEMA_VERSION = 1)
SCHEMA_1 = """
CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE institutions (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL,
    kind VARCHAR(32) NOT NULL, created_at DATETIME NOT NULL);
CREATE TABLE blobs (sha256 VARCHAR(64) PRIMARY KEY, content_type VARCHAR(64) NOT NULL,
    size INTEGER NOT NULL, gzip_size INTEGER, created_at DATETIME NOT NULL);
CREATE TABLE venues (id VARCHAR(64) PRIMARY KEY,
    institution_id VARCHAR(64) NOT NULL REFERENCES institutions (id),
    name VARCHAR(200) NOT NULL, kind VARCHAR(32) NOT NULL, seat_count INTEGER NOT NULL,
    spec_hash VARCHAR(64) NOT NULL, glb_sha256 VARCHAR(64) NOT NULL REFERENCES blobs (sha256),
    manifest_sha256 VARCHAR(64) NOT NULL REFERENCES blobs (sha256),
    thumbnail_sha256 VARCHAR(64) REFERENCES blobs (sha256), builtin BOOLEAN NOT NULL,
    updated_at DATETIME NOT NULL);
CREATE INDEX ix_venues_institution_id ON venues (institution_id);
CREATE TABLE events (id VARCHAR(64) PRIMARY KEY, venue_id VARCHAR(64) NOT NULL
    REFERENCES venues (id), title VARCHAR(200) NOT NULL, kind VARCHAR(32) NOT NULL,
    description TEXT NOT NULL, starts_at DATETIME NOT NULL, ends_at DATETIME NOT NULL,
    poster_sha256 VARCHAR(64) REFERENCES blobs (sha256), host_token_hash VARCHAR(64) NOT NULL,
    demo BOOLEAN NOT NULL);
CREATE INDEX ix_events_times ON events (starts_at, ends_at);
INSERT INTO meta VALUES ('schema_version', '1');
"""


def make_schema_1_db(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_1)
        # a demo institution with its old English name, and one of the house's own
        conn.execute(
            "INSERT INTO institutions VALUES ('city-museum', 'Old Museum Name', 'museum', "
            "'2026-01-01 00:00:00')"
        )
        conn.execute(
            "INSERT INTO institutions VALUES ('guild-hall', 'Guild Hall', 'theatre', "
            "'2026-01-01 00:00:00')"
        )


async def test_schema_1_database_upgrades_and_serves_translations(settings, make_app):
    from server.storage.schema import SCHEMA_VERSION

    db = settings.data_dir / "zal.sqlite3"
    make_schema_1_db(db)
    app = make_app()
    async with TestClient(TestServer(app)) as client:
        _, body = await get(client, "/api/venues?lang=tt")
        museum = next(v for v in body["venues"] if v["institution"]["id"] == "city-museum")
        # the demo start brought the old row's texts up to date
        assert museum["institution"]["name"] == "Шәһәр сәнгать һәм тарих музее"
    with sqlite3.connect(db) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert int(version[0]) == SCHEMA_VERSION >= 4  # 4: access tokens, sessions
        for table in ("institutions", "venues", "events"):
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            assert {"lang", "translations"} <= columns, table
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert {"access_tokens", "sessions"} <= tables
        guild = conn.execute(
            "SELECT name, lang, translations FROM institutions WHERE id = 'guild-hall'"
        ).fetchone()
        assert guild == ("Guild Hall", "en", "{}")  # untouched, marked English
        stored = conn.execute(
            "SELECT translations FROM institutions WHERE id = 'city-museum'"
        ).fetchone()[0]
        assert json.loads(stored) == INSTITUTION_TRANSLATIONS["city-museum"]
    # a second start finds version 2 and changes nothing
    async with TestClient(TestServer(make_app())) as client:
        assert (await client.get("/healthz")).status == 200


async def test_migrate_on_a_fresh_database_and_twice(tmp_path):
    from server.storage.engine import create_engine
    from server.storage.schema import SCHEMA_VERSION, migrate

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        assert await migrate(engine) == 0
        assert await migrate(engine) == SCHEMA_VERSION
    finally:
        await engine.dispose()
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    assert {"lang", "translations"} <= columns


async def test_each_language_gets_the_poster_with_its_own_words(client):
    urls = {}
    for lang in SUPPORTED:
        _, event = await get(client, f"/api/events/cherry-orchard?lang={lang}")
        urls[lang] = event["poster_url"]
        picture = await client.get(event["poster_url"])
        assert picture.status == 200 and picture.content_type == "image/png"
    assert len(set(urls.values())) == 3, urls
    # the lecture's Tatar title exists, so its Tatar poster is its own too
    _, icons = await get(client, "/api/events/icons-lecture?lang=tt")
    _, icons_ru = await get(client, "/api/events/icons-lecture?lang=ru")
    assert icons["poster_url"] != icons_ru["poster_url"]
    # the list answers the same pictures as the detail
    _, listed = await get(client, "/api/events?lang=tt")
    assert by_id(listed["events"])["cherry-orchard"]["poster_url"] == urls["tt"]
