"""TURN credentials for residents behind strict NATs (coturn's "TURN REST API").

coturn started with ``use-auth-secret`` and ``static-auth-secret=<secret>`` accepts a
username ``<expiry>:<name>`` with the password base64(HMAC-SHA1(secret, username)):
Zal mints one per member for its pass's lifetime, and no account is ever stored.
The browser gets them in ``voice_join``'s ``ice_servers`` (docs/voice.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

TTL_S = 6 * 3600  # a long show; a member who stays longer asks for voice again


def ice_servers(
    urls: list[str], secret: str | None, name: str, now: float, ttl_s: float = TTL_S
) -> list[dict[str, object]]:
    """RTCPeerConnection's ``iceServers`` for ``name``; empty without TURN."""
    if not urls:
        return []
    if not secret:
        return [{"urls": list(urls)}]  # STUN only (no credentials)
    username = f"{int(now + ttl_s)}:{name}"
    credential = base64.b64encode(
        hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    ).decode()
    return [{"urls": list(urls), "username": username, "credential": credential}]
