from datetime import UTC, datetime

EVENT_KEYS = {
    "id",
    "title",
    "title_lang",
    "kind",
    "description",
    "description_lang",
    "venue_id",
    "venue_name",
    "venue_name_lang",
    "institution",
    "starts_at",
    "ends_at",
    "status",
    "poster_url",
}


def parse(ts: str) -> datetime:
    assert ts.endswith("Z")
    return datetime.fromisoformat(ts)


async def events(client, query: str = "") -> list[dict]:
    response = await client.get(f"/api/events{query}")
    assert response.status == 200
    return (await response.json())["events"]


async def test_programme_has_something_live_next_and_past(client):
    now = datetime.now(UTC)
    live = await events(client, "?when=live")
    upcoming = await events(client, "?when=upcoming")
    past = await events(client, "?when=past")
    assert live and upcoming and past
    for event in live:
        assert event["status"] == "live"
        assert parse(event["starts_at"]) <= now < parse(event["ends_at"])
    for event in upcoming:
        assert event["status"] == "upcoming" and parse(event["starts_at"]) > now
    for event in past:
        assert event["status"] == "past" and parse(event["ends_at"]) <= now
    starts = [parse(e["starts_at"]) for e in upcoming]
    assert starts == sorted(starts)
    ends = [parse(e["ends_at"]) for e in past]
    assert ends == sorted(ends, reverse=True)
    everything = await events(client)
    assert {e["id"] for e in everything} == {e["id"] for e in live + upcoming + past}
    assert all(set(e) == EVENT_KEYS for e in everything)


async def test_events_can_be_filtered_by_venue(client):
    everything = await events(client)
    venue_id = everything[0]["venue_id"]
    only = await events(client, f"?venue={venue_id}")
    assert only and all(e["venue_id"] == venue_id for e in only)
    assert {e["id"] for e in only} == {e["id"] for e in everything if e["venue_id"] == venue_id}


async def test_event_detail_matches_list_entry(client):
    for listed in await events(client):
        response = await client.get(f"/api/events/{listed['id']}")
        assert response.status == 200
        assert await response.json() == listed


async def test_event_poster_is_a_png(client):
    event = (await events(client))[0]
    response = await client.get(event["poster_url"])
    assert response.status == 200
    assert response.content_type == "image/png"
    assert (await response.read()).startswith(b"\x89PNG\r\n\x1a\n")


async def test_malformed_events_query_is_400(client):
    for query in [
        "?when=tomorrow",
        "?when=",
        "?when=LIVE",
        "?whenn=live",
        "?when=live&x=1",
        "?when=live&when=past",
    ]:
        response = await client.get(f"/api/events{query}")
        assert response.status == 400, query
        body = await response.json()
        assert body["error"]["code"] == "invalid_parameter"
        assert body["error"]["message"]


async def test_unknown_event_is_404_with_json_error(client):
    response = await client.get("/api/events/no-such-event")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"
