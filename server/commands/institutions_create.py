"""`zal institutions create NAME [--kind KIND] [--id ID] [--lang LANG]`.

Prints the new institution's id (made from the name unless ``--id`` is given:
lower-case Latin letters, digits and dashes). A name in Cyrillic needs ``--id``.
"""

from __future__ import annotations

import argparse
import re
import sys

from .database import add_data_dir, open_database

KINDS = ("philharmonic", "theatre", "museum", "orchestra", "gallery", "library", "other")
_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the institution's name")
    parser.add_argument("--kind", choices=KINDS, default="other")
    parser.add_argument("--id", help="its id in URLs (default: made from the name)")
    parser.add_argument(
        "--lang", choices=("en", "ru", "tt"), default="en", help="the name's language"
    )
    add_data_dir(parser)


def run(args: argparse.Namespace) -> int:
    import asyncio

    name = args.name.strip()
    inst_id = args.id or slug(name)
    if not name or len(name) > 200:
        sys.stderr.write("zal institutions create: the name must be 1-200 characters\n")
        return 2
    if not _ID.match(inst_id):
        sys.stderr.write(
            f"zal institutions create: id {inst_id!r} is not lower-case letters, digits and "
            "dashes (give one with --id)\n"
        )
        return 2
    return asyncio.run(_create(args, inst_id, name))


async def _create(args: argparse.Namespace, inst_id: str, name: str) -> int:
    from server.storage import institutions as institutions_repo

    async with open_database(args) as engine:
        if await institutions_repo.exists(engine, inst_id):
            sys.stderr.write(f"zal institutions create: {inst_id} exists already\n")
            return 1
        await institutions_repo.add(engine, inst_id, name, args.kind, lang=args.lang)
    sys.stdout.write(f"{inst_id}\n")
    return 0
