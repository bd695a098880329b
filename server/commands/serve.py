"""`zal serve`: placeholder until its issue lands (replace this whole module)."""

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    raise SystemExit("zal: 'serve' is not implemented yet")
