"""Courses (server/api/courses.py): public reading, editors' writes checked against
the institution that owns the course and each lesson's event, bad input a 4xx."""

from server import keys
from server.storage import tokens as tokens_repo

MUSEUM, PHIL = "city-museum", "city-philharmonic"
DEMO_COURSE = "city-and-its-art"


async def bearer(client, role="editor", institution=MUSEUM) -> dict:
    engine = client.app[keys.DB_ENGINE]
    secret = (await tokens_repo.create(engine, role=role, institution_id=institution))[1]
    return {"Authorization": f"Bearer {secret}"}


def course_body(*event_ids: str, **changes) -> dict:
    body = {
        "lang": "ru",
        "title": {"ru": "Город <i>и</i> река", "en": "The city and the river"},
        "description": {"ru": "Два урока"},
        "lessons": [{"event_id": e} for e in event_ids],
    }
    return {**body, **changes}


async def error_of(response) -> dict:
    return (await response.json())["error"]


async def test_the_demo_course_lists_its_three_lessons_in_order_with_links(client):
    listed = await (await client.get("/api/courses?lang=en")).json()
    summary = next(c for c in listed["courses"] if c["id"] == DEMO_COURSE)
    assert summary["lesson_count"] == 3 and summary["url"] == f"/course/{DEMO_COURSE}"
    assert summary["institution"]["id"] == MUSEUM

    response = await client.get(f"/api/courses/{DEMO_COURSE}?lang=ru")
    assert response.status == 200 and response.headers["Content-Language"] == "ru"
    course = await response.json()
    assert course["title"] == "Город и его искусство"
    lessons = course["lessons"]
    assert [lesson["event_id"] for lesson in lessons] == [
        "icons-lecture", "landscapes-tour", "river-lecture"
    ]  # fmt: skip
    assert [lesson["number"] for lesson in lessons] == [1, 2, 3]
    first = lessons[0]
    assert first["title"] == "Иконы и свет" and first["title_lang"] == "ru"  # the event's
    assert first["note"].startswith("Начните отсюда") and first["note_lang"] == "ru"
    assert first["event"]["kind"] == "lecture" and first["event"]["venue_id"] == "lecture-room"
    assert first["event"]["status"] == "past"
    assert first["url"] == f"/venue/lecture-room?event=icons-lecture&course={DEMO_COURSE}"
    assert "translations" not in course and first["translations"] is None

    page = await client.get(f"/course/{DEMO_COURSE}")
    assert page.status in (200, 503)  # 503: this test tree has no course.html
    missing = await client.get("/course/nope", headers={"Accept": "application/json"})
    assert missing.status == 404


async def test_editor_creates_edits_reorders_and_deletes_a_course(client):
    auth = await bearer(client)
    path = f"/api/institutions/{MUSEUM}/courses"
    response = await client.post(path, json=course_body("river-lecture", "icons-lecture"),
                                 headers=auth)  # fmt: skip
    assert response.status == 201
    course = (await response.json())["course"]
    course_id = course["id"]
    assert course["title"] == "Город <i>и</i> река"  # text, kept as sent
    assert course["translations"]["en"]["title"] == "The city and the river"
    lessons = [lesson["event_id"] for lesson in course["lessons"]]
    assert lessons == ["river-lecture", "icons-lecture"]

    river = {"event_id": "river-lecture", "title": {"en": "The river first"},
             "note": {"en": "An hour"}}  # fmt: skip
    lessons = [river, {"event_id": "icons-lecture"}, {"event_id": "landscapes-tour"}]
    edit = {"title": {"en": "River and icons"}, "lessons": lessons}
    response = await client.patch(f"/api/courses/{course_id}?lang=en", json=edit, headers=auth)
    assert response.status == 200
    course = (await response.json())["course"]
    assert course["title"] == "River and icons" and course["lesson_count"] == 3
    assert course["lessons"][0]["title"] == "The river first"
    assert course["lessons"][0]["translations"] == {"en": {"title": "The river first",
                                                           "note": "An hour"}}  # fmt: skip

    order = {"event_ids": ["landscapes-tour", "icons-lecture", "river-lecture"]}
    response = await client.put(f"/api/courses/{course_id}/order", json=order, headers=auth)
    assert response.status == 200
    shown = await (await client.get(f"/api/courses/{course_id}?lang=en")).json()
    assert [lesson["event_id"] for lesson in shown["lessons"]] == order["event_ids"]
    # a lesson keeps its own texts when it moves
    assert shown["lessons"][2]["title"] == "The river first"

    assert (await client.delete(f"/api/courses/{course_id}", headers=auth)).status == 204
    assert (await client.get(f"/api/courses/{course_id}")).status == 404
    assert (await client.delete(f"/api/courses/{course_id}", headers=auth)).status == 404


async def test_editor_of_another_institution_and_hosts_are_refused(client):
    path = f"/api/institutions/{MUSEUM}/courses"
    body = course_body("icons-lecture")
    assert (await client.post(path, json=body)).status == 401
    # another institution's id is answered as an unknown one; a host of its own is refused
    response = await client.post(path, json=body, headers=await bearer(client, institution=PHIL))
    assert response.status == 404
    host = await bearer(client, role="host")
    assert (await client.post(path, json=body, headers=host)).status == 403

    phil = await bearer(client, institution=PHIL)
    for response in (
        await client.patch(f"/api/courses/{DEMO_COURSE}", json={"title": {"en": "x"}},
                           headers=phil),
        await client.put(f"/api/courses/{DEMO_COURSE}/order",
                         json={"event_ids": ["river-lecture"]}, headers=phil),
        await client.delete(f"/api/courses/{DEMO_COURSE}", headers=phil),
    ):  # fmt: skip
        assert response.status == 404
    assert (await client.delete(f"/api/courses/{DEMO_COURSE}", headers=host)).status == 403
    shown = await (await client.get(f"/api/courses/{DEMO_COURSE}")).json()
    assert shown["lesson_count"] == 3


async def test_a_lesson_from_another_institution_is_refused_as_an_unknown_event(client):
    auth = await bearer(client)
    path = f"/api/institutions/{MUSEUM}/courses"
    response = await client.post(path, json=course_body("icons-lecture", "tchaikovsky-five"),
                                 headers=auth)  # fmt: skip
    assert response.status == 404
    error = await error_of(response)
    assert error["code"] == "not_found" and "tchaikovsky-five" in error["message"]
    ru = await client.post(path + "?lang=ru", json=course_body("tchaikovsky-five"), headers=auth)
    assert "Мероприятия «tchaikovsky-five» нет" in (await error_of(ru))["message"]
    patch = {"lessons": [{"event_id": "brahms-requiem"}]}
    response = await client.patch(f"/api/courses/{DEMO_COURSE}", json=patch, headers=auth)
    assert response.status == 404
    listed = await (await client.get("/api/courses")).json()
    assert [c["id"] for c in listed["courses"]] == [DEMO_COURSE]  # nothing was made


async def test_unknown_ids_are_404(client):
    auth = await bearer(client)
    response = await client.post(f"/api/institutions/{MUSEUM}/courses",
                                 json=course_body("no-such-event"), headers=auth)  # fmt: skip
    assert response.status == 404 and "no-such-event" in (await error_of(response))["message"]
    admin = await bearer(client, role="admin", institution=None)
    response = await client.post("/api/institutions/nowhere/courses",
                                 json=course_body("icons-lecture"), headers=admin)  # fmt: skip
    assert response.status == 404
    assert (await client.get("/api/courses/nope")).status == 404
    assert (await client.patch("/api/courses/nope", json={}, headers=auth)).status == 404
    assert (await client.put("/api/courses/nope/order", json={"event_ids": []},
                             headers=auth)).status == 404  # fmt: skip


async def test_bad_bodies_are_400_with_the_field_named(client):
    auth = await bearer(client)
    path = f"/api/institutions/{MUSEUM}/courses?lang=en"  # the messages in English
    cases = {
        "title": course_body("icons-lecture", title={"en": "only English"}),  # lang is ru
        "twice": course_body("icons-lecture", "icons-lecture"),
        "lessons": course_body(*[f"e{i}" for i in range(51)]),
        "unknown": {**course_body(), "colour": "red"},
        "title_length": course_body(title={"ru": "x" * 201}),
    }
    for expected, body in cases.items():
        response = await client.post(path, json=body, headers=auth)
        assert response.status == 400, expected
        error = await error_of(response)
        assert error["code"] == "invalid_body"
        word = {"twice": "twice", "unknown": "colour", "title_length": "title"}.get(
            expected, expected
        )
        assert word in error["message"], (expected, error["message"])
    not_json = await client.post(path, data="title=x", headers=auth)
    assert not_json.status == 415

    order_path = f"/api/courses/{DEMO_COURSE}/order?lang=en"
    for event_ids, word in (
        (["icons-lecture", "landscapes-tour"], "missing: river-lecture"),
        (["icons-lecture", "landscapes-tour", "river-lecture", "tram-qa"], "tram-qa"),
        (["icons-lecture", "icons-lecture", "river-lecture"], "once"),
    ):
        response = await client.put(order_path, json={"event_ids": event_ids}, headers=auth)
        assert response.status == 400 and word in (await error_of(response))["message"]
    response = await client.patch(f"/api/courses/{DEMO_COURSE}", json={"lang": "tt"},
                                  headers=auth)  # fmt: skip
    assert response.status == 200  # the demo course has a Tatar title
    shown = await (await client.get(f"/api/courses/{DEMO_COURSE}")).json()
    assert [lesson["event_id"] for lesson in shown["lessons"]][0] == "icons-lecture"
