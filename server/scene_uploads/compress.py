"""Geometry compression for the wire: ``gltfpack`` (npm, WebAssembly) writes
``KHR_mesh_quantization`` and ``EXT_meshopt_compression``; three.js decodes it
with its own ``MeshoptDecoder`` (web_client/src/venue/loader.js).

Run as a limited subprocess (:func:`server.media.process.run_tool`): killed
with the server, wall time bounded. Its memory is bounded with ``RLIMIT_DATA``
rather than the address space: WebAssembly reserves about 10 GiB of address
space up front (never touched), so an ``--as`` limit that means anything stops
it from starting at all; the data limit counts the pages it really writes.

Named nodes (``screen``, the root ``venue``), named materials and extras (the
venue metadata) are kept; texture coordinates stay float so a material swapped
in by the client (the screen's video) maps as before.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from pathlib import Path

from ..media.errors import MediaError
from ..media.process import run_tool

GLTFPACK_OPTIONS = ["-cc", "-kn", "-km", "-ke", "-vtf"]
WASM_ADDRESS_SPACE = 64 << 30  # reserved, not used: see above
REPO_ROOT = Path(__file__).resolve().parents[2]
CLI = REPO_ROOT / "web_client" / "node_modules" / "gltfpack" / "cli.js"


log = logging.getLogger("zal.scene_uploads")


class CompressionFailed(Exception):
    """gltfpack is missing or refused the file; the caller keeps the plain GLB."""


def available() -> bool:
    return CLI.is_file() and shutil.which("node") is not None


async def compress_glb(
    src: Path, dst: Path, *, memory_bytes: int = 1 << 30, cpu_s: int = 120, timeout_s: float = 300.0
) -> int:
    """Write the compressed ``src`` to ``dst``; returns its size in bytes."""
    node = shutil.which("node")
    if node is None or not CLI.is_file():
        raise CompressionFailed("gltfpack is not installed (npm ci in web_client)")
    args = [
        *("prlimit", f"--data={memory_bytes}", f"--cpu={cpu_s}", "--"),
        *(node, str(CLI), "-i", str(src), "-o", str(dst), *GLTFPACK_OPTIONS),
    ]
    try:
        done = await run_tool(args, timeout_s=timeout_s, memory_bytes=WASM_ADDRESS_SPACE)
    except MediaError as exc:  # the wall-time limit
        raise CompressionFailed(str(exc)) from None
    if done.returncode != 0 or not dst.is_file():
        raise CompressionFailed(f"gltfpack exited {done.returncode}: {done.stderr_tail[-300:]}")
    return dst.stat().st_size


async def wire_copy(src: Path) -> Path:
    """``src`` compressed, kept beside it as ``<name>.meshopt.glb`` (a cache: a
    built-in venue is compressed once per build); ``src`` itself when gltfpack
    is missing or fails, so a venue is served either way."""
    target = src.with_name(src.stem + ".meshopt.glb")
    if target.exists() and target.stat().st_mtime >= src.stat().st_mtime:
        return target
    if not available():
        log.warning("gltfpack missing: %s is served uncompressed", src.name)
        return src
    partial = src.with_name(f".{src.stem}.{os.getpid()}.meshopt.glb")
    try:
        await compress_glb(src, partial)
        await asyncio.to_thread(os.replace, partial, target)  # readers see all or nothing
    except CompressionFailed as exc:
        log.warning("gltfpack failed on %s, served uncompressed: %s", src.name, exc)
        return src
    finally:
        partial.unlink(missing_ok=True)
    return target
