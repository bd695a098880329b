"""Tours in the headset (web_client/src/xr/), in Node with stand-ins for the hall and
the tour: the fade teleport frame by frame (a ramp each way of at least two frames,
one move while black, a new place while fading, a slow frame, the headset going
away mid-fade, nothing done outside VR) and the wrist panel's tour part (the choice
of tours, Stop N of M, Previous off at the first stop, Pause/Play, Finish at the
last, About this work, the card closed at a new stop, End tour)."""

from __future__ import annotations

import pytest

SCRIPT = r"""
import { readFileSync } from 'node:fs';
globalThis.navigator = { languages: ['en'] };
globalThis.localStorage = { getItem: () => null, setItem: () => {} };
globalThis.document = { documentElement: { dataset: {} }, querySelectorAll: () => [] };
globalThis.fetch = async (url) => ({
  ok: true, json: async () => JSON.parse(readFileSync('./locales/' + url.split('/').pop(), 'utf8')),
});
const { FadeTeleport, xrFadeTeleport } = await import('./src/xr/fadeteleport.js');
const { XrTourControls } = await import('./src/xr/tourcontrols.js');
const { panelSize } = await import('./src/xr/panellayout.js');

const frames = []; const walks = []; const moves = [];
const view = {
  camera: { add() {} },
  renderer: { xr: { isPresenting: true } },
  controls: { feet: { x: 0, y: 0, z: 0 } },
  onFrame: (fn) => frames.push(fn),
  walkTo: (x, y, z, o) => walks.push([x, y, z, o.yaw]),
};
const locomotion = { standAt: (x, y, z, yaw) => {
  view.controls.feet = { x, y, z }; moves.push([x, z, yaw]);
} };
const fade = new FadeTeleport(view, locomotion);
const frame = (dt) => frames.forEach((fn) => fn(dt));
const steps = () => fade.trace.map((e) => [e.phase, Math.round(e.opacity * 100) / 100]);
const out = {};

let done = false;
xrFadeTeleport(view, [4, 0, -2], 1.5).then(() => { done = true; });
while (fade.active) frame(0.05);
await null;
out.plain = { steps: steps(), moves: [...moves], done, visible: fade.mesh.visible };

moves.length = 0;
xrFadeTeleport(view, [1, 0, 1], 0); frame(0.05);
xrFadeTeleport(view, [2, 0, 2], 0.5);  // a new place while fading out: only it
while (fade.active) frame(0.05);
out.retarget = [...moves];

moves.length = 0;
xrFadeTeleport(view, [3, 0, 3], 0);
while (fade.phase !== 'in') frame(0.05);
frame(0.05);
xrFadeTeleport(view, [5, 0, 5], 0);  // while fading in: back to black, then there
out.backToBlack = fade.phase;
while (fade.active) frame(0.05);
out.fadingIn = [...moves];

xrFadeTeleport(view, [6, 0, 6], 0);
while (fade.active) frame(2);  // a frame of 2 s: still two frames each way
out.slow = steps();

done = false;
xrFadeTeleport(view, [7, 0, 7], 0.25).then(() => { done = true; });
frame(0.05);
view.renderer.xr.isPresenting = false;  // the headset taken off mid-fade
frame(0.05);
await null;
out.gone = { walks: [...walks], done, phase: fade.phase, visible: fade.mesh.visible };
out.outside = xrFadeTeleport(view, [1, 0, 1], 0) === null
  && xrFadeTeleport({ renderer: { xr: { isPresenting: true } } }, [1, 0, 1], 0) === null;

// the wrist panel's tour part
class Player extends EventTarget {
  constructor(tour) {
    super(); this.tour = tour; this.index = -1; this.count = 3; this.playing = true; this.log = [];
  }
  get stop() { return { title: `Work ${this.index + 1}`, exhibit: `w${this.index + 1}` }; }
  go(i) { this.index = i; this.dispatchEvent(new Event('stop')); }
  next() { if (this.index + 1 < this.count) this.go(this.index + 1); else this.end(); }
  previous() { this.go(Math.max(0, this.index - 1)); }
  pause() { this.playing = false; this.log.push('pause'); this.dispatchEvent(new Event('state')); }
  resume() { this.playing = true; this.log.push('resume'); this.dispatchEvent(new Event('state')); }
  end() { this.index = -1; this.dispatchEvent(new Event('end')); }
}
class Tours extends EventTarget {
  constructor() {
    super(); this.tours = [{ id: 'a', title: 'All works' }, { id: 'b', title: 'Six works' }];
  }
  start(summary) {
    if (this.player) this.player.end();
    this.player = new Player(summary.id);
    this.dispatchEvent(new Event('player'));
    this.player.go(0);
  }
}
const card = { exhibitId: null, has: (id) => id !== 'w3', open(id) { this.exhibitId = id; },
  close() { this.exhibitId = null; } };
let repaints = 0;
const tours = new Tours();
const controls = new XrTourControls(Promise.resolve(tours), card, () => { repaints += 1; });
await new Promise((r) => setTimeout(r, 0));
const ids = (section) => section.rows.map((row) => row.map((b) => b.id + (b.disabled ? '!' : '')));
const labels = (section) => section.rows.flat().map((b) => b.label);
out.idle = { start: controls.startButton(), section: controls.section(), repainted: repaints > 0 };
controls.run('tour');
const choice = controls.section();
out.choice = { title: choice.title, ids: ids(choice), labels: labels(choice) };
controls.run('tour-pick-1');
const first = controls.section();
out.first = { tour: tours.player.tour, title: first.title, ids: ids(first), labels: labels(first),
  start: controls.startButton() };
controls.run('tour-play');
out.paused = { log: [...tours.player.log], label: labels(controls.section())[1] };
controls.run('tour-play');
controls.run('tour-card');
out.card = card.exhibitId;
controls.run('tour-next');
out.next = { title: controls.section().title, card: card.exhibitId, ids: ids(controls.section()) };
controls.run('tour-next');
out.last = { ids: ids(controls.section()), labels: labels(controls.section()) };  // w3 has no card
controls.run('tour-end');
out.ended = { section: controls.section(), start: controls.startButton() };
out.sizes = [panelSize(0), panelSize(2)];
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def out(node_json) -> dict:
    return node_json(SCRIPT)


def test_a_fade_teleport_goes_black_moves_once_and_fades_back_in(out):
    assert out["plain"] == {
        "steps": [
            ["out", 0.25], ["out", 0.5], ["out", 0.75], ["black", 1], ["move", 1],
            ["in", 0.75], ["in", 0.5], ["in", 0.25], ["in", 0],
        ],
        "moves": [[4, -2, 1.5]], "done": True, "visible": False,
    }  # fmt: skip
    assert out["retarget"] == [[2, 2, 0.5]]
    assert out["backToBlack"] == "out"
    assert out["fadingIn"] == [[3, 3, 0], [5, 5, 0]]
    assert out["slow"] == [
        ["out", 0.5], ["black", 1], ["move", 1], ["in", 0.5], ["in", 0],
    ]  # fmt: skip


def test_a_fade_teleport_outside_vr_leaves_the_move_to_the_page(out):
    assert out["gone"] == {
        "walks": [[7, 0, 7, 0.25]], "done": True, "phase": "idle", "visible": False
    }  # fmt: skip
    assert out["outside"] is True


def test_the_wrist_panel_runs_a_tour(out):
    assert out["idle"] == {
        "start": {"id": "tour", "label": "Tour", "on": False}, "section": None, "repainted": True
    }  # fmt: skip
    assert out["choice"] == {
        "title": "Tours of this gallery",
        "ids": [["tour-pick-0", "tour-pick-1"]],
        "labels": ["All works", "Six works"],
    }
    assert out["first"] == {
        "tour": "b",
        "title": "Stop 1 of 3 · Work 1",
        "ids": [["tour-previous!", "tour-play", "tour-next"], ["tour-card", "tour-end"]],
        "labels": ["Previous", "Pause", "Next", "About this work", "End tour"],
        "start": None,
    }
    assert out["paused"] == {"log": ["pause"], "label": "Play"}
    assert out["card"] == "w1"
    assert out["next"] == {
        "title": "Stop 2 of 3 · Work 2",
        "card": None,  # a new stop: the last work's card goes
        "ids": [["tour-previous", "tour-play", "tour-next"], ["tour-card", "tour-end"]],
    }
    assert out["last"] == {
        "ids": [["tour-previous", "tour-play", "tour-next"], ["tour-end"]],
        "labels": ["Previous", "Pause", "Finish", "End tour"],
    }
    assert out["ended"] == {"section": None, "start": {"id": "tour", "label": "Tour", "on": False}}
    assert out["sizes"] == [{"height": 460, "textTop": 236}, {"height": 644, "textTop": 420}]
