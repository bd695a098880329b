"""``zal serve``: run the web and realtime server.

Flags override ``ZAL_*`` environment variables (see :mod:`server.settings`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="TCP port (default 8080)")
    parser.add_argument("--data-dir", type=Path, help="database, blobs, scene cache")
    parser.add_argument(
        "--demo",
        action="store_true",
        default=None,
        help="create demo institutions, venues and events on first start",
    )
    parser.add_argument("--log-format", choices=["text", "json"], help="log line format")


def run(args: argparse.Namespace) -> int:
    from aiohttp import web

    from server.app import create_app
    from server.logging import AccessLogger, configure_logging
    from server.settings import Settings

    overrides = {
        name: value
        for name, value in (
            ("host", args.host),
            ("port", args.port),
            ("data_dir", args.data_dir),
            ("demo", args.demo),
            ("log_format", args.log_format),
            ("log_level", args.log_level),
        )
        if value is not None
    }
    settings = Settings(**overrides)
    configure_logging(settings.log_format, settings.log_level)

    def say_listening(_aiohttp_banner: str) -> None:
        # aiohttp calls this once every socket listens: the last line of start-up
        sys.stdout.write(f"Zal listening on {settings.base_url} (Ctrl-C stops it)\n")
        sys.stdout.flush()

    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log_class=AccessLogger,
        print=say_listening,
    )
    return 0
