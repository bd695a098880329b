"""The host console's Attendance panel in Chromium (issue 8): during an event of our
own, two residents (real Socket.IO clients, each its own browser string) join, chat
and ask; the host answers one question. The panel's "so far" figures come to equal
the API's answer without the host asking (the hall's activity refreshes it). Once
the event is over, the console shows the final figures, again the API's, and stops
asking. Anonymous readers are refused by the API."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
import socketio
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, REPO, console_errors, open_context
from .test_accessibility import assert_accessible
from .test_portal import sign_in

pytestmark = pytest.mark.browser

INSTITUTION, VENUE = "city-museum", "lecture-room"  # the room is free until the river lecture
TIMEOUT_MS = 60_000
SYNC_S = 30.0
FIGURES = ("peak_concurrent", "unique_visitors", "chat_messages", "questions", "questions_answered")


def _editor_token(server) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "server", "tokens", "create", "--institution", INSTITUTION,
         "--role", "editor", "--label", "attendance test", "--data-dir", str(server.data_dir)],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout.strip()


def _api(server, method: str, path: str, token: str | None = None, body=None):
    request = urllib.request.Request(server.url + path, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=data, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


class Resident:
    """A member of the audience without a browser: python-socketio on its own loop."""

    def __init__(self, url: str, event_id: str, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = socketio.AsyncClient()
        self._run(self.client.connect(
            url, namespaces=["/live"], transports=["websocket"], auth={"name": name},
            headers={"User-Agent": f"attendance-test/{name}"},  # another browser, another visitor
        ))  # fmt: skip
        ack = self.call("join", {"event_id": event_id})
        assert ack.get("members") is not None, ack

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(SYNC_S)

    def call(self, name: str, payload: dict) -> dict:
        return self._run(self.client.call(name, payload, namespace="/live"))

    def close(self) -> None:
        self._run(self.client.disconnect())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(SYNC_S)


# the API's answer (read from the page, as the panel reads it) once it has counted all
API_COUNTED = """async ([path, token]) => {
  const r = await fetch(path + '?probe=1', { headers: { Authorization: 'Bearer ' + token } });
  const f = await r.json();
  return r.ok && f.peak_concurrent === 3 && f.unique_visitors === 3
    && f.chat_messages === 2 && f.questions === 2 && f.questions_answered === 1 && f;
}"""


# when the page's own requests for the figures started (ms), the test's probes left out
PANEL_READS = r"""() => performance.getEntriesByType('resource')
  .filter((e) => e.initiatorType === 'fetch' && /\/attendance\?lang=/.test(e.name))
  .map((e) => e.startTime)"""


def _panel_equals(page: Page, figures: dict) -> None:
    """Wait until each figure on the panel reads as the API's (formatted for en-GB)."""
    expected = {k: f"{figures[k]:,}" for k in FIGURES}
    page.wait_for_function(
        """(expected) => Object.entries(expected).every(([k, v]) =>
             document.querySelector(`[data-figure="${k}"]`)?.textContent === v)""",
        arg=expected,
        timeout=TIMEOUT_MS,
    )


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".host-attendance").screenshot(path=str(ARTIFACTS / name))


def test_the_host_sees_attendance_so_far_and_after_the_event(browser, zal_server):
    editor = _editor_token(zal_server)
    now = datetime.now(UTC)
    status, created = _api(zal_server, "POST", f"/api/institutions/{INSTITUTION}/events", editor, {
        "venue_id": VENUE, "kind": "qa", "lang": "en", "title": {"en": "Attendance check"},
        "starts_at": (now - timedelta(minutes=2)).isoformat(),
        "ends_at": (now + timedelta(minutes=30)).isoformat(),
    })  # fmt: skip
    assert status == 201, created
    event_id = created["event"]["id"]
    host_url = zal_server.url + created["host_url"]
    path = f"/api/events/{event_id}/attendance"
    host_token = created["host_url"].split("#host=")[1]
    context, host, _ = open_context(browser, viewport={"width": 1280, "height": 900},
                                    locale="en-GB")  # fmt: skip
    residents: list[Resident] = []
    try:
        host.goto(host_url)
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        panel = host.locator("#attendance-panel")
        expect(panel).to_have_attribute("data-phase", "during", timeout=TIMEOUT_MS)
        expect(host.locator(".attendance-when")).to_contain_text("So far")
        enabled = host.evaluate(
            "() => window.__zalHost.conn.request('qa_settings', {enabled: true})"
        )
        assert enabled.get("ok"), enabled

        residents = [Resident(zal_server.url, event_id, name) for name in ("Anna", "Ben")]
        for resident, text in zip(residents, ("Good evening!", "Hello from row 5"), strict=True):
            assert resident.call("chat", {"text": text}).get("ok"), text
        asked = [
            residents[0].call("qa_ask", {"text": "When do the trams start?"}),
            residents[1].call("qa_ask", {"text": "Will the stops have shelters?"}),
        ]
        question_id = asked[0]["question"]["id"]
        answer = {"question_id": question_id, "answer": "In May."}
        answered = host.evaluate("(a) => window.__zalHost.conn.request('qa_answer', a)", answer)
        assert answered.get("ok"), answered

        # the API's count once every join, line and question is in (the host, Anna
        # and Ben: three at once, three browsers; two lines; two questions, one answered)
        figures = host.wait_for_function(
            API_COUNTED, arg=[path, host_token], timeout=TIMEOUT_MS, polling=250
        ).json_value()
        # the panel follows by itself: the chat and questions nudged it
        _panel_equals(host, figures)
        expect(host.locator(".attendance-at")).to_contain_text("at ")
        _screenshot(host, "attendance-so-far.png")
        # two joins, two lines, two questions, an answer: the panel read again, but
        # never sooner than ten seconds after its last read
        starts = host.evaluate(PANEL_READS)
        assert len(starts) >= 2, starts
        assert all(b - a >= 9_500 for a, b in zip(starts, starts[1:], strict=False)), starts

        # the event ends: the console opened afterwards shows the final figures
        for resident in residents:
            resident.close()
        residents = []
        long_ago = now - timedelta(days=300)
        status, moved = _api(zal_server, "PATCH", f"/api/events/{event_id}", editor, {
            "starts_at": long_ago.isoformat(),
            "ends_at": (long_ago + timedelta(hours=1)).isoformat(),
        })  # fmt: skip
        assert status == 200 and moved["event"]["status"] == "past", moved
        host.reload()
        expect(host.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT_MS)
        expect(panel).to_have_attribute("data-phase", "after", timeout=TIMEOUT_MS)
        status, final = _api(zal_server, "GET", path, host_token)
        assert status == 200, final
        _panel_equals(host, final)
        assert {k: final[k] for k in FIGURES} == {k: figures[k] for k in FIGURES}
        expect(host.locator(".attendance-when")).to_contain_text("Final figures")
        expect(host.locator(".attendance-refresh")).to_be_hidden()
        _screenshot(host, "attendance-final.png")
        assert_accessible(host, zal_server)

        # the institution sees the same figures in the portal's programme, past events
        portal_ctx, portal, _ = open_context(browser, viewport={"width": 1100, "height": 800},
                                             locale="en-GB")  # fmt: skip
        try:
            sign_in(portal, zal_server, editor)
            row = portal.locator(f"li[data-event-id='{event_id}']")
            row.locator("summary").click()
            expect(row.locator(".portal-attendance-figures")).to_have_text(
                f"Peak audience at once: {final['peak_concurrent']:,} · "
                f"Unique visitors: {final['unique_visitors']:,} · "
                f"Chat messages: {final['chat_messages']:,} · "
                f"Questions: {final['questions']:,} ({final['questions_answered']:,} answered)",
                timeout=TIMEOUT_MS,
            )
            assert console_errors(portal) == []
        finally:
            portal_ctx.close()

        # nobody else reads it: anonymous, or a stranger's token
        assert _api(zal_server, "GET", path)[0] == 401
        assert _api(zal_server, "GET", path, "zal_not-a-token")[0] == 401
        assert console_errors(host) == []
    finally:
        for resident in residents:
            resident.close()
        context.close()
        # the event, if still live, leaves the room free for the tests after this one
        _api(zal_server, "PATCH", f"/api/events/{event_id}", editor, {
            "starts_at": (now - timedelta(days=300)).isoformat(),
            "ends_at": (now - timedelta(days=300) + timedelta(hours=1)).isoformat(),
        })  # fmt: skip
