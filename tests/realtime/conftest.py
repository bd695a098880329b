"""A real Zal app on loopback with a real SQLite file, a small seeded venue, and
helpers that open real ``socketio.AsyncClient`` connections to ``/live``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import socketio
from aiohttp import web

from scenes.metadata import Seat, SpawnPoint, VenueMetadata, WalkableArea
from server import keys
from server.app import create_app
from server.settings import Settings
from server.storage import events as events_repo
from server.storage import institutions as institutions_repo
from server.storage import venues as venues_repo

VENUE_ID = "test-hall"
SEAT_IDS = [f"stalls/A/{n}" for n in range(1, 9)]


def _metadata() -> VenueMetadata:
    seats = [
        Seat(
            id=seat_id,
            section="stalls",
            row="A",
            number=n,
            position=(n * 0.6, 0.45, 5.0),
            floor_y=0.0,
            eye=(n * 0.6, 1.15, 5.0),
            facing=(0.0, 0.0, -1.0),
        )
        for n, seat_id in enumerate(SEAT_IDS, start=1)
    ]
    return VenueMetadata(
        id=VENUE_ID,
        name="Test hall",
        kind="chamber_hall",
        spec_hash="0" * 64,
        bounds_min=(-10.0, 0.0, -10.0),
        bounds_max=(10.0, 8.0, 10.0),
        seats=seats,
        spawn_points=[SpawnPoint(id="door", position=(0.0, 0.0, 8.0), facing=(0.0, 0.0, -1.0))],
        walkable=[
            WalkableArea(
                id="floor",
                vertices=[(-9.0, 0.0, -9.0), (-9.0, 0.0, 9.0), (9.0, 0.0, 9.0), (9.0, 0.0, -9.0)],
            )
        ],
    )


class FakeClock:
    """The live clock of a stepped server: time moves only when a test says so.

    Steps like 0.1 accumulate rounding: a test that sits exactly on a boundary
    (a grace period, a refill) steps by binary fractions (0.5, 0.25) or past it.
    """

    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class LiveServer:
    app: web.Application
    url: str
    token: str  # host token of every event made by make_event
    clock: FakeClock | None = None  # set on a stepped server (no ticker task)
    runner: web.AppRunner | None = None

    @property
    def state(self):
        return self.app[keys.LIVE_STATE]

    async def tick(self, count: int = 1, advance: float = 0.0) -> None:
        """Stepped servers only: ``count`` ticks, each after moving the clock by ``advance``."""
        assert self.clock is not None, "tick() needs live_server(..., stepped=True)"
        for _ in range(count):
            self.clock.advance(advance)
            await self.app[keys.TICKER].tick()

    @property
    def engine(self):
        return self.app[keys.DB_ENGINE]

    async def make_event(self, token: str | None = None) -> str:
        event_id = "evt-" + secrets.token_hex(4)
        now = datetime.now(UTC)
        await events_repo.add(
            self.engine,
            id=event_id,
            venue_id=VENUE_ID,
            title="Test concert",
            kind="concert",
            description="",
            starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=1),
            poster_sha256=None,
            host_token_hash=events_repo.hash_token(token or self.token),
            demo=False,
        )
        return event_id


@contextlib.asynccontextmanager
async def live_server(
    data_dir: Path, stepped: bool = False, **overrides: Any
) -> AsyncIterator[LiveServer]:
    """``stepped``: a :class:`FakeClock` drives the live state and no ticker task
    runs; the test calls :meth:`LiveServer.tick` (exact snapshot counts, exact limits)."""
    settings = Settings(data_dir=data_dir, build_workers=1, demo=False, **overrides)
    clock = FakeClock() if stepped else None
    app = create_app(settings, live_clock=clock)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        engine, blobs = app[keys.DB_ENGINE], app[keys.BLOBS]
        if not await institutions_repo.exists(engine, "test-inst"):  # a second server, same db
            await institutions_repo.add(engine, "test-inst", "Test Philharmonic", "philharmonic")
        manifest = await blobs.add_bytes(
            _metadata().model_dump_json().encode(), "application/json", compress=False
        )
        glb = await blobs.add_bytes(b"glTF-placeholder", "model/gltf-binary", compress=False)
        await venues_repo.upsert(
            engine,
            id=VENUE_ID,
            institution_id="test-inst",
            name="Test hall",
            kind="chamber_hall",
            seat_count=len(SEAT_IDS),
            spec_hash="0" * 64,
            glb_sha256=glb,
            manifest_sha256=manifest,
            builtin=False,
        )
        yield LiveServer(app, f"http://127.0.0.1:{port}", secrets.token_urlsafe(16), clock, runner)
    finally:
        await runner.cleanup()


@dataclass
class Client:
    """A real Socket.IO client that records everything the server sends it."""

    url: str
    name: str = "Guest"
    sio: socketio.AsyncClient = field(
        default_factory=lambda: socketio.AsyncClient(reconnection=False)
    )
    events: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    connect_error: Any = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        @self.sio.on("*", namespace="/live")
        async def _any(event: str, *args: Any) -> None:
            self.events[event].append(args[0] if len(args) == 1 else args)
            self._arrived.set()

        @self.sio.on("connect_error", namespace="/live")
        async def _error(data: Any) -> None:
            self.connect_error = data

    async def connect(self, **auth: Any) -> None:
        # hear again (after close or drop of this same client)
        self.sio.eio.handlers["message"] = self.sio._handle_eio_message
        await self.sio.connect(
            self.url,
            namespaces=["/live"],
            transports=["websocket"],
            auth={"name": self.name, **auth},
            wait_timeout=5,
        )

    async def call(self, event: str, data: Any = None, timeout: float = 5) -> Any:
        if data is None:
            return await self.sio.call(event, namespace="/live", timeout=timeout)
        return await self.sio.call(event, data, namespace="/live", timeout=timeout)

    async def emit(self, event: str, data: Any = None) -> None:
        await self.sio.emit(event, data, namespace="/live")

    async def wait_for(self, event: str, count: int = 1, timeout: float = 5.0, where=None) -> list:
        """Wait until ``count`` events named ``event`` (matching ``where``) arrived."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [e for e in self.events[event] if where is None or where(e)]
            if len(found) >= count:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{self.name}: waited {timeout}s for {count} x {event!r}")
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def sync(self) -> None:
        """A round trip: everything the server sent before it answers has arrived.

        The request (a ``sit`` on a seat that no venue has) changes nothing and is
        not a violation; its ack comes after every frame already queued for us.
        """
        ack = await self.call("sit", {"seat_id": "-sync-"})
        assert ack["error"]["code"] in ("unknown_seat", "not_joined"), ack

    async def close(self) -> None:
        """Say goodbye and go. Messages read but not yet handled are dropped, as in
        :meth:`drop`: the client library handles each in its own task, and one that
        ran after the disconnect reset its binary state would find a snapshot's
        attachment without its header (ValueError at teardown)."""
        self._hear_nothing_more()
        with contextlib.suppress(Exception):
            await self.sio.disconnect()

    async def drop(self) -> None:
        """Lose the network: close the websocket without a Socket.IO goodbye
        (a lost network delivers nothing more either)."""
        self._hear_nothing_more()
        eio = self.sio.eio
        if eio.ws is not None:
            await eio.ws.close()

    def _hear_nothing_more(self) -> None:
        async def lost(_data: Any) -> None:
            return None

        self.sio.eio.handlers["message"] = lost


async def until(condition, timeout: float = 5.0, what: str = "condition") -> None:
    """Poll ``condition()`` (server-side state) until true; fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"waited {timeout}s for {what}")
        await asyncio.sleep(0.01)


@pytest.fixture
def no_tracebacks(caplog):
    """Nothing at ERROR and no exception info, from any logger, during the test."""
    caplog.set_level(logging.WARNING)
    yield
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert bad == [], [f"{r.name}: {r.getMessage()}" for r in bad]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory) -> AsyncIterator[LiveServer]:
    async with live_server(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="module")
async def clients(live: LiveServer) -> AsyncIterator[Any]:
    """``await clients("Anna", **auth)`` -> a connected :class:`Client`; all closed after."""
    made: list[Client] = []

    async def make(name: str = "Guest", connect: bool = True, **auth: Any) -> Client:
        client = Client(live.url, name)
        made.append(client)
        if connect:
            await client.connect(**auth)
        return client

    yield make
    for client in made:
        await client.close()
