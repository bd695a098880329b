from server.demo_programme import VENUE_OWNERS
from server.venues_build import builtin_spec_paths


def expected_venue_ids() -> set[str]:
    ids = {p.stem for p in builtin_spec_paths()} & set(VENUE_OWNERS)
    assert ids, "no built-in venue specs found"
    return ids


async def test_venue_list_shows_every_builtin_venue_with_its_institution(client):
    response = await client.get("/api/venues")
    assert response.status == 200
    assert response.content_type == "application/json"
    venues = (await response.json())["venues"]
    assert {v["id"] for v in venues} == expected_venue_ids()
    for venue in venues:
        assert venue["institution"]["id"] == VENUE_OWNERS[venue["id"]]
        assert venue["scene_url"].startswith("/scenes/") and venue["scene_url"].endswith(".glb")
        assert venue["manifest_url"].endswith(".json")
        assert set(venue) == {
            "id",
            "name",
            "name_lang",
            "kind",
            "institution",
            "seat_count",
            "scene_url",
            "light_scene_url",
            "manifest_url",
            "thumbnail_url",
        }
        assert venue["light_scene_url"] is None  # built-ins fit the headset budget


async def test_venue_detail_carries_metadata_matching_its_summary(client):
    venues = (await (await client.get("/api/venues")).json())["venues"]
    for summary in venues:
        response = await client.get(f"/api/venues/{summary['id']}")
        assert response.status == 200
        detail = await response.json()
        metadata = detail.pop("metadata")
        assert detail == summary
        assert metadata["id"] == summary["id"]
        assert len(metadata["seats"]) == summary["seat_count"]
        assert metadata["spawn_points"] and metadata["walkable"]


async def test_unknown_venue_is_404_with_json_error(client):
    response = await client.get("/api/venues/no-such-hall", headers={"Accept-Language": "en"})
    assert response.status == 404
    assert (await response.json()) == {
        "error": {"code": "not_found", "message": "no venue 'no-such-hall'"}
    }


async def test_venue_thumbnail_comes_from_assets_when_present(aiohttp_client, settings, make_app):
    venue_id = sorted(expected_venue_ids())[0]
    png = settings.assets_dir / "thumbnails" / f"{venue_id}.png"
    png.parent.mkdir(parents=True)
    from PIL import Image

    Image.new("RGB", (64, 36), "#884422").save(png)
    (settings.assets_dir / "thumbnails" / "not-a-png.png").write_text("hello")
    client = await aiohttp_client(make_app())
    venues = {v["id"]: v for v in (await (await client.get("/api/venues")).json())["venues"]}
    url = venues[venue_id]["thumbnail_url"]
    assert url.startswith("/media/") and url.endswith(".png")
    response = await client.get(url)
    assert response.status == 200
    assert await response.read() == png.read_bytes()
    others = [v for k, v in venues.items() if k != venue_id]
    assert all(v["thumbnail_url"] is None for v in others)


async def test_large_venue_detail_is_compressed_when_accepted(client):
    venue_id = max(
        (await (await client.get("/api/venues")).json())["venues"], key=lambda v: v["seat_count"]
    )["id"]
    response = await client.get(
        f"/api/venues/{venue_id}", headers={"Accept-Encoding": "gzip"}, auto_decompress=False
    )
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"  # the only coding offered


async def test_venue_detail_gzip_and_plain_have_their_own_etags(client):
    venue_id = (await (await client.get("/api/venues")).json())["venues"][0]["id"]
    url = f"/api/venues/{venue_id}"
    plain = await client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = await client.get(url, headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gz"'
    for response in (plain, zipped):
        assert response.headers["Vary"] == "Accept-Encoding, Accept-Language"
    for coding, own, other in [
        ("identity", plain.headers["ETag"], zipped.headers["ETag"]),
        ("gzip", zipped.headers["ETag"], plain.headers["ETag"]),
    ]:
        same = await client.get(url, headers={"Accept-Encoding": coding, "If-None-Match": own})
        assert same.status == 304 and same.headers["ETag"] == own
        crossed = await client.get(
            url, headers={"Accept-Encoding": coding, "If-None-Match": other}, auto_decompress=False
        )
        assert crossed.status == 200 and crossed.headers["ETag"] == own


async def test_venue_detail_revalidates_with_304(client):
    venue_id = (await (await client.get("/api/venues")).json())["venues"][0]["id"]
    first = await client.get(f"/api/venues/{venue_id}")
    assert first.status == 200
    body = await first.read()
    again = await client.get(
        f"/api/venues/{venue_id}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status == 304
    third = await client.get(f"/api/venues/{venue_id}", headers={"Accept-Encoding": "identity"})
    assert await third.read() == body
