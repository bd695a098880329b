"""The configuration of a Janus that Zal starts (Debian's ``janus`` package, 1.1).

What it allows is what voice needs and no more:

- the HTTP transport on loopback only (Zal's own requests, and the browsers'
  signalling, which reaches it through Zal); no WebSocket, MQTT, RabbitMQ,
  Nanomsg or Unix-socket transport;
- no admin API on any transport;
- ``token_auth`` with ``token_auth_secret``: every request carries a token Zal
  signed (:mod:`.tokens`), so a client Zal has not admitted gets 403 before any
  plugin sees it;
- the VideoRoom plugin only (an SFU: each speaker's audio reaches listeners as
  its own track, so the client can place it at the stage, a guide or a seat),
  with an ``admin_key`` that only Zal knows, so nobody else creates rooms;
- the media ports in a fixed range (the firewall, a TURN server) and the RTP
  forwarders locked.

Start it with :func:`command`; :class:`~.janus_process.JanusProcess` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


def _janus_lib() -> Path:
    """Debian's plugin folders, under the machine's multiarch triplet."""
    found = sorted(Path("/usr/lib").glob("*/janus/plugins"))
    return found[0].parent if found else Path("/usr/lib/x86_64-linux-gnu/janus")


JANUS_LIB = _janus_lib()
BASE_PATH = "/janus"
VIDEOROOM_PLUGIN = "libjanus_videoroom.so"
HTTP_TRANSPORT = "libjanus_http.so"
# everything else Debian ships is disabled by name (Janus loads a folder's every plugin)
OTHER_PLUGINS = (
    "libjanus_audiobridge.so", "libjanus_duktape.so", "libjanus_echotest.so",
    "libjanus_lua.so", "libjanus_nosip.so", "libjanus_recordplay.so", "libjanus_sip.so",
    "libjanus_streaming.so", "libjanus_textroom.so", "libjanus_videocall.so",
    "libjanus_voicemail.so",
)  # fmt: skip
OTHER_TRANSPORTS = (
    "libjanus_mqtt.so", "libjanus_nanomsg.so", "libjanus_pfunix.so",
    "libjanus_rabbitmq.so", "libjanus_websockets.so",
)  # fmt: skip
EVENT_HANDLERS = (
    "libjanus_gelfevh.so", "libjanus_mqttevh.so", "libjanus_nanomsgevh.so",
    "libjanus_rabbitmqevh.so", "libjanus_sampleevh.so", "libjanus_wsevh.so",
)  # fmt: skip
# folders a plugin may never write into (recordings and the like): Janus' own list
PROTECTED = ", ".join(
    f'"{p}"' for p in ("/bin", "/boot", "/dev", "/etc", "/initrd", "/lib", "/lib32", "/lib64",
                       "/proc", "/sbin", "/sys", "/usr", "/var")
)  # fmt: skip
_SAFE = re.compile(r"^[A-Za-z0-9_.,:/+=@ -]*$")


@dataclass(frozen=True)
class JanusConfig:
    """What :func:`render` needs.

    work_dir : where the generated files, and nothing else, are written
    http_port : the HTTP transport's port, on ``listen``
    token_secret : the HMAC secret of the signed tokens (:mod:`.tokens`)
    admin_key : the VideoRoom plugin's key for creating rooms
    listen : the address the HTTP transport binds; loopback unless an operator
        puts Janus on its own machine
    rtp_ports : the UDP range media uses, ``(first, last)``
    nat_1_1 : a public address announced in the candidates (Janus behind 1:1 NAT)
    stun_server : ``host:port`` of a STUN server, when Janus is behind a NAT
    """

    work_dir: Path
    http_port: int
    token_secret: str
    admin_key: str
    listen: str = "127.0.0.1"
    rtp_ports: tuple[int, int] = (20000, 20999)
    nat_1_1: str | None = None
    stun_server: str | None = None
    lib_dir: Path = JANUS_LIB
    session_timeout_s: int = 60

    @property
    def url(self) -> str:
        host = f"[{self.listen}]" if ":" in self.listen else self.listen
        return f"http://{host}:{self.http_port}{BASE_PATH}"


def _q(value: str) -> str:
    """A libconfig string; refuses what could break out of the quotes."""
    if not _SAFE.match(value):
        raise ValueError(f"not a safe Janus configuration value: {value!r}")
    return f'"{value}"'


def render(config: JanusConfig) -> dict[str, str]:
    """The files of the configuration folder, by name."""
    first, last = config.rtp_ports
    if not 1024 <= first <= last <= 65535:
        raise ValueError(f"bad RTP port range {config.rtp_ports}")
    nat = ["\tnice_debug = false", '\tice_ignore_list = "vmnet"']
    if config.nat_1_1:
        nat.append(f"\tnat_1_1_mapping = {_q(config.nat_1_1)}")
    if config.stun_server:
        host, _, port = config.stun_server.rpartition(":")
        nat += [f"\tstun_server = {_q(host)}", f"\tstun_port = {int(port)}"]
    lib = config.lib_dir
    core = f"""general: {{
\tconfigs_folder = {_q(str(config.work_dir))}
\tplugins_folder = {_q(str(lib / "plugins"))}
\ttransports_folder = {_q(str(lib / "transports"))}
\tevents_folder = {_q(str(lib / "events"))}
\tloggers_folder = {_q(str(lib / "loggers"))}
\tdebug_level = 4
\tserver_name = "zal-voice"
\tsession_timeout = {int(config.session_timeout_s)}
\ttoken_auth = true
\ttoken_auth_secret = {_q(config.token_secret)}
\tprotected_folders = [{PROTECTED}]
}}
plugins: {{
\tdisable = {_q(",".join(OTHER_PLUGINS))}
}}
transports: {{
\tdisable = {_q(",".join(OTHER_TRANSPORTS))}
}}
events: {{
\tbroadcast = false
\tdisable = {_q(",".join(EVENT_HANDLERS))}
}}
loggers: {{
\tdisable = "libjanus_jsonlog.so"
}}
media: {{
\trtp_port_range = "{first}-{last}"
}}
nat: {{
{chr(10).join(nat)}
}}
"""
    http = f"""general: {{
\tjson = "compact"
\tbase_path = {_q(BASE_PATH)}
\thttp = true
\tport = {int(config.http_port)}
\tip = {_q(config.listen)}
\thttps = false
}}
admin: {{
\tadmin_http = false
\tadmin_https = false
}}
"""
    videoroom = f"""general: {{
\tadmin_key = {_q(config.admin_key)}
\tlock_rtp_forward = true
\tstring_ids = true
}}
"""
    return {
        "janus.jcfg": core,
        "janus.transport.http.jcfg": http,
        "janus.plugin.videoroom.jcfg": videoroom,
    }


def write(config: JanusConfig) -> Path:
    """Write the configuration folder (private to its owner); returns janus.jcfg."""
    config.work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, text in render(config).items():
        path = config.work_dir / name
        path.write_text(text)
        path.chmod(0o600)  # it holds the token secret and the admin key
    return config.work_dir / "janus.jcfg"


def command(config: JanusConfig) -> list[str]:
    """The command line that runs Janus in the foreground on the written folder."""
    return [
        "janus",
        "--config", str(config.work_dir / "janus.jcfg"),
        "--configs-folder", str(config.work_dir),
        "--disable-colors",
    ]  # fmt: skip
