"""The scene build cache: one build per spec, never a half file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from scenes.cache import build_cached, build_cached_in_worker
from scenes.catalog import parse_spec, spec_json
from scenes.errors import SpecError
from scenes.metadata import VenueMetadata

ROOT = Path(__file__).parents[2]
GALLERY = ROOT / "tests" / "scenes" / "data" / "gallery-example.toml"


def gallery(name: str = "City Gallery", picture_width: float | None = None):
    with open(GALLERY, "rb") as f:
        data = tomllib.load(f)
    data["name"] = name
    if picture_width is not None:
        data["exhibits"][0]["width"] = picture_width
    return parse_spec(data)


def test_second_build_of_a_spec_is_a_hit_that_builds_nothing(tmp_path):
    first = build_cached(gallery(), tmp_path)
    mtimes = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    second = build_cached(gallery(), tmp_path)
    assert first.built and not second.built
    assert second.glb_path == first.glb_path == tmp_path / f"{first.spec_hash}.glb"
    assert second.manifest_path == tmp_path / f"{first.spec_hash}.json"
    assert second.metadata == first.metadata
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == mtimes


def test_a_changed_spec_gets_its_own_entry(tmp_path):
    a = build_cached(gallery(), tmp_path)
    b = build_cached(gallery(name="Another Gallery"), tmp_path)
    assert b.built and b.spec_hash != a.spec_hash
    assert b.metadata.name == "Another Gallery"
    assert not build_cached(gallery(), tmp_path).built


def test_a_truncated_glb_or_a_foreign_builder_is_rebuilt(tmp_path):
    entry = build_cached(gallery(), tmp_path)
    size = entry.glb_path.stat().st_size
    entry.glb_path.write_bytes(entry.glb_path.read_bytes()[: size // 2])
    again = build_cached(gallery(), tmp_path)
    assert again.built and again.glb_path.stat().st_size == size
    # an entry written by other builder code (the fingerprint differs) is not reused
    entry.glb_path.with_suffix(".builder").write_text("0" * 64)
    assert build_cached(gallery(), tmp_path).built


def test_a_refused_spec_writes_nothing(tmp_path):
    with pytest.raises(SpecError, match="wider than any wall"):
        build_cached(gallery(picture_width=80.0), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_worker_entry_returns_plain_data_and_spec_errors_cross_back(tmp_path):
    with ProcessPoolExecutor(max_workers=1) as pool:
        glb, manifest, built, seconds = pool.submit(
            build_cached_in_worker, spec_json(gallery()), str(tmp_path)
        ).result()
        assert built and seconds > 0
        assert Path(glb).read_bytes()[:4] == b"glTF"
        assert VenueMetadata.model_validate_json(Path(manifest).read_bytes()).id == "gallery"
        hit = pool.submit(build_cached_in_worker, spec_json(gallery()), str(tmp_path)).result()
        assert hit[:3] == (glb, manifest, False)
        bad = pool.submit(
            build_cached_in_worker, spec_json(gallery(picture_width=80.0)), str(tmp_path)
        )
        with pytest.raises(SpecError) as err:
            bad.result()
    assert err.value.venue_id == "gallery"
    assert any("portrait-of-a-merchant" in p for p in err.value.problems)


BUILD_FOREVER = """
import sys, tomllib
from pathlib import Path
from scenes.cache import build_cached
from scenes.catalog import parse_spec
data = tomllib.load(open(sys.argv[1], "rb"))
n = 0
while True:
    n += 1
    build_cached(parse_spec({**data, "name": f"Gallery {n}"}), Path(sys.argv[2]))
    print(n, flush=True)
"""


def test_a_build_killed_at_any_moment_leaves_no_half_entry(tmp_path):
    cache = tmp_path / "cache"
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", BUILD_FOREVER, str(GALLERY), str(cache)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            text=True,
        )
        proc.stdout.readline()  # imports done, one build finished
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    manifests = sorted(cache.glob("*.json"))
    assert manifests
    for manifest in manifests:
        meta = VenueMetadata.model_validate(json.loads(manifest.read_bytes()))
        glb = manifest.with_suffix(".glb")
        assert glb.stat().st_size == meta.stats.glb_bytes
        assert glb.read_bytes()[:4] == b"glTF"
        # and the cache agrees: every complete entry is a hit
        assert not build_cached(parse_spec(_spec_named(meta.name)), cache).built


def _spec_named(name: str) -> dict:
    with open(GALLERY, "rb") as f:
        return {**tomllib.load(f), "name": name}
