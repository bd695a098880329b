"""The web process never loads trimesh: scene building lives in worker processes."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_server_modules_do_not_import_trimesh():
    code = (
        "import sys\n"
        "import server.app, server.api, server.demo, server.venues_build, server.commands.serve\n"
        "from server.app import create_app\n"
        "from server.settings import Settings\n"
        "create_app(Settings(demo=True))\n"
        "heavy = ('trimesh', 'scenes.catalog', 'scenes.cache')\n"
        "loaded = sorted(m for m in heavy if m in sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_each_storage_module_imports_first():
    """Any storage module may be the first one a process imports (a test, a CLI
    command): none of them may sit in an import cycle that only works in one order."""
    storage = REPO / "server" / "storage"
    modules = sorted(p.stem for p in storage.glob("*.py") if p.stem != "__init__")
    # one process, the package forgotten before each module: as fresh as a new
    # interpreter for the import order, without 17 interpreters' start-up
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'server' or m.startswith('server.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module('server.storage.' + name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
