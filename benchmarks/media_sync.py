"""Sync benchmark: how far apart the viewers of one show play, on a recording and live.

    .venv/bin/python -m benchmarks.media_sync            # ~1 min -> prints the tables
    .venv/bin/python -m benchmarks.media_sync --write    # also writes docs/benchmarks-media.md
    .venv/bin/python -m benchmarks.media_sync --quick    # short, prints only

A real Zal app (``create_app`` on a temp data dir: a venue, events, a recording
row and a stream row) runs in a child process pinned to core 0. For every audience
size (2, 10, 50) and every case, one event gets a host (a real Socket.IO client
with the host token, driving it with ``stage_media`` + ``stage_play``) and that
many simulated viewers, all in this process (core 1). A simulated viewer is a
real ``socketio.AsyncClient`` of ``/live`` that joins the event and then does what
the browser does (web_client/src/stage/sync.js, show.js), against a simulated
playhead that advances with the viewer's own clock at its ``playbackRate``:

- its clock is off the server's by up to +-5 s and drifts up to +-100 ppm;
- every message it sends or receives is delayed by 20-150 ms (uniform, each
  message on its own), on top of loopback;
- ServerClock: a burst of 8 ``time`` round trips 250 ms apart on join, one more
  every 5 s, the sample with the shortest round trip wins;
- it joins at a random moment in the first 5 s; its video is ready 0.3-2 s
  later at a random error of +-2 s from its own target (start-up, key frames);
  a seek freezes the playhead for 0.15-0.6 s (fetch + decode);
- **recording** (RateSync, 30 updates/s): target = position + (server now - at);
  rate 1 + clamp(-0.5 * error, +-0.05) (1x within 0.03 s); seek to target + the
  learned seek lead when more than 1 s off.

Live (a stream: the server's stage position is the live edge), two cases:

- **live, undated** (a stream whose playlist has no EXT-X-PROGRAM-DATE-TIME, e.g.
  an external HLS URL without it: web_client/src/stage/player.js leaves it to
  hls.js 1.7 with liveSyncDuration 6, maxLiveSyncPlaybackRate 1.05): the viewer
  knows the edge only from its playlist, reloaded 4 s after an update (2 s after a
  reload without one), a 4 s segment at a time; edge estimate = the playlist's last
  segment end + the time since it saw the playlist advance; it starts at that edge
  - 6 s, speeds up to 1.05x while more than 0.05 s behind its 6 s target (never
  slows down), jumps back when more than 12 s behind. A model of hls.js's latency
  controller (latency-controller.ts), not hls.js itself.
- **live, dated** (what ships for Zal's own streams: nginx-rtmp's system-time
  segment names become EXT-X-PROGRAM-DATE-TIME, server/media/live/program_time.py;
  show.js steers with RateSync to the frame dated server now - 6 s): RateSync as
  for a recording, with target = the stage's position - 6 s (the date of each
  frame is the server's clock, as nginx and Zal share the machine).

All viewers' playheads are sampled at the same instants, 4 times a second, after a
warm-up (everyone joined, clocks sampled, converged): **spread** = max - min of
the positions (live: of the distances behind the true edge); **error** = a
viewer's position minus the ideal (live: its distance behind the edge minus the
hall's median distance at that instant: "the same distance behind the edge").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.sync_viewer import (
    HOSTS,
    JOIN_SPREAD_S,
    TOLERANCE_S,
    Viewer,
    true_position,
)

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
DOC = REPO / "docs" / "benchmarks-media.md"
BEGIN, END = "<!-- bench:sync:begin -->", "<!-- bench:sync:end -->"
SIZES = (2, 10, 50)
CASES = ("recording", "live, undated", "live, dated")
FRAME_S = 1 / 30  # RateSync runs on every animation frame; 30 here
SAMPLE_S = 0.25
STREAM_HEAD_START_S = 10.0  # viewers come after the show started: a live edge to sit behind
VENUE_ID = "bench-hall"
TOKEN = "bench-host-token-0123456789"


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# -- the server (child process) --------------------------------------------------
async def _serve(data_dir: Path, port: int, ready: Path, events: int) -> None:
    from aiohttp import web

    from scenes.metadata import Seat, SpawnPoint, VenueMetadata, WalkableArea
    from server import keys
    from server.app import create_app
    from server.settings import Settings
    from server.storage import events as events_repo
    from server.storage import institutions as institutions_repo
    from server.storage import media as media_repo
    from server.storage import venues as venues_repo

    app = create_app(Settings(data_dir=data_dir, build_workers=1, demo=False))
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    engine, blobs = app[keys.DB_ENGINE], app[keys.BLOBS]
    seats = [
        Seat(id=f"stalls/A/{n}", section="stalls", row="A", number=n,
             position=(n * 0.6, 0.45, 5.0), floor_y=0.0, eye=(n * 0.6, 1.15, 5.0),
             facing=(0.0, 0.0, -1.0))
        for n in range(1, 9)
    ]  # fmt: skip
    meta = VenueMetadata(
        id=VENUE_ID, name="Bench hall", kind="chamber_hall", spec_hash="0" * 64,
        bounds_min=(-10.0, 0.0, -10.0), bounds_max=(10.0, 8.0, 10.0), seats=seats,
        spawn_points=[SpawnPoint(id="door", position=(0.0, 0.0, 8.0), facing=(0.0, 0.0, -1.0))],
        walkable=[WalkableArea(id="floor", vertices=[(-9.0, 0.0, -9.0), (-9.0, 0.0, 9.0),
                                                     (9.0, 0.0, 9.0), (9.0, 0.0, -9.0)])],
    )  # fmt: skip
    await institutions_repo.add(engine, "bench-inst", "Bench Philharmonic", "philharmonic")
    manifest = await blobs.add_bytes(meta.model_dump_json().encode(), "application/json",
                                     compress=False)  # fmt: skip
    glb = await blobs.add_bytes(b"glTF-placeholder", "model/gltf-binary", compress=False)
    await venues_repo.upsert(
        engine, id=VENUE_ID, institution_id="bench-inst", name="Bench hall",
        kind="chamber_hall", seat_count=len(seats), spec_hash="0" * 64, glb_sha256=glb,
        manifest_sha256=manifest, builtin=False,
    )  # fmt: skip
    made = []
    now = datetime.now(UTC)
    for n in range(events):
        event_id = f"evt-bench-{n}"
        await events_repo.add(
            engine, id=event_id, venue_id=VENUE_ID, title="Bench show", kind="concert",
            description="", starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=2), poster_sha256=None,
            host_token_hash=events_repo.hash_token(TOKEN), demo=False,
        )  # fmt: skip
        common = {"event_id": event_id, "status": "ready", "progress": 1.0, "title": "Bench"}
        # a recording row (its package is never fetched by a simulated viewer) and a stream
        rec = await media_repo.add(engine, kind="recording", package_id="ab" * 32,
                                   duration_s=7200.0, **common)  # fmt: skip
        live = await media_repo.add(engine, kind="stream", stream_url="/live/bench/index.m3u8",
                                    **common)  # fmt: skip
        made.append({"event_id": event_id, "recording": rec["id"], "stream": live["id"]})
    ready.write_text(json.dumps(made))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()


# -- the run -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def run(url: str, shows: list[dict[str, str]], sizes: list[int], warmup: float,
              seconds: float, seed: int) -> list[dict[str, Any]]:  # fmt: skip
    import socketio

    groups: list[tuple[str, int, str, list[Viewer]]] = []
    hosts = []
    rng = random.Random(seed)
    it = iter(shows)
    for size in sizes:
        for case in CASES:
            show = next(it)
            host = socketio.AsyncClient(reconnection=False)
            await host.connect(url, namespaces=["/live"], transports=["websocket"],
                               auth={"name": "Host", "token": TOKEN}, wait_timeout=10)  # fmt: skip
            hosts.append(host)
            await host.call("join", {"event_id": show["event_id"]}, namespace="/live")
            media = show["recording"] if case == "recording" else show["stream"]
            ack = await host.call("stage_media", {"media_id": media}, namespace="/live")
            ack = await host.call("stage_play", {}, namespace="/live")
            assert ack.get("ok"), ack
            HOSTS[show["event_id"]] = ack["stage"]
            viewers = [Viewer(url, show["event_id"], case, random.Random(rng.random()))
                       for _ in range(size)]  # fmt: skip
            groups.append((case, size, show["event_id"], viewers))
    await asyncio.sleep(STREAM_HEAD_START_S)  # a stream has been on for a while
    stop = asyncio.Event()
    everyone = [v for g in groups for v in g[3]]
    tasks = [asyncio.create_task(v.run(stop)) for v in everyone]

    async def frames() -> None:
        while not stop.is_set():
            for v in everyone:
                v.frame()
            await asyncio.sleep(FRAME_S)

    frame_task = asyncio.create_task(frames())
    await asyncio.sleep(JOIN_SPREAD_S + warmup)
    samples: dict[int, list[list[float]]] = {i: [] for i in range(len(groups))}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        now = time.time()
        for i, (case, _size, event_id, viewers) in enumerate(groups):
            ideal = true_position(HOSTS[event_id], now)
            if case == "recording":
                samples[i].append([v.head.at(v.local(now)) - ideal for v in viewers])
            else:  # live: how far behind the true edge each viewer is
                samples[i].append([ideal - v.head.at(v.local(now)) for v in viewers])
        await asyncio.sleep(SAMPLE_S)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    frame_task.cancel()
    for host in hosts:
        await host.disconnect()
    results = []
    for i, (case, size, _event, viewers) in enumerate(groups):
        spreads = [max(s) - min(s) for s in samples[i]]
        if case == "recording":
            errors = [abs(e) for s in samples[i] for e in s]
            behind = [0.0]
        else:  # off the hall's common delay (its median at that instant)
            errors = [abs(e - statistics.median(s)) for s in samples[i] for e in s]
            behind = [statistics.median(s) for s in samples[i]]
        results.append({
            "case": case, "viewers": size, "instants": len(samples[i]),
            "spread_p50": percentile(spreads, 0.5), "spread_p99": percentile(spreads, 0.99),
            "spread_max": max(spreads),
            "error_p50": percentile(errors, 0.5), "error_p99": percentile(errors, 0.99),
            "within_tol_pct": 100 * sum(e <= TOLERANCE_S for e in errors) / len(errors),
            "behind_p50": percentile(behind, 0.5),
            "settle_p50": percentile([v.settled_in for v in viewers if v.settled_in is not None]
                                     or [math.nan], 0.5),
            "settle_max": max([v.settled_in for v in viewers if v.settled_in is not None]
                              or [math.nan]),
            "seeks": sum(v.seeks for v in viewers),
            "joined": sum(v.joined for v in viewers),
        })  # fmt: skip
    return results


HEADER = (
    "| case | viewers | joined | instants | spread p50 s | spread p99 s | spread max s | "
    "error p50 s | error p99 s | within 0.3 s % | behind the edge s | "
    "within 0.3 s after (p50 / max) s | seeks |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: dict[str, Any]) -> str:
    settle = "-"
    if math.isfinite(r["settle_p50"]):
        settle = f"{r['settle_p50']:.1f} / {r['settle_max']:.1f}"
    return (
        f"| {r['case']} | {r['viewers']} | {r['joined']} | {r['instants']} | "
        f"{r['spread_p50']:.3f} | {r['spread_p99']:.3f} | {r['spread_max']:.3f} | "
        f"{r['error_p50']:.3f} | {r['error_p99']:.3f} | {r['within_tol_pct']:.1f} | "
        f"{'-' if r['case'] == 'recording' else format(r['behind_p50'], '.2f')} | "
        f"{settle} | {r['seeks']} |"
    )


def chromium_table(seconds: float, live: bool = False) -> str:
    """Two real Chromium pages (benchmarks/media_sync_chromium.py), recording or live."""
    from benchmarks.media_sync_chromium import LIVE_DELAY_S, SETTLE_S, measure

    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))  # Chromium takes what it can
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    r = measure(seconds, live=live)
    quantities = [
        ("page 1 (host) vs ideal", [abs(e) for e in r["errors"][0]]),
        ("page 2 (guest) vs ideal", [abs(e) for e in r["errors"][1]]),
    ]
    if not live:
        quantities += [
            ("page 1 vs its own target", [abs(e) for e in r["own"][0]]),
            ("page 2 vs its own target", [abs(e) for e in r["own"][1]]),
        ]
    quantities.append(("the two pages apart", r["apart"]))
    cells = []
    for label, values in quantities:
        within = 100 * sum(v <= TOLERANCE_S for v in values) / len(values)
        cells.append(
            f"| {label} | {len(values)} | {percentile(values, 0.5):.3f} | "
            f"{percentile(values, 0.99):.3f} | {max(values):.3f} | {within:.1f} |"
        )
    if live:
        what = (
            "live stream (the demo's ffmpeg live writer, 2 s segments dated with "
            "EXT-X-PROGRAM-DATE-TIME)"
        )
        ideal = (
            f"the ideal is the hall's delay, {LIVE_DELAY_S:.0f} s behind real time (each page "
            "reads its own distance, `liveBehind`, so the two reads need not be simultaneous)"
        )
    else:
        what = "recording"
        ideal = "the ideal is taken at the middle of each read"
    return (
        f"### Two real Chromium pages ({'live' if live else 'recording'})\n\nA {what}. "
        f"Server `zal serve --demo` on core 0, "
        f"Debian Chromium (headless, SwiftShader) on any core; load average before "
        f"{load}. Both pages played {r['started_in']:.1f} s after `stage_play`; "
        f"{SETTLE_S:.0f} s later, {seconds:.0f} s of samples (every 0.25 s, both pages read "
        f"back to back; one read took {1000 * percentile(r['reads'], 0.5):.0f} ms p50, "
        f"{1000 * percentile(r['reads'], 0.99):.0f} ms p99; {ideal})."
        f"\n\n"
        "| quantity | samples | p50 s | p99 s | max s | within 0.3 s % |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(cells)
    )


def start_server(events: int) -> tuple[subprocess.Popen, str, list[dict[str, str]], Path]:
    work = Path(tempfile.mkdtemp(prefix="zal-bench-sync-"))
    port = free_port()
    ready = work / "ready.json"
    log = open(work / "server.log", "wb")  # noqa: SIM115 (kept open for the child)
    proc = subprocess.Popen(
        ["taskset", "-c", "0", PY, "-m", "benchmarks.media_sync", "serve", "--data-dir",
         str(work / "data"), "--port", str(port), "--ready", str(ready), "--events",
         str(events)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        env=dict(os.environ, ZAL_LOG_LEVEL="WARNING"),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError((work / "server.log").read_text()[-3000:])
        time.sleep(0.2)
    time.sleep(0.2)  # the file is written in one go; let the writer close it
    return proc, f"http://127.0.0.1:{port}", json.loads(ready.read_text()), work


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Sync benchmark (see module docstring)")
    sub = ap.add_subparsers(dest="command")
    sv = sub.add_parser("serve", help="internal: the server process")
    sv.add_argument("--data-dir", required=True)
    sv.add_argument("--port", type=int, required=True)
    sv.add_argument("--ready", required=True)
    sv.add_argument("--events", type=int, required=True)
    ap.add_argument("--quick", action="store_true", help="short run, prints only")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--warmup", type=float, default=None, help="seconds after the last join")
    ap.add_argument("--seconds", type=float, default=None, help="measured seconds")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--chromium", action="store_true", help="also two real Chromium pages")
    ap.add_argument("--write", action="store_true", help=f"write the results into {DOC.name}")
    args = ap.parse_args(argv)
    if args.command == "serve":
        asyncio.run(_serve(Path(args.data_dir), args.port, Path(args.ready), args.events))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    warmup = args.warmup if args.warmup is not None else (8.0 if args.quick else 15.0)
    seconds = args.seconds or (10.0 if args.quick else 40.0)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    started = datetime.now(UTC)
    os.sched_setaffinity(0, {1})  # the viewers on core 1, the server on core 0
    proc, url, shows, work = start_server(len(sizes) * len(CASES))
    try:
        results = asyncio.run(run(url, shows, sizes, warmup, seconds, args.seed))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    command = "python -m benchmarks.media_sync " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    body = (
        f"Command: `{command.strip()}`, {started:%Y-%m-%d %H:%M} UTC.\n\n"
        f"Machine: {model}, {os.cpu_count()} cores; Linux {platform.release()}; Python "
        f"{platform.python_version()}; python-socketio {metadata.version('python-socketio')}. "
        f"Load average before {load_before}, after "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (the machine is shared). Server "
        f"on core 0, all viewers of all cases at once in one process on core 1 "
        f"({sum(sizes) * len(CASES)} viewers + {len(sizes) * len(CASES)} hosts); joins over "
        f"{JOIN_SPREAD_S:.0f} s, {warmup:.0f} s warm-up, {seconds:.0f} s measured, sampled "
        f"every {SAMPLE_S} s; seed {args.seed}.\n\n{HEADER}\n" + "\n".join(row(r) for r in results)
    )
    if args.chromium:
        body += "\n\n" + chromium_table(seconds)
        body += "\n\n" + chromium_table(seconds, live=True)
    emit(body)
    if args.write and not args.quick:
        from benchmarks.hls_report import write_doc

        write_doc(body, BEGIN, END)
        emit(f"written to {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
