"""HLS serving benchmark: a recording's segments and playlists from one Zal process,
with Debian's nginx serving the same files as the baseline.

    .venv/bin/python -m benchmarks.hls_serving            # ~4 min -> docs/benchmarks-media.md
    .venv/bin/python -m benchmarks.hls_serving --quick    # short, prints only
    .venv/bin/python -m benchmarks.hls_serving --write    # also writes the doc's results

The package is made by the real pipeline (server/media/transcode.py: two H.264
renditions 720p 2.8 Mbit/s + 360p 0.8 Mbit/s, AAC 128k, fMP4, 4 s segments) from a
40 s lavfi ``testsrc2`` source with grain (so x264 spends its bitrate), stored with
HlsStore and cached under ``var/bench/hls-serving/``. Then, each against a fresh
server pinned to core 0 (``taskset -c 0``):

- **zal**: ``python -m server serve`` on a temp data dir holding the package:
  ``GET /hls/<package_id>/<file>`` (server/api/media.py, aiohttp FileResponse).
- **nginx**: Debian's nginx, one worker, ``sendfile on``, ``open_file_cache``,
  the same files under the same URLs with the same headers.

Loads, from a load generator pinned to core 1:

- **paced**: N simulated viewers (one keep-alive connection each, started over one
  segment length), each fetching the master playlist, the 720p playlist, the init
  segment and two segments at once (hls.js fills its buffer), then one 720p segment
  every 4 s, the real-time pace: N viewers = N/4 segment requests/s. A Python
  (aiohttp) process: benchmarks/hls_loadgen.py.
- **flat out**: ``wrk`` (Debian's, if installed; else a Python loop) with 64
  connections cycling through the 720p segments, or through the playlists.

Server CPU is ``/proc/<pid>/stat`` utime+stime (for nginx: master + worker)
over the measured window; "CPU per request" is that CPU time over the requests
completed in the window.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.hls_report import (
    FLAT_HEADER,
    PACED_HEADER,
    flat_row,
    machine_info,
    paced_row,
    thresholds,
    write_doc,
)

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
CACHE = REPO / "var" / "bench" / "hls-serving"
DOC = REPO / "docs" / "benchmarks-media.md"
BEGIN, END = "<!-- bench:hls:begin -->", "<!-- bench:hls:end -->"
CLK_TCK = os.sysconf("SC_CLK_TCK")
SEGMENT_S = 4.0
SOURCE_S = 40


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def tree_pids(pid: int) -> list[int]:
    """``pid`` and its direct children (nginx: the master and its worker)."""
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                pids += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return pids


class CpuSampler(threading.Thread):
    """CPU ticks of a process tree, with CLOCK_MONOTONIC timestamps (comparable
    with the load generator's, another process on the same machine)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            total = 0
            for pid in tree_pids(self.pid):
                try:
                    total += cpu_ticks(pid)
                except OSError:
                    pass
            self.samples.append((time.monotonic(), total))
            self.stop.wait(self.every)

    def cpu_seconds(self, t0: float, t1: float) -> tuple[float, float]:
        """(CPU seconds, wall seconds) between the samples nearest inside [t0, t1]."""
        inside = [(t, c) for t, c in self.samples if t0 <= t <= t1]
        if len(inside) < 2:
            return float("nan"), float("nan")
        (ta, ca), (tb, cb) = inside[0], inside[-1]
        return (cb - ca) / CLK_TCK, tb - ta


# -- the package ---------------------------------------------------------------
def make_package() -> tuple[Path, str]:
    """The HLS store folder and the package id (made once, then cached)."""
    hls = CACHE / "hls"
    ids = [p.name for p in hls.iterdir()] if hls.is_dir() else []
    ids = [i for i in ids if re.fullmatch(r"[0-9a-f]{64}", i)]
    if ids:
        return hls, ids[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    src = CACHE / "source.mp4"
    if not src.exists():
        emit(f"making a {SOURCE_S} s 1280x720 source with ffmpeg ...")
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-v", "error", "-y",
             "-f", "lavfi", "-i", f"testsrc2=s=1280x720:r=30:d={SOURCE_S}",
             "-f", "lavfi", "-i", f"sine=f=440:d={SOURCE_S}",
             "-vf", "noise=alls=8:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
             "-b:v", "6M", "-c:a", "aac", "-shortest", str(src)],
            check=True, timeout=900,
        )  # fmt: skip
    emit("transcoding it with server/media/transcode.py ...")
    asyncio.run(_transcode_into_store(src, hls))
    return make_package()


async def _transcode_into_store(src: Path, hls: Path) -> None:
    from server.media.probe import probe
    from server.media.store import HlsStore
    from server.media.transcode import TranscodeOptions, transcode

    store = HlsStore(hls)
    work = store.new_work_dir()
    info = await probe(src, max_duration_s=3600)
    options = TranscodeOptions(timeout_s=1800, memory_bytes=3 << 30, preset="veryfast")
    await transcode(src, work, info, options)
    await store.add_package(work)


def package_files(hls: Path, package_id: str) -> dict[str, Any]:
    folder = hls / package_id
    top = folder / "v0.m3u8"
    segments = [ln for ln in top.read_text().splitlines() if ln.endswith(".m4s")]
    sizes = [(folder / s).stat().st_size for s in segments]
    return {
        "segments": segments,
        "playlists": sorted(p.name for p in folder.glob("*.m3u8")),
        "segment_bytes_mean": sum(sizes) / len(sizes),
        # the bitrate a viewer of the top rendition pulls
        "bitrate_bps": 8 * sum(sizes) / (len(sizes) * SEGMENT_S),
    }


# -- the servers ---------------------------------------------------------------
@dataclass
class Server:
    kind: str
    port: int
    proc: subprocess.Popen
    workdir: Path
    sampler: CpuSampler = field(init=False)

    def stop(self) -> None:
        self.sampler.stop.set()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM if self.kind == "nginx" else signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.workdir, ignore_errors=True)


NGINX_CONF = """\
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
{user}pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    types {{
        application/vnd.apple.mpegurl m3u8;
        video/mp4 m4s mp4;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /hls/ {{
            alias {hls}/;
            add_header Cache-Control "public, max-age=31536000, immutable";
            add_header Access-Control-Allow-Origin *;
        }}
    }}
}}
"""


def start_server(kind: str, hls: Path, package_id: str) -> Server:
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix=f"zal-bench-hls-{kind}-"))
    data = workdir / "data"
    shutil.copytree(hls / package_id, data / "hls" / package_id)
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 (kept open for the child)
    if kind == "zal":
        cmd = [PY, "-m", "server", "--log-level", "WARNING", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--data-dir", str(data)]  # fmt: skip
        env = dict(os.environ, ZAL_SCENE_CACHE=str(REPO / "build" / "scene-cache"))
    else:
        os.chmod(workdir, 0o755)  # nginx's worker reads the files (as root: user root below)
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = NGINX_CONF.format(user=user, dir=workdir, port=port, hls=data / "hls")
        (workdir / "nginx.conf").write_text(conf)
        cmd = ["nginx", "-c", str(workdir / "nginx.conf"), "-p", str(workdir),
               "-e", str(workdir / "error.log")]  # fmt: skip
        env = dict(os.environ)
    proc = subprocess.Popen(
        ["taskset", "-c", "0", *cmd], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/hls/{package_id}/master.m3u8"
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} exited:\n{(workdir / 'server.log').read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback)
                if resp.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{kind} did not start")
        time.sleep(0.2)
    server = Server(kind, port, proc, workdir)
    server.sampler = CpuSampler(proc.pid)
    server.sampler.start()
    return server


# -- the load ------------------------------------------------------------------
def run_loadgen(server: Server, plan: dict[str, Any]) -> dict[str, Any]:
    plan_path = server.workdir / "plan.json"
    out = server.workdir / "result.json"
    plan_path.write_text(json.dumps(plan))
    cmd = ["taskset", "-c", "1", PY, "-m", "benchmarks.hls_loadgen",
           "--plan", str(plan_path), "--out", str(out)]  # fmt: skip
    budget = 120 + plan["seconds"] + plan.get("viewers", 0) / 50
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=budget)
    if proc.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{proc.stderr[-2000:]}")
    return json.loads(out.read_text())


WRK_SCRIPT = """\
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _wrk_ms(text: str, label: str) -> float:
    m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


def run_flat(server: Server, base: str, paths: list[str], seconds: float) -> dict[str, Any]:
    connections = 64
    if shutil.which("wrk"):
        script = server.workdir / "paths.lua"
        script.write_text(WRK_SCRIPT % ", ".join(f'"{base}{p}"' for p in paths))
        url = f"http://127.0.0.1:{server.port}/"
        began = time.monotonic()
        proc = subprocess.run(
            ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s",
             "--latency", "-s", str(script), url],
            capture_output=True, text=True, timeout=seconds + 60,
        )  # fmt: skip
        ended = time.monotonic()
        text = proc.stdout
        m = re.search(r"(\d+) requests in ([\d.]+)(m?s)", text)
        if proc.returncode != 0 or not m:
            raise RuntimeError(f"wrk failed:\n{proc.stdout}\n{proc.stderr}")
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errors = re.search(r"Socket errors: .*", text)
        # wrk's own duration is its -d; the window is that much, ending when it exited
        result = {
            "tool": "wrk",
            "window": [max(began, ended - seconds), ended],
            "requests": int(m.group(1)),
            "errors": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(0) if errors else "",
            "p50_ms": _wrk_ms(text, "50%"),
            "p99_ms": _wrk_ms(text, "99%"),
        }
        return result
    plan = {"mode": "flat", "base": base, "paths": paths, "connections": connections,
            "seconds": seconds}  # fmt: skip
    return {"tool": "python", **run_loadgen(server, plan)}


def measure(server: Server, result: dict[str, Any]) -> dict[str, Any]:
    t0, t1 = result["window"]
    cpu_s, wall_s = server.sampler.cpu_seconds(t0, t1)
    window = t1 - t0
    result["server"] = server.kind
    result["req_per_s"] = result["requests"] / window
    result["server_cpu_pct"] = 100 * cpu_s / wall_s
    result["cpu_us_per_req"] = 1e6 * (cpu_s / wall_s) / result["req_per_s"]
    result["loadavg_1m"] = os.getloadavg()[0]
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="HLS serving benchmark (see module docstring)")
    ap.add_argument("--quick", action="store_true", help="short runs, prints only")
    ap.add_argument("--viewers", default="1000,2000", help="paced audiences, comma-separated")
    ap.add_argument("--seconds", type=float, default=None, help="measured seconds per run")
    ap.add_argument("--servers", default="zal,nginx")
    ap.add_argument("--write", action="store_true", help=f"write the results into {DOC.name}")
    args = ap.parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # 1,000+ sockets a side
    if not shutil.which("taskset") or (os.cpu_count() or 1) < 2:
        emit("needs taskset and 2 cores")
        return 2
    seconds = args.seconds or (5.0 if args.quick else 20.0)
    viewers = [int(v) for v in args.viewers.split(",") if v]
    if args.quick:
        viewers = viewers[:1]
    hls, package_id = make_package()
    pkg = package_files(hls, package_id)
    info = machine_info()
    started = datetime.now(UTC)
    emit(
        f"package {package_id[:12]}...: {len(pkg['segments'])} segments of the 720p rendition, "
        f"mean {pkg['segment_bytes_mean'] / 1e6:.2f} MB = {pkg['bitrate_bps'] / 1e6:.2f} Mbit/s"
    )
    base = f"/hls/{package_id}/"
    paced: list[dict[str, Any]] = []
    flat: list[dict[str, Any]] = []
    for kind in args.servers.split(","):
        for n in viewers:
            server = start_server(kind, hls, package_id)
            try:
                plan = {"mode": "paced", "base": f"http://127.0.0.1:{server.port}{base}",
                        "viewers": n, "seconds": seconds, "segments": pkg["segments"]}  # fmt: skip
                r = measure(server, run_loadgen(server, plan))
            finally:
                server.stop()
            r["viewers"] = n
            paced.append(r)
            emit(paced_row(r))
        for files, paths, size in (
            ("720p segments", pkg["segments"], pkg["segment_bytes_mean"]),
            ("playlists", pkg["playlists"], None),
        ):
            server = start_server(kind, hls, package_id)
            try:
                r = measure(server, run_flat(server, base, paths, seconds))
            finally:
                server.stop()
            r["files"] = files
            r["bytes_per_req"] = size or sum(
                (hls / package_id / p).stat().st_size for p in paths
            ) / len(paths)
            flat.append(r)
            emit(flat_row(r, r["bytes_per_req"]))
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    command = "python -m benchmarks.hls_serving " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    body = (
        f"Command: `{command.strip()}`, {started:%Y-%m-%d %H:%M} UTC.\n\n"
        f"Machine: {info['cpu']}; Linux {info['kernel']}; Python {info['python']}; "
        f"{info['tools']}. Load average before {info['load_before']}, after "
        f"{info['load_after']} (the machine is shared). Server pinned to core 0, load "
        f"generator to core 1; loopback; {seconds:.0f} s measured per row.\n\n"
        f"Package: {len(pkg['segments'])} segments of 4 s per rendition; the 720p "
        f"segments average {pkg['segment_bytes_mean'] / 1e6:.2f} MB "
        f"({pkg['bitrate_bps'] / 1e6:.2f} Mbit/s with audio).\n\n"
        f"### Paced: viewers at the real-time pace (one 720p segment per 4 s each)\n\n"
        f"{PACED_HEADER}\n" + "\n".join(paced_row(r) for r in paced) + "\n\n"
        f"### Flat out: 64 connections, as fast as the server answers\n\n"
        f"{FLAT_HEADER}\n"
        + "\n".join(flat_row(r, r["bytes_per_req"]) for r in flat)
        + "\n\n### Where one process runs out\n\n"
        + thresholds(paced, flat, pkg)
    )
    emit("")
    emit(body)
    out = CACHE / "last-run.json"
    out.write_text(json.dumps({"info": info, "package": pkg, "paced": paced, "flat": flat}))
    if args.write and not args.quick:
        write_doc(body, BEGIN, END)
        emit(f"written to {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
