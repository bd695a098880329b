"""One venue holds one event at a time: the programme's writes refuse an overlap
with a 409 that names the other event (server/api/programme.py), in the asker's
language; back-to-back events and other venues are fine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .test_portal_api import PHIL, new_event, token, venue_of


def _at(start: datetime, hours: float = 2.0, **changes) -> dict:
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=hours)).isoformat(),
            **changes}  # fmt: skip


async def test_an_overlapping_event_is_refused_naming_the_clash(client):
    auth = {"Authorization": f"Bearer {await token(client)}"}
    venue = await venue_of(client, PHIL)
    start = (datetime.now(UTC) + timedelta(days=40)).replace(microsecond=0)
    url = f"/api/institutions/{PHIL}/events"
    first = await client.post(url, json=new_event(venue, **_at(start)), headers=auth)
    assert first.status == 201
    first_id = (await first.json())["event"]["id"]

    overlapping = new_event(venue, **_at(start + timedelta(hours=1)))
    refused = await client.post(url, json=overlapping, headers={**auth, "Accept-Language": "ru"})
    assert refused.status == 409
    error = (await refused.json())["error"]
    assert error["code"] == "event_clash"
    assert first_id in error["message"] and "Вечер Шостаковича" in error["message"]
    assert error["message"].startswith("В это время на площадке уже идёт")

    # back to back is no clash; the edit that makes them overlap is
    second = await client.post(
        url, json=new_event(venue, **_at(start + timedelta(hours=2))), headers=auth
    )
    assert second.status == 201
    second_id = (await second.json())["event"]["id"]
    moved = await client.patch(
        f"/api/events/{second_id}", json=_at(start + timedelta(minutes=30)), headers=auth
    )
    assert moved.status == 409 and first_id in (await moved.json())["error"]["message"]
    # an event does not clash with itself when it is edited
    retitled = await client.patch(
        f"/api/events/{first_id}", json={"title": {"en": "Renamed"}}, headers=auth
    )
    assert retitled.status == 200
    listed = (await (await client.get("/api/events?when=upcoming")).json())["events"]
    ours = sorted(e["starts_at"] for e in listed if e["id"] in (first_id, second_id))
    assert len(ours) == 2  # nothing of the refused writes was stored
