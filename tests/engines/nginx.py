"""A real nginx reverse proxy (Debian's ``nginx``) in front of Zal processes, for tests.

Zal's own configuration (server/scale/nginx_proxy.py) rendered into a temp folder:
free loopback ports for HTTPS and HTTP, pid, logs, temp and cache folders of its
own, nginx in the foreground as a child that dies with the test process. The
certificate is made as ``zal serve --https`` makes one (server/tls.py: a local CA
signs a certificate for this machine's names, 127.0.0.1 among them), so clients
verify it with :meth:`NginxProxy.ssl_context`::

    with nginx_proxy(tmp_path / "nginx", ["127.0.0.1:8081", "127.0.0.1:8082"]) as proxy:
        proxy.url        # https://127.0.0.1:<port>
        proxy.get("/healthz")
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from server.scale import nginx_proxy as proxy_conf
from server.tls import ensure_local_certificate

START_TIMEOUT_S = 10.0
STOP_GRACE_S = 5.0


def available() -> bool:
    return shutil.which("nginx") is not None and shutil.which("openssl") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def worker_user() -> str | None:
    """As root (a container) nginx's workers would drop to "nobody", who cannot
    write the temp and cache folders in a private tmp dir: keep them as root."""
    return pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else None


@contextlib.contextmanager
def running_nginx(
    command: Sequence[str], ports: Sequence[int], error_log: Path
) -> Iterator[subprocess.Popen]:
    """nginx in the foreground, dying with the test process; yields once every one
    of ``ports`` answers, and stops it (fast shutdown, then a kill) afterwards."""
    process = subprocess.Popen(
        ["setpriv", "--pdeathsig", "KILL", "--", *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # -e: its errors go to the error log
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all(_listening(port) for port in ports):
            if process.poll() is not None or time.monotonic() > deadline:
                log = error_log.read_text() if error_log.exists() else ""
                raise RuntimeError(f"nginx did not start:\n{log}")
            time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()  # nginx: fast shutdown, its workers with it
            try:
                process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class Answer:
    status: int
    headers: Any  # email.message.Message: case-insensitive .get()
    body: bytes


@dataclass
class NginxProxy:
    config: proxy_conf.ProxyConfig
    process: subprocess.Popen
    ca_cert: Path

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.config.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.config.http_port}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_cert))

    def error_log(self) -> str:
        with contextlib.suppress(OSError):
            return self.config.error_log.read_text(errors="replace")
        return ""

    def get(self, path: str, headers: dict[str, str] | None = None, https: bool = True) -> Answer:
        """One GET through nginx (redirects not followed); any status is an answer."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.ssl_context()), NoRedirect()
        )
        request = urllib.request.Request(
            (self.url if https else self.http_url) + path, headers=headers or {}
        )
        try:
            with opener.open(request, timeout=10) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())


@contextlib.contextmanager
def nginx_proxy(work_dir: Path, upstreams: Sequence[str], **options: Any) -> Iterator[NginxProxy]:
    """nginx on free loopback ports in front of ``upstreams`` (``host:port`` each);
    ``options`` are further :class:`~server.scale.proxy_conf.ProxyConfig` fields."""
    work_dir.mkdir(parents=True, exist_ok=True)
    tls = ensure_local_certificate(work_dir, ["127.0.0.1"])
    assert tls.ca_cert is not None
    config = proxy_conf.ProxyConfig(
        upstreams=tuple(upstreams),
        cert=tls.cert,
        key=tls.key,
        cache_dir=work_dir / "cache",
        work_dir=work_dir,
        listen="127.0.0.1",
        https_port=free_port(),
        http_port=free_port(),
        user=worker_user(),
    )
    config = replace(config, **options)
    proxy_conf.write(config)
    ports = (config.https_port, config.http_port)
    with running_nginx(proxy_conf.command(config), ports, config.error_log) as process:
        yield NginxProxy(config, process, tls.ca_cert)
