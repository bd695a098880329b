"""The media pipeline's arrows (import-linter covers storage/api/realtime; this
covers server.media and server.uploads): they may import server.storage,
server.errors and server.settings, never server.api or server.realtime, so that
both of those can import server.media (media_view, HlsStore, MediaJobs)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "server"
FORBIDDEN = ("server.api", "server.realtime")


def _imports(path: Path) -> set[str]:
    package = "server." + ".".join(path.relative_to(SERVER).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_media_and_uploads_import_neither_api_nor_realtime():
    paths = [*(SERVER / "media").rglob("*.py"), *(SERVER / "uploads").rglob("*.py")]
    assert len(paths) >= 10
    for path in paths:
        bad = {m for m in _imports(path) if m.startswith(FORBIDDEN)}
        assert not bad, f"{path.relative_to(SERVER)} imports {sorted(bad)}"


def test_the_checker_sees_a_relative_import():
    assert "server.api.media" in _imports(SERVER / "api" / "__init__.py")
    assert "server.storage.media" in _imports(SERVER / "media" / "jobs.py")
