"""``python -m server serve`` as a real process, and its process tree read from /proc."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process whose stdout and stderr go to files (a pipe nobody reads
    would fill up and block the server)."""

    def __init__(self, port: int, data_dir: Path, logs: Path, *args: str, **env: str) -> None:
        self.port = port
        logs.mkdir(parents=True, exist_ok=True)
        self.stdout_path, self.stderr_path = logs / "stdout.txt", logs / "stderr.txt"
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server", "serve", "--port", str(port)]
                + ["--data-dir", str(data_dir), *args],
                cwd=REPO,
                env=dict(os.environ, **env),
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group, as in a terminal
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stdout(self) -> str:
        return self.stdout_path.read_text()

    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def get(self, path: str, seconds: float = 120) -> bytes:
        return wait_for(self.url + path, self.proc, seconds, self.stderr_path)


def wait_for(
    url: str, proc: subprocess.Popen, seconds: float = 120, stderr: Path | None = None
) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(stderr.read_text() if stderr else f"exit {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer")


def poll_until(condition: Callable[[], bool], seconds: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def process_id(pid: int) -> tuple[int, str] | None:
    """(pid, start time): a pid the kernel reuses later is a different process."""
    fields = _stat(pid)
    return None if fields is None else (pid, fields[19])


def is_running(identity: tuple[int, str]) -> bool:
    # a zombie has exited and holds no memory; only its exit status waits for a reaper
    fields = _stat(identity[0])
    return fields is not None and fields[0] != "Z" and fields[19] == identity[1]


def descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        found += children
        frontier = children
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1])
