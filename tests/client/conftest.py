"""Client modules tested in Node: a script imports them from web_client/ and prints
one JSON answer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "web_client"


@pytest.fixture(scope="module")
def node_json() -> Callable[..., dict]:
    """Run an ES-module script in web_client/ with Node; its printed JSON, parsed."""
    if not shutil.which("node"):
        pytest.skip("needs node")

    def run(script: str, env: dict[str, str] | None = None) -> dict:
        out = subprocess.run(
            ["node", "--input-type=module", "-e", script],
            cwd=CLIENT,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        return json.loads(out)

    return run
