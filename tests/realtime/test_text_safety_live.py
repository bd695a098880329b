"""Names and chat through real Socket.IO clients: invisible names refused, direction
controls stripped before anyone else sees the message, Tatar and emoji untouched."""

from __future__ import annotations

import pytest
import socketio

from server.realtime import store

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


async def _refused_name(live, clients, name: str) -> dict:
    c = await clients(connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await c.sio.connect(
            live.url,
            namespaces=["/live"],
            transports=["websocket"],
            auth={"name": name},
            wait_timeout=5,
        )
    return c.connect_error["data"]


async def test_a_name_of_zero_width_characters_only_is_refused(live, clients):
    for name in ("\u200b\u200b\u200b", "\u200b\u200c\u200d\u2060\ufeff", "\u3164", "\u0301\u0301"):
        error = await _refused_name(live, clients, name)
        assert error["code"] == "invalid_payload", name
        assert error["message"].startswith("payload: "), error
        assert "name contains an invisible character" in error["message"] or (
            "name has no visible characters" in error["message"]
        ), error


async def test_a_name_with_a_direction_override_is_refused(live, clients):
    error = await _refused_name(live, clients, "Admin\u202e")
    assert error["code"] == "invalid_payload"
    assert "direction control" in error["message"]


async def test_chat_with_rlo_reaches_others_neutralised(live, clients):
    event_id = await live.make_event()
    anna, bob = await clients("Anna"), await clients("Bob")
    for c in (anna, bob):
        assert (await c.call("join", {"event_id": event_id}))["ok"]
    ack = await anna.call("chat", {"text": "my photo \u202egnp.exe"})
    assert ack["ok"] is True
    (msg,) = await bob.wait_for("chat_message")
    assert msg["text"] == "my photo gnp.exe"
    assert not set(msg["text"]) & {"\u202e", "\u202c"}
    rows = await store.history(live.engine, f"event:{event_id}")
    assert [r["text"] for r in rows] == ["my photo gnp.exe"]
    only_controls = await anna.call("chat", {"text": "\u202e\u2066"})
    assert only_controls["error"]["code"] == "invalid_payload"


async def test_tatar_russian_and_emoji_pass_untouched(live, clients):
    event_id = await live.make_event()
    name = "Гөлнара Җәләлова"
    gulnara, bob = await clients(name), await clients("Bob")
    joined = await gulnara.call("join", {"event_id": event_id})
    assert joined["member"]["name"] == name
    assert (await bob.call("join", {"event_id": event_id}))["ok"]
    texts = [
        "Сәлам! Концерт бик яхшы иде: ә ө ү җ ң һ",
        "Спасибо, было чудесно!",
        "Браво 👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈 👩🏽\u200d🎤",
    ]
    for text in texts:
        assert (await gulnara.call("chat", {"text": text}))["ok"]
    got = await bob.wait_for("chat_message", count=len(texts))
    assert [m["text"] for m in got] == texts
    assert {m["name"] for m in got} == {name}
