"""Zal's side of the Janus HTTP API (the "REST" transport, janus.transport.http).

Only what the room administration needs: a session, a handle on the VideoRoom
plugin, and the plugin's synchronous requests (create, destroy, exists,
allowed, kick, listparticipants), which Janus answers in the HTTP response
itself. Every request carries a freshly signed token (:mod:`.tokens`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from .tokens import VIDEOROOM, janus_token

TOKEN_TTL_S = 60  # Zal's own tokens: one short administration at a time


class JanusError(Exception):
    """Janus (or its plugin) refused a request; ``code`` is Janus' own number."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.code = code
        self.reason = reason


class JanusUnavailable(Exception):
    """Janus did not answer (not running, or not at that address)."""


class JanusHandle:
    """A handle attached to a plugin within a session."""

    def __init__(self, client: JanusClient, session_id: int, handle_id: int) -> None:
        self._client = client
        self._path = f"/{session_id}/{handle_id}"

    async def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """A plugin request answered synchronously; its ``plugindata.data``.

        Raises :class:`JanusError` when the plugin answers with an error.
        """
        reply = await self._client.post(self._path, {"janus": "message", "body": body})
        data = reply.get("plugindata", {}).get("data", {})
        if "error_code" in data:
            raise JanusError(int(data["error_code"]), str(data.get("error", "")))
        return dict(data)


class JanusClient:
    """HTTP client of one Janus, e.g. ``JanusClient(http, "http://127.0.0.1:8088/janus", s)``."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        url: str,
        token_secret: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self.url = url.rstrip("/")
        self._secret = token_secret
        self._clock = clock

    def token(self, ttl_s: float = TOKEN_TTL_S) -> str:
        return janus_token(self._secret, self._clock() + ttl_s, (VIDEOROOM,))

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        payload = {**body, "transaction": secrets.token_hex(8), "token": self.token()}
        try:
            async with self._http.post(
                self.url + path, json=payload, timeout=aiohttp.ClientTimeout(total=10)
            ) as response:
                reply: dict[str, Any] = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise JanusUnavailable(f"{self.url}: {exc}") from exc
        if reply.get("janus") == "error":
            error = reply.get("error", {})
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "")))
        return reply

    async def forward(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        """A browser's request passed on as it is, with Zal's token: (status, reply)."""
        payload = {**body, "token": self.token()}
        payload.setdefault("transaction", secrets.token_hex(8))
        try:
            async with self._http.post(
                self.url + path, json=payload, timeout=aiohttp.ClientTimeout(total=10)
            ) as response:
                return response.status, await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise JanusUnavailable(f"{self.url}: {exc}") from exc

    async def poll(self, session_id: int, maxev: int) -> tuple[int, Any]:
        """A browser's long poll for its session's events (Janus holds it up to 30 s)."""
        params = {"maxev": str(max(1, min(maxev, 10))), "token": self.token()}
        try:
            async with self._http.get(
                f"{self.url}/{session_id}", params=params, timeout=aiohttp.ClientTimeout(total=40)
            ) as response:
                return response.status, await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise JanusUnavailable(f"{self.url}: {exc}") from exc

    async def info(self) -> dict[str, Any]:
        try:
            async with self._http.get(
                self.url + "/info", timeout=aiohttp.ClientTimeout(total=5)
            ) as response:
                return dict(await response.json(content_type=None))
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise JanusUnavailable(f"{self.url}: {exc}") from exc

    @asynccontextmanager
    async def videoroom(self) -> AsyncIterator[JanusHandle]:
        """A session with a VideoRoom handle, destroyed on leaving the block."""
        created = await self.post("", {"janus": "create"})
        session_id = int(created["data"]["id"])
        try:
            attached = await self.post(f"/{session_id}", {"janus": "attach", "plugin": VIDEOROOM})
            yield JanusHandle(self, session_id, int(attached["data"]["id"]))
        finally:
            try:
                await self.post(f"/{session_id}", {"janus": "destroy"})
            except (JanusError, JanusUnavailable):
                pass  # it times out on its own (session_timeout)
