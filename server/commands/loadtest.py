"""`zal loadtest`: simulate an audience against a Zal server and print the figures.

Example::

    zal loadtest --url http://127.0.0.1:8080 --event evt-1 --clients 500 --hz 10 --seconds 20

Prints delivered messages per second, end-to-end pose latency p50/p95/p99 (pose
sent -> a snapshot holding it, or a newer pose of that member, reaches another
member), bytes per client per second, errors and the load generator's own CPU.
See :mod:`server.loadtest` for how the simulated members work.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", required=True, help="server base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--event", required=True, help="event id to join (GET /api/events)")
    parser.add_argument("--clients", type=int, default=100, help="simulated members")
    parser.add_argument("--hz", type=float, default=10.0, help="pose rate of moving members")
    parser.add_argument("--seconds", type=float, default=10.0, help="measurement window")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument(
        "--mix",
        choices=["uniform", "concert"],
        default="uniform",
        help="uniform: all move at --hz; concert: 4/5 seated and mostly still, 1/5 VR at 20 Hz",
    )
    parser.add_argument(
        "--chat-rate", type=float, default=0.5, help="chat messages per second, whole audience"
    )
    parser.add_argument(
        "--react-rate", type=float, default=0.2, help="reactions per member per second"
    )
    parser.add_argument(
        "--compression",
        choices=["on", "off"],
        default="on",
        help="offer permessage-deflate like browsers (on) or not",
    )
    parser.add_argument(
        "--observer-every",
        type=int,
        default=10,
        help="every n-th member measures latency (the rest only count)",
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="split the members over this many load processes"
    )
    parser.add_argument(
        "--json", dest="json_out", default=None, help="also write the figures as JSON to this file"
    )


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json
    import logging
    import sys

    from server.loadtest.report import format_report, merge
    from server.loadtest.runner import LoadConfig
    from server.loadtest.shards import run_sharded

    if args.clients < 1 or args.hz <= 0 or args.seconds <= 0 or args.processes < 1:
        raise SystemExit(
            "zal loadtest: --clients, --hz, --seconds and --processes must be positive"
        )
    cfg = LoadConfig(
        url=args.url,
        event_id=args.event,
        clients=args.clients,
        hz=args.hz,
        seconds=args.seconds,
        warmup=args.warmup,
        mix=args.mix,
        chat_rate=args.chat_rate,
        react_rate=args.react_rate,
        compression=args.compression == "on",
        observer_every=max(1, args.observer_every),
    )
    shards = asyncio.run(run_sharded(cfg, args.processes))
    result = merge(shards)
    # the report is this command's output (stdout), not a log line
    sys.stdout.write(format_report(result) + "\n")
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(result, fh, indent=1)
    logging.getLogger(__name__).debug("loadtest finished")
    return 0 if result["connected"] else 1
