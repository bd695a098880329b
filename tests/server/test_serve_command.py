"""``python -m server serve`` as a real process: starts, answers, stops on Ctrl-C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 120) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer")


def test_serve_command_runs_the_demo_and_logs_json(tmp_path, scene_cache):
    port = free_port()
    env = dict(os.environ, ZAL_SCENE_CACHE=str(scene_cache), ZAL_LOG_FORMAT="json")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
            "--demo",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as in a terminal
    )
    try:
        assert json.loads(wait_for(f"http://127.0.0.1:{port}/healthz", proc)) == {"status": "ok"}
        live = json.loads(wait_for(f"http://127.0.0.1:{port}/api/events?when=live", proc))
        assert live["events"]
    finally:
        # Ctrl-C signals the whole group: server, fork server and build workers
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert b"Traceback" not in stderr
    lines = [json.loads(line) for line in stderr.decode().splitlines() if line.startswith("{")]
    access = [d for d in lines if d["logger"] == "aiohttp.access"]
    assert any(d["status"] == 200 and d["msg"].startswith("GET /healthz") for d in access)
    assert any(d["msg"] == "demo ready" for d in lines)
    assert (tmp_path / "data" / "demo-host-tokens.txt").exists()
