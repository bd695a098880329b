"""One iCalendar feed (RFC 5545) from a list of events: what a calendar app
subscribes to for the whole city, an institution or a venue.

- ``UID`` is the event's id (``<id>@zal``): the same event in every feed and every
  fetch, so an app updates its copy instead of adding another;
- ``SEQUENCE`` counts the moves of the event (storage/events.py raises it when the
  time or the venue changes) and ``LAST-MODIFIED`` says when it was last edited:
  together they make an app move its copy when an event moves;
- times are given in the city's zone (``DTSTART;TZID=Europe/Moscow``), with the
  zone itself in a ``VTIMEZONE``, so an app anywhere shows the right moment;
- text is text: icalendar escapes commas, semicolons and line breaks, and a title
  with HTML in it stays those characters.

Pure: events in, bytes out (no request, no database).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//Zal//Zal programme//EN"
UID_DOMAIN = "zal"


def event_uid(event_id: str) -> str:
    return f"{event_id}@{UID_DOMAIN}"


def build_feed(
    events: Iterable[dict[str, Any]],
    *,
    name: str,
    timezone: str,
    base_url: str,
    now: datetime,
) -> bytes:
    """``events``: dicts with ``id``, ``title``, ``description``, ``kind``,
    ``starts_at``, ``ends_at`` (aware), ``venue_id``, ``location``, ``sequence``,
    ``updated_at`` (aware or None); texts already in the feed's language."""
    zone = ZoneInfo(timezone)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)  # the name apps show for a subscription
    cal.add("x-wr-timezone", timezone)
    for row in events:
        cal.add_component(_vevent(row, zone, base_url, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def _vevent(row: dict[str, Any], zone: ZoneInfo, base_url: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(row["id"]))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", row["starts_at"].astimezone(zone))
    event.add("dtend", row["ends_at"].astimezone(zone))
    event.add("summary", row["title"])
    if row.get("description"):
        event.add("description", row["description"])
    event.add("location", row["location"])
    event.add("categories", [row["kind"]])
    url = f"{base_url.rstrip('/')}/venue/{row['venue_id']}?event={row['id']}"
    event.add("url", url)
    event.add("sequence", int(row.get("sequence") or 0))
    if row.get("updated_at") is not None:
        event.add("last-modified", row["updated_at"].astimezone(UTC))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event
