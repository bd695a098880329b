"""Fixtures for the server tests: a shared scene cache, a fresh data dir per test.

The built-in venues are built once per session into one cache dir (or the one
``ZAL_SCENE_CACHE`` names); each test then starts a real app on a fresh data dir
and SQLite file, finding its venues in that cache.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from server.app import create_app
from server.settings import Settings
from server.venues_build import build_spec_in_worker, builtin_spec_paths
from server.workers import new_build_pool


@pytest.fixture(scope="session")
def build_pool():
    """One warm pool for the session: a test's app start then spawns no process."""
    pool = new_build_pool(2)
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session")
def scene_cache(tmp_path_factory, build_pool) -> Path:
    """The built-in venues, built once per session (in the pool, side by side)."""
    shared = os.environ.get("ZAL_SCENE_CACHE")
    cache_dir = Path(shared) if shared else tmp_path_factory.mktemp("scene-cache")
    cache_dir.mkdir(parents=True, exist_ok=True)
    paths = builtin_spec_paths()
    builds = [build_pool.submit(build_spec_in_worker, str(p), str(cache_dir)) for p in paths]
    for path, build in zip(paths, builds, strict=True):
        try:
            build.result()
        except Exception as exc:  # the app skips it too; the venue-list test names it
            warnings.warn(f"built-in venue {path.stem} does not build: {exc}", stacklevel=1)
    return cache_dir


@pytest.fixture
def web_client_dir(tmp_path) -> Path:
    """A small web client tree of our own, so these tests don't hang on the real one."""
    root = tmp_path / "web_client"
    (root / "src").mkdir(parents=True)
    (root / "css").mkdir()
    (root / "tools").mkdir()
    (root / "lobby.html").write_text("<!doctype html><title>lobby</title>")
    (root / "venue.html").write_text("<!doctype html><title>venue</title>")
    (root / "src" / "main.js").write_text("export const answer = 42;\n")
    (root / "css" / "base.css").write_text("body { margin: 0 }\n")
    (root / "tools" / "secret.mjs").write_text("// not served\n")
    (root / ".env").write_text("SECRET=1\n")
    for package, name in [("three", "build/three.module.js"), ("ws", "index.js")]:
        target = root / "node_modules" / package / name
        target.parent.mkdir(parents=True)
        target.write_text(f"// {package}\n")
    (tmp_path / "outside.txt").write_text("outside the web client\n")
    (root / "src" / "leak.js").symlink_to(tmp_path / "outside.txt")
    return root


@pytest.fixture
def settings(tmp_path, scene_cache, web_client_dir) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        scene_cache_dir=scene_cache,
        web_client_dir=web_client_dir,
        assets_dir=tmp_path / "assets",
        demo=True,
        build_workers=1,
    )


@pytest.fixture
def make_app(settings, build_pool):
    return lambda: create_app(settings, build_pool=build_pool)


@pytest.fixture
async def client(aiohttp_client, make_app):
    return await aiohttp_client(make_app())
