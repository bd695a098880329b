"""Send a request path exactly as written (no client-side normalising or quoting)."""

from __future__ import annotations

from yarl import URL


async def raw_get(client, raw_path: str, **kwargs):
    url = URL(f"http://{client.host}:{client.port}{raw_path}", encoded=True)
    return await client.session.get(url, **kwargs)
