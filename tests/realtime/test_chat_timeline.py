"""Chat on a recording's timeline: messages sent while a recording plays keep its
media time, and ``GET /api/media/{id}/comments`` gives them back in media order.

A stepped server: the stage clock is the test's FakeClock, so media times are exact.
"""

from __future__ import annotations

import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import inspect, text

from server.realtime import store
from server.realtime.stage import Stage
from server.realtime.timeline import media_moment
from server.storage import chat_timeline
from server.storage import media as media_repo
from server.storage.engine import create_engine

from .conftest import live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    async with live_server(tmp_path_factory.mktemp("timeline"), stepped=True) as server:
        yield server


async def _media(live, event_id, kind="recording"):
    values = {
        "recording": {"package_id": "cd" * 32, "duration_s": 60.0},
        "stream": {"stream_url": "/live/key2/index.m3u8"},
        "slides": {"slides": []},
    }[kind]
    return await media_repo.add(
        live.engine, event_id=event_id, kind=kind, title="T", status="ready", progress=1.0,
        **values,
    )  # fmt: skip


async def _hall(live, clients, kind="recording"):
    """An event whose host put a media of ``kind`` on the stage; Anna and Bob watch."""
    event_id = await live.make_event()
    media = await _media(live, event_id, kind)
    host = await clients("Host", token=live.token)
    await host.call("join", {"event_id": event_id})
    assert (await host.call("stage_media", {"media_id": media["id"]}))["ok"]
    anna, bob = await clients("Anna"), await clients("Bob")
    await anna.call("join", {"event_id": event_id})
    await bob.call("join", {"event_id": event_id})
    return event_id, media, host, anna, bob


async def _get(live, path):
    async with aiohttp.ClientSession() as http, http.get(live.url + path) as r:
        return r.status, await r.json()


async def _stored(live, message_id):
    async with live.engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT media_id, media_time FROM chat_messages WHERE id = :id"),
                {"id": message_id},
            )
        ).one()
    return tuple(row)


# -- the pure rule --------------------------------------------------------------------
async def test_moment_is_the_recording_position_only_while_a_recording_is_on():
    stage = Stage(now=100.0)
    assert media_moment(None, 100.0) is None
    assert media_moment(stage, 100.0) is None  # nothing on the stage
    stage.set_media({"id": "med_1", "kind": "recording", "duration_s": 30.0}, 100.0)
    assert media_moment(stage, 105.0) is None  # chosen, not started: talk before the show
    stage.play(105.0)
    assert media_moment(stage, 117.1234) == ("med_1", 12.123)  # 3 decimals
    assert media_moment(stage, 500.0) == ("med_1", 30.0)  # held at the end
    stage.seek(7.0, 500.0)
    stage.pause(502.0)
    assert media_moment(stage, 900.0) == ("med_1", 9.0)  # where it is paused
    stage.end(901.0)
    assert media_moment(stage, 902.0) is None  # the show is over
    stage.set_media({"id": "med_2", "kind": "stream", "slides": []}, 903.0)
    stage.play(903.0)
    assert media_moment(stage, 910.0) is None
    stage.set_media({"id": "med_3", "kind": "slides", "slides": ["/a.png"]}, 911.0)
    assert media_moment(stage, 912.0) is None


# -- over the live protocol ----------------------------------------------------------
async def test_message_in_a_playing_recording_keeps_its_media_time(live, clients):
    event_id, media, host, anna, bob = await _hall(live, clients)
    await host.call("stage_play", {})
    live.clock.advance(12.5)
    ack = await anna.call("chat", {"text": "Listen to the cello"})
    assert ack["ok"]
    for viewer in (anna, bob, host):
        (msg,) = await viewer.wait_for("chat_message")
        assert (msg["id"], msg["media_id"], msg["media_time"]) == (ack["id"], media["id"], 12.5)
    assert await _stored(live, ack["id"]) == (media["id"], 12.5)
    late = await clients("Late")
    history = (await late.call("join", {"event_id": event_id}))["chat"]["history"]
    assert [(m["text"], m["media_id"], m["media_time"]) for m in history] == [
        ("Listen to the cello", media["id"], 12.5)
    ]


async def test_paused_recording_stamps_the_paused_position(live, clients):
    _, media, host, anna, _ = await _hall(live, clients)
    before = await anna.call("chat", {"text": "When does it start?"})
    await host.call("stage_play", {"position": 3.0})
    live.clock.advance(4.25)
    await host.call("stage_pause", {})
    live.clock.advance(30.0)  # an interval: the hall still looks at 7.25
    during = await anna.call("chat", {"text": "Interval!"})
    assert await _stored(live, before["id"]) == (None, None)
    assert await _stored(live, during["id"]) == (media["id"], 7.25)
    await host.call("stage_end", {})
    after = await anna.call("chat", {"text": "Bravo!"})
    assert await _stored(live, after["id"]) == (None, None)
    msgs = await anna.wait_for("chat_message", 3)
    assert ["media_time" in m for m in msgs] == [False, True, False]


@pytest.mark.parametrize("kind", ["stream", "slides"])
async def test_no_media_time_for_a_stream_or_slides(live, clients, kind):
    _, _, host, anna, bob = await _hall(live, clients, kind)
    if kind == "stream":
        assert (await host.call("stage_play", {}))["stage"]["live"]
    live.clock.advance(5.0)
    ack = await anna.call("chat", {"text": "Hello"})
    (msg,) = await bob.wait_for("chat_message")
    assert "media_id" not in msg and "media_time" not in msg
    assert await _stored(live, ack["id"]) == (None, None)


async def test_venue_chat_has_no_media_time(live, clients):
    walker = await clients("Walker")
    await walker.call("join", {"venue_id": "test-hall"})
    ack = await walker.call("chat", {"text": "Nice hall"})
    assert await _stored(live, ack["id"]) == (None, None)


# -- the REST timeline --------------------------------------------------------------
async def test_comments_come_back_in_media_order_without_deleted_ones(live, clients):
    event_id, media, host, anna, bob = await _hall(live, clients)
    await host.call("stage_play", {"position": 20.0})
    live.clock.advance(1.5)
    first = await anna.call("chat", {"text": "at 21.5"})
    await host.call("stage_seek", {"position": 2.0})
    live.clock.advance(0.25)
    second = await bob.call("chat", {"text": "at 2.25"})
    gone = await bob.call("chat", {"text": "deleted"})
    assert (await host.call("delete_message", {"message_id": gone["id"]}))["ok"]
    live.clock.advance(40.0)
    third = await host.call("chat", {"text": "at 42.25"})
    # another recording's comments stay with it
    other = await _media(live, event_id)
    await host.call("stage_media", {"media_id": other["id"]})
    await host.call("stage_play", {})
    live.clock.advance(1.0)
    await anna.call("chat", {"text": "other"})

    status, body = await _get(live, f"/api/media/{media['id']}/comments")  # no token: public
    assert status == 200
    assert body == {
        "comments": [
            {"id": second["id"], "name": "Bob", "text": "at 2.25", "media_time": 2.25,
             "sent_at": second["sent_at"]},
            {"id": first["id"], "name": "Anna", "text": "at 21.5", "media_time": 21.5,
             "sent_at": first["sent_at"]},
            {"id": third["id"], "name": "Host", "text": "at 42.25", "media_time": 42.25,
             "sent_at": third["sent_at"]},
        ]
    }  # fmt: skip
    status, body = await _get(live, f"/api/media/{other['id']}/comments")
    assert [c["text"] for c in body["comments"]] == ["other"]
    assert [c["text"] for c in await chat_timeline.comments(live.engine, media["id"], 2)] == [
        "at 2.25",
        "at 21.5",
    ]  # capped: the earliest in the recording


async def test_comments_of_an_unknown_media_are_404(live):
    for media_id in ("med_0000000000000000", "med_%2E%2E", "x" * 300):
        status, body = await _get(live, f"/api/media/{media_id}/comments")
        assert status == 404 and body["error"]["code"] == "not_found", body
    event_id = await live.make_event()
    quiet = await _media(live, event_id)
    assert await _get(live, f"/api/media/{quiet['id']}/comments") == (200, {"comments": []})


# -- an older database ---------------------------------------------------------------
async def test_older_chat_table_gets_the_media_columns(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        async with engine.begin() as conn:  # chat_messages as the first release made it
            await conn.exec_driver_sql(
                "CREATE TABLE chat_messages (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                " audience VARCHAR(80) NOT NULL, member_id VARCHAR(64) NOT NULL,"
                " name VARCHAR(64) NOT NULL, text TEXT NOT NULL, sent_at DATETIME NOT NULL,"
                " deleted BOOLEAN NOT NULL)"
            )
            await conn.exec_driver_sql(
                "INSERT INTO chat_messages (audience, member_id, name, text, sent_at, deleted)"
                " VALUES ('event:e1', 'm_1', 'Anna', 'old words', '2026-11-01 20:00:00', 0)"
            )
        await store.create_tables(engine)
        await store.create_tables(engine)  # start-up again: nothing to do, no error

        def columns_and_indexes(sync_conn):
            insp = inspect(sync_conn)
            cols = {c["name"] for c in insp.get_columns("chat_messages")}
            return cols, {i["name"] for i in insp.get_indexes("chat_messages")}

        async with engine.connect() as conn:
            cols, indexes = await conn.run_sync(columns_and_indexes)
        assert {"media_id", "media_time"} <= cols
        assert store.MEDIA_TIME_INDEX in indexes
        (old,) = await store.history(engine, "event:e1")
        assert (old["text"], "media_time" in old) == ("old words", False)
        await store.add_message(engine, "event:e1", "m_2", "Bob", "new", ("med_x", 1.5))
        assert await chat_timeline.comments(engine, "med_x") == [
            {"id": 2, "name": "Bob", "text": "new", "media_time": 1.5,
             "sent_at": (await store.history(engine, "event:e1"))[-1]["sent_at"]},
        ]  # fmt: skip
    finally:
        await engine.dispose()
