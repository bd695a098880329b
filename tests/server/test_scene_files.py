import gzip
import hashlib

from .rawhttp import raw_get

IMMUTABLE = "public, max-age=31536000, immutable"


async def first_venue(client) -> dict:
    return (await (await client.get("/api/venues")).json())["venues"][0]


async def test_scene_glb_is_served_by_content_hash_with_cache_headers(client):
    url = (await first_venue(client))["scene_url"]
    response = await client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.status == 200
    body = await response.read()
    sha = url.removeprefix("/scenes/").removesuffix(".glb")
    assert hashlib.sha256(body).hexdigest() == sha
    assert body[:4] == b"glTF"
    assert response.headers["Content-Type"] == "model/gltf-binary"
    assert response.headers["ETag"] == f'"{sha}"'
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Encoding" not in response.headers


async def test_scene_glb_is_sent_gzipped_when_accepted(client):
    url = (await first_venue(client))["scene_url"]
    plain = await (await client.get(url, headers={"Accept-Encoding": "identity"})).read()
    response = await client.get(
        url, headers={"Accept-Encoding": "gzip, deflate, br"}, auto_decompress=False
    )
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    compressed = await response.read()
    assert int(response.headers["Content-Length"]) == len(compressed) < len(plain)
    assert gzip.decompress(compressed) == plain


async def test_gzip_refused_with_q_zero_sends_plain(client):
    url = (await first_venue(client))["scene_url"]
    response = await client.get(url, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers
    assert (await response.read())[:4] == b"glTF"


async def test_second_request_with_if_none_match_gets_304(client):
    url = (await first_venue(client))["scene_url"]
    first = await client.get(url)
    etag = first.headers["ETag"]
    await first.read()
    second = await client.get(url, headers={"If-None-Match": etag})
    assert second.status == 304
    assert await second.read() == b""
    assert second.headers["ETag"] == etag
    assert second.headers["Cache-Control"] == IMMUTABLE
    weak_list = await client.get(url, headers={"If-None-Match": f'"nope", W/{etag}'})
    assert weak_list.status == 304
    other = await client.get(url, headers={"If-None-Match": '"somethingelse"'})
    assert other.status == 200


async def test_gzip_and_plain_have_their_own_etags_and_304s(client):
    url = (await first_venue(client))["scene_url"]
    sha = url.removeprefix("/scenes/").removesuffix(".glb")
    plain = await client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = await client.get(url, headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert plain.headers["ETag"] == f'"{sha}"'
    assert zipped.headers["ETag"] == f'"{sha}-gz"'
    for coding, own, other in [
        ("identity", f'"{sha}"', f'"{sha}-gz"'),
        ("gzip", f'"{sha}-gz"', f'"{sha}"'),
    ]:
        same = await client.get(url, headers={"Accept-Encoding": coding, "If-None-Match": own})
        assert same.status == 304, coding
        assert same.headers["ETag"] == own and same.headers["Vary"] == "Accept-Encoding"
        # the other representation's tag does not validate this one
        crossed = await client.get(
            url, headers={"Accept-Encoding": coding, "If-None-Match": other}, auto_decompress=False
        )
        assert crossed.status == 200, coding
        assert crossed.headers["ETag"] == own
        assert crossed.headers.get("Content-Encoding") == (None if coding == "identity" else "gzip")


async def test_star_with_gzip_refused_sends_plain(client):
    url = (await first_venue(client))["scene_url"]
    response = await client.get(url, headers={"Accept-Encoding": "*, gzip;q=0"})
    assert "Content-Encoding" not in response.headers
    assert response.headers["ETag"] == '"' + url.removeprefix("/scenes/").removesuffix(".glb") + '"'


async def test_manifest_json_is_served_and_matches_venue_metadata(client):
    venue = await first_venue(client)
    response = await client.get(venue["manifest_url"])
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    manifest = await response.json()
    # the manifest is the metadata as built, in the venue's own language; the API
    # answers in the visitor's language and marks each localized text with `*_lang`
    detail = await (await client.get(f"/api/venues/{venue['id']}?lang={manifest['lang']}")).json()
    assert manifest == _without_lang_marks(detail["metadata"])
    localized = await (await client.get(f"/api/venues/{venue['id']}?lang=ru")).json()
    assert localized["metadata"]["name"] == manifest["names"]["ru"] != manifest["name"]


def _without_lang_marks(value):
    if isinstance(value, dict):
        return {k: _without_lang_marks(v) for k, v in value.items() if not k.endswith("_lang")}
    if isinstance(value, list):
        return [_without_lang_marks(v) for v in value]
    return value


async def test_head_request_sends_headers_only(client):
    url = (await first_venue(client))["scene_url"]
    response = await client.head(url, headers={"Accept-Encoding": "identity"})
    assert response.status == 200
    assert int(response.headers["Content-Length"]) > 0
    assert await response.read() == b""


BAD_NAMES = [
    "/scenes/" + "0" * 64 + ".glb",
    "/scenes/" + "A" * 64 + ".glb",
    "/scenes/abc.glb",
    "/scenes/" + "0" * 64 + ".exe",
    "/media/" + "0" * 64 + ".png",
    "/media/nothing",
    "/scenes/..%2f..%2fzal.sqlite3",
    "/scenes/%2e%2e/%2e%2e/zal.sqlite3",
    "/scenes/../data/zal.sqlite3",
    "/scenes/..\\..\\zal.sqlite3",
    "/media/..%5c..%5czal.sqlite3",
]


async def test_bad_or_unknown_file_names_are_404(client):
    for path in BAD_NAMES:
        response = await raw_get(client, path)
        assert response.status in (400, 404), (path, response.status)
        if response.content_type == "application/json":
            assert (await response.json())["error"]["code"] == "not_found", path


async def test_glb_hash_under_media_url_is_404(client):
    # a blob is served only under the extension of its content type
    sha = (await first_venue(client))["scene_url"].removeprefix("/scenes/").removesuffix(".glb")
    response = await client.get(f"/media/{sha}.png")
    assert response.status == 404
