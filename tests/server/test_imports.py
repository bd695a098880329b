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
