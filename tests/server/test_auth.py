"""Accounts and roles: tokens hashed at rest, expiry and revocation, the guard's
401/403, admins acting for every institution (server/auth, server/storage/tokens.py)."""

import ssl
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import TCPConnector, web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from server import keys
from server.app import create_app
from server.auth import require_role
from server.storage import institutions as institutions_repo
from server.storage import tokens as tokens_repo

PHIL, THEATRE = "city-philharmonic", "city-drama-theatre"


async def _guarded(request: web.Request) -> web.Response:
    """A write as a route would guard it: editors of the institution in the path."""
    principal = await require_role(request, request.match_info["inst"], {"editor"})
    return web.json_response(principal.as_json())


@pytest.fixture
def plain_app(settings, build_pool):
    """A plain (non-demo) app, quick to start, with a guarded route."""

    def make() -> web.Application:
        app = create_app(settings.model_copy(update={"demo": False}), build_pool=build_pool)
        app.router.add_post("/test/write/{inst}", _guarded)
        return app

    return make


async def add_institutions(app: web.Application) -> None:
    for inst in (PHIL, THEATRE):
        await institutions_repo.add(app[keys.DB_ENGINE], inst, inst.title(), "other")


@pytest.fixture
async def guarded(aiohttp_client, plain_app):
    client = await aiohttp_client(plain_app())
    await add_institutions(client.app)
    return client


async def make_token(client, role="editor", institution=PHIL, **kwargs) -> tuple[dict, str]:
    engine = client.app[keys.DB_ENGINE]
    return await tokens_repo.create(engine, role=role, institution_id=institution, **kwargs)


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


async def test_the_database_holds_no_token_in_plain(guarded):
    row, secret = await make_token(guarded)
    engine = guarded.app[keys.DB_ENGINE]
    async with engine.connect() as conn:
        dumped = [tuple(r) for r in await conn.execute(text("SELECT * FROM access_tokens"))]
    assert secret not in repr(dumped)
    assert any(tokens_repo.hash_secret(secret) in r for r in dumped)
    assert "token_hash" not in row


async def test_editor_writes_to_own_institution_and_use_is_recorded(guarded):
    row, secret = await make_token(guarded)
    response = await guarded.post(f"/test/write/{PHIL}", headers=bearer(secret))
    assert response.status == 200
    assert await response.json() == {
        "token_id": row["id"],
        "role": "editor",
        "institution_id": PHIL,
    }
    used = await tokens_repo.get(guarded.app[keys.DB_ENGINE], row["id"])
    assert used is not None and used["last_used_at"] is not None


async def test_editor_of_one_institution_cannot_write_to_another(guarded):
    _, secret = await make_token(guarded)
    response = await guarded.post(f"/test/write/{THEATRE}", headers=bearer(secret))
    assert response.status == 403
    assert (await response.json())["error"]["code"] == "forbidden"


async def test_host_role_is_not_an_editor(guarded):
    _, secret = await make_token(guarded, role="host")
    response = await guarded.post(f"/test/write/{PHIL}", headers=bearer(secret))
    assert response.status == 403


async def test_admin_acts_for_every_institution(guarded):
    _, secret = await make_token(guarded, role="admin", institution=None)
    for inst in (PHIL, THEATRE):
        response = await guarded.post(f"/test/write/{inst}", headers=bearer(secret))
        assert response.status == 200, inst


async def test_missing_or_wrong_token_is_401(guarded):
    for headers in (
        {},
        {"Authorization": "Bearer zal_wrong"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Cookie": "zal_session=forged"},
    ):
        response = await guarded.post(f"/test/write/{PHIL}", headers=headers)
        assert response.status == 401, headers
        assert (await response.json())["error"]["code"] == "unauthorized"


async def test_expired_token_is_401(guarded):
    _, secret = await make_token(guarded, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    response = await guarded.post(f"/test/write/{PHIL}", headers=bearer(secret))
    assert response.status == 401


async def test_revoked_token_is_401_and_listed_as_revoked(guarded):
    engine = guarded.app[keys.DB_ENGINE]
    row, secret = await make_token(guarded)
    assert (await guarded.post(f"/test/write/{PHIL}", headers=bearer(secret))).status == 200
    assert await tokens_repo.revoke(engine, row["id"])
    assert (await guarded.post(f"/test/write/{PHIL}", headers=bearer(secret))).status == 401
    listed = {t["id"]: t for t in await tokens_repo.list_tokens(engine)}
    assert listed[row["id"]]["revoked_at"] is not None
    assert not await tokens_repo.revoke(engine, "tok_nosuchtoken")


async def test_roles_and_institutions_must_agree(guarded):
    with pytest.raises(ValueError):
        await make_token(guarded, role="admin", institution=PHIL)
    with pytest.raises(ValueError):
        await make_token(guarded, role="editor", institution=None)
    with pytest.raises(ValueError):
        await make_token(guarded, role="owner")


def self_signed(tmp_path) -> ssl.SSLContext:
    """A real TLS server context from a certificate openssl makes for 127.0.0.1."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def test_the_session_cookie_is_secure_over_https(plain_app, tmp_path):
    """Over HTTPS the cookie is Secure as well (over plain http, test_portal_api: not)."""
    server = TestServer(plain_app())
    await server.start_server(ssl=self_signed(tmp_path))
    async with TestClient(server, connector=TCPConnector(ssl=False)) as client:
        await add_institutions(client.app)
        _, secret = await make_token(client)
        response = await client.post(
            "/api/session", json={"token": secret}, headers={"Sec-Fetch-Site": "same-origin"}
        )
        assert response.status == 200
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


async def test_secure_cookies_setting_marks_the_cookie_secure_behind_a_tls_proxy(
    aiohttp_client, settings, build_pool
):
    """Behind a proxy that ends TLS the server sees plain http: the setting decides."""
    proxied = settings.model_copy(update={"demo": False, "secure_cookies": True})
    client = await aiohttp_client(create_app(proxied, build_pool=build_pool))
    await add_institutions(client.app)
    _, secret = await make_token(client)
    response = await client.post("/api/session", json={"token": secret})
    assert response.status == 200 and "Secure" in response.headers["Set-Cookie"]
