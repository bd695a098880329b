"""Build once, keep by the hash of the inputs: the demo content's cache folders.

A product (the concert, the lecture) lives in ``<cache_dir>/<name>-<key>/``; the key
hashes everything that decides its bytes, the product's own source files included,
so editing the recipe makes a new folder and nothing else does. A build happens in
a private folder renamed into place when complete: a crash leaves no half product,
and two processes building at once both end with the same complete folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent


def digest_sources(digest: hashlib._Hash, module_names: Iterable[str]) -> None:
    """Feed the source of this package's modules (``"score"`` -> score.py) to ``digest``."""
    for name in sorted(module_names):
        digest.update(name.encode() + (PACKAGE_DIR / f"{name}.py").read_bytes())


def digest_file_identity(digest: hashlib._Hash, path: Path) -> None:
    """A big system file by path, size and mtime: a package upgrade replaces it whole."""
    stat = path.stat()
    digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())


def build_once(
    done: Path, is_complete: Callable[[Path], bool], build: Callable[[Path], None]
) -> Path:
    """``done`` if it is complete, else ``build(folder)`` into a new folder renamed to it."""
    if is_complete(done):
        return done
    done.parent.mkdir(parents=True, exist_ok=True)
    work = done.parent / f".{done.name}.{os.getpid()}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        build(work)
        if done.exists():  # incomplete (a file of it was deleted): replace it
            shutil.rmtree(done, ignore_errors=True)
        try:
            work.rename(done)
        except OSError:  # another process finished first: its copy is as good
            if not is_complete(done):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return done
