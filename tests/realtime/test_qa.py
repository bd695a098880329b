"""Questions for the stage over the live protocol, with real Socket.IO clients and
the real database: ask, vote once, approve, merge, on the board, answered,
published; a removed member's votes go; every host action checked and recorded."""

from __future__ import annotations

import aiohttp
import pytest
import pytest_asyncio

from server.realtime import store
from server.storage import questions as repo

from .conftest import live_server, until

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(tmp_path_factory.mktemp("qa"), instance_capacity=2) as server:
        yield server


async def _session(live, clients, **settings):
    """An event with Q&A switched on: its host, Anna and Bob joined."""
    event_id = await live.make_event()
    host = await clients("Host", token=live.token)
    joined = await host.call("join", {"event_id": event_id})
    assert joined["qa"] == {"enabled": False, "moderated": False, "on_stage": None,
                            "questions": [], "voted": []}  # fmt: skip
    anna, bob = await clients("Anna"), await clients("Bob")
    a = await anna.call("join", {"event_id": event_id})
    b = await bob.call("join", {"event_id": event_id})
    closed = await anna.call("qa_ask", {"text": "Too early?"})
    assert closed["error"]["code"] == "qa_closed"
    ack = await host.call("qa_settings", {"enabled": True, **settings})
    assert ack["ok"] and ack["qa"]["enabled"] is True
    await anna.wait_for("qa_state", where=lambda s: s["enabled"])
    return event_id, host, anna, bob, a["member"]["id"], b["member"]["id"]


async def _actions(live, event_id):
    return [
        (r["action"], r["detail"]) for r in await store.actions(live.engine, f"event:{event_id}")
    ]


async def test_ask_and_vote_once_per_member_ordered_by_votes(live, clients):
    event_id, host, anna, bob, anna_id, bob_id = await _session(live, clients)
    first = (await anna.call("qa_ask", {"text": "When will tram 5 run again?"}))["question"]
    second = (await bob.call("qa_ask", {"text": "Who clears the snow?", "anonymous": True}))[
        "question"
    ]
    assert first["name"] == "Anna" and second["name"] is None  # anonymous to the hall
    seen = await bob.wait_for("question", 2)
    assert {q["text"] for q in seen} == {first["text"], second["text"]}
    assert all("member_id" not in q for q in seen)  # never on the wire to the hall
    # the host also gets who asked, the anonymous one too (to invite them to speak)
    asked = await host.wait_for("question", 2, where=lambda q: "member_id" in q)
    assert {q["member_id"] for q in asked} == {anna_id, bob_id}

    # a vote counts once, however often it is sent; taking it back works once too
    for _ in range(3):
        ack = await anna.call("qa_vote", {"question_id": second["id"]})
        assert ack == {"ok": True, "question_id": second["id"], "votes": 1, "voted": True}
    assert (await bob.call("qa_vote", {"question_id": second["id"]}))["votes"] == 2
    assert (await bob.call("qa_vote", {"question_id": second["id"], "up": False}))["votes"] == 1
    assert (await bob.call("qa_vote", {"question_id": second["id"], "up": False}))["votes"] == 1
    await anna.call("qa_vote", {"question_id": first["id"]})
    await bob.call("qa_vote", {"question_id": second["id"]})
    await host.wait_for("question", where=lambda q: q["id"] == second["id"] and q["votes"] == 2)

    # a newcomer sees the list ordered by votes, and what it voted for
    again = await clients("Anna2")
    view = (await again.call("join", {"event_id": event_id}))["qa"]
    assert [(q["id"], q["votes"]) for q in view["questions"]] == [
        (second["id"], 2),
        (first["id"], 1),
    ]
    assert view["voted"] == []
    # the host knows who asked, also an anonymous question
    hosts = await (await clients("Host2", token=live.token)).call("join", {"event_id": event_id})
    asked = {q["id"]: q for q in hosts["qa"]["questions"]}
    assert asked[second["id"]]["name"] == "Bob" and asked[second["id"]]["anonymous"] is True


async def test_a_reconnect_keeps_the_vote(live, clients):
    event_id, _, anna, bob, anna_id, _ = await _session(live, clients)
    q = (await bob.call("qa_ask", {"text": "Is the library open on Sunday?"}))["question"]
    joined = await anna.call("leave")
    assert joined["ok"]
    a = await anna.call("join", {"event_id": event_id})
    await anna.call("qa_vote", {"question_id": q["id"]})
    await anna.drop()
    await until(lambda: anna_id in live.state.detached, what="Anna detached")
    back = await clients("Anna", resume=a["resume"])
    (welcome,) = await back.wait_for("joined")
    assert welcome["member"]["id"] == anna_id
    assert welcome["qa"]["voted"] == [q["id"]]
    assert (await back.call("qa_vote", {"question_id": q["id"]}))["votes"] == 1


async def test_bad_questions_and_votes_are_refused(live, clients):
    event_id, host, anna, bob, *_ = await _session(live, clients)
    for payload in ({"text": "x" * 301}, {"text": "   "}, {"text": 5}, {}, {"text": "ok", "x": 1}):
        assert (await anna.call("qa_ask", payload))["error"]["code"] == "invalid_payload", payload
    assert (await anna.call("qa_ask", {"text": "<b>bold?</b>"}))["question"]["text"] == (
        "<b>bold?</b>"  # stored and shown as text (the client never parses it as HTML)
    )
    for payload in ({"question_id": 999_999}, {"question_id": 0}, {"question_id": "1"}):
        code = (await anna.call("qa_vote", payload))["error"]["code"]
        assert code in ("not_found", "invalid_payload"), payload
    # a question of another event is unknown here
    other_event = await live.make_event()
    stranger = await clients("Stranger")
    await stranger.call("join", {"event_id": other_event})
    other_host = await clients("OtherHost", token=live.token)
    await other_host.call("join", {"event_id": other_event})
    await other_host.call("qa_settings", {"enabled": True})
    elsewhere = (await stranger.call("qa_ask", {"text": "Elsewhere?"}))["question"]
    assert (await anna.call("qa_vote", {"question_id": elsewhere["id"]}))["error"]["code"] == (
        "not_found"
    )
    # host actions by a resident: forbidden, nothing changes
    mine = (await anna.call("qa_ask", {"text": "Mine"}))["question"]
    for event, payload in (
        ("qa_settings", {"moderated": True}),
        ("qa_approve", {"question_id": mine["id"]}),
        ("qa_reject", {"question_id": mine["id"]}),
        ("qa_merge", {"question_id": mine["id"], "into_id": elsewhere["id"]}),
        ("qa_stage", {"question_id": mine["id"]}),
        ("qa_answer", {"question_id": mine["id"], "answer": "yes"}),
    ):
        assert (await bob.call(event, payload))["error"]["code"] == "forbidden", event
    assert (await repo.get(live.engine, event_id, mine["id"]))["status"] == "visible"
    assert (await repo.session(live.engine, event_id))["moderated"] is False
    # a vote flood is cut by the rate limit, not counted
    codes = [
        (await bob.call("qa_vote", {"question_id": mine["id"], "up": n % 2 == 0})).get("error")
        for n in range(12)
    ]
    assert any(c and c["code"] == "rate_limited" for c in codes)


async def test_moderated_session_end_to_end_with_merge_board_answer_and_publication(live, clients):
    event_id, host, anna, bob, anna_id, bob_id = await _session(live, clients, moderated=True)
    q1 = (await anna.call("qa_ask", {"text": "When is the new bridge finished?"}))["question"]
    q2 = (await bob.call("qa_ask", {"text": "Bridge: when does it open?"}))["question"]
    assert q1["status"] == q2["status"] == "pending"
    # hosts see them (with who asked); the hall sees only its own pending question
    pending = await host.wait_for("question", 2, where=lambda q: q["status"] == "pending")
    assert {q["member_id"] for q in pending} == {anna_id, bob_id}
    await bob.sync()
    assert [q["id"] for q in bob.events["question"]] == [q2["id"]]
    assert (await anna.call("qa_vote", {"question_id": q2["id"]}))["error"]["code"] == "not_found"

    for q in (q1, q2):
        assert (await host.call("qa_approve", {"question_id": q["id"]}))["ok"]
    await bob.wait_for("question", where=lambda q: q["id"] == q1["id"] and q["status"] == "visible")
    await anna.call("qa_vote", {"question_id": q2["id"]})
    await bob.call("qa_vote", {"question_id": q1["id"]})
    await anna.call("qa_vote", {"question_id": q1["id"]})
    # q2 is a duplicate of q1: Anna voted for both and still counts once
    merged = await host.call("qa_merge", {"question_id": q2["id"], "into_id": q1["id"]})
    assert merged["question"]["status"] == "merged" and merged["into"]["votes"] == 2
    await anna.wait_for("question", where=lambda q: q["id"] == q2["id"] and q["status"] == "merged")

    board = await host.call("qa_stage", {"question_id": q1["id"]})
    assert board["qa"]["on_stage"]["id"] == q1["id"]
    (state,) = await bob.wait_for("qa_state", where=lambda s: s["on_stage"] is not None)
    assert state["on_stage"]["text"] == q1["text"]
    answer = "In May: the deck is laid, the lights go up in April."
    done = await host.call("qa_answer", {"question_id": q1["id"], "answer": answer})
    assert done["question"]["status"] == "answered"
    await anna.wait_for("question", where=lambda q: q["status"] == "answered")
    assert (await anna.call("qa_vote", {"question_id": q1["id"]}))["error"]["code"] == "not_found"

    # published in the API: the answered question with its answer, nothing of who voted
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{live.url}/api/events/{event_id}/questions") as r:
            assert r.status == 200 and r.headers["Cache-Control"] == "no-cache"
            published = (await r.json())["questions"]
        async with http.get(f"{live.url}/api/events/no-such-event/questions") as r:
            assert r.status == 404 and (await r.json())["error"]["code"] == "not_found"
    assert [(p["text"], p["answer"], p["votes"], p["name"]) for p in published] == [
        (q1["text"], answer, 2, "Anna")
    ]
    assert set(published[0]) == {"id", "name", "text", "votes", "answer", "asked_at",
                                 "answered_at"}  # fmt: skip
    assert await _actions(live, event_id) == [
        ("qa_settings", "[('enabled', True), ('moderated', True)]"),
        ("qa_approve", str(q1["id"])),
        ("qa_approve", str(q2["id"])),
        ("qa_merge", f"{q2['id']}->{q1['id']}"),
        ("qa_stage", str(q1["id"])),
        ("qa_answer", str(q1["id"])),
    ]


async def test_a_removed_members_votes_go(live, clients):
    event_id, host, anna, bob, anna_id, bob_id = await _session(live, clients)
    q = (await anna.call("qa_ask", {"text": "Why is the park closed?"}))["question"]
    await anna.call("qa_vote", {"question_id": q["id"]})
    await bob.call("qa_vote", {"question_id": q["id"]})
    assert (await host.call("remove", {"member_id": bob_id}))["ok"]
    await anna.wait_for("question", where=lambda e: e["id"] == q["id"] and e["votes"] == 1)
    assert (await repo.get(live.engine, event_id, q["id"]))["votes"] == 1
