"""The show's clock: stage state kept by the server, driven by hosts, seen by all.

A stepped server: the stage clock is the test's FakeClock, so positions are exact.
"""

from __future__ import annotations

import math

import pytest
import pytest_asyncio

from server import keys
from server.realtime import store
from server.realtime.protocol import ClientError
from server.realtime.stage import Stage
from server.storage import media as media_repo

from .conftest import live_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_tracebacks")]

PNG = b"\x89PNG\r\n\x1a\n" + b"slide"  # the blob store does not look inside


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("stage")
    async with live_server(path, stepped=True, instance_capacity=1) as server:
        yield server


async def _media(live, event_id, kind="recording", **values):
    defaults = {
        "recording": {"package_id": "ab" * 32, "duration_s": 20.0},
        "stream": {"stream_url": "/live/key1/index.m3u8"},
        "slides": {},
    }[kind]
    values = {"status": "ready", "progress": 1.0, **defaults, **values}
    if kind == "slides" and "slides" not in values:
        blobs = live.app[keys.BLOBS]
        values["slides"] = [
            await blobs.add_bytes(PNG + bytes([n]), "image/png", compress=False) for n in range(3)
        ]
    return await media_repo.add(live.engine, event_id=event_id, kind=kind, title="T", **values)


async def _show(live, clients):
    """An event with a recording, its host, and Anna and Bob (one per instance)."""
    event_id = await live.make_event()
    media = await _media(live, event_id)
    host = await clients("Host", token=live.token)
    await host.call("join", {"event_id": event_id})
    anna, bob = await clients("Anna"), await clients("Bob")
    a = await anna.call("join", {"event_id": event_id})
    b = await bob.call("join", {"event_id": event_id})
    assert a["instance"]["id"] != b["instance"]["id"]  # capacity 1: three instances
    return event_id, media, host, anna, bob


def target(stage: dict) -> float:
    """What a client computes: the media time at the server's ``now``."""
    moving = stage["now"] - stage["at"] if stage["playing"] else 0.0
    return stage["position"] + moving


# -- the pure state -------------------------------------------------------------
async def test_position_follows_the_clock_only_while_playing():
    stage = Stage(now=100.0)
    stage.set_media({"kind": "recording", "duration_s": 30.0, "slides": []}, 100.0)
    stage.play(100.0)
    assert stage.position_at(107.5) == 7.5
    stage.pause(110.0)
    assert (stage.position, stage.position_at(500.0)) == (10.0, 10.0)
    stage.seek(25.0, 500.0)
    stage.play(500.0)
    assert stage.position_at(600.0) == 30.0  # held at the end
    stage.play(601.0)  # play after the end starts again
    assert stage.position_at(602.0) == 1.0
    assert stage.version == 6


async def test_state_refuses_what_the_media_cannot_do():
    stage = Stage(now=0.0)
    with pytest.raises(ClientError) as err:
        stage.play(0.0)
    assert err.value.code == "no_media"
    stage.set_media({"kind": "stream", "slides": []}, 0.0)
    stage.play(0.0)
    assert stage.live
    with pytest.raises(ClientError) as err:
        stage.seek(5.0, 1.0)
    assert err.value.code == "not_seekable"
    with pytest.raises(ClientError) as err:
        stage.set_slide(0)
    assert err.value.code == "wrong_media"


# -- over the live protocol -------------------------------------------------------
async def test_join_ack_carries_the_stage_and_the_server_time(live, clients):
    event_id = await live.make_event()
    anna = await clients("Anna")
    ack = await anna.call("join", {"event_id": event_id})
    assert ack["stage"] == {
        "media": None, "playing": False, "position": 0.0, "at": live.clock.now,
        "now": live.clock.now, "slide": 0, "live": False, "pinned": None, "ended": False,
        "version": 0,
    }  # fmt: skip
    venue_only = await clients("Walker")
    assert (await venue_only.call("join", {"venue_id": "test-hall"}))["stage"] is None


async def test_time_answers_the_server_clock(live, clients):
    anna = await clients("Anna")
    live.clock.advance(3.25)
    assert await anna.call("time", {}) == {"ok": True, "now": live.clock.now}


async def test_host_plays_pauses_and_seeks_for_every_instance(live, clients):
    event_id, media, host, anna, bob = await _show(live, clients)
    ack = await host.call("stage_media", {"media_id": media["id"]})
    assert ack["ok"] and ack["stage"]["media"]["url"] == f"/hls/{'ab' * 32}/master.m3u8"
    assert ack["stage"]["media"]["duration_s"] == 20.0
    started = live.clock.now
    ack = await host.call("stage_play", {})
    assert (ack["stage"]["playing"], ack["stage"]["at"]) == (True, started)
    live.clock.advance(4.5)
    paused = await host.call("stage_pause", {})
    assert (paused["stage"]["position"], paused["stage"]["playing"]) == (4.5, False)
    seek = await host.call("stage_seek", {"position": 12.25})
    assert seek["stage"]["position"] == 12.25
    for viewer in (anna, bob, host):
        stages = await viewer.wait_for("stage", 4)
        assert [s["version"] for s in stages] == [1, 2, 3, 4]
        assert [(s["playing"], s["position"]) for s in stages] == [
            (False, 0.0), (True, 0.0), (False, 4.5), (False, 12.25)
        ]  # fmt: skip
    actions = await store.actions(live.engine, f"event:{event_id}")
    assert [a["action"] for a in actions] == [
        "stage_media",
        "stage_play",
        "stage_pause",
        "stage_seek",
    ]


async def test_late_joiner_lands_at_the_right_moment(live, clients):
    event_id, media, host, _, _ = await _show(live, clients)
    await host.call("stage_media", {"media_id": media["id"]})
    await host.call("stage_play", {"position": 2.0})
    live.clock.advance(7.75)
    late = await clients("Late")
    ack = await late.call("join", {"event_id": event_id})
    assert ack["stage"]["now"] == live.clock.now
    assert target(ack["stage"]) == 9.75


async def test_audience_cannot_drive_the_stage_and_nothing_changes(live, clients):
    event_id, media, host, anna, bob = await _show(live, clients)
    attempts = [
        ("stage_media", {"media_id": media["id"]}),
        ("stage_play", {}),
        ("stage_pause", {}),
        ("stage_seek", {"position": 1.0}),
        ("stage_slide", {"step": 1}),
        ("stage_pin", {"message_id": None}),
        ("stage_end", {}),
        ("stage_seek", {"position": math.nan}),  # role first: not even the payload is read
    ]
    for event, payload in attempts:
        ack = await anna.call(event, payload)
        assert ack["error"]["code"] == "forbidden", event  # as for every host action
    await bob.sync()
    assert "stage" not in bob.events
    assert live.app[keys.SIO]  # the server is still up
    assert (await bob.call("time", {}))["ok"]


@pytest.mark.parametrize(
    "event, payload",
    [
        ("stage_seek", {"position": math.nan}),
        ("stage_seek", {"position": math.inf}),
        ("stage_seek", {"position": -1.0}),
        ("stage_seek", {"position": "3"}),
        ("stage_seek", {"position": True}),
        ("stage_seek", {}),
        ("stage_seek", {"position": 20.5}),  # past the end of a 20 s recording
        ("stage_play", {"position": 1e9}),
        ("stage_play", {"position": 1.0, "host": True}),
        ("stage_slide", {"index": 1, "step": 1}),
        ("stage_slide", {"step": 2}),
        ("stage_media", {"media_id": "../etc"}),
        ("stage_pin", {"message_id": 0}),
        ("stage_end", {"now": 1}),
        ("time", {"x": 1}),
        ("stage_play", [1]),
    ],
)
async def test_bad_payloads_are_invalid_and_change_nothing(live, clients, event, payload):
    event_id, media, host, anna, _ = await _show(live, clients)
    await host.call("stage_media", {"media_id": media["id"]})
    before = (await anna.wait_for("stage"))[-1]
    ack = await host.call(event, payload)
    assert ack["error"]["code"] == "invalid_payload", ack
    await anna.sync()
    assert anna.events["stage"] == [before]


async def test_media_must_be_ready_and_of_this_event(live, clients):
    event_id, _, host, _, _ = await _show(live, clients)
    other = await _media(live, await live.make_event())
    busy = await _media(live, event_id, status="processing", progress=0.4)
    ack = await host.call("stage_media", {"media_id": other["id"]})
    assert ack["error"]["code"] == "not_found"
    assert (await host.call("stage_media", {"media_id": "med_0000"}))["error"][
        "code"
    ] == "not_found"
    ack = await host.call("stage_media", {"media_id": busy["id"]})
    assert ack["error"]["code"] == "media_not_ready"
    assert (await host.call("stage_play", {}))["error"]["code"] == "no_media"


async def test_stream_goes_live_and_cannot_be_seeked(live, clients):
    event_id, _, host, anna, _ = await _show(live, clients)
    stream = await _media(live, event_id, kind="stream")
    ack = await host.call("stage_media", {"media_id": stream["id"]})
    assert ack["stage"]["media"]["url"] == "/live/key1/index.m3u8"
    assert (await host.call("stage_play", {}))["stage"]["live"] is True
    assert (await host.call("stage_seek", {"position": 3.0}))["error"]["code"] == "not_seekable"
    assert (await host.call("stage_pause", {}))["stage"]["live"] is False


async def test_slides_follow_the_host(live, clients):
    event_id, _, host, anna, _ = await _show(live, clients)
    slides = await _media(live, event_id, kind="slides")
    ack = await host.call("stage_media", {"media_id": slides["id"]})
    assert ack["stage"]["media"]["slides"] == [f"/media/{sha}.png" for sha in slides["slides"]]
    assert (await host.call("stage_slide", {"step": -1}))["stage"]["slide"] == 0  # stays first
    assert (await host.call("stage_slide", {"step": 1}))["stage"]["slide"] == 1
    assert (await host.call("stage_slide", {"index": 2}))["stage"]["slide"] == 2
    assert (await host.call("stage_slide", {"step": 1}))["stage"]["slide"] == 2  # stays last
    ack = await host.call("stage_slide", {"index": 3})
    assert ack["error"]["code"] == "invalid_payload"
    assert (await host.call("stage_play", {}))["error"]["code"] == "wrong_media"
    stages = await anna.wait_for("stage", 5)
    assert [s["slide"] for s in stages] == [0, 0, 1, 2, 2]


async def test_pin_a_chat_message_and_end_the_show(live, clients):
    event_id, media, host, anna, _ = await _show(live, clients)
    sent = await anna.call("chat", {"text": "Bravo!"})
    ack = await host.call("stage_pin", {"message_id": sent["id"]})
    assert ack["stage"]["pinned"]["text"] == "Bravo!"
    assert (await host.call("stage_pin", {"message_id": sent["id"] + 999}))["error"]["code"] == (
        "not_found"
    )
    assert (await host.call("stage_pin", {"message_id": None}))["stage"]["pinned"] is None
    await host.call("stage_media", {"media_id": media["id"]})
    await host.call("stage_play", {})
    live.clock.advance(3.0)
    end = await host.call("stage_end", {})
    assert end["stage"]["ended"] is True
    assert (end["stage"]["playing"], end["stage"]["position"]) == (False, 3.0)
    late = await clients("Late")
    assert (await late.call("join", {"event_id": event_id}))["stage"]["ended"] is True
