"""Realtime benchmark: the live audience of one event, Zal vs a naive relay.

    python -m benchmarks.realtime          # full run (~20 min) -> docs/benchmarks-realtime.md
    python -m benchmarks.realtime --quick  # a short smoke run, prints the tables only

Every run starts a fresh server process pinned to core 0 (``taskset -c 0``): the
Zal server (``zal serve --demo``, its first live demo event) or the naive relay
(``benchmarks/naive_relay.py``: stock python-socketio, rooms of 50, every pose
forwarded to the rest of the room). The same load client (``zal loadtest``) runs
pinned to core 1, on loopback only, for N members of one event at 10 Hz, with and
without permessage-deflate offered (browsers offer it). Then the concert-like
mix (4/5 seated and still, sending only when they move; 1/5 in VR at 20 Hz with
hands) at growing N. Server CPU comes from /proc/<pid>/stat sampled over the
load test's own measurement window. Every run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
DOC = REPO / "docs" / "benchmarks-realtime.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
SIZES = (100, 250, 500, 750, 1000, 1500)
CONCERT_SIZES = (1000, 1500, 2000, 2500, 3000)
P99_LIMIT_MS = 200.0
DELIVERED_MIN = 99.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14, 15)


PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


class CpuSampler(threading.Thread):
    """Samples a process's CPU ticks with CLOCK_MONOTONIC timestamps."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int]] = []
        self.rss: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                now = time.monotonic()
                self.samples.append((now, cpu_ticks(self.pid)))
                self.rss.append((now, rss_bytes(self.pid)))
            except OSError:
                return
            self.stop.wait(self.every)

    def max_rss_mb(self, t0: float, t1: float) -> float:
        inside = [b for t, b in self.rss if t0 <= t <= t1]
        return max(inside) / 1e6 if inside else float("nan")

    def percent(self, t0: float, t1: float) -> float:
        inside = [(t, c) for t, c in self.samples if t0 <= t <= t1]
        if len(inside) < 2:
            return float("nan")
        (ta, ca), (tb, cb) = inside[0], inside[-1]
        return 100.0 * (cb - ca) / CLK_TCK / (tb - ta)


@dataclass
class Server:
    kind: str  # "zal" | "relay"
    port: int
    proc: subprocess.Popen
    event_id: str
    log_path: Path
    workdir: Path
    sampler: CpuSampler = field(init=False)

    def stop(self) -> None:
        self.sampler.stop.set()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _get_json(url: str, timeout: float = 2.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (loopback only)
        return json.loads(resp.read())


def start_server(
    kind: str, cache_dir: Path, env_extra: dict[str, str], serve_args: tuple[str, ...] = ()
) -> Server:
    """``serve_args``: more ``zal serve`` arguments (benchmarks/scale.py: ``--workers``)."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix=f"zal-bench-{kind}-"))
    log_path = workdir / "server.log"
    env = dict(os.environ, ZAL_SCENE_CACHE=str(cache_dir), **env_extra)
    if kind == "zal-stock":
        # the same server on the stock library transport (Settings.realtime_fast)
        env["ZAL_REALTIME_FAST"] = "false"
    if kind.startswith("zal"):
        cmd = [
            PY,
            "-m",
            "server",
            "--log-level",
            "WARNING",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data-dir",
            str(workdir / "data"),
            "--demo",
            *serve_args,
        ]
    else:
        cmd = [PY, "-m", "benchmarks.naive_relay", "--port", str(port)]
        if kind == "relay-fast":
            cmd.append("--fast")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["taskset", "-c", "0", *cmd], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 180
    event_id = "bench"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} server exited:\n{log_path.read_text()[-3000:]}")
        try:
            if kind.startswith("zal"):
                events = _get_json(f"http://127.0.0.1:{port}/api/events?when=live")["events"]
                # demo venues are registered as their scenes build: wait for the venue too
                if events and _get_json(
                    f"http://127.0.0.1:{port}/api/venues/{events[0]['venue_id']}"
                ).get("metadata"):
                    event_id = events[0]["id"]
                    break
            else:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{kind} server did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.3)
    server = Server(kind, port, proc, event_id, log_path, workdir)
    server.sampler = CpuSampler(proc.pid)
    server.sampler.start()
    return server


def run_load(
    server: Server,
    clients: int,
    seconds: float,
    warmup: float,
    mix: str,
    compression: bool,
    processes: int,
) -> dict[str, Any]:
    out = server.workdir / f"load-{clients}.json"
    cmd = [
        "taskset",
        "-c",
        "1",
        PY,
        "-m",
        "server",
        "--log-level",
        "WARNING",
        "loadtest",
        "--url",
        f"http://127.0.0.1:{server.port}",
        "--event",
        server.event_id,
        "--clients",
        str(clients),
        "--hz",
        "10",
        "--seconds",
        str(seconds),
        "--warmup",
        str(warmup),
        "--mix",
        mix,
        "--compression",
        "on" if compression else "off",
        "--processes",
        str(processes),
        "--json",
        str(out),
    ]
    # bounded: connecting 3,000 members takes well under a minute even when refused
    budget = 120 + seconds + warmup + clients / 20
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=budget)
    if proc.returncode != 0 and not out.exists():
        raise RuntimeError(f"loadtest failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text())
    t0, t1 = result["window"]
    result["server_cpu_pct"] = server.sampler.percent(t0, t1)
    result["server_rss_mb"] = server.sampler.max_rss_mb(t0, t1)
    # the machine is shared: other processes on core 0/1 show up here
    result["loadavg_1m"] = os.getloadavg()[0]
    result["server"] = server.kind
    return result


def machine_info() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("aiohttp", "python-socketio", "python-engineio"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "-"
    return {
        "cpu": f"{model}, {os.cpu_count()} cores",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "libraries": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def passes(r: dict[str, Any]) -> bool:
    return (
        r["connected"] == r["clients"]
        and r["delivered_pct"] >= DELIVERED_MIN
        and r["latency_p99_ms"] < P99_LIMIT_MS
    )


def row(r: dict[str, Any]) -> str:
    ok = "yes" if passes(r) else "**no**"
    lg = "+".join(f"{c:.0f}" for c in r["loadgen_cpu_pct"])
    return (
        f"| {r['server']} | {r['clients']} | {r['connected']} | {r['server_cpu_pct']:.0f} | "
        f"{r['delivered_pct']:.1f} | {r['latency_p50_ms']:.0f} | {r['latency_p95_ms']:.0f} | "
        f"{r['latency_p99_ms']:.0f} | {r['delivered_messages_per_s']:.0f} | "
        f"{r['wire_bytes_per_client_s']:.0f} | {r['server_rss_mb']:.0f} | {lg} | "
        f"{r['loadgen_send_lag_p99_ms']:.0f} | {r['loadavg_1m']:.1f} | "
        f"{r['errors']} | {ok} |"
    )


HEADER = (
    "| server | members | connected | server CPU % | delivered % | p50 ms | p95 ms | "
    "p99 ms | msgs/s delivered | wire B/client/s | server RSS MB | load-gen CPU % | "
    "load-gen lag p99 ms | load avg | errors | meets target |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def tables(results: list[dict[str, Any]]) -> str:
    parts = []
    for title, pick in (
        (
            "All members moving at 10 Hz, permessage-deflate offered (as browsers do)",
            lambda r: r["mix"] == "uniform" and r["compression"],
        ),
        (
            "All members moving at 10 Hz, no compression offered",
            lambda r: r["mix"] == "uniform" and not r["compression"],
        ),
        (
            "Concert-like mix (4/5 seated, moving now and then; 1/5 VR at 20 Hz with hands), "
            "deflate offered",
            lambda r: r["mix"] == "concert",
        ),
    ):
        rows = [row(r) for r in results if pick(r)]
        if rows:
            parts.append(f"### {title}\n\n{HEADER}\n" + "\n".join(rows))
    return "\n\n".join(parts)


def write_doc(body: str) -> None:
    block = f"{BEGIN}\n{body}\n{END}"
    if DOC.exists() and BEGIN in (text := DOC.read_text()) and END in text:
        head, rest = text.split(BEGIN, 1)
        DOC.write_text(head + block + rest.split(END, 1)[1])
    else:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(f"# Realtime benchmark\n\n{block}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Zal realtime benchmark (see module docstring)")
    ap.add_argument("--quick", action="store_true", help="short smoke run; does not write docs")
    ap.add_argument("--sizes", default=None, help="comma-separated member counts")
    ap.add_argument("--concert-sizes", default=None)
    ap.add_argument(
        "--servers",
        default="zal,zal-stock,relay",
        help="zal (as shipped: fast path), zal-stock (ZAL_REALTIME_FAST=false), relay, relay-fast",
    )
    ap.add_argument("--stock-compression", default="on", help="compression runs of zal-stock")
    ap.add_argument("--compression", default="on,off", help="on,off | on | off")
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--processes", type=int, default=1, help="load-generator processes (core 1)")
    ap.add_argument("--relay-max", type=int, default=1500, help="skip relay runs above this size")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--json", default=None, help="write all raw results here")
    args = ap.parse_args(argv)
    if not shutil.which("taskset") or (os.cpu_count() or 1) < 2:
        print("needs taskset and 2 cores", file=sys.stderr)  # noqa: T201 (CLI tool)
        return 2
    sizes = (
        [int(x) for x in args.sizes.split(",") if x]
        if args.sizes
        else ([100, 250] if args.quick else list(SIZES))
    )
    concert = (
        [int(x) for x in args.concert_sizes.split(",") if x]
        if args.concert_sizes is not None
        else ([500] if args.quick else list(CONCERT_SIZES))
    )
    seconds = args.seconds or (4.0 if args.quick else 10.0)
    servers = args.servers.split(",")
    compressions = [c == "on" for c in args.compression.split(",")]
    cache = REPO / "build" / "scene-cache"
    cache.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    command = "python -m benchmarks.realtime " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    results: list[dict[str, Any]] = []

    def one(kind: str, n: int, mix: str, compression: bool) -> None:
        server = start_server(kind, cache, {})
        try:
            r = run_load(server, n, seconds, args.warmup, mix, compression, args.processes)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"{kind} n={n} {mix} failed: {exc}", file=sys.stderr)  # noqa: T201
            return
        finally:
            server.stop()
        results.append(r)
        print(row(r), flush=True)  # noqa: T201 (progress of a CLI tool)

    print(HEADER, flush=True)  # noqa: T201
    for compression in compressions:
        for n in sizes:
            for kind in servers:
                if kind.startswith("relay") and n > args.relay_max:
                    continue
                if kind == "zal-stock" and compression not in [
                    c == "on" for c in args.stock_compression.split(",")
                ]:
                    continue
                one(kind, n, "uniform", compression)
    if "zal" in servers:
        for n in concert:
            one("zal", n, "concert", True)
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    body = (
        f"Command: `{command.strip()}` (Makefile: `make bench-realtime`)\n\n"
        f"Machine: {info['cpu']}; Linux {info['kernel']}; Python {info['python']}; "
        f"{info['libraries']}. Load average before {info['load_before']}, after "
        f"{info['load_after']} (the machine is shared). Server pinned to core 0, load "
        f"generator ({args.processes} process(es)) to core 1; {seconds:g} s measured after "
        f"{args.warmup:g} s warm-up; loopback. Target: p99 < {P99_LIMIT_MS:.0f} ms and "
        f">= {DELIVERED_MIN:.0f}% delivered.\n\n" + tables(results)
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if not args.quick and not args.no_doc:
        write_doc(body)
    print("\n" + body)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
