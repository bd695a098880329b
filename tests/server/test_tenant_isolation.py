"""Institution A asking for, or acting on, institution B's things gets exactly the
answer an unknown id gets (SECURITY.md "Who may write": 404, no existence leak;
server/auth/tenant.py). For every route that takes an institution's thing, the
answer for B's id and for an id nobody has are compared: the same status and the
same body once the id itself is taken out, in English and in Russian."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from server import keys
from server.collections.jobs import CollectionJob
from server.storage import jobs as jobs_repo
from server.storage import tokens as tokens_repo
from server.storage import tours as tours_repo

OURS, THEIRS = "city-philharmonic", "city-museum"
THEIR_EVENT, THEIR_COURSE, THEIR_VENUE = "icons-lecture", "city-and-its-art", "gallery"
OUR_EVENT = "tchaikovsky-five"
THEIR_TOUR = "tour-theirs"
UNKNOWN = "no-such-thing-42"


def _event_body(venue: str) -> dict:
    start = datetime.now(UTC) + timedelta(days=40)
    return {
        "venue_id": venue,
        "kind": "lecture",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "lang": "en",
        "title": {"en": "Ours"},
    }


def _tour_body() -> dict:
    stop = {"exhibit": "bruegel-harvesters-1565", "position": [1.71, 0.0, -1.57]}
    return {"lang": "en", "title": {"en": "Ours"}, "stops": [stop]}


def _course_body(event_id: str) -> dict:
    return {"lang": "en", "title": {"en": "Ours"}, "lessons": [{"event_id": event_id}]}


# (name, method, path with {id}, JSON body or raw bytes or None, what {id} is)
ROUTES = [
    ("institution", "GET", "/api/institutions/{id}", None, "institution"),
    ("create event", "POST", "/api/institutions/{id}/events", _event_body("x"), "institution"),
    ("edit event", "PATCH", "/api/events/{id}", {"kind": "qa"}, "event"),
    ("host link", "POST", "/api/events/{id}/host-link", None, "event"),
    ("assistant link", "POST", "/api/events/{id}/assistant-link", None, "event"),
    ("assistant link state", "GET", "/api/events/{id}/assistant-link", None, "event"),
    ("assistant link revoke", "DELETE", "/api/events/{id}/assistant-link", None, "event"),
    ("attendance", "GET", "/api/events/{id}/attendance", None, "event"),
    ("create course", "POST", "/api/institutions/{id}/courses", _course_body("x"), "institution"),
    ("edit course", "PATCH", "/api/courses/{id}", {"title": {"en": "x"}}, "course"),
    ("order course", "PUT", "/api/courses/{id}/order", {"event_ids": []}, "course"),
    ("delete course", "DELETE", "/api/courses/{id}", None, "course"),
    ("collection", "POST", "/api/institutions/{id}/collections?name=X", b"x", "institution"),
    ("collection job", "GET", "/api/collection-jobs/{id}", None, "collection_job"),
    ("scene upload", "POST", "/api/institutions/{id}/venues", b"glTF", "institution"),
    ("versions", "GET", "/api/venues/{id}/versions", None, "venue"),
    ("rollback", "POST", "/api/venues/{id}/rollback", {"version": 1}, "venue"),
    ("layout", "PUT", "/api/venues/{id}/layout", {"spawn_points": []}, "venue"),
    ("upload job", "GET", "/api/jobs/{id}", None, "job"),
    ("create tour", "POST", "/api/venues/{id}/tours", _tour_body(), "venue"),
    ("copy default tour", "POST", "/api/venues/{id}/tours/default/copy", None, "venue"),
    ("edit tour", "PATCH", "/api/tours/{id}", {"title": {"en": "x"}}, "tour"),
    ("delete tour", "DELETE", "/api/tours/{id}", None, "tour"),
    ("tour recording", "PUT", "/api/tours/{id}/stops/s1/audio/ru", b"OggS", "tour"),
    ("tour recording off", "DELETE", "/api/tours/{id}/stops/s1/audio/ru", None, "tour"),
    # B's things named inside a write to one's own institution
    ("event in their venue", "POST", f"/api/institutions/{OURS}/events", "venue_body", "venue"),
    ("event moved there", "PATCH", f"/api/events/{OUR_EVENT}", "venue_change", "venue"),
    ("lesson of theirs", "POST", f"/api/institutions/{OURS}/courses", "lesson_body", "event"),
    ("version of theirs", "POST", f"/api/institutions/{OURS}/venues?venue={{id}}", b"g", "venue"),
]

OWN_WRITES = {"event in their venue", "event moved there", "lesson of theirs", "version of theirs"}
BODIES = {
    "venue_body": lambda thing: _event_body(thing),
    "venue_change": lambda thing: {"venue_id": thing},
    "lesson_body": lambda thing: _course_body(thing),
}


async def _theirs(client) -> dict[str, str]:
    """An id of each kind of thing that belongs to institution B."""
    engine = client.app[keys.DB_ENGINE]
    job = await jobs_repo.add(engine, "scene", THEIRS)
    collection_job = CollectionJob(id="col_theirs", institution_id=THEIRS, venue_id="x")
    client.app[keys.COLLECTION_JOBS].jobs[collection_job.id] = collection_job
    if await tours_repo.get(engine, THEIR_TOUR) is None:
        place = {"position": [1.71, 0.0, -1.57], "yaw": 0.0, "pitch": 0.0}
        stop = {"stop_id": "s1", "place": place, "seconds": 30, "texts": {}}
        await tours_repo.add(engine, id=THEIR_TOUR, venue_id=THEIR_VENUE, title="Theirs",
                             description="", lang="en", translations={}, stops=[stop])  # fmt: skip
    return {
        "institution": THEIRS,
        "event": THEIR_EVENT,
        "course": THEIR_COURSE,
        "venue": THEIR_VENUE,
        "job": job["id"],
        "collection_job": collection_job.id,
        "tour": THEIR_TOUR,
    }


async def _ask(client, method: str, path: str, body, thing: str, headers: dict):
    if isinstance(body, str):
        body = BODIES[body](thing)
    kwargs: dict = {"headers": headers}
    if isinstance(body, bytes):
        kwargs["data"] = body
    elif body is not None:
        kwargs["json"] = body
    response = await client.request(method, path.replace("{id}", thing), **kwargs)
    text = (await response.text()).replace(thing, "{id}")
    return response.status, json.loads(text)


@pytest.mark.parametrize(
    ("name", "method", "path", "body", "kind"), ROUTES, ids=[r[0] for r in ROUTES]
)
async def test_another_institutions_thing_is_answered_as_an_unknown_one(
    client, name, method, path, body, kind
):
    engine = client.app[keys.DB_ENGINE]
    theirs = (await _theirs(client))[kind]
    event_before = await (await client.get(f"/api/events/{THEIR_EVENT}")).json()
    for role, lang in (("editor", "en"), ("editor", "ru"), ("host", "en")):
        _, secret = await tokens_repo.create(engine, role=role, institution_id=OURS)
        headers = {"Authorization": f"Bearer {secret}", "Accept-Language": lang}
        cross = await _ask(client, method, path, body, theirs, headers)
        unknown = await _ask(client, method, path, body, UNKNOWN, headers)
        assert cross == unknown, (name, role, lang)
        status, answer = cross
        if role == "host" and name in OWN_WRITES:  # an editor's write to one's own: role first
            assert status == 403 and answer["error"]["code"] == "forbidden", (name, answer)
        else:
            assert status == 404 and answer["error"]["code"] == "not_found", (name, answer)
    # nothing of theirs changed: the event, the course and the host link stand
    assert await (await client.get(f"/api/events/{THEIR_EVENT}")).json() == event_before
    course = await (await client.get(f"/api/courses/{THEIR_COURSE}")).json()
    assert course["lesson_count"] == 3
    tour = await (await client.get(f"/api/tours/{THEIR_TOUR}")).json()
    assert tour["title"] == "Theirs" and tour["stop_count"] == 1


async def test_a_host_of_the_institution_is_still_refused_an_editors_write_with_403(client):
    """The role refusal on one's own (public) things keeps its 403."""
    engine = client.app[keys.DB_ENGINE]
    _, secret = await tokens_repo.create(engine, role="host", institution_id=THEIRS)
    headers = {"Authorization": f"Bearer {secret}"}
    for method, path, body in (
        ("PATCH", f"/api/events/{THEIR_EVENT}", {"kind": "qa"}),
        ("DELETE", f"/api/courses/{THEIR_COURSE}", None),
        ("GET", f"/api/venues/{THEIR_VENUE}/versions", None),
    ):
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status == 403, path
        assert (await response.json())["error"]["code"] == "forbidden"
    answer = await client.get(f"/api/events/{THEIR_EVENT}/attendance", headers=headers)
    assert answer.status == 200  # a host of the institution reads its events' attendance
