"""Shared pieces of the upload tests: budgets, a process pool, the validator."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from server.scene_uploads.pipeline import outcome_in_worker as outcome
from server.workers import new_build_pool

__all__ = ["outcome", "validate"]

ROOT = Path(__file__).parents[2]
VALIDATOR = ROOT / "web_client" / "tools" / "validate_gltf.mjs"


@pytest.fixture(scope="session")
def upload_build_pool():
    """The app's build pool for the API tests (uploads do not use it: their
    worker is a process of its own)."""
    pool = new_build_pool(1)
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session")
def upload_pool():
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        yield pool


def validate(paths: list[Path]) -> dict[str, dict]:
    """Khronos validator reports by file path (one node process for all)."""
    node = shutil.which("node")
    assert node, "node is needed to run the Khronos glTF validator"
    proc = subprocess.run(
        [node, str(VALIDATOR), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    reports = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(reports) == len(paths), proc.stderr
    return {r["file"]: r for r in reports}
