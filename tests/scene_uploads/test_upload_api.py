"""The upload endpoint, jobs, versions and rollback on a real app and SQLite,
with the real worker process, gltfpack and validator behind it."""

from __future__ import annotations

import asyncio

import pytest

from server import keys
from server.app import create_app
from server.settings import Settings
from server.storage import institutions as institutions_repo
from server.storage import tokens as tokens_repo

from . import models

PHIL, THEATRE = "phil", "theatre"


@pytest.fixture
async def client(aiohttp_client, tmp_path, upload_build_pool):
    settings = Settings(
        data_dir=tmp_path / "data",
        scene_cache_dir=tmp_path / "cache",
        assets_dir=tmp_path / "assets",
        demo=False,
        build_workers=1,
        scene_max_upload_bytes=2 << 20,
    )
    app = create_app(settings, build_pool=upload_build_pool)
    client = await aiohttp_client(app)
    for inst in (PHIL, THEATRE):
        await institutions_repo.add(app[keys.DB_ENGINE], inst, inst.title(), "other")
    return client


async def token(client, role: str = "editor", institution: str = PHIL) -> dict:
    _, secret = await tokens_repo.create(
        client.app[keys.DB_ENGINE], role=role, institution_id=institution
    )
    return {"Authorization": f"Bearer {secret}"}


async def upload(client, data: bytes, headers: dict, query: str = "name=Hall") -> dict:
    response = await client.post(
        f"/api/institutions/{PHIL}/venues?{query}", data=data, headers=headers
    )
    assert response.status == 202, await response.text()
    assert response.headers["Location"].startswith("/api/jobs/job_")
    return (await response.json())["job"]


async def finished(client, job: dict, headers: dict) -> dict:
    await client.app[keys.SCENE_UPLOADS].runner.join()
    response = await client.get(f"/api/jobs/{job['id']}", headers=headers)
    assert response.status == 200
    return (await response.json())["job"]


async def test_an_editor_uploads_edits_the_layout_uploads_again_and_rolls_back(client):
    editor = await token(client)
    job = await upload(client, models.glb(), editor)
    assert job["status"] == "queued"
    first = await finished(client, job, editor)
    assert first["status"] == "done", first
    venue_id = first["result"]["venue_id"]
    venue = await (await client.get(f"/api/venues/{venue_id}")).json()
    assert venue["institution"]["id"] == PHIL and venue["name"] == "Hall"
    assert venue["metadata"]["walkable"] and venue["metadata"]["spawn_points"]
    scene = await client.get(venue["scene_url"])
    assert scene.status == 200 and scene.headers["X-Content-Type-Options"] == "nosniff"
    glb = await scene.read()
    assert glb[:4] == b"glTF" and b"EXT_meshopt_compression" in glb[:4000]

    spawn = {"id": "door", "position": [4.0, 0.0, 3.0], "facing": [0.0, 0.0, -1.0]}
    response = await client.put(
        f"/api/venues/{venue_id}/layout", json={"spawn_points": [spawn]}, headers=editor
    )
    assert response.status == 200, await response.text()
    venue = await (await client.get(f"/api/venues/{venue_id}")).json()
    assert venue["metadata"]["spawn_points"][0]["id"] == "door"
    far = {**spawn, "position": [400.0, 0.0, 0.0]}
    response = await client.put(
        f"/api/venues/{venue_id}/layout",
        json={"spawn_points": [far]},
        headers={**editor, "Accept-Language": "en"},
    )
    assert response.status == 400
    assert (
        "'door' at (400.00, 0.00, 0.00) is outside the venue"
        in (await response.json())["error"]["message"]
    )
    screen = {"center": [0.0, 1.5, 40.0], "normal": [0.0, 0.0, 1.0], "width": 4, "height": 2}
    response = await client.put(
        f"/api/venues/{venue_id}/layout",
        json={"screen": screen},
        headers={**editor, "Accept-Language": "ru"},
    )
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "bad_layout"
    assert error["message"].startswith("Экран с центром в (0.00, 1.50, 40.00) выходит за пределы")

    third = await upload(client, models.ply(), editor, f"venue={venue_id}")
    assert (await finished(client, third, editor))["result"]["version"] == 3
    listed = await client.get(f"/api/venues/{venue_id}/versions", headers=editor)
    versions = (await listed.json())["versions"]
    assert [(v["number"], v["current"]) for v in versions] == [(3, True), (2, False), (1, False)]
    assert [v["note"] for v in versions] == ["upload (ply)", "layout edit", "upload (glb)"]
    back = await client.post(
        f"/api/venues/{venue_id}/rollback", json={"version": 1}, headers=editor
    )
    assert back.status == 200
    venue = await (await client.get(f"/api/venues/{venue_id}")).json()
    assert venue["scene_url"] == versions[2]["scene_url"]
    assert venue["metadata"]["spawn_points"][0]["id"] == "entrance"
    missing = await client.post(
        f"/api/venues/{venue_id}/rollback", json={"version": 9}, headers=editor
    )
    assert missing.status == 404


async def test_a_hostile_upload_ends_in_a_refused_job_with_a_clear_message(client):
    editor = await token(client)
    bomb = models.zipped({"a.gltf": models.gltf_with_uri("x.bin"), "x.bin": b"\0" * (50 << 20)})
    done = await finished(client, await upload(client, bomb, editor), editor)
    assert done["status"] == "failed"
    assert done["error"]["code"] == "zip_bomb" and "x.bin" in done["error"]["message"]
    # nothing was stored for it
    assert not (await (await client.get("/api/venues")).json())["venues"]


async def test_writes_need_an_editor_of_that_institution(client):
    glb = models.glb()
    url = f"/api/institutions/{PHIL}/venues"
    assert (await client.post(url, data=glb)).status == 401
    assert (
        await client.post(url, data=glb, headers={"Authorization": "Bearer nope"})
    ).status == 401
    host = await token(client, "host")
    assert (await client.post(url, data=glb, headers=host)).status == 403
    other = await token(client, "editor", THEATRE)  # another institution: as if unknown
    assert (await client.post(url, data=glb, headers=other)).status == 404
    job = await upload(client, glb, await token(client))
    # the job and the venue it makes are the institution's own
    assert (await client.get(f"/api/jobs/{job['id']}", headers=other)).status == 404
    assert (await client.get(f"/api/jobs/{job['id']}")).status == 401


async def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(client):
    editor = await token(client)
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(
        f"POST /api/institutions/{PHIL}/venues HTTP/1.1\r\nHost: test\r\n"
        f"Authorization: {editor['Authorization']}\r\n"
        "Content-Type: model/gltf-binary\r\nContent-Length: 10000000000\r\n\r\n".encode()
        + b"glTF"
        + b"\0" * 1000
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
    assert head.startswith(b"HTTP/1.1 413 ")
    writer.close()


async def test_a_zero_byte_upload_is_refused_at_once(client):
    response = await client.post(
        f"/api/institutions/{PHIL}/venues", data=b"", headers=await token(client)
    )
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "empty_file"


async def _loop_lags(until: asyncio.Task | None, samples: int, step_s: float = 0.01) -> list[float]:
    """How late the event loop wakes a sleeper, sample by sample (while ``until``
    runs, or ``samples`` times)."""
    loop = asyncio.get_running_loop()
    lags = []
    while (until is None and len(lags) < samples) or (until is not None and not until.done()):
        start = loop.time()
        await asyncio.sleep(step_s)
        lags.append(loop.time() - start - step_s)
    return lags


async def test_the_event_loop_keeps_answering_while_a_heavy_upload_is_processed(client):
    editor = await token(client)
    baseline = sorted(await _loop_lags(None, 50))
    heavy = trimesh_sphere_ply(subdivisions=6)  # 81,920 triangles: a lighter copy too
    loop = asyncio.get_running_loop()
    started = loop.time()
    job = await upload(client, heavy, editor)
    runner = asyncio.ensure_future(client.app[keys.SCENE_UPLOADS].runner.join())
    during = await _loop_lags(runner, 0)
    processing_s = loop.time() - started
    health = await client.get("/healthz")
    assert health.status == 200
    done = await finished(client, job, editor)
    assert done["status"] == "done" and done["result"]["light_scene_url"]
    venue = await (await client.get(f"/api/venues/{done['result']['venue_id']}")).json()
    assert venue["light_scene_url"] == done["result"]["light_scene_url"] != venue["scene_url"]
    # the job ran for seconds; had it run on the loop, one lag would be that long
    assert processing_s > 1.0 and len(during) > 20
    p90 = baseline[int(len(baseline) * 0.9)]
    assert max(during) < max(0.5, 10 * p90), (max(during), p90, processing_s)


def trimesh_sphere_ply(subdivisions: int) -> bytes:
    import trimesh

    return trimesh.creation.icosphere(subdivisions=subdivisions, radius=5).export(file_type="ply")
