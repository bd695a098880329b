"""The Janus Zal starts: the configuration it generates is one Janus runs, its
HTTP transport is on loopback only, the admin API is off, and every request needs
a token Zal signed (issue 12)."""

from __future__ import annotations

import socket
import time

import aiohttp
import pytest

from server.voice.tokens import janus_token

from .conftest import Janus, Peer

pytestmark = pytest.mark.asyncio(loop_scope="module")


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: it only picks a route
        except OSError:
            return None
        address = str(s.getsockname()[0])
    return None if address.startswith("127.") else address


async def test_janus_runs_the_generated_configuration_with_only_what_voice_needs(janus: Janus):
    info = await janus.client.info()
    assert info["server-name"] == "zal-voice"
    assert set(info["plugins"]) == {"janus.plugin.videoroom"}
    assert set(info["transports"]) == {"janus.transport.http"}
    assert info["events"] == {} and info.get("loggers", {}) == {}
    # the admin API answers nowhere: not under /admin on the same port
    async with janus.http.get(f"http://127.0.0.1:{janus.config.http_port}/admin") as r:
        assert r.status == 404
    # and the transport is bound to loopback only
    other = _other_address()
    if other is not None:
        with pytest.raises(aiohttp.ClientConnectionError):
            async with janus.http.get(f"http://{other}:{janus.config.http_port}/janus/info"):
                pass


async def test_every_request_needs_a_token_zal_signed(janus: Janus):
    secret, url = janus.config.token_secret, janus.process.url
    now = time.time()
    refused = {
        "none": "",
        "forged": janus_token("not-zal's-secret", now + 60),
        "expired": janus_token(secret, now - 1),
        "another plugin": janus_token(secret, now + 60, ("janus.plugin.echotest",)),
    }
    for why, token in refused.items():
        peer = Peer(janus.http, url, token)
        created = await peer.post("", {"janus": "create"})
        if why == "another plugin":  # the session is allowed; the plugin is not
            assert created["janus"] == "success", created
            peer.session_path = f"/{created['data']['id']}"
            created = await peer.post(
                peer.session_path, {"janus": "attach", "plugin": "janus.plugin.videoroom"}
            )
        assert created["janus"] == "error", why
        # 403: no valid token; 405: a token, but not for this plugin
        assert created["error"]["code"] == (405 if why == "another plugin" else 403), created
    peer = Peer(janus.http, url, janus_token(secret, now + 60))
    await peer.attach()
