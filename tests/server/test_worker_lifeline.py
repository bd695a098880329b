"""server.worker_lifeline: a process dies with its parent, by prctl or by polling."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from .serverproc import REPO, cmdline, is_running, poll_until, process_id

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads processes in /proc")

CHILD = textwrap.dedent(
    """
    import os, sys, time
    from server.worker_lifeline import die_with_parent
    print(die_with_parent(os.getppid(), use_prctl=sys.argv[1] == "prctl"), flush=True)
    time.sleep(600)
    """
)
PARENT = textwrap.dedent(
    """
    import subprocess, sys
    child = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]])
    print(child.pid, flush=True)
    child.wait()
    """
)


@pytest.mark.parametrize("how", ["prctl", "poll"])
def test_a_process_dies_with_its_killed_parent(how):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD, how], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    child = None
    try:
        assert parent.stdout is not None
        lines = {parent.stdout.readline().strip() for _ in range(2)}
        child_pid = int(next(line for line in lines if line.isdigit()))
        assert lines - {str(child_pid)} == {how}  # the child armed itself, the way asked
        child = process_id(child_pid)
        assert child is not None and "server.worker_lifeline" in cmdline(child_pid)

        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        assert poll_until(lambda: not is_running(child), seconds=30)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=30)
        if child is not None and is_running(child):
            os.kill(child[0], signal.SIGKILL)


def test_a_process_whose_parent_is_already_gone_exits_at_once():
    code = "from server.worker_lifeline import die_with_parent; die_with_parent(1); print('alive')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "alive" not in result.stdout
