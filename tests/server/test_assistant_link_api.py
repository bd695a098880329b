"""The assistant host link of an event (server/api/assistants.py): made and revoked
by the event's host (its host token) or the institution's editors and hosts, stored
hashed, answered as unknown for another institution's event."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from server import keys
from server.storage import events as events_repo

from .test_portal_api import PHIL, THEATRE, new_event, token, venue_of


async def _event_with_host(client, days: int = 3) -> tuple[str, str]:
    """A new event of PHIL in ``days``: (its id, its host token)."""
    auth = {"Authorization": f"Bearer {await token(client)}"}
    venue = await venue_of(client, PHIL)
    start = datetime.now(UTC) + timedelta(days=days)
    when = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
    made = await client.post(
        f"/api/institutions/{PHIL}/events", json=new_event(venue, **when), headers=auth
    )
    assert made.status == 201
    body = await made.json()
    return body["event"]["id"], body["host_url"].split("#host=")[1]


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


async def test_the_host_makes_copies_and_revokes_the_assistant_link(client):
    event_id, host_token = await _event_with_host(client)
    path = f"/api/events/{event_id}/assistant-link"
    engine = client.app[keys.DB_ENGINE]
    state = await client.get(path, headers=_bearer(host_token))
    assert state.status == 200 and await state.json() == {"active": False}

    made = await client.post(path, headers=_bearer(host_token))
    assert made.status == 200 and made.headers["Cache-Control"] == "no-store"
    url = (await made.json())["assistant_url"]
    assert url.startswith(f"/host/{event_id}#assistant=")
    first = url.split("#assistant=")[1]
    assert await events_repo.token_role(engine, event_id, first) == "assistant"
    assert await events_repo.token_role(engine, event_id, host_token) == "host"
    async with engine.connect() as conn:
        row = await conn.execute(text("SELECT * FROM events WHERE id = :id"), {"id": event_id})
        stored = repr(tuple(row.first()))
    assert first not in stored and events_repo.hash_token(first) in stored  # kept hashed
    assert await (await client.get(path, headers=_bearer(host_token))).json() == {"active": True}

    # a new link replaces the old one
    again = await client.post(path, headers=_bearer(host_token))
    second = (await again.json())["assistant_url"].split("#assistant=")[1]
    assert second != first
    assert await events_repo.token_role(engine, event_id, first) is None
    assert await events_repo.token_role(engine, event_id, second) == "assistant"

    revoked = await client.delete(path, headers=_bearer(host_token))
    assert revoked.status == 204
    assert await events_repo.token_role(engine, event_id, second) is None
    assert await (await client.get(path, headers=_bearer(host_token))).json() == {"active": False}
    assert (await client.delete(path, headers=_bearer(host_token))).status == 204  # twice: fine


async def test_an_assistant_or_another_events_host_cannot_make_links(client):
    event_id, host_token = await _event_with_host(client)
    other_id, other_host = await _event_with_host(client, days=5)
    path = f"/api/events/{event_id}/assistant-link"
    assistant = (await (await client.post(path, headers=_bearer(host_token))).json())[
        "assistant_url"
    ].split("#assistant=")[1]
    for secret in (assistant, other_host, "not-a-token"):
        for method in ("GET", "POST", "DELETE"):
            response = await client.request(method, path, headers=_bearer(secret))
            assert response.status == 403, (secret, method)
            assert (await response.json())["error"]["code"] == "forbidden"
    # nothing changed: the assistant link still holds
    engine = client.app[keys.DB_ENGINE]
    assert await events_repo.token_role(engine, event_id, assistant) == "assistant"
    # the other event's host makes its own event's link, not this one's
    assert (await client.post(f"/api/events/{other_id}/assistant-link",
                              headers=_bearer(other_host))).status == 200  # fmt: skip
    assert (await client.post(path)).status == 401  # no credentials at all


async def test_institution_roles_are_checked(client):
    event_id, _ = await _event_with_host(client)
    path = f"/api/events/{event_id}/assistant-link"
    for role in ("editor", "host"):
        ours = _bearer(await token(client, role=role, institution=PHIL))
        made = await client.post(path, headers=ours)
        assert made.status == 200, role
        assert (await client.delete(path, headers=ours)).status == 204
    # another institution's editor: the event is unknown to it (404, like a missing one)
    theirs = _bearer(await token(client, role="editor", institution=THEATRE))
    foreign = await client.post(path, headers=theirs)
    missing = await client.post("/api/events/no-such-event/assistant-link", headers=theirs)
    assert foreign.status == missing.status == 404
    assert (await foreign.json())["error"]["code"] == "not_found"
    assert (await client.get(path, headers=theirs)).status == 404
    # unknown event, for anyone
    assert (await client.delete("/api/events/no-such-event/assistant-link")).status == 404
