"""Two Zal processes on one data dir and one Redis behind a real nginx (issue 14).

Members are real python-socketio clients that reach Zal only through nginx, over
TLS websockets (verified against the local CA that made nginx's certificate);
nginx's round robin gives each process half of them. Which process holds whom is
read from each process's ``audience_overview`` (a host connected to it directly).
The last test kills one process with SIGKILL, so it comes last.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio

from server.scale import nginx_proxy
from server.settings import Settings
from tests.engines.nginx import NginxProxy, available
from tests.engines.nginx import nginx_proxy as start_nginx
from tests.engines.redis import RedisServer
from tests.realtime.conftest import SEAT_IDS, VENUE_ID, Client, _metadata
from tests.server.serverproc import Server, free_port

pytestmark = [
    pytest.mark.skipif(
        not available() or shutil.which("redis-server") is None,
        reason="nginx, openssl and redis-server are needed (make system-deps)",
    ),
]

GLB = b"glTF\x02\x00\x00\x00placeholder scene for the proxy's cache"
PACKAGE = "a" * 64  # a recording's HLS package (server/media/store.py names)
LIVE_SEGMENT = "1764750000000.ts"  # nginx-rtmp names live segments by system time (ms)


@dataclass
class Hall:
    proxy: NginxProxy
    servers: list[Server]
    data_dir: Path
    event_id: str
    host_token: str
    glb_sha: str

    def direct_url(self, index: int) -> str:
        return self.servers[index].url


@contextlib.contextmanager
def private_redis(workdir: Path) -> Iterator[str]:
    """A redis-server of the caller's own (tests/engines/redis.py): its URL."""
    server = RedisServer(workdir)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


async def _seed(data_dir: Path, host_token: str) -> tuple[str, str]:
    """The test hall and a live event in the data dir both processes open: (event, GLB sha)."""
    from server.storage import events as events_repo
    from server.storage import institutions as institutions_repo
    from server.storage import venues as venues_repo
    from server.storage.blobs import BlobStore
    from server.storage.engine import create_engine
    from server.storage.schema import migrate

    settings = Settings(data_dir=data_dir)
    engine = create_engine(settings.db_url)
    try:
        await migrate(engine)
        blobs = BlobStore(settings.blobs_dir, engine, None)  # type: ignore[arg-type]
        manifest = await blobs.add_bytes(
            _metadata().model_dump_json().encode(), "application/json", compress=False
        )
        glb = await blobs.add_bytes(GLB, "model/gltf-binary", compress=False)
        await institutions_repo.add(engine, "test-inst", "Test Philharmonic", "philharmonic")
        await venues_repo.upsert(
            engine, id=VENUE_ID, institution_id="test-inst", name="Test hall",
            kind="chamber_hall", seat_count=len(SEAT_IDS), spec_hash="0" * 64,
            glb_sha256=glb, manifest_sha256=manifest, builtin=False,
        )  # fmt: skip
        event_id = "evt-" + secrets.token_hex(4)
        now = datetime.now(UTC)
        await events_repo.add(
            engine, id=event_id, venue_id=VENUE_ID, title="Citywide concert", kind="concert",
            description="", starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=1), poster_sha256=None,
            host_token_hash=events_repo.hash_token(host_token), demo=False,
        )  # fmt: skip
        return event_id, glb
    finally:
        await engine.dispose()


def _stop(servers: list[Server]) -> None:
    """SIGTERM to all, then wait (SIGKILL after 10 s)."""
    for server in servers:
        if server.proc.poll() is None:
            server.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for server in servers:
        try:
            server.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture(scope="module")
def hall(tmp_path_factory) -> Iterator[Hall]:
    root = tmp_path_factory.mktemp("scale")
    data_dir = root / "data"
    host_token = secrets.token_urlsafe(16)
    event_id, glb_sha = asyncio.run(_seed(data_dir, host_token))
    # a recording's HLS package, as the media store keeps one
    (data_dir / "hls" / PACKAGE).mkdir(parents=True)
    (data_dir / "hls" / PACKAGE / "index.m3u8").write_text("#EXTM3U\n#EXT-X-ENDLIST\n")
    (data_dir / "hls" / PACKAGE / "seg_000.ts").write_bytes(b"\x47" * 188)
    with private_redis(root / "redis") as redis_url:
        servers: list[Server] = []
        try:
            for index in range(2):  # one after the other: the first migrates and tidies
                server = Server(
                    free_port(), data_dir, root / f"zal-{index}",
                    ZAL_REDIS_URL=redis_url, ZAL_DEMO="false", ZAL_BUILD_WORKERS="1",
                )  # fmt: skip
                servers.append(server)
                server.get("/healthz", seconds=60)
            upstreams = [f"127.0.0.1:{s.port}" for s in servers]
            with start_nginx(root / "nginx", upstreams) as proxy:
                yield Hall(proxy, servers, data_dir, event_id, host_token, glb_sha)
        finally:
            _stop(servers)


@contextlib.asynccontextmanager
async def people(hall: Hall) -> AsyncIterator[Any]:
    """``await make(name, direct=None)``: a connected Client through nginx (TLS), or
    straight to process ``direct``; all closed after."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=hall.proxy.ssl_context()))
    made: list[Client] = []

    async def make(name: str, direct: int | None = None, **auth: Any) -> Client:
        """A connected client; a refused connection fails with the server's reason."""
        if direct is None:
            sio = socketio.AsyncClient(reconnection=False, http_session=session)
            client = Client(hall.proxy.url, name, sio=sio)
        else:
            client = Client(hall.direct_url(direct), name)
        made.append(client)
        try:
            await client.connect(**auth)
        except socketio.exceptions.ConnectionError as exc:
            raise AssertionError(f"{name} refused: {client.connect_error or exc}") from exc
        return client

    try:
        yield make
    finally:
        for client in made:
            await client.close()
        await session.close()


async def _join(client: Client, hall: Hall) -> dict:
    ack = await client.call("join", {"event_id": hall.event_id})
    assert ack["ok"], ack
    return ack


async def _hosts(make: Any, hall: Hall) -> list[Client]:
    """A host on each process, connected to it directly (not through nginx)."""
    hosts = []
    for index in range(2):
        host = await make(f"Host {index}", direct=index, token=hall.host_token)
        assert (await _join(host, hall))["member"]["host"]
        hosts.append(host)
    return hosts


async def _where(hosts: list[Client], member_ids: set[str]) -> dict[str, int]:
    """member id -> the process (0 or 1) that holds it, from each one's overview."""
    found: dict[str, int] = {}
    for index, host in enumerate(hosts):
        view = await host.call("audience_overview", {})
        assert view["ok"], view
        for instance in view["instances"]:
            found.update({m["id"]: index for m in instance["members"] if m["id"] in member_ids})
    return found


async def test_members_on_both_processes_share_chat_reactions_and_questions(hall):
    async with people(hall) as make:
        hosts = await _hosts(make, hall)
        ack = await hosts[0].call("qa_settings", {"enabled": True, "moderated": False})
        assert ack["ok"], ack
        members = [await make(name) for name in ("Anna", "Bob", "Cleo", "Dan")]
        ids = {(await _join(m, hall))["member"]["id"]: m for m in members}
        where = await _where(hosts, set(ids))
        assert sorted(where) == sorted(ids), "every member is on one process or the other"
        on = [[ids[i] for i, p in where.items() if p == index] for index in range(2)]
        assert on[0] and on[1], f"nginx's round robin put members on both processes: {where}"
        a, b = on[0][0], on[1][0]

        # chat, both ways
        for sender, reader, text in ((a, b, "Hello from process 0"), (b, a, "And from 1")):
            assert (await sender.call("chat", {"text": text}))["ok"]
            await reader.wait_for("chat_message", where=lambda m, t=text: m["text"] == t)

        # reactions: counted on b's process, heard on a's
        await b.emit("react", {"kind": "bravo"})
        await a.wait_for("reactions", where=lambda r: r["counts"].get("bravo", 0) >= 1)

        # a question asked on process 0, voted for on process 1, the count seen on 0
        asked = await a.call("qa_ask", {"text": "When does the second half start?"})
        assert asked["ok"] and asked["question"]["status"] == "visible", asked
        qid = asked["question"]["id"]
        await b.wait_for("question", where=lambda q: q["id"] == qid)
        voted = await b.call("qa_vote", {"question_id": qid, "up": True})
        assert voted["ok"] and voted["votes"] == 1, voted
        await a.wait_for("question", where=lambda q: q["id"] == qid and q["votes"] == 1)
        # a second vote of the same member counts once, whichever process asks
        again = await b.call("qa_vote", {"question_id": qid, "up": True})
        assert again["votes"] == 1, again


async def test_members_of_one_instance_never_share_a_seat(hall):
    """Six members, three on each process, all take the same seat at once: in each
    instance (its id names it across processes) the seat has one sitter at most."""
    async with people(hall) as make:
        hosts = await _hosts(make, hall)
        members = [await make(f"Sitter {n}") for n in range(6)]
        acks = [await _join(m, hall) for m in members]
        where = await _where(hosts, {a["member"]["id"] for a in acks})
        assert sorted(where.values()) == [0, 0, 0, 1, 1, 1], where
        sat = await asyncio.gather(*(m.call("sit", {"seat_id": SEAT_IDS[0]}) for m in members))
        taken: dict[tuple[str, str], list[str]] = {}
        for ack, result in zip(acks, sat, strict=True):
            if result.get("ok"):
                key = (ack["instance"]["id"], result["seat"])
                taken.setdefault(key, []).append(ack["member"]["id"])
            else:
                assert result["error"]["code"] == "seat_taken", result
        assert taken, "somebody sat"
        shared = {key: who for key, who in taken.items() if len(who) > 1}
        assert not shared, f"members of one instance share a seat: {shared}"


async def test_caching_headers_through_nginx(hall):
    proxy = hall.proxy
    # the built scene: immutable, cached by nginx after the first request
    first = proxy.get(f"/scenes/{hall.glb_sha}.glb")
    second = proxy.get(f"/scenes/{hall.glb_sha}.glb")
    assert first.status == second.status == 200 and second.body == GLB
    assert "immutable" in second.headers["Cache-Control"]
    assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT")
    # the player's files: no-cache, never stored by nginx, revalidated by Zal (304)
    static = proxy.get("/client/src/api.js")
    assert static.status == 200 and static.headers["Cache-Control"] == "no-cache"
    etag = static.headers["ETag"]
    again = proxy.get("/client/src/api.js", {"If-None-Match": etag})
    assert again.status == 304 and again.headers.get("X-Cache-Status") is None
    # a recording's HLS package: immutable, playlist and segment alike
    for name in ("index.m3u8", "seg_000.ts"):
        proxy.get(f"/hls/{PACKAGE}/{name}")
        cached = proxy.get(f"/hls/{PACKAGE}/{name}")
        assert cached.status == 200 and cached.headers["X-Cache-Status"] == "HIT", name
        assert "immutable" in cached.headers["Cache-Control"]
    # a live stream: segments max-age=10 (cached), the playlist no-cache to the
    # browser and kept a second by nginx
    made = await _ingest_stream(hall)
    pid = made["url"].split("/live/")[1].split("/")[0]
    folder = hall.data_dir / "live" / pid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LIVE_SEGMENT).write_bytes(b"\x47" * 188)
    (folder / "index.m3u8").write_text(
        f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{LIVE_SEGMENT}\n"
    )
    segment = [proxy.get(f"/live/{pid}/{LIVE_SEGMENT}") for _ in range(2)]
    assert [s.status for s in segment] == [200, 200]
    assert segment[1].headers["Cache-Control"] == "public, max-age=10"
    assert segment[1].headers["X-Cache-Status"] == "HIT"
    playlist = [proxy.get(f"/live/{pid}/index.m3u8") for _ in range(2)]
    assert [p.status for p in playlist] == [200, 200]
    assert playlist[1].headers["Cache-Control"] == "no-cache"
    assert playlist[0].headers["X-Cache-Status"] == "MISS"
    # HIT within the second; on a slow machine the copy may already have expired
    assert playlist[1].headers["X-Cache-Status"] in ("HIT", "EXPIRED", "UPDATING")
    # plain HTTP only redirects
    plain = proxy.get("/venue/test-hall?x=1", https=False)
    assert plain.status == 301
    assert plain.headers["Location"] == f"{proxy.url}/venue/test-hall?x=1"


async def _ingest_stream(hall: Hall) -> dict:
    """A stream key for the event, made through nginx by its host (the live API)."""
    ctx = hall.proxy.ssl_context()
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx)) as http,
        http.post(
            f"{hall.proxy.url}/api/events/{hall.event_id}/streams",
            json={"title": "Live from the square", "ingest": True},
            headers={"Authorization": f"Bearer {hall.host_token}"},
        ) as response,
    ):
        body = await response.json()
        assert response.status == 201, body
        return body


async def test_the_websocket_origin_and_timeouts_behind_tls(hall):
    """A browser's Origin is the https:// one nginx serves: Zal allows it (nginx
    sets X-Forwarded-Proto); another site's is refused, also when the client sends
    X-Forwarded-* of its own. The socket's read timeout
    is far above Engine.IO's heartbeat, so nginx never cuts a quiet member."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=hall.proxy.ssl_context()))
    try:
        evil = "https://evil.example"
        forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
        # the forged headers are replaced by nginx's own, so they allow nothing
        # (straight to Zal they would: python-engineio's same-origin check reads them;
        # a browser cannot send them, a proxy must set them)
        direct = hall.direct_url(0)
        for url, origin, allowed, extra in (
            (hall.proxy.url, hall.proxy.url, True, {}),
            (hall.proxy.url, evil, False, {}),
            (hall.proxy.url, evil, False, forged),
            (direct, evil, True, forged),
        ):
            through_nginx = url == hall.proxy.url
            sio = socketio.AsyncClient(
                reconnection=False, **({"http_session": session} if through_nginx else {})
            )
            try:
                await sio.connect(
                    url, namespaces=["/live"], transports=["websocket"],
                    headers={"Origin": origin, **extra}, auth={"name": "Page"},
                    wait_timeout=5,
                )  # fmt: skip
                connected = True
            except socketio.exceptions.ConnectionError:
                connected = False
            finally:
                await sio.disconnect()
            assert connected is allowed, (url, origin, extra)
    finally:
        await session.close()
    config = hall.proxy.config
    settings = Settings()
    assert config.socket_timeout_s > 60  # nginx's default proxy_read_timeout
    assert config.socket_timeout_s > settings.ping_interval_s + settings.ping_timeout_s
    text = config.conf_path.read_text()
    assert f"proxy_read_timeout {config.socket_timeout_s}s;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert f"client_max_body_size {config.max_body_bytes};" in text


def test_the_deploy_example_is_the_rendering():
    """deploy/nginx/zal.conf is what the renderer makes for its example site (and its
    upload limit is Zal's default largest upload)."""
    example = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "zal.conf"
    assert example.read_text() == nginx_proxy.render_site(nginx_proxy.EXAMPLE)
    defaults = Settings(media_max_upload_bytes=4 << 30, scene_max_upload_bytes=50 << 20)
    assert nginx_proxy.upload_limit(defaults) == nginx_proxy.EXAMPLE.max_body_bytes


async def test_a_killed_process_members_resume_on_the_other(hall):
    """kill -9 one process: its members' clients reconnect through nginx (which
    skips the dead upstream) and resume (PROTOCOL section 8) on the other process
    with the same member id and seat."""
    async with people(hall) as make:
        hosts = await _hosts(make, hall)
        members = [await make(f"Stayer {n}") for n in range(4)]
        acks = {}
        for n, member in enumerate(members):
            ack = await _join(member, hall)
            sat = await member.call("sit", {"seat_id": SEAT_IDS[2 + n]})
            assert sat["ok"], sat
            acks[ack["member"]["id"]] = (member, ack, sat["seat"])
        where = await _where(hosts, set(acks))
        victims = [mid for mid, p in where.items() if p == 1]
        assert victims and len(victims) < len(acks), where
        hall.servers[1].proc.kill()
        hall.servers[1].proc.wait(timeout=10)
        for mid in victims:
            member, ack, seat = acks[mid]
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 10
            while member.sio.connected and loop.time() < deadline:
                await asyncio.sleep(0.05)
            assert not member.sio.connected, "the killed process's socket closed"
            back = await make(member.name, resume=ack["resume"])
            joined = (await back.wait_for("joined"))[0]
            assert joined["resumed"] is True
            assert joined["member"]["id"] == mid
            assert joined["member"]["seat"] == seat
        # the survivors' process now holds everyone
        where = await _where(hosts[:1], set(acks))
        assert sorted(where) == sorted(acks) and set(where.values()) == {0}
