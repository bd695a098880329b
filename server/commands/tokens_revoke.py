"""`zal tokens revoke ID`: the token and every session made from it stop working
at once (the next request is a 401)."""

from __future__ import annotations

import argparse
import sys

from .database import add_data_dir, open_database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="the token's id (tok_..., see zal tokens list)")
    add_data_dir(parser)


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_revoke(args))


async def _revoke(args: argparse.Namespace) -> int:
    from server.storage import tokens as tokens_repo

    async with open_database(args) as engine:
        found = await tokens_repo.revoke(engine, args.id)
    if not found:
        sys.stderr.write(f"zal tokens revoke: no token {args.id}\n")
        return 1
    sys.stdout.write(f"revoked {args.id}\n")
    return 0
