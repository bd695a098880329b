"""The emulated headset the browser tests use (web_client/src/xr/emulate.js) is served
only by a server started with ZAL_XR_EMULATION: no link can make a visitor's page
install a fake headset."""

from __future__ import annotations

from server.app import create_app


def _with_emulation_module(web_client_dir):
    (web_client_dir / "src" / "xr").mkdir()
    (web_client_dir / "src" / "xr" / "emulate.js").write_text("export const fake = 1;\n")
    (web_client_dir / "src" / "xr" / "xr.js").write_text("export const real = 1;\n")


async def test_the_emulated_headset_is_not_served_by_default(client, web_client_dir):
    _with_emulation_module(web_client_dir)
    assert (await client.get("/client/src/xr/emulate.js")).status == 404
    assert (await client.get("/client/src/xr/xr.js")).status == 200


async def test_a_test_server_serves_the_emulated_headset(aiohttp_client, settings, build_pool,
                                                         web_client_dir):
    _with_emulation_module(web_client_dir)
    app = create_app(settings.model_copy(update={"xr_emulation": True}), build_pool=build_pool)
    client = await aiohttp_client(app)
    response = await client.get("/client/src/xr/emulate.js")
    assert response.status == 200
    assert "fake" in await response.text()
