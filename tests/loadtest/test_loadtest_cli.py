"""`zal loadtest` against a real `zal serve --demo` subprocess on loopback.

A small real run, not a speed test: it checks that simulated members connect,
join the demo event, get snapshots back, and that the report has its fields.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback)
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("zal-serve")
    port = _free_port()
    env = dict(os.environ)
    env.setdefault("ZAL_SCENE_CACHE", str(tmp / "scene-cache"))
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data-dir",
            str(tmp / "data"),
            "--demo",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, (tmp / "server.log").read_text()[-2000:]
            try:
                events = _get(f"{base}/api/events?when=live")["events"]
                if events and _get(f"{base}/api/venues/{events[0]['venue_id']}").get("metadata"):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server did not get ready"
            time.sleep(0.3)
        yield base, events[0]["id"]
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _loadtest(base: str, event_id: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "server",
            "--log-level",
            "WARNING",
            "loadtest",
            "--url",
            base,
            "--event",
            event_id,
            "--clients",
            "10",
            "--hz",
            "10",
            "--seconds",
            "3",
            "--warmup",
            "1",
            "--observer-every",
            "2",
            "--json",
            str(out),
            *extra,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_loadtest_reports_delivery_latency_bytes_and_errors(live_server, tmp_path):
    base, event_id = live_server
    out = tmp_path / "result.json"
    proc = _loadtest(base, event_id, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for field in (
        "delivered",
        "messages/s",
        "pose latency",
        "p50",
        "p95",
        "p99",
        "bytes/client/s",
        "errors",
        "load generator",
        "CPU",
    ):
        assert field in proc.stdout
    result = json.loads(out.read_text())
    assert result["connected"] == 10
    assert result["delivered_messages_per_s"] > 0
    assert result["pose_samples"] > 0 and result["delivered_pct"] > 0
    assert result["latency_p50_ms"] <= result["latency_p99_ms"]
    assert result["wire_bytes_per_client_s"] > 0
    assert result["errors"] == 0, result["error_kinds"]


def test_loadtest_split_over_two_processes_merges_one_report(live_server, tmp_path):
    base, event_id = live_server
    out = tmp_path / "result.json"
    proc = _loadtest(base, event_id, out, "--processes", "2", "--mix", "concert")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["connected"] == 10 and result["loadgen_processes"] == 2
    assert result["delivered_messages_per_s"] > 0


def test_loadtest_against_an_unknown_event_reports_errors(live_server, tmp_path):
    base, _ = live_server
    out = tmp_path / "result.json"
    proc = _loadtest(base, "no-such-event", out)
    assert proc.returncode == 1
    result = json.loads(out.read_text())
    assert result["connected"] == 0 and result["errors"] >= 10
