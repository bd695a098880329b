"""`zal scenes build`, run for real as a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from scenes.catalog import builtin_spec_paths
from scenes.metadata import VenueMetadata

ROOT = Path(__file__).parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
SPECS = ROOT / "scenes" / "specs"


def zal(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ZAL_SCENE_CACHE"}
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    return subprocess.run(
        [python, "-m", "server", "--log-level", "WARNING", "scenes", "build", *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def table_rows(stdout: str) -> dict[str, list[str]]:
    lines = stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("venue"))
    rows = {}
    for line in lines[header + 2 :]:
        if not line.strip() or line.startswith("wrote"):
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = cells
    return rows


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenes-out")
    proc = zal("--out", str(out), cwd=out)
    return out, proc


def test_scenes_build_writes_every_venue_and_prints_the_table(first_build):
    out, proc = first_build
    assert proc.returncode == 0, proc.stderr
    header = proc.stdout.splitlines()[0]
    for column in ("venue", "kind", "seats", "triangles", "draw calls", "size", "C worst/median"):
        assert column in header
    rows = table_rows(proc.stdout)
    venues = [p.stem for p in builtin_spec_paths()]
    assert sorted(rows) == sorted(venues)
    for venue in venues:
        glb = out / f"{venue}.glb"
        meta = VenueMetadata.model_validate_json((out / f"{venue}.json").read_bytes())
        assert glb.read_bytes()[:4] == b"glTF"
        assert meta.stats is not None and meta.stats.glb_bytes == glb.stat().st_size
        row = rows[venue]
        assert row[1] == meta.kind
        assert row[3] == f"{meta.stats.triangles:,}"
        assert row[4] == str(meta.stats.draw_calls)
        assert row[7].endswith(" s"), "a first build is not cached"
        if meta.seats:
            assert row[2] == f"{len(meta.seats):,}"
            worst = min(s.worst_mm for s in meta.sightlines)
            assert f"{worst:.0f}/" in row[6]


def test_second_build_reports_cached_and_builds_nothing(first_build):
    out, first = first_build
    assert first.returncode == 0, first.stderr
    cache = out / ".cache"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    proc = zal("--out", str(out), cwd=out)
    assert proc.returncode == 0, proc.stderr
    assert all(row[-1] == "cached" for row in table_rows(proc.stdout).values())
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before


def test_an_edited_spec_is_rebuilt(tmp_path):
    text = (
        (SPECS / "gallery.toml")
        .read_text()
        .replace('name = "City Gallery"', 'name = "City Gallery (late opening)"')
    )
    spec = tmp_path / "gallery.toml"
    spec.write_text(text)
    first = zal("--out", str(tmp_path / "out"), str(SPECS / "gallery.toml"), cwd=tmp_path)
    second = zal("--out", str(tmp_path / "out"), str(spec), cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert table_rows(second.stdout)["gallery"][-1] != "cached"
    meta = VenueMetadata.model_validate_json((tmp_path / "out" / "gallery.json").read_bytes())
    assert meta.name == "City Gallery (late opening)"


def _flat_philharmonic(path: Path) -> None:
    """The philharmonic with a flat stalls floor: rows far back cannot see the stage."""
    lines = []
    section = None
    for line in (SPECS / "philharmonic.toml").read_text().splitlines():
        if line.startswith("["):
            section = line.strip()
        key = line.split("=", 1)[0].strip()
        if section == "[stalls]" and key in ("design_c_value_mm", "rise_per_row_m"):
            continue
        lines.append(line)
        if line.strip() == "[stalls]":
            lines.append("rise_per_row_m = 0.0")
    path.write_text("\n".join(lines) + "\n")
    with open(path, "rb") as f:
        assert tomllib.load(f)["stalls"]["rise_per_row_m"] == 0.0


def test_a_refused_spec_names_the_seats_and_fails_after_building_the_others(tmp_path):
    bad = tmp_path / "philharmonic.toml"
    _flat_philharmonic(bad)
    proc = zal("--out", str(tmp_path / "out"), str(bad), str(SPECS / "gallery.toml"), cwd=tmp_path)
    assert proc.returncode != 0
    assert "REFUSED" in table_rows(proc.stdout)["philharmonic"]
    assert "refused" in proc.stderr
    assert re.search(r"stalls/[A-Z]+", proc.stderr), proc.stderr
    assert "C-value" in proc.stderr
    assert (tmp_path / "out" / "gallery.glb").exists()
    assert not (tmp_path / "out" / "philharmonic.glb").exists()


def test_a_spec_with_an_unknown_field_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "gallery.toml"
    bad.write_text((SPECS / "gallery.toml").read_text().replace("[spacing]", "[spacing]\nglow = 3"))
    proc = zal("--out", str(tmp_path / "out"), str(bad), cwd=tmp_path)
    assert proc.returncode != 0
    assert "spacing.glow" in proc.stderr
