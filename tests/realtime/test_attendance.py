"""Attendance without tracking people: peak audience, unique visitors by a hash
with a day's salt (nothing stored leads back to an address or browser), chat and
question counts; for the event's hosts only."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import text

from server import keys
from server.realtime.attendance import Attendance

from .conftest import Client, live_server, until

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(tmp_path_factory.mktemp("attendance"), instance_capacity=2) as server:
        yield server


async def _browser(live, made: list, name: str, agent: str, **auth: str) -> Client:
    """A real client whose connection says it is ``agent`` (a browser's User-Agent);
    ``auth``: more of the connect auth (the host console puts its token there)."""
    client = Client(live.url, name)
    made.append(client)
    await client.sio.connect(
        live.url, namespaces=["/live"], transports=["websocket"], auth={"name": name, **auth},
        headers={"User-Agent": agent}, wait_timeout=5,
    )  # fmt: skip
    return client


async def _get(live, path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.get(live.url + path, headers=headers) as r:
        return r.status, await r.json()


async def test_peak_and_unique_visitors_are_counted_without_identities(live):
    made: list[Client] = []
    try:
        event_id = await live.make_event()
        host = await _browser(live, made, "Host", "Firefox/140 host")
        assert (await host.call("join", {"event_id": event_id, "token": live.token}))["ok"]
        assert (await host.call("qa_settings", {"enabled": True}))["ok"]
        people = [await _browser(live, made, n, f"Chromium/143 {n}") for n in ("A", "B", "C")]
        for p in people:
            assert (await p.call("join", {"event_id": event_id}))["ok"]
        await people[0].call("chat", {"text": "Bravo!"})
        await people[1].call("chat", {"text": "Encore"})
        asked = await people[2].call("qa_ask", {"text": "Which encore was that?"})
        await host.call("qa_answer", {"question_id": asked["question"]["id"], "answer": "Bach"})
        await people[2].call("qa_ask", {"text": "And next season?"})
        # A leaves and comes back: the same visitor, and fewer at once than before
        await people[0].call("leave", {})
        await people[0].call("join", {"event_id": event_id})

        status, body = await _get(live, f"/api/events/{event_id}/attendance", live.token)
        assert status == 200
        assert body["peak_concurrent"] == 4 and body["peak_at"].endswith("Z")
        assert body["unique_visitors"] == 4  # host + A, B, C; A's return is no new one
        assert body["chat_messages"] == 2
        assert (body["questions"], body["questions_answered"]) == (2, 1)

        async with live.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT visitor FROM event_visitors WHERE event_id = :e"), {"e": event_id}
                )
            ).all()
        stored = " ".join(r[0] for r in rows)
        assert "127.0.0.1" not in stored and "Chromium" not in stored
        # and not a hash anyone could recompute from an address and a browser
        plain = hashlib.sha256(f"{event_id}\x00127.0.0.1\x00Chromium/143 A".encode()).hexdigest()
        assert plain not in stored
    finally:
        for client in made:
            await client.close()


async def test_the_salt_changes_with_the_day(live):
    day = [date(2026, 12, 2)]
    counter = Attendance(live.engine, today=lambda: day[0])
    first = counter.visitor("ev", "10.0.0.7", "Firefox")
    assert counter.visitor("ev", "10.0.0.7", "Firefox") == first  # the same day: the same
    assert counter.visitor("ev", "10.0.0.8", "Firefox") != first
    day[0] = date(2026, 12, 3)
    assert counter.visitor("ev", "10.0.0.7", "Firefox") != first  # a new day: unlinkable


async def test_only_the_events_hosts_see_it(live):
    event_id = await live.make_event()
    assert (await _get(live, f"/api/events/{event_id}/attendance"))[0] == 401
    assert (await _get(live, f"/api/events/{event_id}/attendance", "wrong-token"))[0] == 401
    other = await live.make_event(token="another-events-host-token")
    status, _ = await _get(live, f"/api/events/{other}/attendance", live.token)
    assert status == 401
    status, body = await _get(live, "/api/events/no-such-event/attendance", live.token)
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = await _get(live, f"/api/events/{event_id}/attendance", live.token)
    assert status == 200 and body["unique_visitors"] == 0 and body["peak_concurrent"] == 0


async def test_joins_after_the_end_leave_the_final_figures_alone(live):
    """A host opening the console after the event (another browser, or a reload while
    the old connection lingers) must not change the figures it reads."""
    event_id = await live.make_event()  # on from five minutes ago for an hour
    clock = [datetime.now(UTC)]
    counter = Attendance(live.engine, now=lambda: clock[0])
    hall = SimpleNamespace(event_id=event_id, instances={})
    await counter.joined(hall, "10.0.0.7", "Firefox")  # type: ignore[arg-type]
    status, body = await _get(live, f"/api/events/{event_id}/attendance", live.token)
    assert status == 200 and body["unique_visitors"] == 1
    clock[0] += timedelta(hours=2)  # the event is over
    await counter.joined(hall, "10.0.0.8", "Chromium")  # type: ignore[arg-type]
    status, body = await _get(live, f"/api/events/{event_id}/attendance", live.token)
    assert status == 200 and body["unique_visitors"] == 1


GRACE = 30.0


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def stepped(tmp_path_factory):
    """A server on the test's clock: a grace period lasts until the test moves it."""
    async with live_server(
        tmp_path_factory.mktemp("attendance-stepped"), stepped=True, resume_grace_s=GRACE
    ) as server:
        yield server


async def _figures(live, event_id: str) -> dict:
    """The figures once every join's count (done after its ack) has been written."""
    namespace = live.app[keys.SIO].namespace_handlers["/live"]
    await until(lambda: not namespace._tasks, what="the joins counted")
    status, body = await _get(live, f"/api/events/{event_id}/attendance", live.token)
    assert status == 200
    return body


async def test_a_reload_in_the_grace_period_is_not_a_second_person_at_the_peak(stepped):
    live, made = stepped, []
    try:
        event_id = await live.make_event()
        host = await _browser(live, made, "Host", "Firefox/140 console", token=live.token)
        joined = await host.call("join", {"event_id": event_id})
        assert joined["ok"] and joined["member"]["host"]
        anna = await _browser(live, made, "Anna", "Chromium/143 Anna")
        anna_joined = await anna.call("join", {"event_id": event_id})
        assert anna_joined["ok"]
        assert (await _figures(live, event_id))["peak_concurrent"] == 2

        # the host reloads the console: the old socket closes (its member keeps its
        # place for the grace period) and the new page joins as a new member
        await host.drop()
        await until(lambda: joined["member"]["id"] in live.state.detached, what="host detached")
        await live.tick(advance=GRACE / 4)
        again = await _browser(live, made, "Host", "Firefox/140 console", token=live.token)
        rejoined = await again.call("join", {"event_id": event_id})
        assert rejoined["ok"] and rejoined["member"]["id"] != joined["member"]["id"]
        assert joined["member"]["id"] in live.state.members  # still waiting out its grace
        assert (await _figures(live, event_id))["peak_concurrent"] == 2
        # Anna reloads her page (the same browser); the host moves to another one
        # (the same host token)
        await anna.drop()
        await until(lambda: anna_joined["member"]["id"] in live.state.detached, what="detached")
        anna_again = await _browser(live, made, "Anna", "Chromium/143 Anna")
        assert (await anna_again.call("join", {"event_id": event_id}))["ok"]
        await again.drop()
        await until(lambda: rejoined["member"]["id"] in live.state.detached, what="detached")
        phone = await _browser(live, made, "Host", "Chromium/143 phone", token=live.token)
        assert (await phone.call("join", {"event_id": event_id}))["member"]["host"]
        assert (await _figures(live, event_id))["peak_concurrent"] == 2

        # a newcomer meanwhile makes three people, not four
        boris = await _browser(live, made, "Boris", "Chromium/143 Boris")
        assert (await boris.call("join", {"event_id": event_id}))["ok"]
        body = await _figures(live, event_id)
        # visitors: the console's browser, the phone's, Anna's and Boris's
        assert (body["peak_concurrent"], body["unique_visitors"]) == (3, 4)

        # after the grace period the old members are gone, and one more is four
        await live.tick(advance=GRACE)
        await until(lambda: not live.state.detached, what="the grace periods over")
        vera = await _browser(live, made, "Vera", "Chromium/143 Vera")
        assert (await vera.call("join", {"event_id": event_id}))["ok"]
        assert (await _figures(live, event_id))["peak_concurrent"] == 4
    finally:
        for client in made:
            await client.close()
