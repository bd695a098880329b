"""The assistant host of an event, with real Socket.IO clients, the real HTTP API
and the real database: made by the host's link, it moderates the questions
(approve, merge, the board, answers) and nothing else a host does; its actions are
recorded with its role; a revoked link stops it at once and admits nobody."""

from __future__ import annotations

import aiohttp
import pytest
import pytest_asyncio

from server.realtime import store
from server.storage import questions as repo

from .conftest import live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(tmp_path_factory.mktemp("qa-assistant")) as server:
        yield server


async def _http(live, method: str, path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http:
        async with http.request(method, live.url + path, headers=headers) as r:
            body = await r.json() if r.content_type == "application/json" else None
            return r.status, body


async def _assistant_token(live, event_id: str) -> str:
    status, body = await _http(live, "POST", f"/api/events/{event_id}/assistant-link", live.token)
    assert status == 200, body
    url = body["assistant_url"]
    assert url.startswith(f"/host/{event_id}#assistant=")
    return url.split("#assistant=")[1]


async def _session(live, clients):
    """A moderated Q&A event: its host, an assistant (joined with the link), Anna."""
    event_id = await live.make_event()
    host = await clients("Host", token=live.token)
    assert (await host.call("join", {"event_id": event_id}))["member"]["host"] is True
    ack = await host.call("qa_settings", {"enabled": True, "moderated": True})
    assert ack["ok"]
    token = await _assistant_token(live, event_id)
    assistant = await clients("Vera", token=token)
    joined = await assistant.call("join", {"event_id": event_id})
    assert joined["member"]["host"] is False and joined["member"]["assistant"] is True
    assert joined["qa"]["enabled"] is True and "queue" not in joined["hands"]
    # the host sees who the assistant is
    (seen,) = await host.wait_for("member_joined", where=lambda m: m["name"] == "Vera")
    assert seen["assistant"] is True and seen["host"] is False
    overview = await host.call("audience_overview", {})
    roles = {m["name"]: (m["host"], m["assistant"]) for m in overview["instances"][0]["members"]}
    assert roles["Vera"] == (False, True) and roles["Host"] == (True, False)
    anna = await clients("Anna")
    a = await anna.call("join", {"event_id": event_id})
    assert a["member"]["assistant"] is False
    return event_id, token, host, assistant, anna, a["member"]["id"]


async def test_an_assistant_moderates_the_questions_and_is_recorded(live, clients):
    event_id, _, host, assistant, anna, anna_id = await _session(live, clients)
    q1 = (await anna.call("qa_ask", {"text": "When does the pool reopen?"}))["question"]
    q2 = (await anna.call("qa_ask", {"text": "Pool: open again when?", "anonymous": True}))[
        "question"
    ]
    assert q1["status"] == q2["status"] == "pending"
    # pending questions reach the assistant too, with who asked
    pending = await assistant.wait_for("question", 2, where=lambda q: q["status"] == "pending")
    assert {q["member_id"] for q in pending} == {anna_id}
    # its own questions need no approval (like a host's)
    own = (await assistant.call("qa_ask", {"text": "From the assistant"}))["question"]
    assert own["status"] == "visible"

    assert (await assistant.call("qa_approve", {"question_id": q1["id"]}))["question"][
        "status"
    ] == "visible"
    merged = await assistant.call("qa_merge", {"question_id": q2["id"], "into_id": q1["id"]})
    assert merged["question"]["status"] == "merged"
    board = await assistant.call("qa_stage", {"question_id": q1["id"]})
    assert board["qa"]["on_stage"]["id"] == q1["id"]
    await host.wait_for("qa_state", where=lambda s: (s["on_stage"] or {}).get("id") == q1["id"])
    answer = "On Monday, after the new filters."
    done = await assistant.call("qa_answer", {"question_id": q1["id"], "answer": answer})
    assert done["question"]["status"] == "answered" and done["question"]["answer"] == answer
    await anna.wait_for("question", where=lambda q: q["id"] == q1["id"] and q["answer"] == answer)
    rejected = await assistant.call("qa_reject", {"question_id": own["id"]})
    assert rejected["question"]["status"] == "rejected"

    # switching Q&A or approval stays the host's
    refused = await assistant.call("qa_settings", {"moderated": False})
    assert refused["error"]["code"] == "forbidden"
    assert (await repo.session(live.engine, event_id))["moderated"] is True

    actions = [
        (r["action"], r["detail"], r["role"], r["host_name"])
        for r in await store.actions(live.engine, f"event:{event_id}")
    ]
    assert actions == [
        ("qa_settings", "[('enabled', True), ('moderated', True)]", "host", "Host"),
        ("qa_approve", str(q1["id"]), "assistant", "Vera"),
        ("qa_merge", f"{q2['id']}->{q1['id']}", "assistant", "Vera"),
        ("qa_stage", str(q1["id"]), "assistant", "Vera"),
        ("qa_answer", str(q1["id"]), "assistant", "Vera"),
        ("qa_reject", str(own["id"]), "assistant", "Vera"),
    ]


async def test_an_assistant_may_do_nothing_else_a_host_does(live, clients):
    event_id, _, host, assistant, anna, anna_id = await _session(live, clients)
    said = await anna.call("chat", {"text": "Hello"})
    assert said["ok"]
    assert (await anna.call("raise_hand", {}))["ok"]
    for event, payload in (
        ("stage_media", {"media_id": None}),
        ("stage_play", {}),
        ("stage_pause", {}),
        ("stage_end", {}),
        ("stage_pin", {"message_id": said["id"]}),
        ("delete_message", {"message_id": said["id"]}),
        ("mute", {"member_id": anna_id}),
        ("unmute", {"member_id": anna_id}),
        ("remove", {"member_id": anna_id}),
        ("slow_mode", {"seconds": 30}),
        ("close_chat", {}),
        ("open_chat", {}),
        ("audience_overview", {}),
        ("hand_next", {}),
        ("lower_hand", {"member_id": anna_id}),
    ):
        ack = await assistant.call(event, payload)
        assert ack["error"]["code"] == "forbidden", event
    # nothing changed: Anna still speaks, her hand is up, the chat is open
    assert (await anna.call("chat", {"text": "Still here"}))["ok"]
    assert (await anna.call("raise_hand", {}))["position"] == 1
    assert not [a for a in await store.actions(live.engine, f"event:{event_id}")
                if a["role"] == "assistant"]  # fmt: skip
    # the hosts' hand queue is not sent to an assistant
    await assistant.sync()
    assert "hand_queue" not in assistant.events


async def test_residents_and_other_tokens_are_not_assistants(live, clients):
    event_id, token, host, assistant, anna, _ = await _session(live, clients)
    q = (await anna.call("qa_ask", {"text": "Is the bridge open?"}))["question"]
    other_event = await live.make_event(token="another-events-host-token")
    other_link = await _http(
        live, "POST", f"/api/events/{other_event}/assistant-link", "another-events-host-token"
    )
    other_assistant = other_link[1]["assistant_url"].split("#assistant=")[1]
    for name, auth in (("Bob", {}), ("Eve", {"token": other_assistant}),
                       ("Max", {"token": "another-events-host-token"})):  # fmt: skip
        someone = await clients(name, **auth)
        member = (await someone.call("join", {"event_id": event_id}))["member"]
        assert member["host"] is False and member["assistant"] is False, name
        for event, payload in (
            ("qa_approve", {"question_id": q["id"]}),
            ("qa_stage", {"question_id": q["id"]}),
            ("qa_answer", {"question_id": q["id"], "answer": "no"}),
        ):
            assert (await someone.call(event, payload))["error"]["code"] == "forbidden", name
    assert (await repo.get(live.engine, event_id, q["id"]))["status"] == "pending"
    # this event's assistant token on the other event is nobody there
    elsewhere = await clients("Vera2", token=token)
    assert (await elsewhere.call("join", {"event_id": other_event}))["member"]["assistant"] is False


async def test_a_revoked_link_stops_the_assistant_and_admits_nobody(live, clients):
    event_id, token, host, assistant, anna, _ = await _session(live, clients)
    q = (await anna.call("qa_ask", {"text": "Who fixes the lift?"}))["question"]
    status, _ = await _http(live, "DELETE", f"/api/events/{event_id}/assistant-link", live.token)
    assert status == 204
    # the joined assistant loses the role at its next action, and nothing changes
    assert (await assistant.call("qa_approve", {"question_id": q["id"]}))["error"][
        "code"
    ] == "forbidden"
    assert (await repo.get(live.engine, event_id, q["id"]))["status"] == "pending"
    # no more pending questions for it either
    later = (await anna.call("qa_ask", {"text": "And the stairs?"}))["question"]
    await host.wait_for("question", where=lambda e: e["id"] == later["id"])
    await assistant.sync()
    assert later["id"] not in [e["id"] for e in assistant.events["question"]]
    # the link no longer admits as assistant
    again = await clients("Vera again", token=token)
    member = (await again.call("join", {"event_id": event_id}))["member"]
    assert member["assistant"] is False
    assert (await again.call("qa_approve", {"question_id": q["id"]}))["error"]["code"] == (
        "forbidden"
    )
    # a new link works again
    fresh = await clients("Vera new", token=await _assistant_token(live, event_id))
    assert (await fresh.call("join", {"event_id": event_id}))["member"]["assistant"] is True
    assert (await fresh.call("qa_approve", {"question_id": q["id"]}))["ok"]


async def test_the_link_api_refuses_unknown_events_and_other_hosts(live):
    status, body = await _http(live, "POST", "/api/events/no-such-event/assistant-link", live.token)
    assert status == 404 and body["error"]["code"] == "not_found"
    event_id = await live.make_event()
    other = await live.make_event(token="host-of-the-other-event")
    for path in (f"/api/events/{event_id}/assistant-link",):
        status, body = await _http(live, "POST", path, "host-of-the-other-event")
        assert status == 403 and body["error"]["code"] == "forbidden"
        assert (await _http(live, "POST", path))[0] == 401
    assert (await _http(live, "POST", f"/api/events/{other}/assistant-link",
                        "host-of-the-other-event"))[0] == 200  # fmt: skip
