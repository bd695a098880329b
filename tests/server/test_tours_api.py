"""Tours (server/api/tours.py, issue 11) against a real app on real SQLite, with
real espeak-ng and ffmpeg making the audio guides: the default tour of the demo
gallery, an editor's tour read aloud in ru, tt and en with captions, stops that
do not fit refused by number, recordings replacing the reading, and roles."""

from __future__ import annotations

import asyncio
import math
import re

from server import keys
from server.media.probe import probe
from server.storage import tokens as tokens_repo
from server.tours.check import floor_height
from server.tours.demo import DEMO_TOUR
from server.tours.speech import MAX_CHARS

MUSEUM, PHIL, GALLERY = "city-museum", "city-philharmonic", "gallery"
HARVESTERS = "bruegel-harvesters-1565"  # landscapes/north/1, at x 1.71 on the wall z -3.57
IN_FRONT = [1.71, 0.0, -1.57]
TEXTS = {
    "ru": "Это «Жатва». Крестьяне отдыхают в полдень.",
    "tt": "Бу «Урак өсте». Игенчеләр төштә ял итә.",
    "en": "This is The Harvesters. Peasants rest at noon.",
}


async def bearer(client, role="editor", institution=MUSEUM) -> dict:
    engine = client.app[keys.DB_ENGINE]
    secret = (await tokens_repo.create(engine, role=role, institution_id=institution))[1]
    return {"Authorization": f"Bearer {secret}"}


def stop(exhibit=HARVESTERS, position=IN_FRONT, **changes) -> dict:
    body = {
        "exhibit": exhibit,
        "position": position,
        "yaw": 0.0,
        "seconds": 30,
        "title": {"en": "The Harvesters", "ru": "Жатва"},
        "narration": dict(TEXTS),
    }
    return {**body, **changes}


def tour_body(*stops: dict) -> dict:
    return {
        "lang": "ru",
        "title": {"ru": "Лето в живописи", "en": "Summer in painting"},
        "stops": list(stops) or [stop()],
    }


async def metadata(client):
    venue = await (await client.get(f"/api/venues/{GALLERY}")).json()
    return venue["metadata"]


async def test_every_gallery_has_a_default_tour_one_stop_per_work_in_hanging_order(client):
    meta = await metadata(client)
    response = await client.get(f"/api/venues/{GALLERY}/tours/default?lang=tt")
    assert response.status == 200 and response.headers["Content-Language"] == "tt"
    tour = await response.json()
    assert tour["default"] is True and tour["stop_count"] == 24
    hung = [s for s in meta["exhibit_slots"] if s["exhibit"]]
    assert [s["exhibit"] for s in tour["stops"]] == [s["exhibit"] for s in hung]
    assert tour["title"].startswith("Залларда йөрү") and tour["title_lang"] == "tt"

    class Area:  # the metadata's walkable areas as floor_height takes them
        def __init__(self, vertices):
            self.vertices = vertices

    floor = [Area(a["vertices"]) for a in meta["walkable"]]
    for s, slot in zip(tour["stops"], hung, strict=True):
        x, y, z = s["position"]
        assert floor_height(floor, x, y, z) is not None, s["exhibit"]
        away = math.hypot(x - slot["position"][0], z - slot["position"][2])
        assert 1.0 <= away <= 3.3, (s["exhibit"], away)
        # the camera looks along (-sin yaw, -cos yaw): at the work
        look = (-math.sin(s["yaw"]), -math.cos(s["yaw"]))
        to_work = ((slot["position"][0] - x) / away, (slot["position"][2] - z) / away)
        assert look[0] * to_work[0] + look[1] * to_work[1] > 0.99, s["exhibit"]
    first = tour["stops"][0]
    assert first["title"] == "Урак өсте" and first["narration_lang"] == "tt"
    assert first["narration"].startswith("«Урак өсте». Pieter Bruegel the Elder, 1565. Игенчеләр")
    assert first["audio"] is None and first["audio_pending"] is True  # being read now

    for path in ("/api/venues/lecture-room/tours/default", "/api/venues/nope/tours/default"):
        missing = await client.get(path)
        assert missing.status == 404, path
    await the_demo_gallery_offers_its_tour_of_six_works_in_three_languages(client)


async def the_demo_gallery_offers_its_tour_of_six_works_in_three_languages(client):
    listed = await (await client.get(f"/api/venues/{GALLERY}/tours?lang=ru")).json()
    assert [t["id"] for t in listed["tours"]] == [DEMO_TOUR]  # its own: no default listed
    summary = listed["tours"][0]
    assert summary["title"] == "Шесть работ, три зала" and summary["stop_count"] == 6
    assert summary["default"] is False and summary["institution_id"] == MUSEUM
    for lang in ("ru", "tt", "en"):
        tour = await (await client.get(f"/api/tours/{DEMO_TOUR}?lang={lang}")).json()
        assert [s["exhibit"] for s in tour["stops"]][:2] == [
            HARVESTERS, "van-gogh-wheat-field-with-cypresses-1889"
        ]  # fmt: skip
        for s in tour["stops"]:
            assert s["narration_lang"] == lang and 100 < len(s["narration"]) <= MAX_CHARS
    assert tour["stops"][0]["position"] == [1.71, 0.0, -1.57]  # 2 m before The Harvesters
    assert "Урак өсте" in (await (await client.get(f"/api/tours/{DEMO_TOUR}?lang=tt")).text())


async def test_an_editors_tour_is_read_aloud_in_three_languages_with_captions(client):
    auth = await bearer(client)
    second = stop(exhibit=None, position=[3.88, 0.0, -1.6], title={"en": "The plane trees"},
                  narration={"en": "Now turn to the plane trees. They are green."})  # fmt: skip
    response = await client.post(
        f"/api/venues/{GALLERY}/tours", json=tour_body(stop(), second), headers=auth
    )
    assert response.status == 201, await response.text()
    tour = (await response.json())["tour"]
    assert tour["title"] == "Лето в живописи" and tour["stop_count"] == 2 and tour["seconds"] == 60
    assert tour["translations"]["en"]["title"] == "Summer in painting"
    await client.app[keys.NARRATOR].idle()  # saving asked for every language's reading
    assert client.app[keys.NARRATOR].failures == 0

    clips = {}
    for lang in ("ru", "tt", "en"):
        found = await (await client.get(f"/api/tours/{tour['id']}?lang={lang}")).json()
        audio = found["stops"][0]["audio"]
        assert audio["source"] == "speech" and audio["lang"] == lang
        assert found["stops"][0]["narration"] == TEXTS[lang]
        clips[lang] = audio
    # the second stop has English only: every language hears it in English
    assert found["stops"][1]["audio"]["lang"] == "en"

    for lang, audio in clips.items():
        # six to eight words at 150 a minute: two to five seconds of speech
        assert 1.5 < audio["duration_s"] < 6.0, (lang, audio)
        ogg = await client.get(audio["url"])
        assert ogg.status == 200 and ogg.headers["Content-Type"] == "audio/ogg"
        assert "immutable" in ogg.headers["Cache-Control"]
        body = await ogg.read()
        assert body.startswith(b"OggS") and b"OpusHead" in body[:200]
        sha = re.search(r"/media/([0-9a-f]{64})\.ogg", audio["url"])[1]  # type: ignore[index]
        found_probe = await probe(client.app[keys.BLOBS].path(sha), max_duration_s=60)
        assert abs(found_probe.duration_s - audio["duration_s"]) < 0.2, lang
        vtt = await client.get(audio["captions_url"])
        assert vtt.status == 200 and vtt.headers["Content-Type"].startswith("text/vtt")
        cues = re.findall(r"([\d:.]+) --> ([\d:.]+)\n(.+)", await vtt.text())
        assert [c[2] for c in cues] == [s + "." for s in TEXTS[lang].split(". ")][:1] + [
            TEXTS[lang].split(". ")[1]
        ]  # one cue per sentence
        assert cues[0][0] == "00:00:00.000"
        end = cues[-1][1].split(":")
        assert abs(float(end[2]) - audio["duration_s"]) < 0.01

    # the Russian and English readings are different clips; the same text is one clip
    assert len({a["url"] for a in clips.values()}) == 3
    again = stop(narration={"ru": TEXTS["ru"]})
    copy = await client.post(f"/api/venues/{GALLERY}/tours", json=tour_body(again), headers=auth)
    copied = (await copy.json())["tour"]
    assert copied["stops"][0]["audio"]["url"] == clips["ru"]["url"]  # no new reading

    # an edit: stops reordered by id, the title changed; DELETE removes it
    ids = [s["id"] for s in tour["stops"]]
    edit = {
        "title": {"ru": "Лето"},
        "stops": [second | {"id": ids[1]}, stop() | {"id": ids[0]}],
    }
    response = await client.patch(f"/api/tours/{tour['id']}?lang=ru", json=edit, headers=auth)
    assert response.status == 200, await response.text()
    edited = (await response.json())["tour"]
    assert edited["title"] == "Лето" and [s["id"] for s in edited["stops"]] == ids[::-1]
    listed = await (await client.get(f"/api/venues/{GALLERY}/tours")).json()
    assert {t["id"] for t in listed["tours"]} == {tour["id"], copied["id"], DEMO_TOUR}
    assert (await client.delete(f"/api/tours/{tour['id']}", headers=auth)).status == 204
    assert (await client.get(f"/api/tours/{tour['id']}")).status == 404


REFUSALS = [
    (
        [stop(), stop(exhibit="no-such-work")],
        "stop 2: exhibit 'no-such-work' is not in this gallery",
        "Остановка 2: экспоната «no-such-work» нет в этой галерее",
    ),
    (
        [stop(position=[1.71, 0.0, -9.0])],
        "stop 1: the place (1.71, 0, -9) is not on the venue's walkable floor",
        "Остановка 1: место (1.71, 0, -9) не на полу зала, где можно ходить",
    ),
    (
        [stop(), stop(), stop(narration={"tt": "Ә" * (MAX_CHARS + 1)})],
        f"stop 3: the narration in tt has {MAX_CHARS + 1} characters;"
        f" the speech limit is {MAX_CHARS}",
        f"Остановка 3: рассказ на языке tt длиной {MAX_CHARS + 1} знаков;"
        f" синтез речи читает не больше {MAX_CHARS}",
    ),
]


async def test_stops_that_do_not_fit_the_gallery_are_refused_naming_the_stop(client):
    """A missing exhibit, a place off the floor, a narration too long to read."""
    auth = await bearer(client)
    path = f"/api/venues/{GALLERY}/tours"
    for stops, en, ru in REFUSALS:
        for lang, message in (("en", en), ("ru", ru)):
            response = await client.post(
                path, json=tour_body(*stops), headers=auth | {"Accept-Language": lang}
            )
            assert response.status == 422
            error = (await response.json())["error"]
            assert error["code"] == "invalid_tour" and error["message"] == message
            assert error["stop"] == int(en.split()[1].rstrip(":"))  # for the portal's editor
    listed = await (await client.get(path)).json()
    assert [t["id"] for t in listed["tours"]] == [DEMO_TOUR]  # nothing stored
    # a machine without espeak-ng: stops say at once that no reading is coming
    client.app[keys.NARRATOR].available = False
    tour = await (await client.get(f"/api/tours/{DEMO_TOUR}?lang=tt")).json()
    assert all(s["audio"] is None and s["audio_pending"] is False for s in tour["stops"])
    await only_the_galleries_editors_write_tours(client)


async def only_the_galleries_editors_write_tours(client):
    path = f"/api/venues/{GALLERY}/tours"
    assert (await client.post(path, json=tour_body())).status == 401
    host = await bearer(client, role="host")
    answer = await client.post(path, json=tour_body(), headers=host)
    assert answer.status == 403 and (await answer.json())["error"]["code"] == "forbidden"
    other = await bearer(client, institution=PHIL)
    answer = await client.post(path, json=tour_body(), headers=other)
    assert answer.status == 404 and (await answer.json())["error"]["code"] == "not_found"
    bad = await client.post(
        path, json={"title": {"ru": "x"}, "stops": []}, headers=await bearer(client)
    )
    assert bad.status == 400  # no stops, and the title not in the tour's language


async def test_the_default_tour_copied_is_editable_and_a_recording_replaces_the_reading(
    client, tmp_path
):
    auth = await bearer(client)
    response = await client.post(f"/api/venues/{GALLERY}/tours/default/copy", headers=auth)
    assert response.status == 201
    tour = (await response.json())["tour"]
    default = await (await client.get(f"/api/venues/{GALLERY}/tours/default")).json()
    assert tour["stop_count"] == 24 and tour["default"] is False
    assert [s["id"] for s in tour["stops"]] == [s["id"] for s in default["stops"]]

    # a recording for the first stop in Russian (1.5 s of tone, Ogg Vorbis... or Opus)
    made = tmp_path / "guide.ogg"
    ffmpeg = await asyncio.create_subprocess_exec(
        "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1.5",
        "-c:a", "libopus", str(made),
    )  # fmt: skip
    assert await ffmpeg.wait() == 0
    first = tour["stops"][0]["id"]
    path = f"/api/tours/{tour['id']}/stops/{first}/audio/ru"
    assert (await client.put(path, data=made.read_bytes())).status == 401
    response = await client.put(path, data=made.read_bytes(), headers=auth)
    assert response.status == 200, await response.text()
    stop0 = (await response.json())["tour"]["stops"][0]
    assert stop0["narration_lang"] == "ru"
    audio = stop0["audio"]
    assert audio["source"] == "recording" and abs(audio["duration_s"] - 1.5) < 0.1
    assert (await client.get(audio["url"])).headers["Content-Type"] == "audio/ogg"
    vtt = await (await client.get(audio["captions_url"])).text()
    assert vtt.startswith("WEBVTT") and "00:00:01.5" in vtt  # the text over 1.5 s
    english = await (await client.get(f"/api/tours/{tour['id']}?lang=en")).json()
    assert (
        english["stops"][0]["audio"] is None or english["stops"][0]["audio"]["source"] == "speech"
    )

    # an editor's view: every language's audio of every stop, the recording among them
    edited = await (await client.get(f"/api/tours/{tour['id']}?translations=1")).json()
    audios = edited["stops"][0]["audios"]
    assert audios["ru"]["source"] == "recording" and audios["ru"]["url"] == audio["url"]
    narrated = {k for k, v in edited["stops"][0]["translations"].items() if v.get("narration")}
    assert set(audios) == narrated | {"ru"}
    assert all(a is None or a["source"] == "speech" for k, a in audios.items() if k != "ru")
    assert english["stops"][0]["audios"] is None  # not asked for
    plain = await (await client.get(f"/api/venues/{GALLERY}/tours/default?translations=1")).json()
    assert plain["stops"][0]["audios"] is None  # the default tour is not edited

    refused = await client.put(path, data=b"\x89PNG\r\n\x1a\n" + b"0" * 64, headers=auth)
    assert refused.status == 415 and (await refused.json())["error"]["code"] == "not_media"
    unknown = await client.put(f"/api/tours/{tour['id']}/stops/nope/audio/ru", data=b"x",
                               headers=auth)  # fmt: skip
    assert unknown.status == 404
    assert (await client.delete(path, headers=auth)).status == 204
    back = await (await client.get(f"/api/tours/{tour['id']}?lang=ru")).json()
    assert (back["stops"][0]["audio"] or {"source": "speech"})["source"] == "speech"
