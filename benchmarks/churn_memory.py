"""Server memory under churn: connect, join, leave, disconnect, thousands of times.

    python -m benchmarks.churn_memory           # prints the tables
    python -m benchmarks.churn_memory --write   # and puts them in docs/benchmarks-realtime.md

A real Zal server runs in a child process on loopback (this module with
``--serve``: the app of ``create_app``, a seeded venue, nothing else). Clients
are raw websockets speaking Engine.IO v4 / Socket.IO v5 (the frames of
``server/loadtest``), 10 at a time; each cycle is: open, connect ``/live``,
``join`` (ack), ``leave`` (ack), Socket.IO disconnect, close.

After a warm-up of 200 cycles the child reports, at 1,000, 2,000 and 5,000
cycles: its RSS (``/proc/<pid>/status``, after ``gc.collect()``), the RSS after
``malloc_trim(0)`` (memory the allocator kept but Python freed), and the sizes
of every per-member and per-socket structure. A second run with ``tracemalloc``
(12 frames) lists the allocation sites that grew most since the warm-up: those
are retained Python objects, whatever RSS says.

The child takes commands on stdin and answers one JSON line on stdout; this
control channel exists only in this benchmark, never in the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks-realtime.md"
BEGIN, END = "<!-- churn:begin -->", "<!-- churn:end -->"
VENUE_ID = "churn-hall"
CHECKPOINTS = tuple(int(n) for n in os.environ.get("ZAL_CHURN_CYCLES", "1000,2000,5000").split(","))
WARMUP = 200
PARALLEL = 10
IDLE = 30  # seconds: past the default ping interval (25 s)

log = logging.getLogger("benchmarks.churn_memory")


# -- the server child ---------------------------------------------------------------


def rss_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def structure_sizes(app) -> dict[str, int]:
    """Every per-member / per-socket container the live server keeps."""
    from server import keys

    sio = app[keys.SIO]
    state = app[keys.LIVE_STATE]
    rooms = sio.manager.rooms.get("/live", {})
    sizes = {
        "members": len(state.members),
        "by_sid": len(state.by_sid),
        "by_resume": len(state.by_resume),
        "detached": len(state.detached),
        "audiences": len(state.audiences),
        "rooms": len(rooms),
        "room members": sum(len(r) for r in rooms.values()),
        "eio sockets": len(sio.eio.sockets),
        "sio environ": len(sio.environ),
        "sio _binary_packet": len(sio._binary_packet),
        "manager eio_to_sid": len(sio.manager.eio_to_sid),
        "manager callbacks": len(sio.manager.callbacks),
        "manager pending_disconnect": len(sio.manager.pending_disconnect),
        "eio log_message_keys": len(sio.eio.log_message_keys),
        "tasks": len(asyncio.all_tasks()),
        "gc objects": len(gc.get_objects()),
    }
    ns = sio.namespace_handlers.get("/live")
    if ns is not None:
        sizes["namespace tasks"] = len(ns._tasks)
    return sizes


def _trim() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


async def _seed(app) -> None:
    from scenes.metadata import Seat, SpawnPoint, VenueMetadata, WalkableArea
    from server import keys
    from server.storage import institutions as institutions_repo
    from server.storage import venues as venues_repo

    seats = [
        Seat(
            id=f"stalls/A/{n}",
            section="stalls",
            row="A",
            number=n,
            position=(n * 0.6, 0.45, 5.0),
            floor_y=0.0,
            eye=(n * 0.6, 1.15, 5.0),
            facing=(0.0, 0.0, -1.0),
        )
        for n in range(1, 9)
    ]
    metadata = VenueMetadata(
        id=VENUE_ID,
        name="Churn hall",
        kind="chamber_hall",
        spec_hash="0" * 64,
        bounds_min=(-10.0, 0.0, -10.0),
        bounds_max=(10.0, 8.0, 10.0),
        seats=seats,
        spawn_points=[SpawnPoint(id="door", position=(0.0, 0.0, 8.0), facing=(0.0, 0.0, -1.0))],
        walkable=[
            WalkableArea(
                id="floor",
                vertices=[(-9.0, 0.0, -9.0), (-9.0, 0.0, 9.0), (9.0, 0.0, 9.0), (9.0, 0.0, -9.0)],
            )
        ],
    )
    engine, blobs = app[keys.DB_ENGINE], app[keys.BLOBS]
    await institutions_repo.add(engine, "churn-inst", "Churn Philharmonic", "philharmonic")
    manifest = await blobs.add_bytes(
        metadata.model_dump_json().encode(), "application/json", compress=False
    )
    glb = await blobs.add_bytes(b"glTF-placeholder", "model/gltf-binary", compress=False)
    await venues_repo.upsert(
        engine,
        id=VENUE_ID,
        institution_id="churn-inst",
        name="Churn hall",
        kind="chamber_hall",
        seat_count=len(seats),
        spec_hash="0" * 64,
        glb_sha256=glb,
        manifest_sha256=manifest,
        builtin=False,
    )


def _top(baseline: tracemalloc.Snapshot, limit: int = 8) -> dict[str, Any]:
    """Net change of all traced memory since ``baseline``, and the sites that grew."""
    now = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    stats = now.compare_to(baseline, "traceback")
    total = sum(stat.size_diff for stat in stats)
    grew = sorted((s for s in stats if s.size_diff > 0), key=lambda s: -s.size_diff)
    out = []
    for stat in grew[:limit]:
        frames = [
            f"{Path(f.filename).name}:{f.lineno}"
            for f in stat.traceback
            if "asyncio" not in f.filename
        ][-4:]
        out.append({"kib": round(stat.size_diff / 1024, 1), "count": stat.count_diff, "at": frames})
    return {"net_kib": round(total / 1024, 1), "sites": out}


async def serve(data_dir: Path, trace: bool) -> None:
    from aiohttp import web

    from server.app import create_app
    from server.settings import Settings

    if trace:
        tracemalloc.start(12)
    settings = Settings(data_dir=data_dir, build_workers=1, demo=False, log_level="WARNING")
    app = create_app(settings)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    await _seed(app)
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    loop = asyncio.get_running_loop()
    baseline: list[tracemalloc.Snapshot] = []

    async def command(line: str) -> dict[str, Any]:
        gc.collect()
        if line == "stats":
            return {"rss": rss_kib(), "sizes": structure_sizes(app)}
        if line == "trim":
            _trim()
            return {"rss": rss_kib()}
        if line == "mark" and trace:
            baseline[:] = [tracemalloc.take_snapshot()]
            return {}
        if line == "top" and trace and baseline:
            return {"top": _top(baseline[0])}
        return {"error": f"unknown command {line!r}"}

    def read_commands() -> None:
        for raw in sys.stdin:
            answer = asyncio.run_coroutine_threadsafe(command(raw.strip()), loop).result()
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
        loop.call_soon_threadsafe(stop.set)

    stop = asyncio.Event()
    sys.stdout.write(json.dumps({"port": port}) + "\n")
    sys.stdout.flush()
    threading.Thread(target=read_commands, daemon=True).start()
    await stop.wait()
    await runner.cleanup()


# -- the driver ------------------------------------------------------------------


class Child:
    def __init__(self, trace: bool, data_dir: Path):
        cmd = [sys.executable, "-m", "benchmarks.churn_memory", "--serve", str(data_dir)]
        if trace:
            cmd.append("--trace")
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.port = self._read()["port"]

    def _read(self) -> dict[str, Any]:
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise RuntimeError("the server child exited")
        return json.loads(line)

    def ask(self, command: str) -> dict[str, Any]:
        self.proc.stdin.write(command + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        return self._read()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.stdin.close()  # type: ignore[union-attr]
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


async def _until(ws, prefix: str) -> str:
    import aiohttp

    while True:
        msg = await ws.receive(timeout=60)
        if msg.type == aiohttp.WSMsgType.TEXT:
            if msg.data == "2":  # a ping: answer it
                await ws.send_str("3")
            elif msg.data.startswith(prefix):
                return msg.data
        elif msg.type != aiohttp.WSMsgType.BINARY:
            raise RuntimeError(f"websocket ended while waiting for {prefix!r}: {msg.type}")


async def cycle(http, url: str, n: int) -> None:
    from server.loadtest.frames import connect_frame, event_frame

    async with http.ws_connect(url + "/socket.io/?EIO=4&transport=websocket") as ws:
        await _until(ws, "0")
        await ws.send_str(connect_frame("/live", {"name": f"Churn {n}"}))
        await _until(ws, "40/live,")
        await ws.send_str(event_frame("/live", "join", {"venue_id": VENUE_ID}, ack_id=1))
        ack = await _until(ws, "43/live,1")
        if '"ok":true' not in ack:
            raise RuntimeError(f"join refused: {ack[:200]}")
        await ws.send_str(event_frame("/live", "leave", ack_id=2))
        await _until(ws, "43/live,2")
        await ws.send_str("41/live,")


async def churn(url: str, start: int, stop: int) -> None:
    import aiohttp

    queue = iter(range(start, stop))
    async with aiohttp.ClientSession() as http:

        async def worker() -> None:
            for n in queue:
                await cycle(http, url, n)

        await asyncio.gather(*(worker() for _ in range(PARALLEL)))


def settle(child: Child, sizes_at_start: dict[str, int] | None) -> dict[str, Any]:
    """Stats once the server has finished closing what the last cycles opened."""
    for _ in range(100):
        stats = child.ask("stats")
        if sizes_at_start is None or stats["sizes"]["eio sockets"] <= sizes_at_start["eio sockets"]:
            return stats
        time.sleep(0.05)
    return stats


def run(trace: bool, checkpoints: tuple[int, ...] = CHECKPOINTS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zal-churn-") as tmp:
        child = Child(trace, Path(tmp))
        url = f"http://127.0.0.1:{child.port}"
        try:
            asyncio.run(churn(url, 0, WARMUP))
            start = settle(child, None)
            start["trimmed"] = child.ask("trim")["rss"]
            if trace:
                child.ask("mark")
            rows = []
            done = 0
            for target in checkpoints:
                began = time.perf_counter()
                asyncio.run(churn(url, WARMUP + done, WARMUP + target))
                seconds = time.perf_counter() - began
                done = target
                stats = settle(child, start["sizes"])
                stats["trimmed"] = child.ask("trim")["rss"]
                stats.update(cycles=target, seconds=seconds)
                rows.append(stats)
                log.info(
                    "%s%d cycles: RSS %d KiB (start %d), %.0f s, %s",
                    "traced, " if trace else "",
                    target,
                    stats["rss"],
                    start["rss"],
                    seconds,
                    stats["sizes"],
                )
            # engine.io's ping task of a closed socket sleeps out its ping interval
            # (25 s) holding the socket: what is left after that is retained for good
            time.sleep(IDLE)
            idle = settle(child, start["sizes"])
            idle["trimmed"] = child.ask("trim")["rss"]
            idle.update(cycles=done, seconds=0.0, idle=True)
            rows.append(idle)
            log.info(
                "%s after %d s idle: RSS %d KiB, %s",
                "traced" if trace else "plain",
                IDLE,
                idle["rss"],
                idle["sizes"],
            )
            top = child.ask("top")["top"] if trace else {"net_kib": None, "sites": []}
        finally:
            child.close()
    return {"start": start, "rows": rows, "top": top}


def tables(plain: dict[str, Any], traced: dict[str, Any]) -> str:
    start = plain["start"]
    out = [
        "| cycles | RSS KiB | growth KiB | bytes / cycle | RSS after malloc_trim KiB "
        "| trimmed growth bytes / cycle | members | eio sockets | sio environ | rooms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| 0 (after {WARMUP} warm-up) | {start['rss']} | 0 | - | {start['trimmed']} | - "
        f"| {start['sizes']['members']} | {start['sizes']['eio sockets']} "
        f"| {start['sizes']['sio environ']} | {start['sizes']['rooms']} |",
    ]
    for row in plain["rows"]:
        grown = row["rss"] - start["rss"]
        trimmed = row["trimmed"] - start["trimmed"]
        s = row["sizes"]
        label = f"{row['cycles']:,} + {IDLE} s idle" if row.get("idle") else f"{row['cycles']:,}"
        out.append(
            f"| {label} | {row['rss']} | {grown} | {grown * 1024 / row['cycles']:.0f} "
            f"| {row['trimmed']} | {trimmed * 1024 / row['cycles']:.0f} | {s['members']} "
            f"| {s['eio sockets']} | {s['sio environ']} | {s['rooms']} |"
        )
    last = plain["rows"][-1]["sizes"]
    changed = {k: (start["sizes"][k], v) for k, v in last.items() if start["sizes"].get(k) != v}
    top = traced["top"]
    out += [
        "",
        f"Structures that differ after {plain['rows'][-1]['cycles']:,} cycles and {IDLE} s idle "
        f"from after the warm-up: {changed or 'none'}.",
        "",
        f"tracemalloc run ({traced['rows'][-1]['cycles']:,} cycles, then {IDLE} s idle): net "
        f"change of all memory Python allocated since the warm-up: **{top['net_kib']} KiB**. "
        "Sites that grew most (KiB, objects; innermost frame first, `<` reads 'called from'):",
        "",
        "| KiB | objects | where |",
        "|---:|---:|---|",
    ]
    for stat in top["sites"]:
        out.append(f"| {stat['kib']} | {stat['count']} | {' < '.join(reversed(stat['at']))} |")
    return "\n".join(out)


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    if BEGIN not in doc:
        raise SystemExit(f"{DOC} has no {BEGIN} ... {END} section")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"update {DOC.relative_to(REPO)}")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rss-only", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--trace-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
        asyncio.run(serve(args.serve, args.trace))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.trace_only:
        traced = run(trace=True)
        log.info("%s", json.dumps(traced["top"], indent=1))
        return 0
    plain = run(trace=False)
    if args.rss_only:
        traced = {"rows": plain["rows"], "top": {"net_kib": None, "sites": []}}
    else:  # tracemalloc slows the server ~5x: the first checkpoint is enough to see sites
        traced = run(trace=True, checkpoints=CHECKPOINTS[:1])
    text = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
        f"`.venv/bin/python -m benchmarks.churn_memory --write`.\n\n" + tables(plain, traced)
    )
    log.info("%s", text)
    if args.write:
        write_doc(text)
    return 0


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    sys.exit(main())
