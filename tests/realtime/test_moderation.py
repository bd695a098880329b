"""Host actions: checked on the server for every action, recorded, and refused to others."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio
import socketio

from server.realtime import store

from .conftest import live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    # stepped: limits and slow mode see the test's clock, so retry_after is exact
    async with live_server(tmp_path_factory.mktemp("moderation"), stepped=True) as server:
        yield server


async def _room(live, clients):
    """An event with a host, Anna and Bob, all joined."""
    event_id = await live.make_event()
    host = await clients("Host", token=live.token)
    h = await host.call("join", {"event_id": event_id})
    assert h["member"]["host"] is True
    anna, bob = await clients("Anna"), await clients("Bob")
    a = await anna.call("join", {"event_id": event_id})
    b = await bob.call("join", {"event_id": event_id})
    return event_id, host, anna, bob, a["member"]["id"], b["member"]["id"]


async def _actions(live, event_id):
    return [
        (r["action"], r["target"]) for r in await store.actions(live.engine, f"event:{event_id}")
    ]


async def test_host_can_delete_message(live, clients):
    event_id, host, anna, bob, anna_id, _ = await _room(live, clients)
    sent = await anna.call("chat", {"text": "something rude"})
    assert (await host.call("delete_message", {"message_id": sent["id"]})) == {"ok": True}
    for c in (host, anna, bob):
        (deleted,) = await c.wait_for("chat_deleted")
        assert deleted == {"id": sent["id"]}
    assert await store.history(live.engine, f"event:{event_id}") == []
    late = await clients("Late")
    assert (await late.call("join", {"event_id": event_id}))["chat"]["history"] == []
    assert await _actions(live, event_id) == [("delete_message", str(sent["id"]))]
    again = await host.call("delete_message", {"message_id": sent["id"]})
    assert again["error"]["code"] == "not_found"


async def test_host_cannot_delete_a_message_of_another_event(live, clients):
    _, host, _, _, _, _ = await _room(live, clients)
    other_event, _, other_anna, _, _, _ = await _room(live, clients)
    sent = await other_anna.call("chat", {"text": "elsewhere"})
    # same token in both events here, but a host acts only in the event it joined
    ack = await host.call("delete_message", {"message_id": sent["id"]})
    assert ack["error"]["code"] == "not_found"
    assert len(await store.history(live.engine, f"event:{other_event}")) == 1


async def test_audience_member_cannot_moderate_and_nothing_changes(live, clients):
    event_id, host, anna, bob, anna_id, bob_id = await _room(live, clients)
    sent = await bob.call("chat", {"text": "keep me"})
    attempts = [
        ("delete_message", {"message_id": sent["id"]}),
        ("mute", {"member_id": bob_id}),
        ("unmute", {"member_id": bob_id}),
        ("remove", {"member_id": bob_id}),
        ("slow_mode", {"seconds": 30}),
        ("close_chat", {}),
        ("open_chat", {}),
    ]
    for event, payload in attempts:
        ack = await anna.call(event, payload)
        assert ack["error"]["code"] == "forbidden", event
    # claiming the role in the payload is refused too, and changes nothing
    claim = await anna.call("close_chat", {"host": True})
    assert claim["error"]["code"] in ("forbidden", "invalid_payload")
    audience = live.state.audiences[f"event:{event_id}"]
    assert (audience.closed, audience.slow_mode, audience.muted, audience.banned) == (
        False,
        0,
        set(),
        set(),
    )
    assert [m["text"] for m in await store.history(live.engine, f"event:{event_id}")] == ["keep me"]
    assert bob_id in live.state.members and live.state.members[bob_id].sid is not None
    assert await _actions(live, event_id) == []
    assert (await bob.call("chat", {"text": "still here"}))["ok"]


async def test_host_of_another_event_is_forbidden(live, clients):
    event_id, _, anna, _, anna_id, _ = await _room(live, clients)
    other = await live.make_event(token="other-token-1234")
    other_host = await clients("Other host", token="other-token-1234")
    assert (await other_host.call("join", {"event_id": other}))["member"]["host"]
    assert (await other_host.call("leave"))["ok"]
    # joins this event with its token: not a host here
    joined = await other_host.call("join", {"event_id": event_id})
    assert joined["member"]["host"] is False
    ack = await other_host.call("mute", {"member_id": anna_id})
    assert ack["error"]["code"] == "forbidden"
    assert live.state.audiences[f"event:{event_id}"].muted == set()


async def test_muted_member_messages_are_neither_stored_nor_broadcast(live, clients):
    event_id, host, anna, bob, anna_id, _ = await _room(live, clients)
    assert (await host.call("mute", {"member_id": anna_id}))["ok"]
    (note,) = await anna.wait_for("moderated")
    assert note == {"action": "muted"}
    ack = await anna.call("chat", {"text": "can anyone hear me"})
    assert ack["error"]["code"] == "muted"
    await bob.call("chat", {"text": "bob speaks"})
    await anna.wait_for("chat_message")  # bob's message arrives; anna's never did
    assert [m["text"] for m in bob.events["chat_message"]] == ["bob speaks"]
    assert [m["text"] for m in await store.history(live.engine, f"event:{event_id}")] == [
        "bob speaks"
    ]
    assert (await host.call("unmute", {"member_id": anna_id}))["ok"]
    assert (await anna.call("chat", {"text": "back"}))["ok"]
    assert await _actions(live, event_id) == [("mute", anna_id), ("unmute", anna_id)]


async def test_host_can_remove_member_and_rejoin_is_refused(live, clients):
    event_id, host, anna, bob, anna_id, _ = await _room(live, clients)
    resume = live.state.members[anna_id].resume
    assert (await host.call("remove", {"member_id": anna_id}))["ok"]
    (note,) = await anna.wait_for("moderated")
    assert note == {"action": "removed"}
    (left,) = await bob.wait_for("member_left")
    assert left["id"] == anna_id
    for _ in range(50):
        if not anna.sio.connected:
            break
        await asyncio.sleep(0.05)
    assert not anna.sio.connected
    assert anna_id not in live.state.members
    assert anna_id in live.state.audiences[f"event:{event_id}"].banned
    # the removed member's resume token no longer works
    back = await clients("Anna again", connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await back.connect(resume=resume)
    assert back.connect_error["data"]["code"] == "resume_failed"
    assert await _actions(live, event_id) == [("remove", anna_id)]
    assert (await host.call("remove", {"member_id": anna_id}))["error"]["code"] == "not_found"


async def test_host_cannot_remove_themself(live, clients):
    _, host, _, _, _, _ = await _room(live, clients)
    me = next(m for m in live.state.members.values() if m.sid == host.sio.get_sid("/live"))
    assert (await host.call("remove", {"member_id": me.id}))["error"]["code"] == "invalid_payload"


async def test_slow_mode_limits_each_member_and_spares_the_host(live, clients):
    event_id, host, anna, bob, _, _ = await _room(live, clients)
    assert (await host.call("slow_mode", {"seconds": 5}))["ok"]
    for c in (anna, bob):
        (state,) = await c.wait_for("chat_state")
        assert state == {"slow_mode": 5, "closed": False}
    assert (await anna.call("chat", {"text": "first"}))["ok"]
    ack = await anna.call("chat", {"text": "second"})
    assert ack["error"]["code"] == "slow_mode"
    assert ack["error"]["retry_after"] == 5
    live.clock.advance(4.5)
    ack = await anna.call("chat", {"text": "second, still"})
    assert (ack["error"]["code"], ack["error"]["retry_after"]) == ("slow_mode", 0.5)
    live.clock.advance(0.5)
    assert (await anna.call("chat", {"text": "second, at last"}))["ok"]
    assert (await bob.call("chat", {"text": "bob's first"}))["ok"]
    assert (await host.call("chat", {"text": "host 1"}))["ok"]
    assert (await host.call("chat", {"text": "host 2"}))["ok"]
    assert (await host.call("slow_mode", {"seconds": 0}))["ok"]
    assert (await anna.call("chat", {"text": "second, now"}))["ok"]
    for bad in (-1, 601, 2.5, "10", True):
        assert (await host.call("slow_mode", {"seconds": bad}))["error"][
            "code"
        ] == "invalid_payload"
    assert await _actions(live, event_id) == [("slow_mode", None), ("slow_mode", None)]


async def test_closed_chat_refuses_messages_until_reopened(live, clients):
    event_id, host, anna, _, _, _ = await _room(live, clients)
    assert (await host.call("close_chat"))["ok"]
    (state,) = await anna.wait_for("chat_state")
    assert state == {"slow_mode": 0, "closed": True}
    assert (await anna.call("chat", {"text": "hello"}))["error"]["code"] == "chat_closed"
    late = await clients("Late")
    assert (await late.call("join", {"event_id": event_id}))["chat"]["closed"] is True
    assert (await host.call("open_chat"))["ok"]
    assert (await anna.call("chat", {"text": "hello"}))["ok"]
    assert await _actions(live, event_id) == [("close_chat", None), ("open_chat", None)]


async def test_host_actions_validate_their_payloads(live, clients):
    _, host, _, _, _, _ = await _room(live, clients)
    for event, payload in [
        ("delete_message", {"message_id": "1"}),
        ("delete_message", {"message_id": 0}),
        ("mute", {"member_id": 5}),
        ("mute", {"member_id": "x" * 65}),
        ("close_chat", {"now": True}),
        ("remove", {}),
    ]:
        assert (await host.call(event, payload))["error"]["code"] == "invalid_payload", event
    assert (await host.call("mute", {"member_id": "m_nobody"}))["error"]["code"] == "not_found"
