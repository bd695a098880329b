"""Scene uploads: processing time and peak memory per upload, and GLB bytes on
the wire before and after compression.

    python -m benchmarks.scene_uploads           # prints the tables
    python -m benchmarks.scene_uploads --write   # and writes docs/benchmarks-uploads.md

1. Uploads of about 10k, 100k and 500k triangles (a textured floor plus a
   ground mesh of that many triangles, as GLB) go through the real worker
   process (``python -m server.scene_uploads.worker``) under ``/usr/bin/time``:
   wall time, CPU time and peak RSS of that process; then gltfpack on its
   output, timed the same way.
2. The built-in venues and two larger halls (about 2,000 and 5,000 seats,
   the philharmonic spec scaled) are built, compressed with gltfpack as the
   server does, and their bytes counted: raw GLB, gzip of it (what was served
   before), the meshopt GLB, and gzip of that (what is served now).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import trimesh

from scenes.catalog import build_venue, builtin_spec_paths, load_spec, parse_spec
from server.scene_uploads import compress

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks-uploads.md"
TRIANGLES = (10_000, 100_000, 500_000)
# the philharmonic scaled: (stalls rows, seats in row A, balcony rows, balcony row A,
# room width, room height)
HALLS = {"hall-2000": (30, 40, 6, 60, 48, 20), "hall-5000": (57, 36, 20, 60, 62, 36)}


def ground(triangles: int) -> bytes:
    """A rolling ground of ``triangles`` triangles on a 40 m square, as GLB."""
    k = max(int((triangles / 2) ** 0.5), 2)
    xs, zs = np.meshgrid(np.linspace(-20, 20, k + 1), np.linspace(-20, 20, k + 1))
    ys = 0.3 * np.sin(xs / 3) * np.cos(zs / 4) + 0.3
    vertices = np.column_stack([xs.ravel(), ys.ravel(), zs.ravel()])
    idx = np.arange((k + 1) ** 2).reshape(k + 1, k + 1)
    a, b, c, d = idx[:-1, :-1], idx[:-1, 1:], idx[1:, :-1], idx[1:, 1:]
    faces = np.concatenate([np.stack([a, c, b], -1), np.stack([b, c, d], -1)]).reshape(-1, 3)
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    return trimesh.Scene(mesh).export(file_type="glb")


def timed(args: list[str]) -> dict:
    """Run ``args`` under GNU time: wall s, CPU s, peak RSS MiB, exit code."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        fmt = "%e %U %S %M"
        proc = subprocess.run(
            ["/usr/bin/time", "-o", out.name, "-f", fmt, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        wall, user, system, rss_kb = out.read().split()[-4:]
    return {
        "wall_s": float(wall),
        "cpu_s": float(user) + float(system),
        "rss_mib": int(rss_kb) / 1024,
        "rc": proc.returncode,
        "stdout": proc.stdout,
    }


def upload_rows(work: Path) -> list[dict]:
    rows = []
    job = json.dumps({"budgets": {}, "options": {}})
    for count in TRIANGLES:
        src = work / f"ground-{count}.glb"
        src.write_bytes(ground(count))
        out = work / f"out-{count}"
        out.mkdir()
        run = timed([sys.executable, "-m", "server.scene_uploads.worker", str(src), str(out), job])
        answer = json.loads(run["stdout"].strip().splitlines()[-1])
        assert answer["ok"], answer
        pack = timed(
            [
                "node",
                str(compress.CLI),
                "-i",
                str(out / "full.glb"),
                "-o",
                str(out / "full.pack.glb"),
                *compress.GLTFPACK_OPTIONS,
            ]
        )
        rows.append(
            {
                "triangles": answer["triangles"],
                "upload_bytes": src.stat().st_size,
                "worker": run,
                "gltfpack": pack,
                "light_triangles": answer["light_triangles"],
                "full_bytes": (out / "full.glb").stat().st_size,
                "packed_bytes": (out / "full.pack.glb").stat().st_size,
            }
        )
        sys.stderr.write(f"{count:>7} triangles: worker {run['wall_s']:.1f} s\n")
    return rows


def hall_spec(venue_id: str, stalls, per_row, bal_rows, bal_per_row, width, height):
    with (ROOT / "scenes" / "specs" / "philharmonic.toml").open("rb") as f:
        data = tomllib.load(f)
    data["id"] = venue_id
    data["room"].update(width_m=width, height_m=height)
    data["stalls"].update(rows=stalls, seats_per_row=per_row)
    data["balcony"].update(rows=bal_rows, seats_per_row=bal_per_row)
    return parse_spec(data)


def venue_rows(work: Path) -> list[dict]:
    specs = [load_spec(p) for p in builtin_spec_paths()]
    specs += [hall_spec(name, *shape) for name, shape in HALLS.items()]
    rows = []
    for spec in specs:
        venue = build_venue(spec)
        raw = work / f"{spec.id}.glb"
        raw.write_bytes(venue.glb)
        packed = asyncio.run(compress.wire_copy(raw))
        assert packed != raw, "gltfpack is needed (npm ci in web_client)"
        data = packed.read_bytes()
        rows.append(
            {
                "venue": spec.id,
                "seats": len(venue.metadata.seats),
                "raw": len(venue.glb),
                "raw_gz": len(gzip.compress(venue.glb, 6, mtime=0)),
                "meshopt": len(data),
                "meshopt_gz": len(gzip.compress(data, 6, mtime=0)),
            }
        )
        sys.stderr.write(f"{spec.id}: {len(venue.glb):,} -> {len(data):,} bytes\n")
    return rows


def mib(n: int) -> str:
    return f"{n / 1048576:.2f} MiB"


def report(uploads: list[dict], venues: list[dict]) -> str:
    lines = [
        "# Scene uploads: measured",
        "",
        f"`python -m benchmarks.scene_uploads --write`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPU cores, load average before the run "
        f"{os.getloadavg()[0]:.1f} (a shared machine: times are upper bounds).",
        "",
        "## Processing one upload",
        "",
        "The worker process (preflight, load, normalise, budgets, lighter copy, metadata,",
        "GLB export; Python start-up and imports included), then gltfpack on its output.",
        "",
        "| triangles | upload | worker wall | worker CPU | worker peak RSS | lighter copy "
        "| gltfpack wall | gltfpack peak RSS | GLB -> meshopt GLB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in uploads:
        w, p = r["worker"], r["gltfpack"]
        light = f"{r['light_triangles']:,}" if r["light_triangles"] else "-"
        lines.append(
            f"| {r['triangles']:,} | {mib(r['upload_bytes'])} | {w['wall_s']:.1f} s "
            f"| {w['cpu_s']:.1f} s | {w['rss_mib']:.0f} MiB | {light} "
            f"| {p['wall_s']:.1f} s | {p['rss_mib']:.0f} MiB "
            f"| {mib(r['full_bytes'])} -> {mib(r['packed_bytes'])} |"
        )
    lines += [
        "",
        "## Venue GLB bytes on the wire",
        "",
        "Before: the builder's GLB, sent gzip-compressed. Now: gltfpack's meshopt GLB",
        "(KHR_mesh_quantization + EXT_meshopt_compression), also sent gzip-compressed.",
        "",
        "| venue | seats | GLB | GLB gzip (before) | meshopt GLB | meshopt gzip (now) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for v in venues:
        lines.append(
            f"| {v['venue']} | {v['seats']:,} | {mib(v['raw'])} | {mib(v['raw_gz'])} "
            f"| {mib(v['meshopt'])} | {mib(v['meshopt_gz'])} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {DOC.relative_to(ROOT)}")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        uploads = upload_rows(Path(tmp))
        venues = venue_rows(Path(tmp))
    text = report(uploads, venues)
    sys.stdout.write(text + f"\n({time.perf_counter() - started:.0f} s)\n")
    if args.write:
        DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
