"""The nginx configuration of the RTMP ingest (Debian's ``libnginx-mod-rtmp``).

Zal does not speak RTMP itself: nginx receives the encoder's push (OBS, ffmpeg),
asks Zal whether the stream key is one Zal gave out (``on_publish``), and cuts the
stream into HLS that Zal serves under ``/live/``. Two RTMP applications:

- ``live`` – where encoders push to, ``rtmp://<host>:<port>/live/<stream key>``.
  Nothing is recorded or played from it; its ``on_publish`` POSTs to Zal, which
  answers 403 for a key it does not know (nginx drops the push) and, for a known
  key, a redirect to ``rtmp://<loopback>:<port>/zal_hls/<playback id>``: nginx then
  relays the stream there under its *public* name. A plain rename (a redirect
  without ``rtmp://``) does not reach the HLS writer in nginx-rtmp 1.2.2, hence
  the relay.
- ``zal_hls`` – accepts publishing only from the relay's own address and writes
  ``<hls_dir>/<playback id>/index.m3u8`` and its segments.

So the secret key never appears in a file name or a public URL: the playback id
is the sha256 of the key (:mod:`.keys`).

The config runs without root: ``daemon off``, pid and error log in the work dir,
no http block (so no temp folders under /var/lib/nginx); ``user`` only matters
if it is started as root.
Start it with :func:`command`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from ...nginx_common import check_account, check_writable
from ...nginx_common import command as nginx_command

MODULE_PATH = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")
INGEST_APP = "live"
HLS_APP = "zal_hls"
ON_PUBLISH_PATH = "/api/live/on_publish"


@dataclass(frozen=True)
class IngestConfig:
    """What :func:`render` needs.

    work_dir : folder for the pid file and the error log (nginx's ``-p`` prefix)
    hls_dir : where HLS is written; Zal's ``ZAL_LIVE_HLS_DIR`` must name the same folder
    zal_url : how nginx reaches Zal, e.g. ``http://127.0.0.1:8080`` (an IP: the RTMP
        module's HTTP client resolves no names without a ``resolver``)
    rtmp_port : the port encoders push to (1935 is RTMP's own)
    listen : the address to listen on; ``0.0.0.0`` for encoders on other machines
    fragment_s : HLS segment length in seconds (encoders should send a key frame this often)
    playlist_length_s : seconds of segments the live playlist lists
    """

    work_dir: Path
    hls_dir: Path
    zal_url: str
    rtmp_port: int = 1935
    listen: str = "127.0.0.1"
    fragment_s: int = 2
    playlist_length_s: int = 12
    module_path: Path = MODULE_PATH
    # only when nginx is started as root: the account its workers run as (root's nginx
    # otherwise drops them to "nobody", who cannot write a private hls_dir)
    user: str | None = None

    @property
    def relay_host(self) -> str:
        """The address nginx relays to itself on (and the only one allowed to
        publish into ``zal_hls``)."""
        address = ipaddress.ip_address(self.listen)
        if address.is_unspecified:
            return "::1" if address.version == 6 else "127.0.0.1"
        return self.listen

    @property
    def relay_url(self) -> str:
        host = f"[{self.relay_host}]" if ":" in self.relay_host else self.relay_host
        return f"rtmp://{host}:{self.rtmp_port}/{HLS_APP}"

    @property
    def on_publish_url(self) -> str:
        # the relay target rides along, so Zal needs no setting of its own for it
        return f"{self.zal_url.rstrip('/')}{ON_PUBLISH_PATH}?relay={self.relay_url}"

    @property
    def pid_path(self) -> Path:
        return self.work_dir / "nginx.pid"

    @property
    def error_log(self) -> Path:
        return self.work_dir / "error.log"

    @property
    def conf_path(self) -> Path:
        return self.work_dir / "nginx.conf"


def _check(config: IngestConfig) -> None:
    ipaddress.ip_address(config.listen)  # ValueError for a name or garbage
    if not 0 < config.rtmp_port < 65536:
        raise ValueError(f"rtmp_port {config.rtmp_port} is not a TCP port")
    if not config.zal_url.startswith(("http://", "https://")):
        raise ValueError(f"zal_url {config.zal_url!r} must be an http(s) URL")
    if not 1 <= config.fragment_s <= 10:
        raise ValueError(f"fragment_s {config.fragment_s} must be 1..10 s")
    if config.playlist_length_s < 3 * config.fragment_s:
        raise ValueError("playlist_length_s must hold at least three fragments")
    check_account(config.user)
    check_writable(config.work_dir, config.hls_dir, config.zal_url, config.module_path)


def render(config: IngestConfig) -> str:
    """The whole ``nginx.conf`` text."""
    _check(config)
    listen = f"[{config.listen}]" if ":" in config.listen else config.listen
    work, hls = config.work_dir.resolve(), config.hls_dir.resolve()
    user = f"user {config.user};\n" if config.user else ""
    return f"""\
# made by server.media.live.nginx_conf (Zal); see docs/hosts-live-stream.md
load_module {config.module_path};
{user}daemon off;
master_process on;
worker_processes 1;
pid {work / "nginx.pid"};
error_log {work / "error.log"} info;

events {{
    worker_connections 256;
}}

rtmp {{
    server {{
        listen {listen}:{config.rtmp_port};
        chunk_size 4096;
        # an encoder that stops sending is dropped after this long
        drop_idle_publisher 10s;

        application {INGEST_APP} {{
            live on;
            deny play all;
            # Zal answers a key it made with a redirect to zal_hls, any other with 403
            on_publish {config.on_publish_url};
            notify_method post;
        }}

        application {HLS_APP} {{
            live on;
            allow publish {config.relay_host};
            deny publish all;
            deny play all;
            hls on;
            hls_path {hls};
            hls_nested on;
            hls_fragment {config.fragment_s}s;
            hls_playlist_length {config.playlist_length_s}s;
            hls_cleanup on;
            # an encoder that reconnects goes on numbering where it stopped, so a
            # segment name never comes back with other pictures in it
            hls_continuous on;
            # each segment named after the system time (ms) its first frame arrived:
            # Zal dates the segments with it (program_time.py), so the hall can
            # sit the same number of seconds behind real time
            hls_fragment_naming system;
        }}
    }}
}}
"""


def write(config: IngestConfig) -> Path:
    """Render into ``<work_dir>/nginx.conf`` (making the folders); returns its path."""
    text = render(config)
    config.work_dir.mkdir(parents=True, exist_ok=True)
    config.hls_dir.mkdir(parents=True, exist_ok=True)
    config.conf_path.write_text(text)
    return config.conf_path


def command(config: IngestConfig, nginx: str = "nginx") -> list[str]:
    """``nginx -c <conf> -p <work_dir> -e <error log>``: runs in the foreground."""
    return nginx_command(config.conf_path, config.work_dir, config.error_log, nginx)
