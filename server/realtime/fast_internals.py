"""The library internals the fast path replaces or relies on, in one place, and the version gate.

:mod:`.engineio_fast`, :mod:`.socketio_fast` and :mod:`.engineio_guard` subclass
python-engineio / python-socketio and write to aiohttp's websocket transport from
under it. That is only correct for library code that was read and tested:

- :data:`VERIFIED` -- the versions whose internals were verified; at start-up
  :func:`fast_path_allowed` refuses the fast path (a warning, then the stock
  library path) when an installed version is another one;
- :data:`INTERNALS` -- every library function or class involved: our name, the
  upstream qualified name, and the sha256 of its source. The pin test
  (tests/realtime/test_engineio_fast.py) fails when one changes, so an upgrade
  is a deliberate step: re-read the changed ones, adapt our code, update the
  hashes (``python -m server.realtime.fast_internals`` prints them) and
  :data:`VERIFIED`, and the pins in pyproject.toml.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import logging
from dataclasses import dataclass
from importlib import metadata

log = logging.getLogger("zal.realtime")

# distribution -> verified version prefix (a release series)
VERIFIED = {
    "python-engineio": "4.15.",
    "python-socketio": "5.18.",
    "aiohttp": "3.14.",
}


@dataclass(frozen=True, slots=True)
class Internal:
    ours: str  # what in server/realtime replaces it or relies on it
    upstream: str  # "module:Qualified.name"
    sha256: str  # of inspect.getsource(upstream)


_EIO = "server.realtime.engineio_fast"
_GUARD = "server.realtime.engineio_guard"
_SIO = "server.realtime.socketio_fast"

INTERNALS: tuple[Internal, ...] = (
    # --- python-engineio: the websocket loop and sends (FastAsyncSocket) ---
    Internal(
        f"{_EIO}.FastAsyncSocket._websocket_handler (replaces)",
        "engineio.async_socket:AsyncSocket._websocket_handler",
        "27f120df4d717a24478b7b0f7389ce19eea8a881dd07e2c81fb1cf2493e006a5",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.send (replaces; the library's before the loop)",
        "engineio.async_socket:AsyncSocket.send",
        "0437276ccba7ab091471e29f4bc6a0f178da7b16a590c707d6c69a97609e6d14",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.close (wraps; no writer task to close the websocket)",
        "engineio.async_socket:AsyncSocket.close",
        "faa2e93902543244d2a1b772cdf4074d1615532e98fa6ca896739ca54ad64e76",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.schedule_ping (replaces; keeps the ping task to cancel it)",
        "engineio.async_socket:AsyncSocket.schedule_ping",
        "fe316639159cd70d34cdb911a055fc1a0056ff15615b8460a1ab6593c95e9372",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.close (cancels this task: it only sleeps, then pings)",
        "engineio.async_socket:AsyncSocket._send_ping",
        "67db82a704ea49d0ad34e967728cec06020d036431d67c1612162a907526cb43",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.receive (MESSAGE bypass; other packets)",
        "engineio.async_socket:AsyncSocket.receive",
        "a91ae36ec2fb5340713ec03be88b1ece9887d2f3116ff09f24dda3a6d965db28",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.send (calls; drops a silent client)",
        "engineio.async_socket:AsyncSocket.check_ping_timeout",
        "77616d5ca7809257d5d1866f271e7cc3e114663cfe2772cafda63a7393c880d0",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.receive (decodes with it); {_GUARD}.frame_refusal (mirrors)",
        "engineio.packet:Packet.decode",
        "18e27ff7fd56addd0f25e2be4dbf33d8f65873ba970f4a3f7b9feaa9e22c53b8",
    ),
    # --- python-engineio: the server (FastEngineIOServer, GuardedEngineIO) ---
    Internal(
        f"{_EIO}._FastSockets (creates, stores, then sends: the class switch)",
        "engineio.async_server:AsyncServer._handle_connect",
        "5bd7edc1d1ae115ae973b4a39b435d3b243a3c9b1e3218f21bbeb7ef6aa37e93",
    ),
    Internal(
        f"{_EIO}.FastEngineIOServer.sockets (assigned here: property)",
        "engineio.base_server:BaseServer.__init__",
        "a06b17502fbd9646e3f29ec85f1e53dbbcdc9ceecce6c2969eb83e4ef1726ee2",
    ),
    Internal(
        f"{_EIO}.FastEngineIOServer.sockets (assigned here: property)",
        "engineio.async_server:AsyncServer.disconnect",
        "8bb6448caae41ca671f03e2b376e365172aee7a4329af6735df56575784b1a33",
    ),
    Internal(
        f"{_EIO}.FastEngineIOServer.on (records the message coroutine)",
        "engineio.base_server:BaseServer.on",
        "7b5457b52dc7fd229bbf45bde34778c30aa8640635cdf0e0b3d4f8c24a7bab5e",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.receive (bypasses it for MESSAGE)",
        "engineio.async_server:AsyncServer._trigger_event",
        "4a09b6e47eb665325458df5d59b61d13547449eedb0ef25ce0b634005dae633b",
    ),
    Internal(
        f"{_EIO}._WebSocket (subclass: compression; ._sock and .environ)",
        "engineio.async_drivers.aiohttp:WebSocket",
        "96fbcb0d1f45694a9c34aaf9f487241ca55e9087e96782f044940397921ef4dc",
    ),
    Internal(
        f"{_GUARD}.GuardedEngineIO.handle_request (checks first, then calls)",
        "engineio.async_server:AsyncServer.handle_request",
        "1a8c878e35166cfe868d2cef40cdeb33af620541363a705c4dd2eea76c0f27af",
    ),
    Internal(
        f"{_GUARD}.GuardedEngineIO._log_error_once (replaces)",
        "engineio.base_server:BaseServer._log_error_once",
        "dccbb5602dc46a099ac4a351ea3850be355f6c75d436e741a5d6a630cb25757d",
    ),
    Internal(
        f"{_GUARD}.GuardedEngineIO._bad_request (replaces: JSON)",
        "engineio.base_server:BaseServer._bad_request",
        "af66afac6f6c67db7b376a8da29240c7a0c407cebd108f100d7a03dbf4ff565f",
    ),
    Internal(
        f"{_GUARD}.GuardedEngineIO._origin_refusal (calls)",
        "engineio.base_server:BaseServer._cors_allowed_origins",
        "d0cad0c66d5333cb9f89d0e86a29a80af3654b3cd4a1ca4e7e89fc850f55d85d",
    ),
    Internal(
        f"{_GUARD}.GuardedEngineIO._origin_refusal (calls)",
        "engineio.async_drivers.aiohttp:translate_request",
        "20aa782740060790c268f6d63fd31518b015e52d352528823d2cfbae7221cb7e",
    ),
    Internal(
        "server.realtime.fast_json (the library's decoding rules)",
        "engineio.json:loads",
        "8a4490ed912f80c2ec1ab01c92e38ef791ee74f599d31fe3a6791b50e5a71e39",
    ),
    # --- python-socketio (FastAsyncServer) ---
    Internal(
        f"{_SIO}.FastAsyncServer._handle_event (inline events; else calls)",
        "socketio.async_server:AsyncServer._handle_event",
        "65178105ef8b593d1ebb63610cbabab0c29654cee50fd669ba0a66590f2e1f54",
    ),
    Internal(
        f"{_SIO}.FastAsyncServer._handle_event (calls)",
        "socketio.async_server:AsyncServer._handle_event_internal",
        "472e8b723a12d507ce3ee3eb8e1643cd326bdd9cc669392e6a636ec7aafdb366",
    ),
    Internal(
        f"{_SIO}.FastAsyncServer.broadcast (fallback for non-direct sockets)",
        "socketio.async_server:AsyncServer._send_packet",
        "a00022b42c1c29e908fd601c32aa1854aeaf2f131b3acc12461f6030e1ab9e9b",
    ),
    Internal(
        f"{_SIO}.FastAsyncServer._engineio_server_class (replaces)",
        "socketio.async_server:AsyncServer._engineio_server_class",
        "199c42bf149247e0325bd5fb6c8bcc6c3703c5576704530fa92b383e0f777dd4",
    ),
    Internal(
        f"{_SIO}.FastAsyncServer.broadcast (iterates the room)",
        "socketio.base_manager:BaseManager.get_participants",
        "7d78ad681c95de5be0c4c9062fbaf5b668b0bb54e4b7bfc184bf2766f5d11b2d",
    ),
    Internal(
        f"{_SIO}.FastAsyncServer.broadcast (same packets as emit)",
        "socketio.async_manager:AsyncManager.emit",
        "01ccd5b82b4f955e4f2e4d07b5fbf09cacef868e9f61bc2abe56d92118a5f3ac",
    ),
    # --- aiohttp: frames are written to the transport beside aiohttp's writer ---
    Internal(
        f"{_EIO}.FastAsyncSocket.flush (writes whole frames beside it)",
        "aiohttp._websocket.writer:WebSocketWriter.send_frame",
        "7ab812cc70561f8ede71bb76d97c75c20ebcae26751be5559e42cdd7fa019674",
    ),
    Internal(
        f"{_EIO}.FastAsyncSocket.flush (writes whole frames beside it)",
        "aiohttp._websocket.writer:WebSocketWriter._write_websocket_frame",
        "b677e4e11a7bdfb5054ccb793fb49566d508913edda115b21a6d18df245a42b2",
    ),
    Internal(
        f"{_GUARD}.request_refusal (handshake check before the library)",
        "aiohttp.web_ws:WebSocketResponse.can_prepare",
        "3c5c39c5df1bf4348ef015da39168aff691bd5bb9eafc447de53fc2d2393dcc6",
    ),
)


def resolve(upstream: str) -> object:
    """The object named ``"module:Qualified.name"``."""
    module_name, _, qualname = upstream.partition(":")
    obj: object = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def source_sha256(upstream: str) -> str:
    return hashlib.sha256(inspect.getsource(resolve(upstream)).encode()).hexdigest()  # type: ignore[arg-type]


def installed_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in VERIFIED}


def unverified_versions(installed: dict[str, str] | None = None) -> dict[str, str]:
    """Installed versions (by distribution) outside the verified series."""
    installed = installed_versions() if installed is None else installed
    return {
        name: version
        for name, version in installed.items()
        if not version.startswith(VERIFIED[name])
    }


def fast_path_allowed() -> bool:
    """True when every installed library is a verified version; else one warning."""
    unverified = unverified_versions()
    if unverified:
        log.warning(
            "realtime fast path disabled: library versions not verified, using the stock path",
            extra={
                "installed": ", ".join(f"{n} {v}" for n, v in sorted(unverified.items())),
                "verified": ", ".join(f"{n} {v}x" for n, v in sorted(VERIFIED.items())),
            },
        )
        return False
    return True


if __name__ == "__main__":  # prints the current hashes, for INTERNALS
    for _internal in INTERNALS:
        print(_internal.upstream, source_sha256(_internal.upstream))  # noqa: T201
