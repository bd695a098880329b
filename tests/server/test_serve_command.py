"""``python -m server serve`` as a real process: starts, answers, says where, stops on Ctrl-C."""

import json
import os
import re
import signal
import urllib.request

from .serverproc import Server, free_port


def stop(server: Server) -> None:
    # Ctrl-C signals the whole group: server, fork server and build workers
    os.killpg(server.proc.pid, signal.SIGINT)
    server.proc.wait(timeout=30)


def test_serve_command_runs_the_demo_and_logs_json(tmp_path, scene_cache):
    server = Server(
        free_port(),
        tmp_path / "data",
        tmp_path / "logs",
        "--demo",
        ZAL_SCENE_CACHE=str(scene_cache),
        ZAL_LOG_FORMAT="json",
    )
    try:
        assert json.loads(server.get("/healthz")) == {"status": "ok"}
        assert json.loads(server.get("/api/events?when=live"))["events"]
    finally:
        stop(server)
    assert server.proc.returncode == 0
    stderr = server.stderr()
    assert "Traceback" not in stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    access = [d for d in lines if d["logger"] == "aiohttp.access"]
    assert any(d["status"] == 200 and d["msg"].startswith("GET /healthz") for d in access)
    assert any(d["msg"] == "demo ready" for d in lines)
    assert (tmp_path / "data" / "demo-host-tokens.txt").exists()


def test_serve_command_prints_where_it_listens_and_whole_host_links(tmp_path, scene_cache):
    port = free_port()
    data_dir = tmp_path / "data"
    server = Server(port, data_dir, tmp_path / "logs", "--demo", ZAL_SCENE_CACHE=str(scene_cache))
    try:
        server.get("/healthz")
        link_re = re.compile(
            rf"http://127\.0\.0\.1:{port}/venue/[a-z0-9-]+\?event=([a-z0-9-]+)#host=([\w-]+)"
        )
        stderr = server.stderr()
        printed = [m.groups() for m in link_re.finditer(stderr)]
        tokens_file = (data_dir / "demo-host-tokens.txt").read_text()
        saved = [line.split() for line in tokens_file.splitlines() if line.strip()]
        assert printed and len(printed) == len(saved)
        for event_id, token, link in saved:
            assert (event_id, token) in printed
            assert link_re.fullmatch(link)
            # the link opens the venue page (the fragment stays in the browser)
            with urllib.request.urlopen(link.split("#")[0], timeout=30) as page:
                assert page.status == 200
    finally:
        stop(server)
    assert server.proc.returncode == 0
    # start-up ends with where it listens, on stdout; logs go to stderr
    assert server.stdout().splitlines() == [
        f"Zal listening on http://127.0.0.1:{port}/ (Ctrl-C stops it)"
    ]
    assert "Traceback" not in server.stderr()
    assert f"host_links={data_dir / 'demo-host-tokens.txt'}" in server.stderr()
