"""The programme as iCalendar feeds (server/calendar/feed.py, server/api/calendars.py),
parsed back with the icalendar package: every field, stable UIDs, the city's zone,
a moved event updating, text kept as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pydantic import ValidationError

from server import keys
from server.settings import Settings
from server.storage import events as events_repo

ZONE = ZoneInfo("Europe/Moscow")


async def _feed(client, path: str) -> tuple[Calendar, bytes]:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/calendar" and response.charset == "utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    body = await response.read()
    return Calendar.from_ical(body), body


def _vevents(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]).removesuffix("@zal"): e for e in cal.walk("VEVENT")}


async def test_the_city_feed_carries_every_recent_event_with_every_field(client):
    cal, _ = await _feed(client, "/api/calendar.ics?lang=en")
    listed = (await (await client.get("/api/events?lang=en")).json())["events"]
    now = datetime.now(UTC)
    recent = {e["id"]: e for e in listed
              if datetime.fromisoformat(e["ends_at"]) > now - timedelta(days=30)}  # fmt: skip
    assert recent, "the demo has events"
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//Zal//")
    assert str(cal["X-WR-CALNAME"]) == "Zal: the city's programme"
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Moscow"]
    found = _vevents(cal)
    assert set(found) == set(recent)
    for event_id, event in recent.items():
        vevent = found[event_id]
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        assert str(vevent["DTSTART"].params["TZID"]) == "Europe/Moscow"
        assert start == datetime.fromisoformat(event["starts_at"])
        assert end == datetime.fromisoformat(event["ends_at"])
        assert start.utcoffset() == ZONE.utcoffset(start.replace(tzinfo=None))
        assert str(vevent["SUMMARY"]) == event["title"]
        assert str(vevent["LOCATION"]) == f"{event['venue_name']}, {event['institution']['name']}"
        assert str(vevent["URL"]).endswith(f"/venue/{event['venue_id']}?event={event_id}")
        assert [str(c) for c in vevent["CATEGORIES"].cats] == [event["kind"]]
        assert vevent.decoded("SEQUENCE") == 0
        assert vevent.decoded("DTSTAMP").tzinfo is not None
        assert vevent.decoded("LAST-MODIFIED") <= datetime.now(UTC)
        assert str(vevent["STATUS"]) == "CONFIRMED"


async def test_institution_and_venue_feeds_hold_only_their_events_in_the_asked_language(client):
    listed = (await (await client.get("/api/events?lang=tt")).json())["events"]
    event = listed[0]
    institution, venue = event["institution"], event["venue_id"]
    cal, _ = await _feed(client, f"/api/institutions/{institution['id']}/calendar.ics?lang=tt")
    ours = {e["id"] for e in listed if e["institution"]["id"] == institution["id"]}
    assert set(_vevents(cal)) <= ours and event["id"] in _vevents(cal)
    assert str(cal["X-WR-CALNAME"]) == institution["name"]
    assert str(_vevents(cal)[event["id"]]["SUMMARY"]) == event["title"]  # the Tatar title
    cal, _ = await _feed(client, f"/api/venues/{venue}/calendar.ics")
    assert set(_vevents(cal)) == {e["id"] for e in listed if e["venue_id"] == venue}
    for path in ("/api/institutions/nope/calendar.ics", "/api/venues/nope/calendar.ics"):
        response = await client.get(path)
        assert response.status == 404 and (await response.json())["error"]["code"] == "not_found"


async def test_a_moved_event_keeps_its_uid_and_says_it_moved(client):
    engine = client.app[keys.DB_ENGINE]
    listed = (await (await client.get("/api/events?when=upcoming")).json())["events"]
    event_id = listed[0]["id"]
    before = _vevents((await _feed(client, "/api/calendar.ics"))[0])[event_id]
    # a new title: the same event, edited, not moved
    await events_repo.update(engine, event_id, title="Renamed")
    edited = _vevents((await _feed(client, "/api/calendar.ics?lang=en"))[0])[event_id]
    assert edited.decoded("SEQUENCE") == 0
    assert edited.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    # two hours later: the same UID, SEQUENCE up, the new time
    start = before.decoded("DTSTART") + timedelta(hours=2)
    end = before.decoded("DTEND") + timedelta(hours=2)
    await events_repo.update(engine, event_id, starts_at=start.astimezone(UTC),
                             ends_at=end.astimezone(UTC))  # fmt: skip
    moved = _vevents((await _feed(client, "/api/calendar.ics"))[0])[event_id]
    assert str(moved["UID"]) == str(before["UID"]) == f"{event_id}@zal"
    assert moved.decoded("SEQUENCE") == 1
    assert moved.decoded("DTSTART") == start and moved.decoded("DTEND") == end
    # setting the same time again is no move
    await events_repo.update(engine, event_id, starts_at=start.astimezone(UTC))
    again = _vevents((await _feed(client, "/api/calendar.ics"))[0])[event_id]
    assert again.decoded("SEQUENCE") == 1


async def test_html_and_separators_in_titles_stay_text(client):
    engine = client.app[keys.DB_ENGINE]
    event_id = (await (await client.get("/api/events")).json())["events"][0]["id"]
    title = '<script>alert("x")</script>, tram depot; Q&A\nsecond line'
    await events_repo.update(engine, event_id, title=title, lang="en", translations={})
    cal, body = await _feed(client, "/api/calendar.ics?lang=en")
    assert str(_vevents(cal)[event_id]["SUMMARY"]) == title
    text = body.decode()
    assert "</script>\\, tram depot\\; Q&A\\nsecond line" in text.replace("\r\n ", "")


async def test_an_event_feed_holds_that_one_event_past_or_not(client):
    listed = (await (await client.get("/api/events?when=past&lang=ru")).json())["events"]
    event = listed[-1]  # the oldest past one: still in its own feed
    cal, _ = await _feed(client, f"/api/events/{event['id']}/calendar.ics?lang=ru")
    assert str(cal["X-WR-CALNAME"]) == event["title"]
    found = _vevents(cal)
    assert list(found) == [event["id"]]
    assert str(found[event["id"]]["SUMMARY"]) == event["title"]
    assert found[event["id"]].decoded("DTSTART") == datetime.fromisoformat(event["starts_at"])
    missing = await client.get("/api/events/nope/calendar.ics")
    assert missing.status == 404 and (await missing.json())["error"]["code"] == "not_found"


def test_an_unknown_time_zone_is_refused_at_start():
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings(timezone="Mars/Olympus")
    assert Settings(timezone="Asia/Yekaterinburg").timezone == "Asia/Yekaterinburg"
