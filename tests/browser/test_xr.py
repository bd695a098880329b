"""A headset visitor, end to end: an emulated Meta Quest 3 (iwer, installed only
because the test server runs with ZAL_XR_EMULATION and the page asks with
``xr=emulate``) in headless Chromium, and a second member who is a real
python-socketio client in the same event.

One page goes through the whole visit in order, as a visitor would: enter VR (both
eyes drawn), teleport with the right controller, sit by pointing at a seat, applaud
from the wrist panel and by clapping, walk smoothly (switched on from the wrist panel,
with the comfort vignette), reply in the chat and raise a hand from the wrist panel,
leave VR from the wrist panel back to the 2D page.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading

import pytest
import socketio
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from server.realtime.snapshot import HANDS, decode_snapshot

from .conftest import READY_TIMEOUT_MS, open_context, screenshot

pytestmark = pytest.mark.browser

VENUE = "lecture-room"
EVENT = "river-lecture"
VIEWPORT = {"width": 480, "height": 270}  # both eyes share it: 240 x 270 each
SYNC_S = 30.0
WAIT_MS = 60_000


class Watcher:
    """Another member of the audience: a python-socketio client on its own thread and
    loop, keeping the latest pose of everyone and counting the reactions it hears."""

    def __init__(self, url: str, event_id: str) -> None:
        self.url = url
        self.event_id = event_id
        self.changed = threading.Condition()
        self.slots: dict[str, int] = {}  # member id -> slot
        self.seats: dict[str, str | None] = {}
        self.poses: dict[int, object] = {}  # slot -> latest DecodedMember
        self.reactions: dict[str, int] = {}
        self.chat: list[tuple[str, str]] = []  # (author id, text)
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self.thread.start()
        assert self.ready.wait(SYNC_S), "the watcher could not join"

    def _update(self, fn) -> None:
        with self.changed:
            fn()
            self.changed.notify_all()

    def _member(self, m: dict) -> None:
        def apply() -> None:
            if "slot" in m:
                self.slots[m["id"]] = m["slot"]
            if "seat" in m:
                self.seats[m["id"]] = m["seat"]

        self._update(apply)

    def _snap(self, data: bytes) -> None:
        snapshot = decode_snapshot(data)
        self._update(lambda: self.poses.update({m.slot: m for m in snapshot.changed}))

    def _react(self, payload: dict) -> None:
        def apply() -> None:
            for kind, n in (payload.get("counts") or {}).items():
                self.reactions[kind] = self.reactions.get(kind, 0) + n

        self._update(apply)

    def _chat(self, message: dict) -> None:
        self._update(lambda: self.chat.append((message["member_id"], message["text"])))

    async def _run(self) -> None:
        client = socketio.AsyncClient()
        client.on("member_joined", self._member, namespace="/live")
        client.on("member_updated", self._member, namespace="/live")
        client.on("snap", self._snap, namespace="/live")
        client.on("reactions", self._react, namespace="/live")
        client.on("chat_message", self._chat, namespace="/live")
        await client.connect(self.url, namespaces=["/live"], transports=["websocket"],
                             auth={"name": "Watcher"})
        ack = await client.call("join", {"event_id": self.event_id}, namespace="/live")
        self.client, self.loop = client, asyncio.get_running_loop()
        for m in ack["members"]:
            self._member(m)
        self.ready.set()
        while not self.stop.is_set():
            await asyncio.sleep(0.1)
        await client.disconnect()

    def stand_at(self, position) -> None:
        """Send one head pose at `position` (the server keeps the latest)."""
        pose = [1, *position, 0.0, 0.0, 0.0, 1.0]
        emit = self.client.emit("pose", pose, namespace="/live")
        asyncio.run_coroutine_threadsafe(emit, self.loop).result(SYNC_S)

    def wait_for(self, predicate, what: str):
        with self.changed:
            result = self.changed.wait_for(predicate, timeout=SYNC_S)
        assert result, f"the watcher never saw {what}"
        return result

    def pose_of(self, member_id: str):
        slot = self.slots.get(member_id)
        return self.poses.get(slot) if slot is not None else None


# Test-only JS, run in the page: three's classes are taken from live objects (the
# page has no global THREE).
AIM = """([side, target]) => {
  // iwer's controller pose is the pointing ray's (the grip sits at an offset from it)
  const view = window.__zalTest.view;
  const V = view.camera.position.constructor;
  const Q = view.camera.quaternion.constructor;
  view.rig.updateMatrixWorld(true);
  const c = window.__zalXrDevice.controllers[side];
  const local = view.rig.worldToLocal(new V(...target));
  const dir = local.sub(new V(c.position.x, c.position.y, c.position.z)).normalize();
  const q = new Q().setFromUnitVectors(new V(0, 0, -1), dir);
  c.quaternion.set(q.x, q.y, q.z, q.w);
}"""

EYES = """() => {
  const { renderer, scene, camera } = window.__zalTest.view;
  renderer.render(scene, camera);
  const gl = renderer.getContext();
  const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
  const px = new Uint8Array(w * h * 4);
  gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
  const eyes = [new Set(), new Set()];
  for (let y = 0; y < h; y += 2) for (let x = 0; x < w; x += 2) {
    const i = (y * w + x) * 4;
    eyes[x < w / 2 ? 0 : 1].add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
  }
  const views = renderer.xr.getCamera().cameras;
  return { width: w, height: h, cameras: views.length, left: eyes[0].size, right: eyes[1].size,
           viewports: views.map((c) => c.viewport.toArray()) };
}"""

HEAD = """() => { const p = window.__zalTest.view.camera.getWorldPosition(
  window.__zalTest.view.camera.position.clone()); return [p.x, p.y, p.z]; }"""

GRIPS = """() => window.__zalXr.controllers.hands.map((h) => {
  const p = h.grip.getWorldPosition(h.grip.position.clone());
  return [h.handedness, [p.x, p.y, p.z]];
})"""


TRIGGER = """([side, value]) =>
  window.__zalXrDevice.controllers[side].updateButtonValue('trigger', value)"""


def xr_debug(page: Page) -> dict:
    return page.evaluate("window.__zalXr.debug()")


def next_frames(page: Page, frames: int = 2) -> None:
    start = page.evaluate("window.__zalTest.view.frameCount")
    page.wait_for_function("(n) => window.__zalTest.view.frameCount >= n", arg=start + frames,
                           timeout=WAIT_MS, polling=50)


def pull_trigger(page: Page, side: str) -> None:
    page.evaluate(TRIGGER, [side, 1])
    next_frames(page)
    page.evaluate(TRIGGER, [side, 0])
    next_frames(page)


PANEL_BUTTON = """(id) => {
  const v = window.__zalTest.view; v.rig.updateMatrixWorld(true);
  return window.__zalXr.panel.buttonCenter(id, v.camera.position.clone()).toArray();
}"""


def press_panel_button(page: Page, button: str) -> None:
    """Point the right controller at the wrist panel's `button` and pull the trigger."""
    page.evaluate(AIM, ["right", page.evaluate(PANEL_BUTTON, button)])
    page.wait_for_function(
        "(id) => window.__zalXr.debug().hands.some((h) => h.button === id)", arg=button,
        timeout=WAIT_MS, polling=100,
    )
    pull_trigger(page, "right")


def near(a, b, tolerance: float) -> bool:
    return math.dist(a, b) <= tolerance


def test_a_headset_visitor_teleports_sits_applauds_and_leaves(browser, zal_server):
    watcher = Watcher(zal_server.url, EVENT)
    context, page, console = open_context(browser, viewport=VIEWPORT, device_scale_factor=1)
    context.add_init_script("localStorage.setItem('zal.displayName', 'Quest');")
    try:
        page.goto(f"{zal_server.url}/venue/{VENUE}?event={EVENT}&test=1&xr=emulate")
        page.wait_for_function(
            "() => window.__zalXr && window.__zalLive && window.__zalLive.debug().joined",
            timeout=READY_TIMEOUT_MS, polling=200,
        )
        me = page.evaluate("window.__zalLive.debug().self.id")

        # Two arriving at once: the watcher stands right where this visitor appeared;
        # the newcomer steps aside (web_client/src/live/arrival.js)
        watcher.wait_for(lambda: watcher.pose_of(me) is not None, "the visitor's first pose")
        arrived = watcher.pose_of(me).position
        watcher.stand_at(arrived)
        watcher.wait_for(
            lambda: math.dist(watcher.pose_of(me).position[::2], arrived[::2]) >= 1.0,
            "the newcomer stepping aside",
        )

        # from here on a known spot: the first spawn point, facing the stage
        page.evaluate("window.__zalTest.view.goToSpawn(0)")

        button = page.locator("#vr-button")
        assert button.get_attribute("data-state") == "ready"
        assert button.text_content() == "Enter VR"

        # Enter VR: two views, each eye's half of the picture drawn
        button.click(timeout=WAIT_MS)  # a busy CPU may hold the page for a while
        try:
            page.wait_for_function(
                "() => { const d = window.__zalXr.debug(); return d.presenting"
                " && d.hands.filter((h) => h.tracked).length === 2; }",
                timeout=WAIT_MS, polling=100,
            )
        except PlaywrightTimeout as exc:
            state = page.evaluate("window.__zalXr.debug()")
            raise AssertionError(f"not in VR: {state}, {console.errors}") from exc
        assert button.text_content() == "Exit VR"
        eyes = page.evaluate(EYES)
        assert eyes["cameras"] == 2, eyes
        assert eyes["left"] > 50 and eyes["right"] > 50, eyes
        screenshot(page, "xr-stereo.png")

        # Teleport: the right controller points ahead and down at the floor
        page.evaluate("""() => {
          const c = window.__zalXrDevice.controllers.right;
          c.position.set(0.2, 1.2, -0.3);
          c.quaternion.set(-0.2588, 0, 0, 0.9659);  // 30 degrees down
        }""")
        page.wait_for_function(
            "() => window.__zalXr.debug().hands.some((h) => h.side === 'right' && h.landing)",
            timeout=WAIT_MS, polling=100,
        )
        start = page.evaluate(HEAD)
        landing = next(h for h in xr_debug(page)["hands"] if h["side"] == "right")["landing"]
        pull_trigger(page, "right")
        page.wait_for_function(
            f"""() => {{ const p = ({HEAD})();
              return Math.hypot(p[0] - {landing[0]}, p[2] - {landing[2]}) < 0.02; }}""",
            timeout=WAIT_MS, polling=100,
        )
        head = page.evaluate(HEAD)
        assert math.dist(head[::2], start[::2]) > 0.5, "the teleport went nowhere"

        # the other member sees the headset's new head pose and both hands
        grips = dict(page.evaluate(GRIPS))
        watcher.wait_for(
            lambda: (p := watcher.pose_of(me)) is not None and p.flags & HANDS
            and near(p.position, head, 0.02)
            and near(p.hands[0][0], grips["left"], 0.02)
            and near(p.hands[1][0], grips["right"], 0.02),
            "the teleported head and both hands",
        )

        # Smooth walking, switched on from the wrist panel: the left stick glides the
        # visitor the way the head looks, with the edges of the view darkened
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.controllers.left.position.set(-0.1, 1.3, -0.3);
          d.controllers.left.quaternion.set(0, 0, 0, 1);
          d.controllers.right.position.set(0.15, 1.35, -0.15);
        }""")
        next_frames(page, 3)
        press_panel_button(page, "smooth")
        page.wait_for_function("() => window.__zalXr.debug().smooth", timeout=WAIT_MS, polling=100)
        before = page.evaluate(HEAD)
        page.evaluate("window.__zalXrDevice.controllers.left.updateAxes('thumbstick', 0, -1)")
        page.wait_for_function(
            f"""() => {{ const p = ({HEAD})(); return window.__zalXr.debug().vignette > 0.3
              && Math.hypot(p[0] - {before[0]}, p[2] - {before[2]}) > 0.3; }}""",
            timeout=WAIT_MS, polling=100,
        )
        page.evaluate("window.__zalXrDevice.controllers.left.updateAxes('thumbstick', 0, 0)")
        page.wait_for_function("() => window.__zalXr.debug().vignette === 0", timeout=WAIT_MS,
                               polling=100)
        press_panel_button(page, "smooth")  # back to teleporting
        page.wait_for_function("() => !window.__zalXr.debug().smooth", timeout=WAIT_MS,
                               polling=100)

        # Sit: point at the nearest free seat and pull the trigger
        seat = page.evaluate("""() => {
          const view = window.__zalTest.view;
          const head = view.camera.getWorldPosition(view.camera.position.clone());
          const free = view.seats.list.filter((s) => view.seats.isAvailable(s.id));
          const away = (s) => Math.hypot(s.eye[0] - head.x, s.eye[2] - head.z);
          return free.sort((a, b) => away(a) - away(b))[0];
        }""")
        seat_id = seat["id"]
        # the seat's pick sphere (web_client/src/venue/seats.js)
        target = [seat["position"][0], seat["position"][1] + 0.22, seat["position"][2]]
        page.evaluate(AIM, ["right", target])
        page.wait_for_function(
            "(id) => window.__zalXr.debug().hands.some((h) => h.seat === id)", arg=seat_id,
            timeout=WAIT_MS, polling=100,
        )
        pull_trigger(page, "right")
        page.wait_for_function("(id) => window.__zalLive.debug().seat === id", arg=seat_id,
                               timeout=WAIT_MS, polling=100)
        assert near(page.evaluate(HEAD), seat["eye"], 0.03)
        watcher.wait_for(lambda: watcher.seats.get(me) == seat_id, "the seat taken")
        watcher.wait_for(
            lambda: (p := watcher.pose_of(me)) is not None and near(p.position, seat["eye"], 0.03),
            "the head at the seat's eye point",
        )

        # Applause from the wrist panel (left hand up, the right one points at it)
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.controllers.left.position.set(-0.1, 1.3, -0.3);
          d.controllers.left.quaternion.set(0, 0, 0, 1);
          d.controllers.right.position.set(0.15, 1.35, -0.15);
        }""")
        next_frames(page, 3)
        before = watcher.reactions.get("applause", 0)
        press_panel_button(page, "applause")
        watcher.wait_for(lambda: watcher.reactions.get("applause", 0) > before,
                         "applause from the wrist panel")

        # A quick reply from the wrist panel: a chat line the others read, and the
        # panel says it went (the chat lines under the buttons show it too)
        press_panel_button(page, "reply-bravo")
        watcher.wait_for(lambda: (me, "Bravo!") in watcher.chat, "the quick reply in the chat")
        page.wait_for_function(
            "() => window.__zalXr.panel.status === 'Sent: Bravo!'"
            " && window.__zalXr.panel.lines.some(([, text]) => text === 'Bravo!')",
            timeout=WAIT_MS, polling=100,
        )
        # the picture for docs/headset.md: the visitor looks down at the raised wrist
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.quaternion.set(-0.3420, 0, 0, 0.9397);  // the head 40 degrees down
          d.controllers.left.position.set(-0.01, d.position.y - 0.2, d.position.z - 0.2);
        }""")
        next_frames(page, 3)
        screenshot(page, "xr-wrist-panel.png")
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.quaternion.set(0, 0, 0, 1);
          d.controllers.left.position.set(-0.1, 1.3, -0.3);
        }""")
        next_frames(page, 3)

        # Raise hand (a lecture takes hands): the panel's button raises it and then
        # reads "Lower hand"; pressed again, the hand is down
        for raised, label in ((True, "Lower hand"), (False, "Raise hand")):
            press_panel_button(page, "hand")
            page.wait_for_function(
                """([raised, label]) => window.__zalLive.handRaise.raised === raised
                  && window.__zalXr.panel.buttons.some(
                    (b) => b.id === 'hand' && b.label === label)""",
                arg=[raised, label], timeout=WAIT_MS, polling=100,
            )

        # ... and by clapping: hands apart, then together
        before = watcher.reactions.get("applause", 0)
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.controllers.left.position.set(-0.3, 1.2, -0.35);
          d.controllers.right.position.set(0.3, 1.2, -0.35);
          d.controllers.left.quaternion.set(0, 0, 0, 1);
          d.controllers.right.quaternion.set(0, 0, 0, 1);
        }""")
        next_frames(page, 3)
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.controllers.left.position.set(-0.03, 1.2, -0.35);
          d.controllers.right.position.set(0.03, 1.2, -0.35);
        }""")
        page.wait_for_function("() => window.__zalXr.debug().claps >= 1", timeout=WAIT_MS,
                               polling=100)
        watcher.wait_for(lambda: watcher.reactions.get("applause", 0) > before, "a clap")

        # Exit VR from the wrist panel (a headset's system button ends the session the
        # same way): back on the 2D page, still in the seat
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.controllers.left.position.set(-0.1, 1.3, -0.3);
          d.controllers.right.position.set(0.15, 1.35, -0.15);
        }""")
        next_frames(page, 3)
        press_panel_button(page, "exit")
        page.wait_for_function("() => !window.__zalXr.debug().presenting", timeout=WAIT_MS,
                               polling=100)
        assert button.text_content() == "Enter VR"
        assert page.evaluate("document.body.dataset.state") == "ready"
        page.wait_for_function(
            f"""() => {{ const p = ({HEAD})(); const e = {json.dumps(seat["eye"])};
              return Math.hypot(p[0] - e[0], p[1] - e[1], p[2] - e[2]) < 0.05; }}""",
            timeout=WAIT_MS, polling=100,
        )
        # the 2D canvas size again, at the pixel ratio the renderer has at that moment
        # (read together: the page's quality governor may change it between two reads)
        stats, ratio = page.evaluate(
            "() => [window.__zalTest.pixelStats(),"
            " window.__zalTest.view.renderer.getPixelRatio()]"
        )
        assert stats["width"] == round(VIEWPORT["width"] * ratio), (stats, ratio)
        assert stats["distinctColours"] > 50, stats
        watcher.wait_for(
            lambda: (p := watcher.pose_of(me)) is not None and not p.flags & HANDS,
            "the hands gone with the headset",
        )
        assert console.unexpected() == []
    finally:
        watcher.stop.set()
        watcher.thread.join(10)
        context.close()


TOUR = "gallery-highlights"
FEET_NEAR_M = 0.05

FADE = "() => window.__zalXr.debug().fade"

WORK_CENTRE = """(exhibit) => {
  // the middle of the work's picture in the hall, in world space
  const view = window.__zalTest.view;
  const V = view.camera.position.constructor;
  const mesh = [...view.pictures].find(([, id]) => id === exhibit)[0];
  mesh.geometry.computeBoundingBox();
  return mesh.localToWorld(mesh.geometry.boundingBox.getCenter(new V())).toArray();
}"""


def check_fade(trace: list[dict]) -> None:
    """One fade teleport, frame by frame (the fade's own record, not a clock): the
    view went black through frames neither clear nor black, the visitor moved once
    while it was black, and the view faded back in."""
    phases = [e["phase"] for e in trace]
    assert phases.count("move") == 1, phases
    moved = phases.index("move")
    before, after = trace[:moved], trace[moved + 1:]
    assert before and all(e["phase"] in ("out", "black") for e in before), phases
    assert any(0 < e["opacity"] < 1 for e in before), trace  # a fade, not a cut
    assert (before[-1]["phase"], before[-1]["opacity"]) == ("black", 1), trace
    assert trace[moved]["opacity"] == 1, trace
    start = before[0]["feet"]
    assert all(math.dist(e["feet"][::2], start[::2]) < 1e-6 for e in before), "moved in sight"
    assert after and all(e["phase"] == "in" for e in after), phases
    end = trace[moved]["feet"]
    assert all(math.dist(e["feet"][::2], end[::2]) < 1e-6 for e in after), "moved fading in"
    assert any(0 < e["opacity"] < 1 for e in after), trace
    assert after[-1]["opacity"] == 0, trace


def wait_at_stop(page: Page, stop: dict) -> None:
    """The fade is over and the head stands at `stop`, facing its work."""
    x, _, z = stop["position"]
    page.wait_for_function(
        f"""() => {{ const p = ({HEAD})();
          return window.__zalXr.fade.phase === 'idle'
            && Math.hypot(p[0] - {x}, p[2] - {z}) < {FEET_NEAR_M}; }}""",
        timeout=WAIT_MS, polling=100,
    )
    yaw = page.evaluate("window.__zalTest.view.controls.yaw")
    assert abs(math.remainder(yaw - stop["yaw"], math.tau)) < 0.01, (yaw, stop["yaw"])


def test_a_headset_visitor_takes_the_gallery_tour_from_the_wrist_panel(browser, zal_server):
    """In the demo gallery: enter VR, start the tour from the wrist panel (the
    gallery has two: a choice), fade-teleport to stop 1, the narration's caption
    before the eyes, the work's card by pointing at the work; Next fades to stop 2
    (the card goes), About this work opens its card; End tour."""
    tour = zal_server.get_json(f"/api/tours/{TOUR}")
    first, second = tour["stops"][:2]
    context, page, console = open_context(browser, viewport=VIEWPORT, device_scale_factor=1)
    try:
        page.goto(f"{zal_server.url}/venue/gallery?test=1&xr=emulate")
        page.wait_for_function(
            "() => window.__zalXr && window.__zalXr.tour.tours", timeout=READY_TIMEOUT_MS,
            polling=200,
        )
        page.evaluate("() => window.__zalTest.view.quality.pin(0.5)")
        page.locator("#vr-button").click(timeout=WAIT_MS)
        page.wait_for_function(
            "() => { const d = window.__zalXr.debug(); return d.presenting"
            " && d.hands.filter((h) => h.tracked).length === 2 && window.__zalXr.panel; }",
            timeout=WAIT_MS, polling=100,
        )
        page.evaluate("""() => {
          const d = window.__zalXrDevice;
          d.controllers.left.position.set(-0.1, 1.3, -0.3);
          d.controllers.left.quaternion.set(0, 0, 0, 1);
          d.controllers.right.position.set(0.15, 1.35, -0.15);
        }""")
        next_frames(page, 3)

        # Tour on the wrist panel: the gallery's tours to choose from, then this one
        tours = page.evaluate("window.__zalXr.tour.tours.tours.map((t) => t.id)")
        press_panel_button(page, "tour")
        if len(tours) > 1:
            press_panel_button(page, f"tour-pick-{tours.index(TOUR)}")
        wait_at_stop(page, first)
        check_fade(page.evaluate(FADE)["trace"])
        assert page.evaluate("window.__zalXr.panel.tourTitle") == f"Stop 1 of 6 · {first['title']}"
        # the narration's words before the eyes (the page's caption area is DOM)
        page.wait_for_function(
            "(text) => { const c = window.__zalXr.debug().captions;"
            " const words = (s) => s.replace(/\\s+/g, ' ').trim();"
            " return c && words(text).includes(words(c).slice(0, 30)); }",
            arg=first["narration"], timeout=WAIT_MS, polling=100,
        )

        # pointing at the work and pulling the trigger opens its card before the eyes
        page.evaluate(AIM, ["right", page.evaluate(WORK_CENTRE, first["exhibit"])])
        page.wait_for_function(
            "(id) => window.__zalXr.debug().hands.some((h) => h.exhibit === id)",
            arg=first["exhibit"], timeout=WAIT_MS, polling=100,
        )
        pull_trigger(page, "right")
        page.wait_for_function(
            "(id) => window.__zalXr.debug().card?.exhibit === id", arg=first["exhibit"],
            timeout=WAIT_MS, polling=100,
        )

        # Next: the second stop, by a fade teleport again (the last work's card goes)
        press_panel_button(page, "tour-next")
        wait_at_stop(page, second)
        check_fade(page.evaluate(FADE)["trace"])
        assert page.evaluate("window.__zalXr.debug().tour") == {"stop": 2, "count": 6}
        assert page.evaluate("window.__zalXr.debug().card") is None

        # About this work: the stop's work's card, with the larger image
        press_panel_button(page, "tour-card")
        page.wait_for_function(
            "(id) => { const c = window.__zalXr.debug().card; return c && c.exhibit === id"
            " && c.image; }",
            arg=second["exhibit"], timeout=WAIT_MS, polling=100,
        )
        next_frames(page, 2)
        screenshot(page, "xr-tour-card.png")

        # End tour: the panel's tour part goes, and the card with it
        press_panel_button(page, "tour-end")
        page.wait_for_function(
            "() => { const d = window.__zalXr.debug(); return d.tour === null && d.card === null"
            " && window.__zalXr.panel.tourTitle === null"
            " && window.__zalXr.panel.buttons.some((b) => b.id === 'tour'); }",
            timeout=WAIT_MS, polling=100,
        )
        assert console.unexpected() == []
    finally:
        context.close()
