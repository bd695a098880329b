"""`zal tokens create (--institution ID --role editor|host | --role admin) [--expires 30d]`.

Prints the token once (only its sha256 is stored) on stdout, and its id (for
``zal tokens list`` and ``zal tokens revoke``) on stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta

from .database import add_data_dir, open_database

_DURATION = re.compile(r"^(\d{1,5})([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def duration(text: str) -> timedelta:
    """``90m``, ``12h``, ``30d``, ``2w``."""
    found = _DURATION.match(text.strip())
    if not found or int(found[1]) == 0:
        raise argparse.ArgumentTypeError(f"{text!r}: use a number and m, h, d or w, like 30d")
    return timedelta(**{_UNITS[found[2]]: int(found[1])})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=("admin", "editor", "host"), required=True)
    parser.add_argument("--institution", help="the institution's id (not for admin)")
    parser.add_argument("--expires", type=duration, help="lifetime, like 30d (default: none)")
    parser.add_argument("--label", default="", help="who or what it is for (shown in lists)")
    add_data_dir(parser)


def run(args: argparse.Namespace) -> int:
    import asyncio

    if (args.role == "admin") != (args.institution is None):
        sys.stderr.write(
            "zal tokens create: editors and hosts need --institution; admins have none\n"
        )
        return 2
    return asyncio.run(_create(args))


async def _create(args: argparse.Namespace) -> int:
    from server.storage import institutions as institutions_repo
    from server.storage import tokens as tokens_repo

    async with open_database(args) as engine:
        if args.institution and not await institutions_repo.exists(engine, args.institution):
            sys.stderr.write(f"zal tokens create: no institution {args.institution}\n")
            return 1
        now = datetime.now(UTC)
        row, secret = await tokens_repo.create(
            engine,
            role=args.role,
            institution_id=args.institution,
            label=args.label[:200],
            expires_at=now + args.expires if args.expires else None,
            now=now,
        )
    expires = row["expires_at"].isoformat() if row["expires_at"] else "never"
    sys.stderr.write(f"token {row['id']} ({args.role}), expires {expires}; shown only now:\n")
    sys.stdout.write(f"{secret}\n")
    return 0
