"""audience_overview: the host console sees every instance of its event and who is in it."""

from __future__ import annotations

import pytest
import pytest_asyncio

from .conftest import live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(
        tmp_path_factory.mktemp("overview"), stepped=True, instance_capacity=2
    ) as server:
        yield server


async def test_the_host_sees_every_instance_and_its_members(live, clients):
    event_id = await live.make_event()
    host = await clients("Host", token=live.token)
    assert (await host.call("join", {"event_id": event_id}))["member"]["host"]
    names = ["Zoë", "anna", "Bob"]
    guests = [await clients(n) for n in names]
    ids = [(await g.call("join", {"event_id": event_id}))["member"]["id"] for g in guests]
    assert (await guests[2].call("sit", {"seat_id": "stalls/A/1"}))["seat"] == "stalls/A/1"
    assert (await host.call("mute", {"member_id": ids[0]}))["ok"]

    view = await host.call("audience_overview", {})
    assert view["ok"] and view["total"] == 4
    assert [i["count"] for i in view["instances"]] == [2, 2]  # capacity 2: two instances
    first, second = (i["members"] for i in view["instances"])
    assert [m["name"] for m in first] == ["Host", "Zoë"]  # the host first, then by name
    assert [m["name"] for m in second] == ["anna", "Bob"]
    assert first[1]["muted"] is True and first[0]["host"] is True
    assert second[1]["seat"] == "stalls/A/1"
    assert {i["capacity"] for i in view["instances"]} == {2}


async def test_a_guest_may_not_see_the_overview(live, clients):
    event_id = await live.make_event()
    guest = await clients("Guest")
    assert (await guest.call("audience_overview", {}))["error"]["code"] == "not_joined"
    await guest.call("join", {"event_id": event_id})
    answer = await guest.call("audience_overview", {})
    assert answer["error"]["code"] == "forbidden"  # as for every host action
    bad = await (await clients("Host", token=live.token)).call("audience_overview", {"x": 1})
    assert bad["error"]["code"] == "not_joined"
