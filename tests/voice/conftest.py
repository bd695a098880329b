"""A real Janus (Debian's ``janus``), started on free ports from the configuration
Zal generates, and a browser-side peer of the Janus HTTP API for the tests."""

from __future__ import annotations

import secrets
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest_asyncio

from server.voice.janus_client import JanusClient
from server.voice.janus_conf import JanusConfig
from server.voice.janus_process import JanusProcess
from server.voice.rooms import VoiceRooms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Janus:
    def __init__(self, process: JanusProcess, http: aiohttp.ClientSession) -> None:
        self.process = process
        self.config = process.config
        self.http = http
        self.client = JanusClient(http, process.url, process.config.token_secret)
        self.rooms = VoiceRooms(self.client, process.config.admin_key)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def janus(tmp_path_factory) -> AsyncIterator[Janus]:
    config = JanusConfig(
        work_dir=tmp_path_factory.mktemp("janus"),
        http_port=free_port(),
        token_secret=secrets.token_urlsafe(24),
        admin_key=secrets.token_urlsafe(24),
    )
    async with JanusProcess(config) as process, aiohttp.ClientSession() as http:
        yield Janus(process, http)


class Peer:
    """What a browser does over the Janus HTTP API (as janus.js would): a session,
    a VideoRoom handle, requests whose answers come as events on the long poll."""

    def __init__(self, http: aiohttp.ClientSession, url: str, token: str) -> None:
        self.http, self.url, self.token = http, url, token
        self.session_path = ""
        self.handle_path = ""
        self._events: list[dict[str, Any]] = []

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body = {**body, "transaction": secrets.token_hex(8), "token": self.token}
        async with self.http.post(self.url + path, json=body) as r:
            return dict(await r.json(content_type=None))

    async def attach(self) -> None:
        created = await self.post("", {"janus": "create"})
        assert created["janus"] == "success", created
        self.session_path = f"/{created['data']['id']}"
        attached = await self.post(
            self.session_path, {"janus": "attach", "plugin": "janus.plugin.videoroom"}
        )
        assert attached["janus"] == "success", attached
        self.handle_path = f"{self.session_path}/{attached['data']['id']}"

    async def ask(self, body: dict[str, Any]) -> dict[str, Any]:
        """A plugin request answered asynchronously: its event's plugin data."""
        sent = await self.post(self.handle_path, {"janus": "message", "body": body})
        if sent["janus"] == "error":
            return {"error_code": sent["error"]["code"], "error": sent["error"]["reason"]}
        if sent["janus"] == "success":  # answered at once (a synchronous request)
            return dict(sent["plugindata"]["data"])
        transaction = sent["transaction"]
        for _ in range(20):  # each poll returns as soon as an event is there (or after 30 s)
            for event in self._events:
                if event.get("transaction") == transaction:
                    return dict(event["plugindata"]["data"])
            async with self.http.get(
                f"{self.url}{self.session_path}", params={"maxev": "10", "token": self.token}
            ) as r:
                got = await r.json(content_type=None)
            self._events += got if isinstance(got, list) else [got]
        raise AssertionError(f"no answer to {body}")
