"""The nginx reverse proxy in front of Zal (Debian's ``nginx``; docs/scale-out.md).

One rendering, two uses: :func:`render_site` is the part that goes into Debian's
``/etc/nginx/sites-available/zal.conf`` (``deploy/nginx/zal.conf`` is it, rendered
for an example site: ``python -m server.scale.nginx_proxy`` prints it for yours),
and :func:`render` wraps the same text in a whole ``nginx.conf`` that runs without
root in a folder of its own (pid, logs, temp and cache folders), which the tests
start in front of two Zal processes.

What the site does:

- **TLS** on ``https_port`` (the certificate and key paths are the operator's);
  plain HTTP on ``http_port`` only redirects to HTTPS.
- **The websocket** of ``/socket.io/``: the ``Upgrade``/``Connection`` headers
  passed on (HTTP/1.1 to Zal) and a read timeout well above Engine.IO's
  heartbeat (``ZAL_PING_INTERVAL_S`` + ``ZAL_PING_TIMEOUT_S``, at most 600 s), so
  nginx never cuts a quiet member's socket before Zal would.
- **Several Zal processes or machines** in one ``upstream``, nginx's default
  round robin, no sticky sessions: Zal serves Engine.IO's websocket transport
  only (long-polling is refused, server/realtime/engineio_guard.py), and a
  websocket is one TCP connection that nginx holds open to one upstream for its
  whole life, so every packet of a session reaches the process that holds it.
  Stickiness is only needed for long-polling's many separate HTTP requests. A
  reconnect may land on another process; the member resumes there
  (docs/PROTOCOL.md section 8) through the shared Redis.
- **Caching** (``proxy_cache``) where Zal's own ``Cache-Control`` allows it:
  scenes, posters and other content-hash files (``/scenes/``, ``/media/``) and
  recordings' HLS packages (``/hls/``) are ``immutable`` for a year; live HLS
  segments (``/live/…/*.ts|*.m4s``) ``max-age=10``. Live playlists are
  ``no-cache`` to the browser; nginx keeps one for ``live_playlist_cache_s``
  (1 s) so a full hall asks Zal once a second per stream, not once per viewer.
  GLBs come gzipped or not by ``Accept-Encoding``, so the cache key holds
  whether the client accepts gzip. Nothing else is stored: pages, the API (an
  answer may be one person's) and the player's files (``/client/``, ``/vendor/``,
  ``no-cache`` with an ``ETag``: the browser revalidates, Zal answers 304).
- **Uploads**: ``client_max_body_size`` is the largest upload Zal takes
  (:func:`upload_limit`: ``ZAL_MEDIA_MAX_UPLOAD_BYTES``, 4 GiB by default), so a
  too-large upload gets Zal's own JSON error; bodies are streamed to Zal as they
  come (``proxy_request_buffering off``: no 4 GiB spooled to nginx's disk first).
- **Forwarded headers**: ``X-Forwarded-For`` is set to the client's address alone
  (a value the client sent is dropped, not extended), with ``X-Forwarded-Proto``
  and ``X-Forwarded-Host``. Zal trusts none of them for who a client is: its
  peer address is nginx's (``request.remote``), and Secure cookies behind TLS
  need ``ZAL_SECURE_COOKIES=true``. Only python-engineio's same-origin check reads
  ``X-Forwarded-Proto``/``-Host``, to allow the ``https://`` origin the browser
  sees; nginx sets both itself, so a browser cannot choose them.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..nginx_common import check_account, check_writable
from ..nginx_common import command as nginx_command

CACHE_ZONE = "zal_cache"
UPSTREAM = "zal"
# the folders nginx writes request bodies and upstream answers to: under the work
# dir, so a test's nginx needs no /var/lib/nginx
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def upload_limit(settings: object | None = None) -> int:
    """The largest request body Zal accepts anywhere (bytes): nginx's
    ``client_max_body_size``, so that Zal answers a too-large upload itself."""
    from ..collections.limits import CollectionLimits
    from ..settings import Settings

    s = settings if isinstance(settings, Settings) else Settings()
    return max(
        s.media_max_upload_bytes, s.scene_max_upload_bytes, CollectionLimits().max_upload_bytes
    )


@dataclass(frozen=True)
class ProxyConfig:
    """What :func:`render_site` and :func:`render` need.

    upstreams : Zal processes, ``host:port`` each (one per process or machine)
    server_name : the site's name(s), e.g. ``zal.example.org``
    cert, key : the TLS certificate chain and private key (PEM)
    cache_dir : nginx's proxy cache (created by nginx)
    work_dir : (whole config only) pid, logs, temp folders
    """

    upstreams: tuple[str, ...]
    cert: Path
    key: Path
    cache_dir: Path
    server_name: str = "_"
    listen: str = "0.0.0.0"
    https_port: int = 443
    http_port: int = 80
    work_dir: Path | None = None
    cache_max_size: str = "10g"
    max_body_bytes: int = 4 << 30
    socket_timeout_s: int = 660  # > the largest heartbeat, 300 + 300 s
    live_playlist_cache_s: int = 1
    user: str | None = None  # only when nginx starts as root (its workers' account)

    @property
    def conf_path(self) -> Path:
        return self._work / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self._work / "error.log"

    @property
    def access_log(self) -> Path:
        return self._work / "access.log"

    @property
    def _work(self) -> Path:
        if self.work_dir is None:
            raise ValueError("a whole nginx.conf needs work_dir")
        return self.work_dir

    @property
    def https_url(self) -> str:
        host = "127.0.0.1" if self.server_name == "_" else self.server_name.split()[0]
        port = "" if self.https_port == 443 else f":{self.https_port}"
        return f"https://{host}{port}"


def _check(config: ProxyConfig) -> None:
    if not config.upstreams:
        raise ValueError("at least one upstream (host:port)")
    for upstream in config.upstreams:
        host, _, number = upstream.rpartition(":")
        if not host or not number.isdigit() or not 0 < int(number) < 65536:
            raise ValueError(f"upstream {upstream!r} is not host:port")
    ipaddress.ip_address(config.listen)  # ValueError for a name or garbage
    for port in (config.https_port, config.http_port):
        if not 0 < port < 65536:
            raise ValueError(f"{port} is not a TCP port")
    if config.max_body_bytes < 1 or config.socket_timeout_s < 60:
        raise ValueError("max_body_bytes must be positive and socket_timeout_s at least 60")
    check_account(config.user)
    check_writable(
        *config.upstreams, config.cert, config.key, config.cache_dir, config.cache_max_size,
        *config.server_name.split(),
    )  # fmt: skip
    if config.work_dir is not None:
        check_writable(config.work_dir)


def _listen(config: ProxyConfig, port: int) -> str:
    address = f"[{config.listen}]" if ":" in config.listen else config.listen
    return f"{address}:{port}"


def render_site(config: ProxyConfig) -> str:
    """The ``http {}``-level part: upstream, cache, the two servers."""
    _check(config)
    servers = "\n".join(f"    server {u} max_fails=1 fail_timeout=5s;" for u in config.upstreams)
    port = "" if config.https_port == 443 else f":{config.https_port}"
    cache = config.cache_dir.resolve() if config.work_dir else config.cache_dir
    return f"""\
# made by server.scale.nginx_proxy (Zal); see docs/scale-out.md

upstream {UPSTREAM} {{
    # round robin, no stickiness: Zal serves the websocket transport only
{servers}
    keepalive 32;
}}

# websocket requests pass "Upgrade"; others keep the upstream connection alive
map $http_upgrade $zal_connection {{
    default upgrade;
    ""      "";
}}

# GLBs and JSON come gzipped or plain by Accept-Encoding (Vary): one cache entry each
map $http_accept_encoding $zal_gzip {{
    default  "";
    ~*gzip   gzip;
}}

proxy_cache_path {cache} levels=1:2 keys_zone={CACHE_ZONE}:20m
                 max_size={config.cache_max_size} inactive=7d use_temp_path=off;

server {{
    listen {_listen(config, config.http_port)};
    server_name {config.server_name};
    return 301 https://$host{port}$request_uri;
}}

server {{
    listen {_listen(config, config.https_port)} ssl http2;
    server_name {config.server_name};

    ssl_certificate {config.cert};
    ssl_certificate_key {config.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:zal_tls:10m;

    # the largest upload Zal takes; Zal refuses each route's own limit itself,
    # and receives the body as it comes
    client_max_body_size {config.max_body_bytes};
    proxy_request_buffering off;

    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header Connection $zal_connection;
    proxy_set_header Upgrade $http_upgrade;
    # set, never appended to what the client sent; Zal trusts none of them (its peer is nginx)
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-Host $http_host;
    proxy_set_header Forwarded "";

    proxy_cache_key $scheme$http_host$uri$is_args$args|$zal_gzip;
    proxy_cache_lock on;
    proxy_cache_revalidate on;
    proxy_cache_use_stale updating;
    add_header X-Cache-Status $upstream_cache_status always;

    location /socket.io/ {{
        proxy_pass http://{UPSTREAM};
        # Engine.IO pings every ZAL_PING_INTERVAL_S (25 s); nginx's 60 s default
        # would do today, this leaves room for any allowed heartbeat
        proxy_read_timeout {config.socket_timeout_s}s;
        proxy_send_timeout {config.socket_timeout_s}s;
        proxy_buffering off;
    }}

    # content-hash files: scenes (GLB, manifests), posters, images, audio guides;
    # Zal says immutable for a year
    location ~ "^/(scenes|media)/[0-9a-f]{{64}}\\.[a-z0-9]+$" {{
        proxy_pass http://{UPSTREAM};
        proxy_cache {CACHE_ZONE};
    }}

    # recordings' HLS packages: named by the hash of their files, immutable
    location /hls/ {{
        proxy_pass http://{UPSTREAM};
        proxy_cache {CACHE_ZONE};
    }}

    # live HLS: segments max-age=10 by Zal; the playlist no-cache to browsers,
    # kept {config.live_playlist_cache_s} s here so a full hall asks Zal once a second
    location ~ ^/live/[^/]+/[^/]+\\.m3u8$ {{
        proxy_pass http://{UPSTREAM};
        proxy_cache {CACHE_ZONE};
        proxy_ignore_headers Cache-Control Expires;
        proxy_cache_valid 200 {config.live_playlist_cache_s}s;
    }}
    location /live/ {{
        proxy_pass http://{UPSTREAM};
        proxy_cache {CACHE_ZONE};
    }}

    # pages, the API, the player's files: nothing stored here (an API answer may be
    # one person's); the player's files are no-cache with an ETag (Zal's 304)
    location / {{
        proxy_pass http://{UPSTREAM};
    }}
}}
"""


def render(config: ProxyConfig) -> str:
    """A whole ``nginx.conf`` around :func:`render_site`: foreground, one worker,
    pid, logs and temp folders in ``work_dir``."""
    work = config._work.resolve()
    user = f"user {config.user};\n" if config.user else ""
    temps = "\n".join(f"    {name}_temp_path {work / name};" for name in TEMP_FOLDERS)
    site = "\n".join(f"    {line}" if line else "" for line in render_site(config).splitlines())
    return f"""\
# made by server.scale.nginx_proxy (Zal); see docs/scale-out.md
{user}daemon off;
master_process on;
worker_processes 1;
pid {work / "nginx.pid"};
error_log {work / "error.log"} info;

events {{
    worker_connections 1024;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {work / "access.log"};
{temps}

{site}
}}
"""


def write(config: ProxyConfig) -> Path:
    """Render the whole config into ``<work_dir>/nginx.conf``; returns its path."""
    text = render(config)
    for name in TEMP_FOLDERS:
        (config._work / name).mkdir(parents=True, exist_ok=True)
    config.conf_path.write_text(text)
    return config.conf_path


def command(config: ProxyConfig, nginx: str = "nginx") -> list[str]:
    """``nginx -c <conf> -p <work_dir> -e <error log>``: runs in the foreground."""
    return nginx_command(config.conf_path, config._work, config.error_log, nginx)


EXAMPLE = ProxyConfig(
    upstreams=("10.0.0.11:8080", "10.0.0.12:8080"),
    server_name="zal.example.org",
    cert=Path("/etc/ssl/zal/fullchain.pem"),
    key=Path("/etc/ssl/zal/privkey.pem"),
    cache_dir=Path("/var/cache/nginx/zal"),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the site for ``/etc/nginx/sites-available/zal.conf``."""
    parser = argparse.ArgumentParser(
        prog="python -m server.scale.nginx_proxy", description=main.__doc__
    )
    parser.add_argument("--upstream", action="append", help="host:port of a Zal (repeat)")
    parser.add_argument("--server-name", default=EXAMPLE.server_name)
    parser.add_argument("--cert", type=Path, default=EXAMPLE.cert)
    parser.add_argument("--key", type=Path, default=EXAMPLE.key)
    parser.add_argument("--cache-dir", type=Path, default=EXAMPLE.cache_dir)
    args = parser.parse_args(argv)
    config = ProxyConfig(
        upstreams=tuple(args.upstream or EXAMPLE.upstreams),
        server_name=args.server_name,
        cert=args.cert,
        key=args.key,
        cache_dir=args.cache_dir,
        max_body_bytes=upload_limit(),
    )
    try:
        sys.stdout.write(render_site(config))
    except ValueError as exc:
        sys.stderr.write(f"nginx_proxy: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
