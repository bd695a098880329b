import logging

from aiohttp import web

from server.settings import Settings


async def test_unexpected_error_is_logged_and_answered_with_json_500(
    aiohttp_client, make_app, caplog
):
    app = make_app()

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("boom")

    app.router.add_get("/broken", broken)
    client = await aiohttp_client(app)
    with caplog.at_level(logging.ERROR, logger="zal.errors"):
        response = await client.get("/broken", headers={"Accept-Language": "en"})
    assert response.status == 500
    assert await response.json() == {
        "error": {"code": "internal_error", "message": "internal server error"}
    }
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


async def test_invalid_response_model_is_our_bug_not_a_client_400(aiohttp_client, make_app):
    from server.api.models import InstitutionRef

    app = make_app()

    async def bad_model(request: web.Request) -> web.Response:
        InstitutionRef.model_validate({"id": 1})  # a server-side validation failure
        return web.Response()

    app.router.add_get("/bad-model", bad_model)
    client = await aiohttp_client(app)
    response = await client.get("/bad-model")
    assert response.status == 500


async def test_client_mistakes_leave_no_traceback_in_logs(client, caplog):
    with caplog.at_level(logging.DEBUG):
        assert (await client.get("/api/events?when=soon")).status == 400
        assert (await client.get("/api/venues/nope")).status == 404
        assert (await client.post("/api/venues")).status == 405
        assert (await client.get("/no/such/route")).status == 404
    assert not [r for r in caplog.records if r.exc_info]


async def test_wrong_method_is_405_json(client):
    response = await client.delete("/api/events")
    assert response.status == 405
    assert (await response.json())["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_settings_read_zal_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ZAL_PORT", "9123")
    monkeypatch.setenv("ZAL_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("ZAL_SCENE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ZAL_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    settings = Settings()
    assert settings.port == 9123
    assert settings.scene_cache == tmp_path / "cache"
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]
    assert settings.db_url == f"sqlite+aiosqlite:///{(tmp_path / 'd' / 'zal.sqlite3')}"
    monkeypatch.delenv("ZAL_SCENE_CACHE")
    override = Settings(port=1, data_dir=tmp_path / "x")
    assert override.port == 1
    assert override.scene_cache == tmp_path / "x" / "scene-cache"


ODD_PATHS = [
    "/venue/",
    "/venue/%00",
    "/venue/" + "x" * 4000,
    "/api/venues/",
    "/api/venues/%ff%fe",
    "/api/venues/%00",
    "/api/venues/..%2f..%2fetc%2fpasswd",
    "/api/events/%c0%ae%c0%ae",
    "/api/events?when=live&when=past",
    "/api/events?venue=%00",
    "/api/events?venue=" + "v" * 3000,
    "/api/events?%zz=1",
    "/client/src/%ff.js",
    "/client/src/%c0%ae%c0%ae/%c0%ae%c0%ae/outside.txt",
    "/client/" + "a/" * 500 + "b.js",
    "/vendor/three/" + "%2e" * 300,
    "/scenes/" + "f" * 5000 + ".glb",
    "/media/%2e%2e%2f%2e%2e%2fzal.sqlite3.png",
    "//etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
]


async def test_odd_urls_never_answer_500(client):
    from .rawhttp import raw_get

    for path in ODD_PATHS:
        response = await raw_get(client, path)
        assert response.status < 500, (path, response.status)
        assert response.status != 200 or path.startswith("/api/events"), path
    assert (await client.get("/healthz")).status == 200


async def test_every_answer_says_nosniff(client):
    for path in ["/api/venues", "/api/events/nope", "/healthz", "/no/such/route"]:
        response = await client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
