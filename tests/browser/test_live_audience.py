"""The live audience end to end: two real Chromium pages in one venue and event, the
real server subprocess with its realtime namespace (``zal_server`` and ``browser``
from conftest.py), nothing mocked.

Each page opens ``/venue/<venue>?event=<event>&test=1``; the live client puts
``window.__zalLive`` (debug(): avatars, seat, reactions) and the venue page
``window.__zalTest`` (its VenueView, seats, camera) on the page.
"""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
import socketio
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

# Each test joins its own demo event, so chat, reactions and seats of one test
# (and the 30 s resume grace of its closed pages) never leak into another.
CHAMBER = "chamber-hall"
LECTURE = "lecture-room"
# SwiftShader renders on the CPU, shared with the server and other tests: small
# windows keep the frame rate up; waits are generous because the machine is busy.
VIEWPORT = {"width": 560, "height": 360}
LOAD_TIMEOUT_MS = 180_000
SYNC_TIMEOUT_MS = 30_000


def host_token(server, event_id: str) -> str:
    """The demo's host token of an event (the server writes them to its data dir)."""
    for line in (server.data_dir / "demo-host-tokens.txt").read_text().splitlines():
        fields = line.split()  # event id, token, host link
        if fields and fields[0] == event_id:
            return fields[1]
    raise KeyError(event_id)


class Member:
    """One browser context = one person in the hall."""

    def __init__(self, page: Page, errors: list[str]) -> None:
        self.page = page
        self.errors = errors

    def debug(self) -> dict:
        return self.page.evaluate("window.__zalLive.debug()")

    @property
    def id(self) -> str:
        return self.debug()["self"]["id"]

    def wait(self, js: str, arg=None, timeout: int = SYNC_TIMEOUT_MS):
        return self.page.wait_for_function(js, arg=arg, timeout=timeout, polling=100)


def open_member(
    browser: Browser, server, name: str, venue: str, event: str, fragment: str = ""
) -> Member:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(f"localStorage.setItem('zal.displayName', {json.dumps(name)});")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/venue/{venue}?event={event}&test=1{fragment}")
    page.wait_for_function("() => window.__zalLive && window.__zalLive.debug().joined",
                           timeout=LOAD_TIMEOUT_MS, polling=200)
    return Member(page, errors)


@pytest.fixture
def members(browser, zal_server):
    """members(name, venue, event, fragment='') opens one more person's browser."""
    opened: list[Member] = []

    def factory(name: str, venue: str, event: str, fragment: str = "") -> Member:
        m = open_member(browser, zal_server, name, venue, event, fragment)
        opened.append(m)
        return m

    yield factory
    for m in opened:
        m.page.context.close()


AVATAR_NEAR = """([id, x, y, z, tol]) => {
  const a = window.__zalLive.debug().avatars[id];
  if (!a || !a.position) return false;
  const p = a.position;
  return Math.hypot(p[0] - x, p[1] - y, p[2] - z) <= tol;
}"""


def camera_at_rest(m: Member) -> list[float]:
    """The camera position once it stopped moving (glides and key moves ease out)."""
    last = None
    for _ in range(100):
        pos = m.page.evaluate(
            "(() => { const p = window.__zalTest.cameraPosition(); return [p.x, p.y, p.z]; })()"
        )
        if last is not None and max(abs(a - b) for a, b in zip(pos, last, strict=True)) < 1e-4:
            return pos
        last = pos
        m.page.wait_for_timeout(250)
    raise AssertionError("camera never came to rest")


def test_two_members_see_each_other_arrive_move_and_sit(members):
    anna = members("Anna", CHAMBER, "string-quartets")
    ben = members("Ben", CHAMBER, "string-quartets")
    anna_id, ben_id = anna.id, ben.id
    anna.wait("(id) => id in window.__zalLive.debug().avatars", ben_id)
    ben.wait("(id) => id in window.__zalLive.debug().avatars", anna_id)
    assert anna.debug()["avatars"][ben_id]["name"] == "Ben"
    assert ben.debug()["avatars"][anna_id]["name"] == "Anna"

    # Walk forward with the keyboard: Ben's copy of Anna follows to where she stops.
    start = camera_at_rest(anna)
    anna.page.locator("#stage-canvas").focus()
    anna.page.keyboard.down("KeyW")
    # held until she has walked half a metre (however slowly a busy CPU draws frames)
    anna.wait(
        "([x, z]) => { const p = window.__zalTest.cameraPosition();"
        " return Math.hypot(p.x - x, p.z - z) > 0.5; }",
        [start[0], start[2]],
    )
    anna.page.keyboard.up("KeyW")
    moved = camera_at_rest(anna)
    walked = max(abs(a - b) for a, b in zip(moved, start, strict=True))
    assert walked > 0.3, "the key did not move Anna"
    ben.wait(AVATAR_NEAR, [anna_id, *moved, 0.02])

    # Sit down: the avatar appears in that seat, and the seat is marked taken for Ben.
    seat_ids = anna.page.evaluate("window.__zalTest.seatIds()")
    first, second = seat_ids[3], seat_ids[-3]
    for seat_id in (first, second):
        assert anna.page.evaluate("(id) => window.__zalTest.view.sitAt(id)", seat_id)
        anna.wait("(id) => window.__zalLive.debug().seat === id", seat_id)
        eye = anna.page.evaluate("(id) => window.__zalTest.seat(id).eye", seat_id)
        try:
            ben.wait(AVATAR_NEAR, [anna_id, *eye, 0.02])
        except Exception as exc:
            raise AssertionError(
                f"{seat_id}: eye {eye}, Anna's camera {camera_at_rest(anna)},"
                f" Ben sees {ben.debug()['avatars'].get(anna_id)}, Anna {anna.debug()}"
            ) from exc
        ben.wait(
            "([id, seat]) => window.__zalLive.debug().avatars[id].seat === seat", [anna_id, seat_id]
        )
        assert not ben.page.evaluate("(id) => window.__zalTest.view.seats.isAvailable(id)", seat_id)

    assert anna.errors == [] and ben.errors == []


def test_chat_as_plain_text_and_reactions_reach_the_other_member(members):
    anna = members("Anna", CHAMBER, "piano-masterclass")
    ben = members("Ben", CHAMBER, "piano-masterclass")

    anna.page.fill(".live-chat-input", "Good evening, Ben!")
    anna.page.click(".live-chat-send")
    ben_msg = ben.page.locator(".live-msg", has_text="Good evening, Ben!")
    ben_msg.wait_for(timeout=SYNC_TIMEOUT_MS)
    assert ben_msg.locator(".live-msg-name").text_content() == "Anna"
    own = anna.page.locator(".live-msg", has_text="Good evening, Ben!")
    own.wait_for(timeout=SYNC_TIMEOUT_MS)
    assert "own" in own.get_attribute("class")
    assert "own" not in ben_msg.get_attribute("class")

    attack = "<img src=x onerror=alert(1)><b>bold</b>"
    ben.page.fill(".live-chat-input", attack)
    assert ben.page.text_content(".live-chat-counter") == f"{len(attack)}/500"
    ben.page.click(".live-chat-send")
    seen = anna.page.locator(".live-msg-text", has_text="onerror")
    seen.wait_for(timeout=SYNC_TIMEOUT_MS)
    assert seen.text_content() == attack
    for page in (anna.page, ben.page):
        assert page.locator(".live-chat img, .live-chat b").count() == 0

    # right-to-left words read right to left, and the line around them stays in order
    hebrew = "שלום לכולם 123"
    ben.page.fill(".live-chat-input", hebrew)
    ben.page.click(".live-chat-send")
    rtl = anna.page.locator(".live-msg-text", has_text="שלום")
    rtl.wait_for(timeout=SYNC_TIMEOUT_MS)
    assert rtl.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    assert seen.evaluate("(el) => getComputedStyle(el).direction") == "ltr"

    # reactions from one member reach the other (the same two pages: one load fewer)
    for _ in range(3):
        ben.page.click(".live-reaction[data-kind=heart]")
        ben.page.wait_for_timeout(250)
    ben.page.click(".live-reaction[data-kind=applause]")
    anna.wait("() => (window.__zalLive.debug().reactionTotals.heart || 0) >= 3"
              " && (window.__zalLive.debug().reactionTotals.applause || 0) >= 1")
    totals = anna.debug()["reactionTotals"]
    assert totals == {"heart": 3, "applause": 1}
    assert anna.debug()["particles"] > 0  # hearts and hands floating over the hall
    # Ben clicked (a user gesture), so his applause sound may start: it is running and
    # the applause that came back (his own is counted too) made it louder than silence.
    assert ben.page.evaluate("window.__zalLive.applause.running")
    assert ben.page.evaluate("window.__zalLive.applause.level") > 0

    assert anna.errors == [] and ben.errors == []


def test_host_deletes_a_line_sets_slow_mode_mutes_and_removes_a_member(members, zal_server):
    token = host_token(zal_server, "river-lecture")
    host = members("Hostess", LECTURE, "river-lecture", fragment=f"#host={token}")
    guest = members("Guest", LECTURE, "river-lecture")
    assert host.debug()["self"]["host"] is True
    assert guest.debug()["self"]["host"] is False
    assert host.page.is_visible(".live-host-tools")
    assert not guest.page.is_visible(".live-host-tools")
    assert guest.page.locator(".live-msg-tools").count() == 0

    guest.page.fill(".live-chat-input", "a message the host will remove")
    guest.page.click(".live-chat-send")
    line = host.page.locator(".live-msg", has_text="a message the host will remove")
    line.wait_for(timeout=SYNC_TIMEOUT_MS)
    guest_line = guest.page.locator(".live-msg", has_text="a message the host will remove")
    guest_line.wait_for(timeout=SYNC_TIMEOUT_MS)

    line.hover()
    line.locator("button[data-act=delete]").click()
    guest_line.wait_for(state="detached", timeout=SYNC_TIMEOUT_MS)
    line.wait_for(state="detached", timeout=SYNC_TIMEOUT_MS)

    # Slow mode from the host's tools: the guest (who wrote a moment ago) is told to wait.
    host.page.select_option(".live-slow", "60")
    guest.page.locator(".live-chat-state", has_text="Slow mode").wait_for(timeout=SYNC_TIMEOUT_MS)
    guest.page.fill(".live-chat-input", "too soon")
    guest.page.click(".live-chat-send")
    error = guest.page.locator(".live-chat-error")
    error.wait_for(timeout=SYNC_TIMEOUT_MS)
    assert error.get_attribute("data-code") == "slow_mode"
    assert "Slow mode is on" in error.text_content()
    assert guest.page.input_value(".live-chat-input") == "too soon"  # kept for a retry
    assert host.page.locator(".live-msg", has_text="too soon").count() == 0
    host.page.select_option(".live-slow", "0")
    guest.page.locator(".live-chat-state", has_text="Slow mode").wait_for(
        state="hidden", timeout=SYNC_TIMEOUT_MS
    )

    # then the guest shouts: muted, then removed (the same two pages: two loads fewer)
    guest_id = guest.id
    guest.page.fill(".live-chat-input", "I will shout now")
    guest.page.click(".live-chat-send")
    line = host.page.locator(".live-msg", has_text="I will shout now")
    line.wait_for(timeout=SYNC_TIMEOUT_MS)

    line.hover()
    line.locator("button[data-act=mute]").click()
    guest.page.locator(".live-chat-error", has_text="muted").wait_for(timeout=SYNC_TIMEOUT_MS)
    guest.page.fill(".live-chat-input", "SHOUTING")
    guest.page.click(".live-chat-send")
    guest.wait("() => document.querySelector('.live-chat-error').dataset.code === 'muted'")
    assert host.page.locator(".live-msg", has_text="SHOUTING").count() == 0

    line.hover()
    line.locator("button[data-act=remove]").click()
    guest.page.locator(".live-chat-error", has_text="removed").wait_for(timeout=SYNC_TIMEOUT_MS)
    host.wait("(id) => !(id in window.__zalLive.debug().avatars)", guest_id)
    guest.wait("() => !window.__zalLive.debug().connected")
    # the page says why (not "Reconnecting…") and its socket is not reconnecting:
    # the server sent `removed` and closed the connection, the client hung up first
    guest.wait("() => document.querySelector('.live-presence').dataset.removed"
               " === 'removed_by_host'")
    pill = guest.page.locator(".live-presence-text").text_content()
    assert pill == guest.page.locator(".live-chat-error").text_content()  # the removal notice
    assert "removed" in pill
    socket = guest.page.evaluate(
        "(() => { const c = window.__zalLive.conn;"
        " return {removed: c.removed, resume: c.resume, active: c.socket.active,"
        " reconnecting: Boolean(c.socket.io._reconnecting)}; })()"
    )
    assert socket == {"removed": True, "resume": None, "active": False, "reconnecting": False}
    assert host.errors == []


def test_a_dropped_connection_comes_back_as_the_same_member(members):
    anna = members("Anna", LECTURE, "icons-lecture")
    ben = members("Ben", LECTURE, "icons-lecture")
    anna_id = anna.id
    ben.wait("(id) => id in window.__zalLive.debug().avatars", anna_id)
    ben.page.evaluate(
        "window.__left = [];"
        " window.__zalLive.conn.on('member_left', (m) => window.__left.push(m.id))"
    )
    # Cut Anna's transport as a network blip would; Socket.IO reconnects by itself.
    anna.page.evaluate("window.__zalLive.conn.socket.io.engine.close()")
    anna.wait("() => !window.__zalLive.debug().connected")
    anna.wait("() => window.__zalLive.debug().joined")
    assert anna.id == anna_id  # resumed: same member, not a new one
    anna.page.fill(".live-chat-input", "back again")
    anna.page.click(".live-chat-send")
    ben.page.locator(".live-msg", has_text="back again").wait_for(timeout=SYNC_TIMEOUT_MS)
    assert anna_id not in ben.page.evaluate("window.__left")
    assert anna_id in ben.debug()["avatars"]
    # The reconnect logs nothing as an error: the socket closed on purpose here.
    assert ben.errors == []


def test_a_member_changes_their_name_and_the_other_sees_the_new_one(members):
    anna = members("Anna", CHAMBER, "piano-masterclass")
    ben = members("Ben", CHAMBER, "piano-masterclass")
    ben.page.click(".live-presence summary")
    ben.page.click(".live-rename")
    dialog = ben.page.locator(".live-name-dialog")
    assert dialog.locator("input").input_value() == "Ben"
    dialog.locator("input").fill("  Benjamin\tthe <i>Bold</i>  ")
    dialog.locator("button").click()
    new_name = "Benjamin the <i>Bold</i>"  # trimmed, control characters out, still text
    ben.wait("(n) => { const d = window.__zalLive.debug(); return d.joined && d.self.name === n; }",
             new_name)
    anna.wait("(n) => Object.values(window.__zalLive.debug().avatars).some(a => a.name === n)",
              new_name)
    assert ben.page.evaluate("localStorage.getItem('zal.displayName')") == new_name
    assert anna.page.locator(".live-presence li", has_text=new_name).count() == 1
    assert anna.page.locator(".live-presence i").count() == 0
    # Ben's page still hears everything under his new name: the hands' place in line
    # comes as server events (a master class takes raised hands)
    anna.page.click(".hand-button")
    anna.wait("() => window.__zalLive.handRaise.position === 1")
    ben.page.click(".hand-button")
    ben.wait("() => window.__zalLive.handRaise.position === 2")
    anna.page.click(".hand-button")  # Anna lowers hers: Ben is told he moved up
    ben.wait("() => window.__zalLive.handRaise.position === 1")
    ben.page.click(".hand-button")
    ben.wait("() => !window.__zalLive.handRaise.raised")
    assert anna.errors == [] and ben.errors == []


class VrClient:
    """A headset member without a browser: python-socketio on its own thread and loop,
    sending 22-number poses (head and both hands) at 10 Hz until told otherwise."""

    def __init__(self, url: str, event_id: str) -> None:
        self.url = url
        self.event_id = event_id
        self.pose: list[float] = []
        self.member_id: str | None = None
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        client = socketio.AsyncClient()
        await client.connect(self.url, namespaces=["/live"], transports=["websocket"],
                             auth={"name": "Quest"})
        ack = await client.call("join", {"event_id": self.event_id}, namespace="/live")
        self.member_id = ack["member"]["id"]
        self.ready.set()
        seq = 0
        while not self.stop.is_set():
            seq = (seq + 1) & 0xFFFF
            await client.emit("pose", [seq, *self.pose], namespace="/live")
            await asyncio.sleep(0.1)
        await client.disconnect()


def test_a_vr_member_shows_hands_where_their_controllers_are(members, zal_server):
    viewer = members("Ben", LECTURE, "icons-lecture")
    head = [1.0, 1.7, 4.0, 0.0, 0.0, 0.0, 1.0]
    left = [0.8, 1.3, 3.7, 0.0, 0.0, 0.0, 1.0]
    right = [1.25, 1.45, 3.6, 0.0, 0.38, 0.0, 0.92]
    vr = VrClient(zal_server.url, "icons-lecture")
    vr.pose = head + left + right
    vr.thread.start()
    try:
        assert vr.ready.wait(30)
        viewer.wait(AVATAR_NEAR, [vr.member_id, *head[:3], 0.005])
        viewer.wait(
            """([id, l, r]) => {
              const h = window.__zalLive.debug().avatars[id]?.hands;
              const near = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) < 0.005;
              return !!h && near(h[0], l) && near(h[1], r);
            }""",
            [vr.member_id, left[:3], right[:3]],
        )
        vr.pose = [1.0, 1.7, 4.2, 0.0, 0.0, 0.0, 1.0]  # took the headset off: head only
        viewer.wait("(id) => window.__zalLive.debug().avatars[id].hands === null", vr.member_id)
    finally:
        vr.stop.set()
        vr.thread.join(10)
    assert viewer.errors == []


def test_on_a_phone_the_chat_starts_folded_and_counts_new_messages(browser, members, zal_server):
    anna = members("Anna", CHAMBER, "piano-masterclass")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    try:
        context.add_init_script("localStorage.setItem('zal.displayName', 'Phone Pia');")
        phone = context.new_page()
        phone.goto(f"{zal_server.url}/venue/{CHAMBER}?event=piano-masterclass&test=1")
        phone.wait_for_function("() => window.__zalLive && window.__zalLive.debug().joined",
                                timeout=LOAD_TIMEOUT_MS, polling=200)
        assert phone.locator(".live-chat.collapsed").count() == 1
        assert not phone.is_visible(".live-chat-input")
        anna.page.fill(".live-chat-input", "hello phone")
        anna.page.click(".live-chat-send")
        phone.locator(".live-chat-title", has_text="1 new").wait_for(timeout=SYNC_TIMEOUT_MS)
        phone.tap(".live-chat-toggle")
        assert phone.is_visible(".live-chat-input")
        assert phone.text_content(".live-chat-title") == "Chat"
        assert phone.locator(".live-msg", has_text="hello phone").is_visible()
    finally:
        context.close()
