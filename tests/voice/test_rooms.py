"""Voice rooms on a real Janus: only Zal creates them, only members Zal admitted
join them, a revoked member is out at once, and a closed room is gone (issue 12)."""

from __future__ import annotations

import time

import pytest

from server.voice.tokens import janus_token

from .conftest import Janus, Peer

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _peer(janus: Janus) -> Peer:
    peer = Peer(
        janus.http, janus.process.url, janus_token(janus.config.token_secret, time.time() + 120)
    )
    await peer.attach()
    return peer


async def test_only_zal_creates_rooms(janus: Janus):
    peer = await _peer(janus)  # a valid Janus token is not enough
    for body in (
        {"request": "create", "room": "mine"},
        {"request": "create", "room": "mine", "admin_key": "guess"},
    ):
        answer = await peer.ask(body)
        # 429: the admin key is missing; 433: it is wrong
        assert answer.get("error_code") == (433 if "admin_key" in body else 429), answer
    async with janus.client.videoroom() as handle:
        assert (await handle.request({"request": "exists", "room": "mine"}))["exists"] is False


async def test_an_admitted_member_joins_a_stranger_does_not_and_a_revoked_one_is_out(
    janus: Janus,
):
    room = await janus.rooms.open("event-1", max_speakers=2)
    listed = await (await _peer(janus)).ask({"request": "list"})
    assert room.room_id not in [r["room"] for r in listed["list"]]  # private

    member = await janus.rooms.admit("event-1")
    anna = await _peer(janus)
    joined = await anna.ask(
        {
            "request": "join",
            "ptype": "publisher",
            "room": room.room_id,
            "token": member,
            "display": "Anna",
        }
    )
    assert joined["videoroom"] == "joined", joined
    anna_id = joined["id"]
    assert [p["id"] for p in await janus.rooms.participants("event-1")] == [anna_id]

    stranger = await _peer(janus)
    for token in ("", "guess", member + "x"):
        refused = await stranger.ask(
            {"request": "join", "ptype": "publisher", "room": room.room_id, "token": token}
        )
        assert refused["error_code"] == 433, refused  # not in the allowed list
    await janus.rooms.revoke("event-1", member, (anna_id,))
    assert await janus.rooms.participants("event-1") == []  # kicked at once
    again = await (await _peer(janus)).ask(
        {"request": "join", "ptype": "publisher", "room": room.room_id, "token": member}
    )
    assert again["error_code"] == 433, again


async def test_a_closed_room_is_gone(janus: Janus):
    room = await janus.rooms.open("event-2", max_speakers=1)
    assert await janus.rooms.open("event-2", max_speakers=1) is room  # one per event
    await janus.rooms.close("event-2")
    assert janus.rooms.room("event-2") is None
    async with janus.client.videoroom() as handle:
        assert (await handle.request({"request": "exists", "room": room.room_id}))[
            "exists"
        ] is False
    await janus.rooms.close("event-2")  # closing twice is harmless
