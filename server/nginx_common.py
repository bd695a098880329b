"""What Zal's two nginx configurations share: the RTMP ingest's
(:mod:`server.media.live.nginx_conf`) and the reverse proxy's
(:mod:`server.scale.nginx_proxy`).

Both are rendered from Python values into nginx's own syntax, so a value must
not carry what would end or extend a directive; and both run nginx in the
foreground on a work dir of their own (``-p``), never on /var/log/nginx.
"""

from __future__ import annotations

import re
from pathlib import Path

# ends a directive, opens or closes a block, quotes, separates arguments; "$" expands
UNSAFE_CHARACTERS = frozenset(";{}\"'\n\r\t $")


def check_writable(*values: object) -> None:
    """ValueError for a value that cannot be written into an nginx config as is."""
    for value in values:
        text = str(value)
        if not text or any(c in UNSAFE_CHARACTERS for c in text):
            raise ValueError(f"{text!r} cannot be written into an nginx config")


def check_account(user: str | None) -> None:
    """ValueError unless ``user`` (nginx's ``user``, for a root-started nginx) is an
    account name or None."""
    if user is not None and not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", user):
        raise ValueError(f"user {user!r} is not an account name")


def command(conf_path: Path, work_dir: Path, error_log: Path, nginx: str = "nginx") -> list[str]:
    """``nginx -c <conf> -p <work_dir>/ -e <error log>``: with ``daemon off`` in the
    config it runs in the foreground; ``-e`` keeps nginx off /var/log/nginx even
    before it reads the config."""
    return [
        nginx,
        "-c",
        str(conf_path.resolve()),
        "-p",
        str(work_dir.resolve()) + "/",
        "-e",
        str(error_log.resolve()),
    ]
