"""Janus' HMAC-signed tokens (``token_auth_secret`` in janus.jcfg).

A token is ``<expiry>,janus,<plugin>[,<plugin>...]:<signature>``, the signature
being base64(HMAC-SHA1(secret, the part before the colon)). Janus refuses a
request whose token is unsigned, forged, expired or not for the plugin it
attaches to, so a browser reaches Janus only with a token Zal minted for it:
nobody needs the admin API to hand tokens out or take them back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

REALM = "janus"
VIDEOROOM = "janus.plugin.videoroom"


def janus_token(secret: str, expires_at: float, plugins: tuple[str, ...] = (VIDEOROOM,)) -> str:
    """A token Janus accepts until ``expires_at`` (Unix seconds) for ``plugins``."""
    if not plugins or any("," in p or ":" in p for p in plugins):
        raise ValueError(f"bad plugin names: {plugins!r}")
    data = f"{int(expires_at)},{REALM},{','.join(plugins)}"
    digest = hmac.new(secret.encode(), data.encode(), hashlib.sha1).digest()
    return f"{data}:{base64.b64encode(digest).decode()}"
