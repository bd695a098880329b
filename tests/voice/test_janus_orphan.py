"""A Zal process killed outright (SIGKILL) takes its Janus with it.

Zal stops Janus on a clean shutdown; a kill gives it no chance, and a Janus left
behind would hold its ports (a restarted Zal could not start its own). The
kernel sends Janus SIGTERM when its parent dies (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from .conftest import free_port

pytestmark = pytest.mark.skipif(shutil.which("janus") is None, reason="janus not installed")

STARTER = textwrap.dedent(
    """
    import asyncio, secrets, sys
    from pathlib import Path
    from server.voice.janus_conf import JanusConfig
    from server.voice.janus_process import JanusProcess

    async def main():
        config = JanusConfig(
            work_dir=Path(sys.argv[1]), http_port=int(sys.argv[2]),
            token_secret=secrets.token_urlsafe(24), admin_key=secrets.token_urlsafe(24),
        )
        process = JanusProcess(config)
        await process.start()
        print(process._process.pid, flush=True)
        await asyncio.sleep(3600)

    asyncio.run(main())
    """
)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_killed_zal_takes_its_janus_with_it(tmp_path):
    zal = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(tmp_path), str(free_port())],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert zal.stdout is not None
        janus_pid = int(zal.stdout.readline())  # once Janus answers
        assert _alive(janus_pid)
        os.kill(zal.pid, signal.SIGKILL)
        zal.wait(10)
        deadline = time.monotonic() + 15
        while _alive(janus_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(janus_pid), "Janus outlived the Zal that started it"
    finally:
        zal.kill()
        zal.wait()
