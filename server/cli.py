"""The ``zal`` command: ``zal serve``, ``zal scenes build``, ``zal loadtest``,
``zal storage gc``, ``zal institutions create``, ``zal tokens create|list|revoke``.

Each subcommand lives in its own module under :mod:`server.commands` with two
functions, ``add_arguments(parser)`` and ``run(args) -> int``; this module only
dispatches, and imports a command's module only when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# command path -> (module, help)
COMMANDS: dict[tuple[str, ...], tuple[str, str]] = {
    ("serve",): ("server.commands.serve", "run the web and realtime server"),
    ("scenes", "build"): ("server.commands.scenes_build", "build venue GLBs and manifests"),
    ("loadtest",): ("server.commands.loadtest", "simulate an audience against a server"),
    ("storage", "gc"): ("server.commands.storage_gc", "remove blobs nothing references"),
    ("institutions", "create"): ("server.commands.institutions_create", "add an institution"),
    ("tokens", "create"): ("server.commands.tokens_create", "make an access token (shown once)"),
    ("tokens", "list"): ("server.commands.tokens_list", "list access tokens (never the tokens)"),
    ("tokens", "revoke"): ("server.commands.tokens_revoke", "revoke an access token"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zal", description="Zal virtual venue server")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING, ERROR")
    groups: dict[tuple[str, ...], argparse._SubParsersAction] = {
        (): parser.add_subparsers(dest="command", required=True)
    }
    for path, (module, help_text) in COMMANDS.items():
        for depth in range(1, len(path)):
            prefix = path[:depth]
            if prefix not in groups:
                sub = groups[prefix[:-1]].add_parser(prefix[-1], help=f"{prefix[-1]} commands")
                groups[prefix] = sub.add_subparsers(dest=f"command_{depth}", required=True)
        leaf = groups[path[:-1]].add_parser(path[-1], help=help_text)
        leaf.set_defaults(_module=module)
        importlib.import_module(module).add_arguments(leaf)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    return int(importlib.import_module(args._module).run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
