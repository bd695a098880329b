"""``zal serve --voice local``: Zal starts its own Janus with the app and stops it
with the app; without Debian's janus the server runs with voice off (issue 12)."""

from __future__ import annotations

import logging
import stat

import aiohttp
import pytest
from aiohttp import web

from server import keys
from server.settings import Settings
from server.voice.setup import voice_ctx

from .conftest import free_port


async def test_a_local_janus_lives_and_dies_with_the_app(tmp_path):
    app = web.Application()
    port = free_port()
    app[keys.SETTINGS] = Settings(data_dir=tmp_path, voice="local", janus_http_port=port)
    ctx = voice_ctx(app)
    await anext(ctx)
    voice = app[keys.VOICE]
    assert voice is not None
    assert (await voice.janus.info())["server-name"] == "zal-voice"
    conf = tmp_path / "janus" / "janus.jcfg"
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600  # it holds the secrets
    await voice.rooms.open("e1", max_speakers=1)
    with pytest.raises(StopAsyncIteration):
        await anext(ctx)
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(f"http://127.0.0.1:{port}/janus/info")


async def test_without_janus_installed_voice_is_off_and_zal_runs(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("PATH", str(tmp_path))  # no janus on it
    app = web.Application()
    app[keys.SETTINGS] = Settings(data_dir=tmp_path, voice="local", janus_http_port=free_port())
    ctx = voice_ctx(app)
    with caplog.at_level(logging.WARNING):
        await anext(ctx)
    assert app[keys.VOICE] is None
    assert "voice is off" in caplog.text
    with pytest.raises(StopAsyncIteration):
        await anext(ctx)


async def test_voice_is_off_unless_asked_for(tmp_path):
    app = web.Application()
    app[keys.SETTINGS] = Settings(data_dir=tmp_path)
    ctx = voice_ctx(app)
    await anext(ctx)
    assert app[keys.VOICE] is None
    with pytest.raises(StopAsyncIteration):
        await anext(ctx)
