"""The Khronos glTF validator (npm ``gltf-validator``, web_client/tools/validate_gltf.mjs)
on what is about to be stored: a GLB we made that it rejects is our bug, and is
never served."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..media.errors import MediaError
from ..media.process import run_tool

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "web_client" / "tools" / "validate_gltf.mjs"
PACKAGE = REPO_ROOT / "web_client" / "node_modules" / "gltf-validator"
NODE_ADDRESS_SPACE = 64 << 30  # V8 reserves far more than it uses; --data bounds real use


def available() -> bool:
    return SCRIPT.is_file() and PACKAGE.is_dir() and shutil.which("node") is not None


async def validation_errors(paths: list[Path], *, memory_bytes: int = 1 << 30) -> list[str]:
    """The first error messages of every file (empty: all pass)."""
    node = shutil.which("node")
    assert node is not None
    args = ["prlimit", f"--data={memory_bytes}", "--", node, str(SCRIPT), *map(str, paths)]
    try:
        done = await run_tool(args, timeout_s=120, memory_bytes=NODE_ADDRESS_SPACE, cwd=REPO_ROOT)
    except MediaError as exc:
        return [f"the validator did not finish: {exc}"]
    reports = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    if len(reports) != len(paths):
        return [f"the validator answered for {len(reports)} of {len(paths)} files"]
    return [m for r in reports if r["errors"] for m in (r["messages"] or ["error"])]
