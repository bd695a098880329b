"""`zal tokens list [--institution ID]`: ids, roles, institutions and state; never
a token (only their hashes are stored)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from .database import add_data_dir, open_database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--institution", help="only this institution's tokens")
    add_data_dir(parser)


def run(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_list(args))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def state(row: dict, now: datetime) -> str:
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] is not None and row["expires_at"] <= now:
        return "expired"
    return "active"


async def _list(args: argparse.Namespace) -> int:
    from server.storage import tokens as tokens_repo

    async with open_database(args) as engine:
        rows = await tokens_repo.list_tokens(engine, args.institution)
    now = datetime.now(UTC)
    lines = [
        f"{'ID':<17} {'ROLE':<7} {'INSTITUTION':<24} {'STATE':<8} "
        f"{'CREATED':<16} {'EXPIRES':<16} {'LAST USED':<16} LABEL"
    ]
    for r in rows:
        lines.append(
            f"{r['id']:<17} {r['role']:<7} {r['institution_id'] or '*':<24} {state(r, now):<8} "
            f"{_when(r['created_at']):<16} {_when(r['expires_at']):<16} "
            f"{_when(r['last_used_at']):<16} {r['label']}"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
