"""``zal serve``: run the web and realtime server.

Flags override ``ZAL_*`` environment variables (see :mod:`server.settings`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

    from server.settings import Settings


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
    parser.add_argument(
        "--https",
        action="store_true",
        help="serve over TLS (WebXR headsets need it on a LAN); without --cert/--key a "
        "local certificate is made in <data dir>/tls on first run (docs/headset.md)",
    )
    parser.add_argument("--cert", type=Path, help="TLS certificate chain (PEM), with --https")
    parser.add_argument("--key", type=Path, help="TLS private key (PEM), with --https")
    parser.add_argument(
        "--voice",
        choices=["off", "local"],
        help="local: start Janus (Debian's janus) here for voice; off by default (docs/voice.md)",
    )
    parser.add_argument(
        "--janus-url",
        help="use the Janus an operator runs, e.g. http://10.0.0.5:8088/janus (its secrets in "
        "ZAL_JANUS_TOKEN_SECRET and ZAL_JANUS_ADMIN_KEY)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (SO_REUSEPORT); more than 1 needs "
        "--redis-url (docs/scale-out.md)",
    )
    parser.add_argument(
        "--redis-url",
        help="Redis that several server processes share, e.g. redis://127.0.0.1:6379/0 "
        "(ZAL_REDIS_URL)",
    )
    # a worker of --workers: listen with SO_REUSEPORT beside the others
    parser.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)


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
            ("voice", args.voice),
            ("janus_url", args.janus_url),
            ("redis_url", args.redis_url),
        )
        if value is not None
    }
    settings = Settings(**overrides)
    configure_logging(settings.log_format, settings.log_level)
    if (args.cert or args.key) and not args.https:
        sys.stderr.write("zal serve: --cert and --key go with --https\n")
        return 2
    ssl_context = None
    base_url = settings.base_url
    if args.https:
        ssl_context = _tls_context(args, settings)
        if ssl_context is None:
            return 2
        base_url = "https://" + base_url.removeprefix("http://")
    if args.workers != 1:
        return _run_workers(args, settings, overrides)

    def say_listening(_aiohttp_banner: str) -> None:
        # aiohttp calls this once every socket listens: the last line of start-up
        sys.stdout.write(f"Zal listening on {base_url} (Ctrl-C stops it)\n")
        sys.stdout.flush()

    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log_class=AccessLogger,
        print=say_listening,
        ssl_context=ssl_context,
        reuse_port=args.reuse_port or None,
    )
    return 0


def _run_workers(args: argparse.Namespace, settings: Settings, overrides: dict) -> int:
    """``--workers N``: the parent of N server processes (server/scale/supervisor.py)."""
    import os

    from server.scale.supervisor import Supervisor, listening, worker_command

    problem = None
    if not 1 <= args.workers <= 64:
        problem = "--workers takes 1 to 64 processes"
    elif not settings.redis_url:
        problem = (
            "--workers above 1 needs Redis (--redis-url or ZAL_REDIS_URL): the processes "
            "share their audiences through it"
        )
    elif settings.port == 0:
        problem = "--workers needs a fixed --port (each process would get its own with 0)"
    elif settings.voice == "local":
        problem = "--voice local starts one Janus per process: run Janus once, use --janus-url"
    if problem:
        sys.stderr.write(f"zal serve: {problem}\n")
        return 2
    tls: list[str] = []
    if args.https:  # the local certificate is made here once, not by N processes at once
        cert, key = (args.cert, args.key) if args.cert else _local_certificate(settings)
        tls = ["--https", "--cert", str(cert), "--key", str(key)]
    env = dict(os.environ)
    for name, value in overrides.items():
        env[f"ZAL_{name.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
    sys.stdout.write(f"Zal: {args.workers} processes on port {settings.port}\n")
    sys.stdout.flush()
    return Supervisor(
        worker_command(tls, log_level=args.log_level),
        args.workers,
        ready=lambda: listening(settings.host, settings.port),
        env=env,
    ).run()


def _local_certificate(settings: Settings) -> tuple[Path, Path]:
    from server.tls import ensure_local_certificate

    extra = [settings.host] if settings.host not in ("", "0.0.0.0", "::") else []
    files = ensure_local_certificate(settings.data_dir, extra)
    return files.cert, files.key


def _tls_context(args: argparse.Namespace, settings: Settings) -> ssl.SSLContext | None:
    """The TLS context for --https, or None after saying on stderr what is wrong."""
    from server.tls import TlsError, TlsFiles, ensure_local_certificate, server_context

    if bool(args.cert) != bool(args.key):
        sys.stderr.write("zal serve: --cert and --key go together\n")
        return None
    try:
        if args.cert:
            files = TlsFiles(args.cert, args.key)
        else:
            extra = [settings.host] if settings.host not in ("", "0.0.0.0", "::") else []
            files = ensure_local_certificate(settings.data_dir, extra)
            sys.stdout.write(f"TLS: trust {files.ca_cert} on your headset (docs/headset.md)\n")
        return server_context(files)
    except TlsError as exc:
        sys.stderr.write(f"zal serve: {exc}\n")
        return None
