"""Hostile clients at the Socket.IO layer, on the fast path and the stock server.

Real servers on loopback; the hostile side is a raw websocket (aiohttp's client)
sending the Engine.IO/Socket.IO text and binary frames no client library would
send (an EVENT named ``connect``, a binary packet announcing 1000 attachments),
the bystanders are real ``socketio.AsyncClient``s. What is checked is the
server's own state (``LiveState``, python-socketio's pending binary packets),
the frames the hostile socket receives, and that the server closes it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import socketio

from server import keys
from server.realtime import protocol as p
from server.realtime.namespace import LiveNamespace
from server.realtime.server import ZalFastServer, ZalServer

from .conftest import live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

ATTACHMENT = b"\0" * (16 * 1024 - 16)  # one binary frame just under the 16 KiB cap


@pytest_asyncio.fixture(loop_scope="module", scope="module", params=["fast", "stock"])
async def live(request, tmp_path_factory):
    fast = request.param == "fast"
    async with live_server(tmp_path_factory.mktemp(request.param), realtime_fast=fast) as server:
        assert type(server.app[keys.SIO]) is (ZalFastServer if fast else ZalServer)
        yield server


@pytest_asyncio.fixture(loop_scope="module")
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


class Raw:
    """A raw websocket speaking Engine.IO v4 / Socket.IO v5 text by hand."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, eio_sid: str) -> None:
        self.ws = ws
        self.eio_sid = eio_sid
        self.sid = ""
        self.member_id = ""  # after a join
        self.resume = ""
        self.texts: list[str] = []  # every text frame received, in order

    @classmethod
    async def open(cls, session: aiohttp.ClientSession, url: str, name: str = "Mallory") -> Raw:
        ws = await session.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket")
        opened = await ws.receive_str(timeout=5)
        raw = cls(ws, json.loads(opened[1:])["sid"])
        await raw.send("40/live," + json.dumps({"name": name}))
        reply = await raw.next_text(lambda t: t.startswith("40/live,"))
        raw.sid = json.loads(reply[len("40/live,") :])["sid"]
        return raw

    async def send(self, text: str) -> None:
        await self.ws.send_str(text)

    async def next_text(self, match: Callable[[str], bool], timeout: float = 5.0) -> str:
        """The next text frame ``match`` accepts (answering pings on the way)."""
        while True:
            msg = await self.ws.receive(timeout=timeout)
            if msg.type == aiohttp.WSMsgType.BINARY:
                continue  # a snapshot's attachment
            if msg.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"socket ended ({msg.type}) before the expected frame")
            self.texts.append(msg.data)
            if msg.data == "2":
                await self.send("3")
            elif match(msg.data):
                return msg.data

    async def call(self, ack_id: int, event: str, *args: Any) -> Any:
        await self.send(f"42/live,{ack_id}" + json.dumps([event, *args]))
        reply = await self.next_text(lambda t: t.startswith(f"43/live,{ack_id}["))
        return json.loads(reply[len(f"43/live,{ack_id}") :])[0]

    async def event(self, name: str) -> Any:
        text = await self.next_text(lambda t: t.startswith(f'42/live,["{name}"'))
        return json.loads(text[len("42/live,") :])[1]

    def events(self, name: str) -> list[Any]:
        prefix = f'42/live,["{name}"'
        return [json.loads(t[len("42/live,") :])[1] for t in self.texts if t.startswith(prefix)]

    async def closed_by_server(self, timeout: float = 5.0) -> bool:
        """Read until the server closes the websocket; False if ``timeout`` passes first."""
        try:
            while True:
                msg = await self.ws.receive(timeout=timeout)
                if msg.type == aiohttp.WSMsgType.TEXT:
                    self.texts.append(msg.data)
                elif msg.type != aiohttp.WSMsgType.BINARY:
                    return True  # CLOSE, CLOSED or ERROR: the connection is gone
        except TimeoutError:
            return False


async def _joined_raw(live, session, event_id: str, name: str = "Mallory") -> Raw:
    raw = await Raw.open(session, live.url, name)
    ack = await raw.call(1, "join", {"event_id": event_id})
    assert ack["ok"], ack
    raw.resume, raw.member_id = ack["resume"], ack["member"]["id"]
    return raw


async def _still_fine(good) -> None:
    assert (await good.call("chat", {"text": "still here"}))["ok"]


# -- 1. reserved and unknown event names ------------------------------------------


RESERVED = ["connect", "disconnect", "connect_error", "message", "make_me_host"]


async def test_reserved_event_names_never_reach_the_handlers(live, clients, session):
    event_id = await live.make_event()
    alice = await clients("Alice")
    await alice.call("join", {"event_id": event_id})
    bad = await _joined_raw(live, session, event_id)
    state = live.state
    member = state.by_sid[bad.sid]
    count = len(state.members)

    for n, name in enumerate(RESERVED, start=10):
        ack = await bad.call(n, name, {"name": "Ghost"})
        assert ack == {"ok": False, "error": {"code": "unknown_event", "message": "unknown event"}}
    # the library's own call shapes: connect(sid, environ, auth), disconnect(sid, reason)
    # (9 refusals in all: under the 10 that close a connection)
    for name in ("connect", "disconnect"):
        await bad.send("42/live," + json.dumps([name, {}, {"name": "Ghost"}]))
        await bad.send("42/live," + json.dumps([name, "client disconnect"]))
    await bad.call(99, "stand")  # a round trip: all of the above was handled
    assert len(state.members) == count  # no ghost members
    assert state.by_sid[bad.sid] is member and member.instance is not None  # not detached
    assert bad.events("rejected")[0]["code"] == "unknown_event"

    # still a member, so chat still reaches the socket
    await alice.call("chat", {"text": "before"})
    assert (await bad.event("chat_message"))["text"] == "before"

    # a real Socket.IO DISCONNECT of /live does detach it: no chat for that socket any more
    await bad.send("41/live,")
    await alice.call("chat", {"text": "after"})
    await bad.send("40/live," + json.dumps({"name": "Mallory again"}))
    await bad.next_text(lambda t: t.startswith("40/live,"))  # after anything sent before
    assert [m["text"] for m in bad.events("chat_message")] == ["before"]
    assert member.sid is None and member.id in state.detached
    assert len(state.members) == count + 1  # the detached member (grace) + the new one
    await _still_fine(alice)


async def test_reserved_names_from_a_real_client_get_error_acks(live, clients):
    event_id = await live.make_event()
    bad = await clients("Mallory")
    await bad.call("join", {"event_id": event_id})
    count = len(live.state.members)
    for name in ("message", "connect_error", "make_me_host"):
        assert (await bad.call(name, {"name": "Ghost"}))["error"]["code"] == "unknown_event"
    assert len(live.state.members) == count
    assert bad.sio.connected


async def test_reserved_names_count_as_violations(live, clients, session, caplog):
    event_id = await live.make_event()
    alice = await clients("Alice")
    await alice.call("join", {"event_id": event_id})
    bad = await _joined_raw(live, session, event_id)
    count = len(live.state.members)
    caplog.clear()
    try:
        for _ in range(150):  # over the 10 invalid events in 10 s, and on after the close
            await bad.send("42/live," + json.dumps(["connect", {}, {"name": "Ghost"}]))
            await bad.send('42/live,["stand"]')  # allowed, but not once the socket is closed
    except (ConnectionError, RuntimeError):
        pass  # closed already
    assert await bad.closed_by_server()
    # one line for the disconnect, none per packet that was still in flight
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings.count("disconnecting a client: too many invalid events") == 1
    assert not [w for w in warnings if "not connected" in w], warnings
    assert bad.events("removed") == [
        {"reason": "too_many_errors", "message": "too many invalid events"}
    ]
    assert len(live.state.members) == count - 1
    (left,) = await alice.wait_for("member_left")
    assert left["id"] == bad.member_id
    await _still_fine(alice)


# -- 2. binary attachments ---------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        '451000-/live,["chat",{"_placeholder":true,"num":0}]',
        '451-/live,["chat",{"_placeholder":true,"num":0}]',
        '461000-/live,7[{"_placeholder":true,"num":0}]',
    ],
    ids=["1000-attachments", "1-attachment", "binary-ack"],
)
async def test_binary_packets_from_clients_close_the_connection(
    live, clients, session, caplog, header
):
    event_id = await live.make_event()
    alice = await clients("Alice")
    await alice.call("join", {"event_id": event_id})
    bad = await _joined_raw(live, session, event_id)
    sio = live.app[keys.SIO]
    caplog.clear()
    await bad.send(header)
    sent = 0
    try:
        for _ in range(64):  # 1 MiB if the server kept reading
            await bad.ws.send_bytes(ATTACHMENT)
            sent += 1
    except (ConnectionError, RuntimeError):
        pass  # the server already closed it
    assert await bad.closed_by_server()
    assert bad.eio_sid not in sio._binary_packet  # no attachment is held
    assert sum(len(a) for p in sio._binary_packet.values() for a in p.attachments) == 0
    refused = [r for r in caplog.records if "binary packet from a client" in r.getMessage()]
    assert len(refused) == 1 and refused[0].levelno == logging.WARNING
    assert bad.sid not in live.state.by_sid
    await _still_fine(alice)


# -- 3. forced disconnects close the transport -------------------------------------


async def test_too_many_errors_closes_the_websocket(live, clients, session):
    event_id = await live.make_event()
    alice = await clients("Alice")
    await alice.call("join", {"event_id": event_id})
    bad = await _joined_raw(live, session, event_id)
    count = len(live.state.members)
    for _ in range(15):
        await bad.send("42/live," + json.dumps(["chat", {"text": 5}]))
    assert await bad.closed_by_server()
    codes = [r["code"] for r in bad.events("rejected")]
    assert "too_many_errors" in codes
    assert bad.events("removed")[0]["reason"] == "too_many_errors"
    assert bad.eio_sid not in live.app[keys.SIO].eio.sockets
    assert len(live.state.members) == count - 1
    # no way back in on that socket
    with pytest.raises((ConnectionError, RuntimeError)):
        for _ in range(3):
            await bad.send("40/live," + json.dumps({"name": "Mallory again"}))
    assert len(live.state.members) == count - 1
    await _still_fine(alice)


async def test_host_removal_closes_the_websocket_and_the_member_cannot_come_back(
    live, clients, session
):
    event_id = await live.make_event()
    host = await clients("Host")
    assert (await host.call("join", {"event_id": event_id, "token": live.token}))["member"]["host"]
    guest = await _joined_raw(live, session, event_id, "Loud Guest")
    member_id = guest.member_id
    assert (await host.call("remove", {"member_id": member_id}))["ok"]
    assert await guest.closed_by_server()
    assert guest.events("moderated") == [{"action": "removed"}]
    assert guest.events("removed") == [
        {"reason": "removed_by_host", "message": "a host removed you from this audience"}
    ]
    assert member_id not in live.state.members
    assert member_id in live.state.audiences[f"event:{event_id}"].banned
    # the same member cannot come back: its resume token is dead
    back = await clients("Loud Guest", connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await back.connect(resume=guest.resume)
    assert back.connect_error["data"]["code"] == "resume_failed"
    assert member_id not in live.state.members
    await _still_fine(host)


async def test_the_allow_list_is_what_the_namespace_handles():
    namespace = LiveNamespace(None)  # type: ignore[arg-type]  # no services needed
    assert set(namespace._handlers) | {p.POSE} == p.CLIENT_EVENTS
