"""The portal's API: sign-in sessions (cookie flags, CSRF) and the programme's
writes checked against the institution that owns the event (server/api/session.py,
server/api/programme.py)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from server import keys
from server.storage import events as events_repo
from server.storage import tokens as tokens_repo

PHIL, THEATRE = "city-philharmonic", "city-drama-theatre"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


async def token(client, role="editor", institution=PHIL) -> str:
    engine = client.app[keys.DB_ENGINE]
    return (await tokens_repo.create(engine, role=role, institution_id=institution))[1]


async def venue_of(client, institution: str) -> str:
    venues = (await (await client.get("/api/venues")).json())["venues"]
    return next(v["id"] for v in venues if v["institution"]["id"] == institution)


def new_event(venue: str, **changes) -> dict:
    start = datetime.now(UTC) + timedelta(days=3)
    body = {
        "venue_id": venue,
        "kind": "concert",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "lang": "ru",
        "title": {"ru": "Вечер Шостаковича", "en": "A Shostakovich evening"},
        "description": {"ru": "Квартеты <b>8</b> и 15"},
    }
    return {**body, **changes}


async def sign_in(client, secret: str):
    return await client.post("/api/session", json={"token": secret}, headers=SAME_SITE)


async def test_sign_in_sets_a_strict_http_only_cookie_stored_hashed(client):
    secret = await token(client)
    response = await sign_in(client, secret)
    assert response.status == 200
    assert (await response.json())["principal"]["institution_id"] == PHIL
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on loopback; https sets it
    session_id = response.cookies["zal_session"].value
    async with client.app[keys.DB_ENGINE].connect() as conn:
        stored = [tuple(r) for r in await conn.execute(text("SELECT * FROM sessions"))]
    assert len(stored) == 1 and session_id not in repr(stored)
    me = await (await client.get("/api/session")).json()
    assert me["principal"]["role"] == "editor"

    assert (await client.delete("/api/session", headers=SAME_SITE)).status == 204
    assert (await (await client.get("/api/session")).json())["principal"] is None
    venue = await venue_of(client, PHIL)
    refused = await client.post(f"/api/institutions/{PHIL}/events", json=new_event(venue))
    assert refused.status == 401


async def test_sign_in_with_a_wrong_token_is_401_and_sets_no_cookie(client):
    response = await sign_in(client, "zal_not-a-token")
    assert response.status == 401 and "Set-Cookie" not in response.headers
    assert (await client.post("/api/session", data="token=x")).status == 415
    assert (await client.post("/api/session", json={"token": "x", "role": "admin"})).status == 400


async def test_cookie_write_from_another_site_is_refused(client):
    await sign_in(client, await token(client))
    venue = await venue_of(client, PHIL)
    path = f"/api/institutions/{PHIL}/events"
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {},  # no browser header at all: use a bearer token instead
    ):
        response = await client.post(path, json=new_event(venue), headers=headers)
        assert response.status == 403, headers
        assert (await response.json())["error"]["code"] == "cross_site"
    origin = f"http://{client.server.host}:{client.server.port}"
    response = await client.post(path, json=new_event(venue), headers={"Origin": origin})
    assert response.status == 201


async def test_revoking_the_token_ends_its_sessions(client):
    secret = await token(client)
    await sign_in(client, secret)
    engine = client.app[keys.DB_ENGINE]
    (row,) = await tokens_repo.list_tokens(engine, PHIL)
    await tokens_repo.revoke(engine, row["id"])
    venue = await venue_of(client, PHIL)
    response = await client.post(
        f"/api/institutions/{PHIL}/events", json=new_event(venue), headers=SAME_SITE
    )
    assert response.status == 401


async def test_editor_creates_and_edits_an_event_with_a_host_link(client):
    auth = {"Authorization": f"Bearer {await token(client)}"}
    venue = await venue_of(client, PHIL)
    response = await client.post(
        f"/api/institutions/{PHIL}/events", json=new_event(venue), headers=auth
    )
    assert response.status == 201
    body = await response.json()
    event = body["event"]
    assert event["title"] == "Вечер Шостаковича" and event["title_lang"] == "ru"
    assert event["description"] == "Квартеты <b>8</b> и 15"  # text, kept as sent
    assert event["translations"]["en"]["title"] == "A Shostakovich evening"
    assert event["institution"]["id"] == PHIL and event["status"] == "upcoming"
    host_url = body["host_url"]
    assert host_url.startswith(f"/host/{event['id']}#host=")
    host_token = host_url.split("#host=")[1]

    listed = await (await client.get("/api/events?when=upcoming&lang=en")).json()
    assert any(
        e["id"] == event["id"] and e["title"] == "A Shostakovich evening" for e in listed["events"]
    )
    engine = client.app[keys.DB_ENGINE]
    async with engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT * FROM events WHERE id = :id"), {"id": event["id"]})
        ).first()
    assert host_token not in repr(tuple(row))

    change = {"title": {"tt": "Шостакович кичәсе"}, "kind": "lecture"}
    edited = await client.patch(f"/api/events/{event['id']}", json=change, headers=auth)
    assert edited.status == 200
    edited_event = (await edited.json())["event"]
    assert edited_event["kind"] == "lecture"
    assert edited_event["translations"]["tt"]["title"] == "Шостакович кичәсе"
    assert edited_event["title"] == "Вечер Шостаковича"

    relinked = await client.post(f"/api/events/{event['id']}/host-link", headers=auth)
    assert relinked.status == 200
    # the host console's token is the event's host token: the old one stops working
    media = f"/api/events/{event['id']}/media?kind=recording"
    assert (
        await client.post(media, data=b"", headers={"Authorization": f"Bearer {host_token}"})
    ).status == 403


async def test_editor_of_one_institution_cannot_write_to_another(client):
    # another institution's things are answered as unknown ones (404, no existence leak)
    auth = {"Authorization": f"Bearer {await token(client, institution=PHIL)}"}
    theirs = await venue_of(client, THEATRE)
    response = await client.post(
        f"/api/institutions/{THEATRE}/events", json=new_event(theirs), headers=auth
    )
    assert response.status == 404
    # nor into another institution's venue from one's own institution
    response = await client.post(
        f"/api/institutions/{PHIL}/events", json=new_event(theirs), headers=auth
    )
    assert response.status == 404
    events = (await (await client.get("/api/events")).json())["events"]
    their_event = next(e for e in events if e["institution"]["id"] == THEATRE)
    response = await client.patch(
        f"/api/events/{their_event['id']}", json={"kind": "qa"}, headers=auth
    )
    assert response.status == 404
    response = await client.post(f"/api/events/{their_event['id']}/host-link", headers=auth)
    assert response.status == 404
    after = await (await client.get(f"/api/events/{their_event['id']}")).json()
    assert after == their_event


async def test_host_role_cannot_edit_the_programme_but_gets_host_links(client):
    auth = {"Authorization": f"Bearer {await token(client, role='host')}"}
    venue = await venue_of(client, PHIL)
    response = await client.post(
        f"/api/institutions/{PHIL}/events", json=new_event(venue), headers=auth
    )
    assert response.status == 403
    own = await (await client.get(f"/api/institutions/{PHIL}", headers=auth)).json()
    assert own["id"] == PHIL and own["venues"]
    assert all(v["builtin"] for v in own["venues"])  # the demo's venues are built-in
    theirs = await client.get(f"/api/institutions/{THEATRE}", headers=auth)
    assert theirs.status == 404
    events = (await (await client.get("/api/events")).json())["events"]
    ours = next(e for e in events if e["institution"]["id"] == PHIL)
    assert (
        await client.patch(f"/api/events/{ours['id']}", json={"kind": "qa"}, headers=auth)
    ).status == 403
    # a host gets into the host console of the institution's events with a new host link
    relinked = await client.post(f"/api/events/{ours['id']}/host-link", headers=auth)
    assert relinked.status == 200
    host_token = (await relinked.json())["host_url"].split("#host=")[1]
    engine = client.app[keys.DB_ENGINE]
    assert await events_repo.verify_host_token(engine, ours["id"], host_token)
    theirs_event = next(e for e in events if e["institution"]["id"] == THEATRE)
    assert (
        await client.post(f"/api/events/{theirs_event['id']}/host-link", headers=auth)
    ).status == 404


BAD_EVENTS = [
    {"title": {"en": "only English"}},  # no title in the event's language (ru)
    {"ends_at": "2020-01-01T00:00:00+00:00"},
    {"starts_at": "2030-01-01T19:00:00"},  # no time zone
    {"kind": "rave"},
    {"venue_id": "nowhere"},
    {"title": {"ru": "x" * 201}},
    {"owner": "me"},
]


async def test_bad_event_input_is_4xx_and_changes_nothing(client):
    auth = {"Authorization": f"Bearer {await token(client)}"}
    venue = await venue_of(client, PHIL)
    before = await (await client.get("/api/events")).json()
    path = f"/api/institutions/{PHIL}/events"
    for changes in BAD_EVENTS:
        response = await client.post(path, json=new_event(venue, **changes), headers=auth)
        assert response.status in (400, 404), changes
        assert "error" in await response.json()
    for body in (b"{", b"[]", b'{"title": null}'):
        headers = {**auth, "Content-Type": "application/json"}
        assert (await client.post(path, data=body, headers=headers)).status == 400, body
    assert (await client.post(path, data=b"x" * 70_000, headers=headers)).status == 413
    assert await (await client.get("/api/events")).json() == before


async def test_admin_lists_every_institution_and_writes_anywhere(client):
    auth = {"Authorization": f"Bearer {await token(client, role='admin', institution=None)}"}
    listed = await (await client.get("/api/institutions", headers=auth)).json()
    assert {PHIL, THEATRE} <= {i["id"] for i in listed["institutions"]}
    venue = await venue_of(client, THEATRE)
    response = await client.post(
        f"/api/institutions/{THEATRE}/events", json=new_event(venue), headers=auth
    )
    assert response.status == 201
