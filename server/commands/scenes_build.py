"""`zal scenes build [--out DIR] [SPEC...]`: build venue GLBs and manifests.

Builds every built-in spec (or the TOML files given) in a process pool through the
build cache, writes ``<venue>.glb`` and ``<venue>.json`` into ``--out`` and prints
a table of budgets and sightlines. A refused spec prints why and makes the command
exit 1 once the other specs are built.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_OUT = Path("build/scenes")
WORKERS = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "specs", nargs="*", type=Path, metavar="SPEC", help="spec TOML files (default: built-in)"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="build cache folder (default $ZAL_SCENE_CACHE or OUT/.cache)",
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="build processes")


def run(args: argparse.Namespace) -> int:
    # heavy imports only when the command runs (the CLI parser imports every command)
    from concurrent.futures import ProcessPoolExecutor

    from scenes.cache import build_cached_in_worker, cache_dir_from_env, write_atomic
    from scenes.catalog import builtin_spec_paths, load_spec, spec_json
    from scenes.errors import SpecError
    from scenes.metadata import VenueMetadata

    out: Path = args.out
    cache_dir = args.cache or cache_dir_from_env(out / ".cache")
    paths = list(args.specs) or builtin_spec_paths()
    out.mkdir(parents=True, exist_ok=True)

    failures: list[tuple[str, str]] = []
    specs = []
    for path in paths:
        try:
            specs.append((path, load_spec(path)))
        except (OSError, ValueError) as exc:  # TOML, pydantic and SpecError are ValueErrors
            failures.append((str(path), _short_error(exc)))

    rows: list[list[str]] = []
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        futures = [
            (path, spec, pool.submit(build_cached_in_worker, spec_json(spec), str(cache_dir)))
            for path, spec in specs
        ]
        for path, spec, future in futures:
            try:
                glb_path, manifest_path, built, seconds = future.result()
            except SpecError as exc:
                failures.append((str(path), str(exc)))
                rows.append([spec.id, spec.kind, "-", "-", "-", "-", "-", "REFUSED"])
                continue
            manifest = Path(manifest_path).read_bytes()
            write_atomic(out / f"{spec.id}.glb", Path(glb_path).read_bytes())
            write_atomic(out / f"{spec.id}.json", manifest)
            rows.append(_row(VenueMetadata.model_validate_json(manifest), built, seconds))

    header = [
        "venue",
        "kind",
        "seats",
        "triangles",
        "draw calls",
        "size",
        "C worst/median mm",
        "build",
    ]
    sys.stdout.write(_table(header, rows))
    sys.stdout.write(
        f"wrote {sum(r[7] != 'REFUSED' for r in rows)} venue(s) to {out} (cache: {cache_dir})\n"
    )
    for path, message in failures:
        sys.stderr.write(f"\n{path}: {message}\n")
    return 1 if failures else 0


def _row(meta, built: bool, seconds: float) -> list[str]:
    stats = meta.stats
    sight = (
        ", ".join(f"{s.section} {s.worst_mm:.0f}/{s.median_mm:.0f}" for s in meta.sightlines) or "-"
    )
    return [
        meta.id,
        meta.kind,
        f"{len(meta.seats):,}" if meta.seats else "-",
        f"{stats.triangles:,}" if stats else "?",
        str(stats.draw_calls) if stats else "?",
        _size(stats.glb_bytes) if stats else "?",
        sight,
        f"{seconds:.2f} s" if built else "cached",
    ]


def _size(n: int) -> str:
    return f"{n / 1_048_576:.2f} MB" if n >= 1000 * 1024 else f"{n / 1024:.0f} KB"


def _short_error(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        lines = [
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:10]
        ]
        return "invalid spec:\n  " + "\n  ".join(lines)
    return str(exc)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    # text columns left, figures right
    left = {0, 1, 6}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)]) + "\n"
