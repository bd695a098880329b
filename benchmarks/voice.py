"""Voice benchmark: what one speaker and N listeners cost Janus and Zal, and how
long a sound takes from one page's microphone to another page's ears.

    .venv/bin/python -m benchmarks.voice              # 100 listeners, ~2 min, prints
    .venv/bin/python -m benchmarks.voice --write      # also writes docs/benchmarks-voice.md
    .venv/bin/python -m benchmarks.voice --listeners 20

A real Zal (``zal serve --demo --voice local``: it starts its own Janus) serves the
demo's Q&A evening. Every member is real: a Socket.IO client per listener joins the
event and asks for voice (``voice_join``), the host joins and speaks
(``voice_speak``). One Chromium page publishes the speaker's "microphone" through
Zal's gateway, with the page's own client modules (web_client/src/voice/janus.js):
an oscillator whose gain steps from 0 to 1 at a known wall-clock time (a click),
every 2 s. Another page holds the N listeners' subscriptions (an RTCPeerConnection
each, through each one's own pass); one of them feeds an AnalyserNode that notes
the wall-clock time the click's energy arrives. Both pages run in one browser on
this machine, so their Date.now() is one clock.

- **CPU**: Janus' and Zal's (utime + stime from /proc) over a steady window with
  every listener receiving, as a share of one core; the same window with nobody
  speaking is the baseline.
- **Mouth-to-ear**: click onset on the listener page minus the gain step on the
  speaker page; median and worst of the clicks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import socketio
from playwright.async_api import async_playwright

REPO = Path(__file__).resolve().parent.parent
EVENT = "tram-qa"
WINDOW_S = 20.0
CLICKS = 8
CLK = os.sysconf("SC_CLK_TCK")

SPEAKER_JS = """async ({url, room, clickEvery}) => {
  const { JanusSession, gathered } = await import('/client/src/voice/janus.js');
  const ctx = new AudioContext();
  const osc = ctx.createOscillator(); osc.frequency.value = 880;
  const gain = ctx.createGain(); gain.gain.value = 0;
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(dest); osc.start();
  await ctx.resume();
  const session = await new JanusSession(url).open();
  const handle = await session.attach();
  await handle.ask({ request: 'join', ptype: 'publisher', room });
  const pc = new RTCPeerConnection();
  const track = dest.stream.getAudioTracks()[0];
  pc.addTransceiver(track, { direction: 'sendonly', streams: [dest.stream] });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const { jsep } = await handle.ask({ request: 'publish' }, pc.localDescription.toJSON());
  await pc.setRemoteDescription(jsep);
  window.__clicks = [];
  const click = () => {  // 0.3 s of tone, then silence: its onset is the click
    window.__clicks.push(Date.now());
    gain.gain.setValueAtTime(1, ctx.currentTime);
    gain.gain.setValueAtTime(0, ctx.currentTime + 0.3);
  };
  window.__startClicks = () => { window.__timer = setInterval(click, clickEvery); };
  window.__stopClicks = () => clearInterval(window.__timer);
  return true;
}"""

LISTENERS_JS = """async ({urls, room, feedOf}) => {
  // A browser holds 6 connections to one host: 100 sessions each with its own long
  // poll (as janus.js keeps) would starve one another. So each listener here polls
  // only while it waits for its answer, and then only sends its keepalives.
  const { gathered } = await import('/client/src/voice/janus.js');
  const ctx = new AudioContext(); await ctx.resume();
  const analyser = ctx.createAnalyser(); analyser.fftSize = 256;
  window.__onsets = []; window.__receiving = 0; window.__pcs = [];
  let n = 0;
  const post = async (url, body) => (await fetch(url, { method: 'POST',
    body: JSON.stringify({ transaction: `b${n++}`, ...body }) })).json();
  const answer = async (url, session, transaction) => {
    for (;;) {
      const got = await (await fetch(`${url}/${session}?maxev=5`)).json();
      for (const e of Array.isArray(got) ? got : [got]) {
        if (e.transaction === transaction) return e;
      }
    }
  };
  const subscribe = async (url, measure) => {
    const session = (await post(url, { janus: 'create' })).data.id;
    const attach = async () => (await post(`${url}/${session}`,
      { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
    const lister = await attach();
    const listed = await post(`${url}/${session}/${lister}`, { janus: 'message',
      body: { request: 'listparticipants', room } });
    const feed = listed.plugindata.data.participants
      .find((p) => p.publisher && p.display === feedOf);
    const handle = await attach();
    const t = `join${n++}`;
    await post(`${url}/${session}/${handle}`, { janus: 'message', transaction: t,
      body: { request: 'join', ptype: 'subscriber', room, streams: [{ feed: feed.id }] } });
    const offer = (await answer(url, session, t)).jsep;
    const pc = new RTCPeerConnection(); window.__pcs.push(pc);
    pc.addEventListener('track', (e) => {
      window.__receiving += 1;
      if (!measure) return;
      const stream = e.streams[0] || new MediaStream([e.track]);
      const el = new Audio(); el.muted = true; el.srcObject = stream; el.play().catch(() => {});
      ctx.createMediaStreamSource(stream).connect(analyser);
      const buf = new Float32Array(analyser.fftSize); let loud = false;
      setInterval(() => {  // every 2 ms: the onset of energy
        analyser.getFloatTimeDomainData(buf);
        let peak = 0; for (const v of buf) peak = Math.max(peak, Math.abs(v));
        if (!loud && peak > 0.05) { loud = true; window.__onsets.push(Date.now()); }
        else if (loud && peak < 0.01) loud = false;
      }, 2);
    });
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    const s = `start${n++}`;
    await post(`${url}/${session}/${handle}`, { janus: 'message', transaction: s,
      body: { request: 'start' }, jsep: pc.localDescription.toJSON() });
    await answer(url, session, s);
    setInterval(() => post(`${url}/${session}`, { janus: 'keepalive' }), 20000);
  };
  for (let i = 0; i < urls.length; i += 1) await subscribe(urls[i], i === 0);
  return urls.length;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def _janus_pid(server_pid: int) -> int:
    out = subprocess.run(["pgrep", "-P", str(server_pid), "janus"], capture_output=True, text=True)
    return int(out.stdout.split()[0])


def _start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, ZAL_VOICE="local", ZAL_JANUS_HTTP_PORT=str(_free_port()),
               ZAL_DEMO_MEDIA="off", ZAL_DEMO_LIVE_STREAM="false",
               ZAL_VOICE_MAX_LISTENERS="2000",
               ZAL_SCENE_CACHE=str(REPO / "build" / "test-scene-cache"))  # fmt: skip
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port), "--data-dir",
         str(data_dir), "--demo"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("server did not start")


async def _member(url: str, name: str, **auth) -> tuple[socketio.AsyncClient, dict]:
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, namespaces=["/live"], transports=["websocket"],
                      auth={"name": name, **auth})  # fmt: skip
    joined = await sio.call("join", {"event_id": EVENT}, namespace="/live", timeout=30)
    voice = await sio.call("voice_join", namespace="/live", timeout=30)
    assert voice.get("ok"), voice
    return sio, {"member": joined["member"]["id"], **voice["voice"]}


async def _window(pids: dict[str, int], seconds: float) -> dict[str, float]:
    before = {k: _cpu_s(p) for k, p in pids.items()}
    await asyncio.sleep(seconds)  # a measurement window, not a wait for a condition
    return {k: 100 * (_cpu_s(p) - before[k]) / seconds for k, p in pids.items()}


async def run(listeners: int) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start_server(Path(tmp))
        try:
            token = next(line.split()[1] for line in (Path(tmp) / "demo-host-tokens.txt")
                         .read_text().splitlines() if line.startswith(EVENT + " "))  # fmt: skip
            pids = {"zal": proc.pid, "janus": _janus_pid(proc.pid)}
            host, host_voice = await _member(url, "Host", token=token)
            crowd = [await _member(url, f"Listener {i}") for i in range(listeners)]
            idle = await _window(pids, WINDOW_S)
            await host.call("voice_speak", namespace="/live")
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--autoplay-policy=no-user-gesture-required"],
                )  # fmt: skip
                speaker = await browser.new_page()
                await speaker.goto(url + "/healthz")
                room = host_voice["room"]
                await speaker.evaluate(SPEAKER_JS, {"url": url + host_voice["url"], "room": room,
                                                    "clickEvery": 2000})  # fmt: skip
                ears = await browser.new_page()
                await ears.goto(url + "/healthz")
                await ears.evaluate(LISTENERS_JS, {
                    "urls": [url + v["url"] for _, v in crowd], "room": room,
                    "feedOf": host_voice["member"]})  # fmt: skip
                await ears.wait_for_function(f"() => window.__receiving >= {listeners}",
                                             timeout=120_000)  # fmt: skip
                speaking = await _window(pids, WINDOW_S)
                await speaker.evaluate("() => window.__startClicks()")
                await ears.wait_for_function(f"() => window.__onsets.length >= {CLICKS}",
                                             timeout=120_000)  # fmt: skip
                await speaker.evaluate("() => window.__stopClicks()")
                clicks = await speaker.evaluate("() => window.__clicks")
                onsets = await ears.evaluate("() => window.__onsets")
                await browser.close()
            delays = []
            for sent in clicks:
                after = [o - sent for o in onsets if 0 <= o - sent < 1500]
                if after:
                    delays.append(min(after))
            for sio, _ in [(host, None), *crowd]:
                await sio.disconnect()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return {"listeners": listeners, "idle": idle, "speaking": speaking, "delays_ms": delays}


def report(result: dict) -> str:
    d = result["delays_ms"]
    lines = [
        "# Voice benchmark",
        "",
        f"`python -m benchmarks.voice --listeners {result['listeners']} --write` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Janus {_janus_version()}; "
        f"{time.strftime('%Y-%m-%d')}. One speaker (the host), {result['listeners']} "
        "listeners each with its own pass, Socket.IO member and WebRTC subscription; "
        "the listeners' 100 peer connections and the speaker run in one headless "
        "Chromium on the same 2 cores, so the figures include that load.",
        "",
        "| | Janus CPU (% of a core) | Zal CPU (% of a core) |",
        "|---|---|---|",
        f"| {result['listeners']} members in the voice, nobody speaking | "
        f"{result['idle']['janus']:.1f} | {result['idle']['zal']:.1f} |",
        f"| 1 speaker, {result['listeners']} listeners receiving | "
        f"{result['speaking']['janus']:.1f} | {result['speaking']['zal']:.1f} |",
        "",
        f"Mouth-to-ear (a click's onset, speaker page to listener page, {len(d)} clicks): "
        + (
            f"median **{statistics.median(d):.0f} ms**, worst {max(d):.0f} ms."
            if d
            else "no click was detected."
        ),  # fmt: skip
        "",
        "Zal forwards only signalling (SDP, ICE) through its gateway: while the host "
        "speaks, its CPU is the Socket.IO members' heartbeats and ticks, not audio.",
        "",
    ]
    return "\n".join(lines)


def _janus_version() -> str:
    out = subprocess.run(["janus", "--version"], capture_output=True, text=True).stdout
    return out.split("(")[-1].split(")")[0] if "(" in out else out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listeners", type=int, default=100)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args.listeners))
    sys.stdout.write(json.dumps(result, indent=1) + "\n")
    text = report(result)
    sys.stdout.write(text)
    if args.write:
        (REPO / "docs" / "benchmarks-voice.md").write_text(text)


if __name__ == "__main__":
    main()
