"""``python -m server.media.live``: write the ingest's nginx config, print how to
start it, or (``--run``) start nginx in the foreground. docs/hosts-live-stream.md."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from . import nginx_conf


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m server.media.live",
        description="nginx + libnginx-mod-rtmp ingest for Zal's live streams",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("var/nginx"),
        help="nginx.conf, pid file and error log (default var/nginx)",
    )
    parser.add_argument(
        "--hls-dir",
        type=Path,
        default=Path("var/data/live"),
        help="where HLS is written: Zal's ZAL_LIVE_HLS_DIR (default "
        "var/data/live, Zal's default for --data-dir var/data)",
    )
    parser.add_argument(
        "--zal-url",
        default="http://127.0.0.1:8080",
        help="how nginx reaches Zal (an IP address, not a name)",
    )
    parser.add_argument("--rtmp-port", type=int, default=1935)
    parser.add_argument(
        "--listen", default="127.0.0.1", help="0.0.0.0 lets encoders on other machines push"
    )
    parser.add_argument("--fragment-s", type=int, default=2)
    parser.add_argument("--playlist-length-s", type=int, default=12)
    parser.add_argument(
        "--user", default=None, help="only when started as root: the account nginx's workers use"
    )
    parser.add_argument("--run", action="store_true", help="start nginx in the foreground")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    config = nginx_conf.IngestConfig(
        work_dir=args.work_dir.resolve(),
        hls_dir=args.hls_dir.resolve(),
        zal_url=args.zal_url,
        rtmp_port=args.rtmp_port,
        listen=args.listen,
        fragment_s=args.fragment_s,
        playlist_length_s=args.playlist_length_s,
        user=args.user,
    )
    try:
        path = nginx_conf.write(config)
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    command = nginx_conf.command(config)
    sys.stdout.write(f"wrote {path}\nstart it with:\n  {shlex.join(command)}\n")
    sys.stdout.flush()
    if args.run:
        os.execvp(command[0], command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
