"""The database a command works on: ``--data-dir`` (or ``$ZAL_DATA_DIR``), migrated.

Commands that change accounts run beside a live server: SQLite in WAL mode lets
them write while it serves, and the migration only creates what is missing.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="data dir (default $ZAL_DATA_DIR or var/data)"
    )


@asynccontextmanager
async def open_database(args: argparse.Namespace) -> AsyncIterator[AsyncEngine]:
    from server.settings import Settings
    from server.storage.engine import create_engine
    from server.storage.schema import migrate

    data_dir = getattr(args, "data_dir", None)
    settings = Settings(**({"data_dir": data_dir} if data_dir is not None else {}))
    engine = create_engine(settings.db_url)
    try:
        await migrate(engine)
        yield engine
    finally:
        await engine.dispose()
