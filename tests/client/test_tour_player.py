"""The self-guided tour (web_client/src/tours/) in Node with stand-ins for the audio
element, the hall and the clock: captions parsed from WebVTT and shown as the
narration plays, a glide to each stop, auto-advance only after the narration and
the stop's time, pause holding the tour, text-only stops, and the end."""

from __future__ import annotations

SCRIPT = r"""
const timers = new Map(); let nextId = 1; let now = 0;
globalThis.setTimeout = (fn, ms) => { timers.set(nextId, { fn, at: now + ms }); return nextId++; };
globalThis.clearTimeout = (id) => timers.delete(id);
globalThis.performance = { now: () => now };
function advance(ms) {  // run the timers due within ms, in order
  const until = now + ms;
  for (;;) {
    const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
    if (!due) break;
    timers.delete(due[0]); now = due[1].at; due[1].fn();
  }
  now = until;
}
const VTT = 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nFirst &amp; <b>best</b>.\n\n'
  + '2\n00:00:02.000 --> 00:00:05.000\nSecond.\n';
globalThis.fetch = async () => ({ ok: true, text: async () => VTT });
class FakeAudio extends EventTarget {
  constructor() {
    super(); this.currentTime = 0; this.ended = false; this._src = ''; this.played = [];
  }
  get src() { return this._src; }
  set src(v) { this._src = v; this.ended = false; this.currentTime = 0; }
  removeAttribute() { this._src = ''; }
  async play() { this.played.push(this._src); this.dispatchEvent(new Event('playing')); }
  pause() { this.dispatchEvent(new Event('pause')); }
  at(t) { this.currentTime = t; this.dispatchEvent(new Event('timeupdate')); }
  finish() { this.ended = true; this.dispatchEvent(new Event('ended')); }
}
globalThis.Audio = FakeAudio;
const { parseVtt, cueAt } = await import('./src/tours/vtt.js');
const { TourPlayer } = await import('./src/tours/tourplayer.js');
const walks = []; const shown = new Map();
const view = { walkTo: (x, y, z, o) => walks.push([x, y, z, o.yaw]) };
const captions = { show: (id, text) => shown.set(id, text), hide: (id) => shown.delete(id) };
const audio = (n) => ({ url: `/media/${n}.ogg`, captions_url: `/media/${n}.vtt` });
const stop = (n, extra) => ({ position: [n, 0, -1], yaw: n / 10, pitch: 0, seconds: 20,
  narration: `Stop ${n}.`, audio: audio(n), audio_pending: false, ...extra });
const tour = { stops: [stop(1), stop(2, { audio: null, seconds: 7 }), stop(3)] };
const player = new TourPlayer({ view, tour, captions, reload: async () => tour });
const ends = []; player.addEventListener('end', () => ends.push(now));
const flush = () => new Promise((r) => setImmediate(r));
const out = { cues: parseVtt(VTT), at: cueAt(parseVtt(VTT), 2.5).text };

player.go(0); await flush();
out.first = { walks: [...walks], played: [...player.audio.played], playing: player.playing };
player.audio.at(0.5); out.caption1 = shown.get('tour');
player.audio.at(3); out.caption2 = shown.get('tour');
now = 5000; player.audio.finish();
out.afterEnd = { caption: shown.has('tour'), playing: player.playing };
advance(14999); out.beforeTime = player.index;  // the stop's 20 s are not over
advance(1); out.afterTime = player.index;       // text-only stop 2 now
out.second = { caption: shown.get('tour'), walks: walks.length };
player.pause(); advance(60000); out.paused = player.index;  // pause holds the tour
player.resume(); advance(3000); await flush(); out.resumed = player.index;
player.audio.finish(); advance(20000); out.last = { index: player.index, ends: ends.length };
player.previous(); await flush(); out.back = player.index;
player.setAutoAdvance(false); player.audio.finish(); advance(60000); out.manual = player.index;
player.end(); out.ended = { index: player.index, caption: shown.has('tour'), ends: ends.length };
console.log(JSON.stringify(out));
"""


def test_a_self_guided_tour_plays_each_stop_and_goes_on_by_itself(node_json):
    out = node_json(SCRIPT)
    assert out["cues"] == [
        {"start": 0, "end": 2, "text": "First & best."},
        {"start": 2, "end": 5, "text": "Second."},
    ]
    assert out["at"] == "Second."
    assert out["first"] == {
        "walks": [[1, 0, -1, 0.1]], "played": ["/media/1.ogg"], "playing": True
    }  # fmt: skip
    assert out["caption1"] == "First & best." and out["caption2"] == "Second."
    assert out["afterEnd"] == {"caption": False, "playing": False}
    assert out["beforeTime"] == 0 and out["afterTime"] == 1
    assert out["second"] == {"caption": "Stop 2.", "walks": 2}  # no audio: the text
    assert out["paused"] == 1 and out["resumed"] == 2
    assert out["last"] == {"index": -1, "ends": 1}  # past the last stop: the end
    assert out["back"] == 0 and out["manual"] == 0  # auto-advance off: it stays
    assert out["ended"] == {"index": -1, "caption": False, "ends": 2}
