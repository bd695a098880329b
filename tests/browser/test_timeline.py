"""Comments on a recording's timeline in a real Chromium page (web_client/src/timeline/):
earlier showings' chat appears as the stage's recording reaches each message's moment,
seeking re-positions the list, deleted messages and the viewer's own live messages
are not shown there. The session server of conftest.py; an event of its own (made in
its database) so no other test's stage or chat is in the way. The page is the host
and drives the stage over the live protocol, as the host console does.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from server.storage.events import hash_token

from .conftest import open_context

pytestmark = pytest.mark.browser

VENUE = "chamber-hall"
VIEWPORT = {"width": 560, "height": 360}
LOAD_TIMEOUT_MS = 180_000
WAIT_MS = 15_000
READY = (
    "() => window.__zalLive && window.__zalLive.debug().joined && window.__zalStage"
    " && window.__zalTimeline"
)
SHOWN = "() => JSON.stringify(window.__zalTimeline.debug().shown)"


def _sql_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _prepare(data_dir) -> tuple[str, str, str, dict[str, int]]:
    """An event with a 60 s recording and chat from an earlier showing of it."""
    event_id = "timeline-" + secrets.token_hex(3)
    media_id = "med_" + secrets.token_hex(8)
    token = secrets.token_urlsafe(16)
    now = datetime.now(UTC)
    earlier = now - timedelta(days=1)
    ids: dict[str, int] = {}
    with sqlite3.connect(data_dir / "zal.sqlite3") as db:
        db.execute(
            "INSERT INTO events (id, venue_id, title, kind, description, starts_at, ends_at,"
            " poster_sha256, host_token_hash, demo, lang, translations)"
            " VALUES (?, ?, 'Timeline test', 'concert', '', ?, ?, NULL, ?, 0, 'en', '{}')",
            (event_id, VENUE, _sql_time(now - timedelta(minutes=5)),
             _sql_time(now + timedelta(hours=1)), hash_token(token)),
        )  # fmt: skip
        db.execute(
            "INSERT INTO media (id, event_id, kind, title, status, progress, error, package_id,"
            " stream_url, duration_s, slides, created_at) VALUES (?, ?, 'recording', 'Quartet',"
            " 'ready', 1.0, NULL, ?, NULL, 60.0, '[]', ?)",
            (media_id, event_id, "ef" * 32, _sql_time(now)),
        )
        for name, text, at, deleted in [
            ("Ann", "the cello!", 2.0, 0),
            ("Ilnur", "deleted words", 3.0, 1),
            ("Ann", "Бик матур", 5.0, 0),
            ("Oleg", "the finale", 40.0, 0),
        ]:
            cur = db.execute(
                "INSERT INTO chat_messages (audience, member_id, name, text, sent_at, deleted,"
                " media_id, media_time) VALUES (?, 'm_old', ?, ?, ?, ?, ?, ?)",
                (f"event:{event_id}", name, text, _sql_time(earlier + timedelta(seconds=at)),
                 deleted, media_id, at),
            )  # fmt: skip
            ids[text] = int(cur.lastrowid or 0)
    return event_id, media_id, token, ids


def test_earlier_comments_follow_the_recording(browser, zal_server):
    event_id, media_id, token, ids = _prepare(zal_server.data_dir)
    context, page, console = open_context(browser, viewport=VIEWPORT, locale="en-GB")
    context.add_init_script("localStorage.setItem('zal.displayName', 'Hostess');")
    try:
        page.goto(f"{zal_server.url}/venue/{VENUE}?event={event_id}&test=1#host={token}")
        page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS, polling=200)
        page.evaluate("() => window.__zalTest.view.stop()")  # no frames needed: spare the CPU

        def request(name: str, payload: dict) -> dict:
            ack = page.evaluate("([n, p]) => window.__zalLive.conn.request(n, p)", [name, payload])
            assert ack["ok"], (name, ack)
            return ack

        def shown_becomes(expected: list[int]) -> None:
            page.wait_for_function(
                f"() => ({SHOWN})() === {json.dumps(json.dumps(expected, separators=(',', ':')))}",
                timeout=WAIT_MS, polling=100,
            )  # fmt: skip

        request("stage_media", {"media_id": media_id})
        # chosen, at 0: nothing reached yet, the hint counts what is to come
        page.wait_for_function(
            "() => window.__zalTimeline.debug().comments === 3", timeout=WAIT_MS, polling=100
        )
        shown_becomes([])
        debug = page.evaluate("window.__zalTimeline.debug()")
        assert not debug["hidden"] and "3 comments" in debug["hint"], debug
        assert page.locator(".timeline-title").inner_text() == "From earlier showings"

        request("stage_pause", {"position": 6.0})  # the recording reaches 6 s
        shown_becomes([ids["the cello!"], ids["Бик матур"]])
        texts = page.locator(".timeline-msg .timeline-text").all_inner_texts()
        assert texts == ["the cello!", "Бик матур"]
        assert page.locator(".timeline-msg .timeline-at").all_inner_texts() == ["0:02", "0:05"]
        assert page.locator(".timeline-msg .timeline-text").first.get_attribute("dir") == "auto"

        request("stage_seek", {"position": 1.0})  # back: the list re-positions
        shown_becomes([])
        request("stage_play", {"position": 39.5})  # plays on into the finale's moment
        shown_becomes([ids["the cello!"], ids["Бик матур"], ids["the finale"]])

        # our own live message during the showing stays in the live chat only, even
        # when the comments are read again (the host puts the recording on anew)
        own = request("chat", {"text": "my live words"})
        request("stage_media", {"media_id": None})
        page.wait_for_function("() => window.__zalTimeline.debug().hidden", timeout=WAIT_MS)
        request("stage_media", {"media_id": media_id})
        request("stage_play", {"position": 50.0})
        page.wait_for_function(
            "() => window.__zalTimeline.debug().comments === 4", timeout=WAIT_MS, polling=100
        )
        shown_becomes([ids["the cello!"], ids["Бик матур"], ids["the finale"]])
        assert own["id"] not in page.evaluate("window.__zalTimeline.debug().shown")
        live_chat = page.locator(".live-chat .live-msg-text").all_inner_texts()
        assert "my live words" in live_chat
        assert console.unexpected(allowed=("404", "hls", "Failed to load resource")) == []
    finally:
        context.close()
