"""Scale benchmark (issue 14): one process at 2,000 members, the tick spread or not.

    python -m benchmarks.scale            # -> docs/benchmarks-scale.md (~30 min)
    python -m benchmarks.scale --quick    # one short round at 500 members, prints only
    python -m benchmarks.scale --part redis   # only: 1 process without / with Redis,
                                              # 2 processes (zal serve --workers 2) on Redis

Reuses benchmarks/realtime.py's pieces (server pinned to core 0, ``zal loadtest``
pinned to core 1, server CPU from /proc over the load's own window). Every
configuration (``ZAL_TICK_SLICES`` x ``ZAL_TICK_HZ``) gets a fresh ``zal serve
--demo`` (stage media and live stream off) and the same load: N members of one
event all moving at 10 Hz, permessage-deflate offered, 0.5 chat messages/s in the
audience and 0.2 reactions per member per second. The configurations are
interleaved (round 1: a, b, c, d; round 2: a, b, c, d) so that load from other
processes on the shared machine falls on all of them alike; the load average is
recorded with each row.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.realtime import (
    CLK_TCK,
    REPO,
    CpuSampler,
    free_port,
    machine_info,
    passes,
    run_load,
    start_server,
)

DOC = REPO / "docs" / "benchmarks-scale.md"
BEGIN, END = "<!-- bench:one-process:begin -->", "<!-- bench:one-process:end -->"
REDIS_BEGIN, REDIS_END = "<!-- bench:redis:begin -->", "<!-- bench:redis:end -->"
QUIET = {"ZAL_DEMO_MEDIA": "off", "ZAL_DEMO_LIVE_STREAM": "false"}


class CoreSampler(threading.Thread):
    """Busy ticks of cores 0 and 1 (/proc/stat) with CLOCK_MONOTONIC timestamps: the
    core's busy % minus the pinned process's own CPU is what others took there."""

    def __init__(self, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[tuple[float, list[int]]] = []
        self.stop = threading.Event()

    @staticmethod
    def busy() -> list[int]:
        out = []
        with open("/proc/stat") as fh:
            for line in fh:
                if line.startswith(("cpu0 ", "cpu1 ")):
                    f = [int(x) for x in line.split()[1:]]
                    out.append(sum(f[:8]) - f[3] - f[4])  # all but idle and iowait
        return out

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.monotonic(), self.busy()))
            self.stop.wait(self.every)

    def percent(self, t0: float, t1: float) -> list[float]:
        inside = [(t, b) for t, b in self.samples if t0 <= t <= t1]
        if len(inside) < 2:
            return [float("nan")] * 2
        (ta, ba), (tb, bb) = inside[0], inside[-1]
        return [100.0 * (y - x) / CLK_TCK / (tb - ta) for x, y in zip(ba, bb, strict=True)]


def wait_quiet(limit_pct: float, patience: float) -> float:
    """Wait (at most ``patience`` s) for a 2-s stretch in which neither core 0 nor
    core 1 is busier than ``limit_pct`` %; returns the seconds waited."""
    start = time.monotonic()
    while True:
        before = CoreSampler.busy()
        time.sleep(2.0)
        after = CoreSampler.busy()
        pct = [100.0 * (b - a) / CLK_TCK / 2.0 for a, b in zip(before, after, strict=True)]
        if max(pct) <= limit_pct or time.monotonic() - start > patience:
            return time.monotonic() - start


def parse_configs(text: str) -> list[tuple[int, float]]:
    """``"1@10,10@10"`` -> [(slices, hz), ...]."""
    out = []
    for part in text.split(","):
        slices, _, hz = part.partition("@")
        out.append((int(slices), float(hz or 10)))
    return out


def label(slices: int, hz: float) -> str:
    what = "all at once" if slices == 1 else f"{slices} slices"
    return f"{hz:g} Hz, {what}"


def measure(
    slices: int, hz: float, n: int, seconds: float, warmup: float, cache: Path
) -> dict[str, Any] | None:
    env = dict(QUIET, ZAL_TICK_SLICES=str(slices), ZAL_TICK_HZ=f"{hz:g}")
    server = start_server("zal", cache, env)
    cores = CoreSampler()
    cores.start()
    try:
        r = run_load(server, n, seconds, warmup, "uniform", True, 1)
        core0, core1 = cores.percent(*r["window"])
        # what other processes took on the two cores during the window
        r["others_core0_pct"] = max(0.0, core0 - r["server_cpu_pct"])
        r["others_core1_pct"] = max(0.0, core1 - sum(r["loadgen_cpu_pct"]))
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"slices={slices} hz={hz:g} n={n} failed: {exc}", file=sys.stderr)  # noqa: T201
        return None
    finally:
        cores.stop.set()
        server.stop()
    r.update(slices=slices, tick_hz=hz)
    return r


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def open_sockets(pid: int) -> int:
    """Sockets the process holds (its members' websockets, give or take a few)."""
    fd_dir = Path(f"/proc/{pid}/fd")
    count = 0
    for fd in fd_dir.iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:
            pass
    return count


class RedisServer:
    """A private redis-server pinned to core 0 beside Zal (no disk), and a sampler of
    its CPU and of the commands it ran (INFO commandstats over plain RESP)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["taskset", "-c", "0", "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                self.info()
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.05)
        self.cpu = CpuSampler(self.proc.pid)
        self.cpu.start()
        self.calls: list[tuple[float, dict[str, int]]] = []
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def info(self) -> dict[str, int]:
        """Calls per command since start (``publish``, ``evalsha``, ...)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"INFO commandstats\r\n")
            data = b""
            while b"\r\n" not in data:
                data += sock.recv(65536)
            head, rest = data.split(b"\r\n", 1)
            size = int(head[1:])
            while len(rest) < size:
                rest += sock.recv(65536)
        out = {}
        for line in rest[:size].decode().splitlines():
            if line.startswith("cmdstat_"):
                name, _, fields = line[8:].partition(":")
                out[name] = int(fields.split(",")[0].split("=")[1])
        return out

    def _sample(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.calls.append((time.monotonic(), self.info()))
            except OSError:
                return
            self.stop_event.wait(0.5)

    def rates(self, t0: float, t1: float) -> dict[str, float]:
        inside = [(t, c) for t, c in self.calls if t0 <= t <= t1]
        if len(inside) < 2:
            return {}
        (ta, ca), (tb, cb) = inside[0], inside[-1]
        return {k: (v - ca.get(k, 0)) / (tb - ta) for k, v in cb.items() if v > ca.get(k, 0)}

    def stop(self) -> None:
        self.stop_event.set()
        self.cpu.stop.set()
        self.proc.terminate()
        self.proc.wait(10)


def measure_redis(
    mode: str, n: int, seconds: float, warmup: float, cache: Path, slices: int
) -> dict[str, Any] | None:
    """``mode``: ``single`` (no Redis), ``redis`` (one process on Redis) or ``two``
    (``zal serve --workers 2`` on Redis: the kernel gives each process about half)."""
    workdir = Path(tempfile.mkdtemp(prefix="zal-bench-redis-"))
    redis = RedisServer(workdir) if mode != "single" else None
    env = dict(QUIET, ZAL_TICK_SLICES=str(slices))
    if redis is not None:
        env["ZAL_REDIS_URL"] = redis.url
    args = ("--workers", "2") if mode == "two" else ()
    server = None
    samplers: list[CpuSampler] = []
    cores = CoreSampler()
    try:
        server = start_server("zal", cache, env, args)
        pids = [server.proc.pid]
        if mode == "two":
            deadline = time.monotonic() + 180
            while len(children(server.proc.pid)) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
            pids = children(server.proc.pid)
            time.sleep(3)  # worker 1 listens
        samplers = [CpuSampler(pid) for pid in pids]
        for sampler in samplers:
            sampler.start()
        cores.start()
        most = [0] * len(pids)

        def count_sockets() -> None:  # the most each process held while loaded
            while not cores.stop.wait(1.0):
                for i, pid in enumerate(pids):
                    most[i] = max(most[i], open_sockets(pid))

        threading.Thread(target=count_sockets, daemon=True).start()
        r = run_load(server, n, seconds, warmup, "uniform", True, 1)
        t0, t1 = r["window"]
        core0, core1 = cores.percent(t0, t1)
        r["per_process_cpu_pct"] = [s.percent(t0, t1) for s in samplers]
        r["server_cpu_pct"] = sum(r["per_process_cpu_pct"])
        r["per_process_sockets"] = most
        if redis is not None:
            r["redis_cpu_pct"] = redis.cpu.percent(t0, t1)
            r["redis_calls_per_s"] = redis.rates(t0, t1)
        ours0 = r["server_cpu_pct"] + r.get("redis_cpu_pct", 0.0)
        r["others_core0_pct"] = max(0.0, core0 - ours0)
        r["others_core1_pct"] = max(0.0, core1 - sum(r["loadgen_cpu_pct"]))
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"{mode} n={n} failed: {exc}", file=sys.stderr)  # noqa: T201
        return None
    finally:
        cores.stop.set()
        for sampler in samplers:
            sampler.stop.set()
        if server is not None:
            server.stop()
        if redis is not None:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    r.update(mode=mode, slices=slices, tick_hz=10.0)
    return r


REDIS_MODES = {
    "single": "1 process, no Redis",
    "redis": "1 process on Redis",
    "two": "2 processes on Redis",
}
REDIS_HEADER = (
    "| setup | members | round | sockets per process | Zal CPU % (per process) | "
    "Redis CPU % | Redis calls/s (top) | delivered % | p50 ms | p99 ms | "
    "wire B/member/s | others on core 0 / 1 % | load avg |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def redis_row(r: dict[str, Any]) -> str:
    calls = r.get("redis_calls_per_s") or {}
    top = ", ".join(f"{k} {v:.0f}" for k, v in sorted(calls.items(), key=lambda kv: -kv[1])[:4])
    per = " + ".join(f"{c:.0f}" for c in r["per_process_cpu_pct"])
    return (
        f"| {REDIS_MODES[r['mode']]} | {r['clients']} | {r['round']} | "
        f"{' / '.join(str(x) for x in r['per_process_sockets'])} | "
        f"{r['server_cpu_pct']:.0f} ({per}) | {r.get('redis_cpu_pct', 0.0):.1f} | "
        f"{top or '-'} | {r['delivered_pct']:.2f} | {r['latency_p50_ms']:.0f} | "
        f"{r['latency_p99_ms']:.0f} | {r['wire_bytes_per_client_s']:.0f} | "
        f"{r['others_core0_pct']:.0f} / {r['others_core1_pct']:.0f} | {r['loadavg_1m']:.1f} |"
    )


HEADER = (
    "| tick | members | round | server CPU % | delivered % | p50 ms | p95 ms | p99 ms | "
    "wire B/member/s | load-gen CPU % | load-gen lag p99 ms | others on core 0 / 1 % | "
    "load avg | meets target |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: dict[str, Any]) -> str:
    ok = "yes" if passes(r) else "**no**"
    lg = "+".join(f"{c:.0f}" for c in r["loadgen_cpu_pct"])
    return (
        f"| {label(r['slices'], r['tick_hz'])} | {r['clients']} | {r['round']} | "
        f"{r['server_cpu_pct']:.0f} | {r['delivered_pct']:.2f} | {r['latency_p50_ms']:.0f} | "
        f"{r['latency_p95_ms']:.0f} | {r['latency_p99_ms']:.0f} | "
        f"{r['wire_bytes_per_client_s']:.0f} | {lg} | {r['loadgen_send_lag_p99_ms']:.0f} | "
        f"{r['others_core0_pct']:.0f} / {r['others_core1_pct']:.0f} | "
        f"{r['loadavg_1m']:.1f} | {ok} |"
    )


CLEAN_PCT = 10.0  # a row counts in the summary when others took at most this of each core


def clean(r: dict[str, Any]) -> bool:
    return r["others_core0_pct"] <= CLEAN_PCT and r["others_core1_pct"] <= CLEAN_PCT


def summary(results: list[dict[str, Any]]) -> str:
    """Median over the clean rounds of each (configuration, size): rows where other
    processes took more than CLEAN_PCT % of core 0 or 1 are left out here."""
    groups: dict[tuple[int, float, int], list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault((r["slices"], r["tick_hz"], r["clients"]), []).append(r)
    lines = [
        f"Rows where other processes took more than {CLEAN_PCT:g} % of core 0 or 1 are "
        "left out of this summary (they are in the list below).\n",
        "| tick | members | clean rounds / all | p99 ms (median) | p99 ms (each) | "
        "delivered % (min) | server CPU % (median) |",
        "|---|---|---|---|---|---|---|",
    ]
    order = sorted(groups.items(), key=lambda kv: (kv[0][2], kv[0][1], kv[0][0]))
    for (slices, hz, n), every in order:
        rs = [r for r in every if clean(r)]
        if not rs:
            lines.append(f"| {label(slices, hz)} | {n} | 0 / {len(every)} | - | - | - | - |")
            continue
        p99s = [r["latency_p99_ms"] for r in rs]
        lines.append(
            f"| {label(slices, hz)} | {n} | {len(rs)} / {len(every)} | "
            f"{statistics.median(p99s):.0f} | {', '.join(f'{x:.0f}' for x in p99s)} | "
            f"{min(r['delivered_pct'] for r in rs):.2f} | "
            f"{statistics.median(r['server_cpu_pct'] for r in rs):.0f} |"
        )
    return "\n".join(lines)


def write_doc(begin: str, end: str, body: str) -> None:
    block = f"{begin}\n{body}\n{end}"
    text = DOC.read_text() if DOC.exists() else "# Scale benchmarks\n\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    DOC.write_text(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Zal scale benchmark (see module docstring)")
    ap.add_argument("--quick", action="store_true", help="one short round, prints only")
    ap.add_argument("--sizes", default="2000", help="comma-separated member counts")
    ap.add_argument("--configs", default="1@10,10@10,1@20,10@20", help="slices@hz, comma-separated")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--part", choices=["one-process", "redis", "both"], default="both",
        help="one-process: the tick configurations; redis: 1 process with and without "
        "Redis, 2 processes on Redis",
    )  # fmt: skip
    ap.add_argument("--redis-sizes", default="1000", help="member counts of the redis part")
    ap.add_argument("--redis-modes", default="single,redis,two")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument(
        "--quiet-pct",
        type=float,
        default=25.0,
        help="before each run wait until neither core is busier than this (%%)",
    )
    ap.add_argument("--patience", type=float, default=90.0, help="most seconds to wait so")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--json", default=None, help="write all raw results here")
    args = ap.parse_args(argv)
    if (os.cpu_count() or 1) < 2:
        print("needs 2 cores", file=sys.stderr)  # noqa: T201 (CLI tool)
        return 2
    sizes = [500] if args.quick else [int(x) for x in args.sizes.split(",") if x]
    configs = parse_configs(args.configs)
    rounds = 1 if args.quick else args.rounds
    seconds = 4.0 if args.quick else args.seconds
    cache = REPO / "build" / "scene-cache"
    cache.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    command = "python -m benchmarks.scale " + " ".join(argv if argv is not None else sys.argv[1:])
    common = (
        f"Machine: {info['cpu']}; Linux {info['kernel']}; Python {info['python']}; "
        f"{info['libraries']}. Load average before {info['load_before']} (the machine is "
        f"shared: each row has the 1-minute load average at its end and what other "
        f"processes took of cores 0 and 1 during its window). Zal (and Redis) pinned to "
        f"core 0, load generator to core 1; {seconds:g} s measured after {args.warmup:g} s "
        f"warm-up; before each run the benchmark waited (at most {args.patience:g} s) for "
        f"both cores to be under {args.quiet_pct:g} % busy; loopback; all members moving "
        f"at 10 Hz, deflate offered, 0.5 chat messages/s in the audience, 0.2 reactions "
        f"per member per second. Target: p99 < 200 ms and >= 99 % delivered."
    )
    results: list[dict[str, Any]] = []
    redis_results: list[dict[str, Any]] = []
    if args.part in ("one-process", "both"):
        print(HEADER, flush=True)  # noqa: T201
        for n in sizes:
            for round_ in range(1, rounds + 1):
                for slices, hz in configs:
                    waited = wait_quiet(args.quiet_pct, args.patience)
                    r = measure(slices, hz, n, seconds, args.warmup, cache)
                    if r is None:
                        continue
                    r.update(round=round_, waited_s=round(waited, 1))
                    results.append(r)
                    print(row(r), flush=True)  # noqa: T201 (progress of a CLI tool)
    if args.part in ("redis", "both"):
        print(REDIS_HEADER, flush=True)  # noqa: T201
        best = max(configs, key=lambda c: c[0])[0]  # the spread tick
        for n in [int(x) for x in args.redis_sizes.split(",") if x]:
            for round_ in range(1, rounds + 1):
                for mode in args.redis_modes.split(","):
                    waited = wait_quiet(args.quiet_pct, args.patience)
                    r = measure_redis(mode, n, seconds, args.warmup, cache, best)
                    if r is None:
                        continue
                    r.update(round=round_, waited_s=round(waited, 1))
                    redis_results.append(r)
                    print(redis_row(r), flush=True)  # noqa: T201
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    head = f"Command: `{command.strip()}` (load average after: {load_after})\n\n{common}\n\n"
    if args.json:
        Path(args.json).write_text(json.dumps(results + redis_results, indent=1))
    if results:
        body = (
            f"{head}{summary(results)}\n\nEvery run, in the order run:\n\n{HEADER}\n"
            + "\n".join(row(r) for r in results)
        )
        if not args.quick and not args.no_doc:
            write_doc(BEGIN, END, body)
        print("\n" + body)  # noqa: T201
    if redis_results:
        body = f"{head}{REDIS_HEADER}\n" + "\n".join(redis_row(r) for r in redis_results)
        if not args.quick and not args.no_doc:
            write_doc(REDIS_BEGIN, REDIS_END, body)
        print("\n" + body)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
