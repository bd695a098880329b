"""`zal storage gc [--data-dir DIR] [--dry-run]`: remove blobs nothing references.

Venues rebuilt and events deleted leave their old GLBs, manifests, thumbnails and
posters behind. This lists the blob rows no table references (and files that have
no row), with their size; without ``--dry-run`` it deletes the rows in one
transaction, then the files (see :mod:`server.storage.gc`).

Stop the server first: a destructive gc refuses to run while any server holds
the data dir (:mod:`server.storage.datadir_lock`). ``--dry-run`` only reads and
may run beside a server.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_BUSY = 2
EXIT_NO_DATA = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="data dir (default $ZAL_DATA_DIR or var/data)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be removed, remove nothing"
    )


def run(args: argparse.Namespace) -> int:
    import asyncio

    from server.settings import Settings

    settings = Settings(**({"data_dir": args.data_dir} if args.data_dir is not None else {}))
    return asyncio.run(_gc(settings, args.dry_run))


async def _gc(settings, dry_run: bool) -> int:
    from server.storage.datadir_lock import DataDirBusy, DataDirLock
    from server.storage.engine import create_engine
    from server.storage.gc import collect_garbage, find_garbage

    data_dir: Path = settings.data_dir
    if settings.database_url is None and not (data_dir / "zal.sqlite3").is_file():
        sys.stderr.write(f"zal storage gc: no Zal database in {data_dir}\n")
        return EXIT_NO_DATA
    lock = DataDirLock(data_dir)
    if not dry_run:
        try:
            lock.acquire_exclusive_now()
        except DataDirBusy:
            sys.stderr.write(
                f"zal storage gc: a Zal server is running on {data_dir}; stop it first "
                "(--dry-run only reads and may run beside it)\n"
            )
            return EXIT_BUSY
    engine = create_engine(settings.db_url)
    try:
        if dry_run:
            report = await find_garbage(engine, settings.blobs_dir)
        else:
            report = await collect_garbage(engine, settings.blobs_dir)
    finally:
        await engine.dispose()
        lock.release()
    sys.stdout.write(_format(report, dry_run))
    return 0


def _format(report, dry_run: bool) -> str:
    lines = [f"unreferenced blobs: {len(report.blobs)}"]
    lines += [f"  {b.sha256}  {b.content_type:<20} {_size(b.bytes_on_disk)}" for b in report.blobs]
    lines.append(f"files without a row (theirs included): {len(report.files)}")
    lines += [f"  {path}" for path in report.files]
    if dry_run:
        lines.append(f"would free {_size(report.file_bytes)} (dry run: nothing removed)")
    else:
        lines.append(
            f"removed {report.removed_rows} blob row(s) and {report.removed_files} file(s), "
            f"freed {_size(report.file_bytes)}"
        )
    return "\n".join(lines) + "\n"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KiB" if n < 1024**2 else f"{n / 1024**2:.1f} MiB"
