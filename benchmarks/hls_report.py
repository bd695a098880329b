"""Tables and conclusions of benchmarks/hls_serving.py, and the doc writer shared
with benchmarks/media_sync.py (results between markers in docs/benchmarks-media.md)."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks-media.md"
SEGMENT_S = 4.0
CORE_SHARE = 0.8  # a server process we would run at this share of a core, not more
LINK_BPS = 1e9  # a 1 Gbit/s uplink


def machine_info() -> dict[str, str]:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    wrk = "no wrk (Python flat-out)"
    if shutil.which("wrk"):
        words = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
        wrk = " ".join(words[:2]) if words else "wrk"
    return {
        "cpu": f"{model}, {os.cpu_count()} cores",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "tools": f"aiohttp {metadata.version('aiohttp')}, {nginx.replace('nginx version: ', '')}"
        f", {wrk}",
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


PACED_HEADER = (
    "| server | viewers | segments/s target | segments/s | requests/s | errors | segment p50 ms | "
    "segment p99 ms | server CPU % of a core | server CPU µs/request | Mbit/s served | "
    "load-gen CPU % | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)
FLAT_HEADER = (
    "| server | files | tool | requests/s | p50 ms | p99 ms | errors | server CPU % of a core | "
    "server CPU µs/request | Gbit/s served | load avg |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def paced_row(r: dict[str, Any]) -> str:
    window = r["window"][1] - r["window"][0]
    mbit = 8 * r["bytes"] / window / 1e6
    return (
        f"| {r['server']} | {r['viewers']} | {r['viewers'] / SEGMENT_S:.0f} | "
        f"{r['segments'] / window:.0f} | {r['req_per_s']:.0f} | {r['errors']} | "
        f"{r['seg_p50_ms']:.1f} | {r['seg_p99_ms']:.1f} | "
        f"{r['server_cpu_pct']:.1f} | {r['cpu_us_per_req']:.0f} | {mbit:.0f} | "
        f"{r['loadgen_cpu_pct']:.0f} | {r['loadavg_1m']:.1f} |"
    )


def flat_row(r: dict[str, Any], bytes_per_req: float) -> str:
    gbit = 8 * r["req_per_s"] * bytes_per_req / 1e9
    return (
        f"| {r['server']} | {r['files']} | {r['tool']} | {r['req_per_s']:.0f} | "
        f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['server_cpu_pct']:.0f} | "
        f"{r['cpu_us_per_req']:.0f} | {gbit:.2f} | {r['loadavg_1m']:.1f} |"
    )


def thresholds(paced: list[dict[str, Any]], flat: list[dict[str, Any]], pkg: dict) -> str:
    """Audiences one process holds at CORE_SHARE of a core: from the CPU per
    request of the largest paced run that kept its pace (:func:`kept_pace`; above
    that the row measures the saturated rig, not the server's steady cost), and from
    the flat-out CPU per segment; and what a 1 Gbit/s link carries."""
    lines = []
    mbit = pkg["bitrate_bps"] / 1e6
    for kind in dict.fromkeys(r["server"] for r in paced + flat):
        mine = [r for r in paced if r["server"] == kind]
        kept = [r for r in mine if kept_pace(r)]
        top = max(kept or mine, key=lambda r: r["viewers"]) if mine else None
        seg = [r for r in flat if r["server"] == kind and r["files"] == "720p segments"]
        parts = []
        for label, row in (("paced", top), ("flat out", seg[0] if seg else None)):
            if row is None or not row["cpu_us_per_req"] > 0:
                continue
            segs = CORE_SHARE / (row["cpu_us_per_req"] / 1e6)
            viewers = segs * SEGMENT_S
            where = f" at {row['viewers']:,} viewers" if label == "paced" else ""
            parts.append(
                f"{label}{where}: {row['cpu_us_per_req']:.0f} µs per request -> "
                f"{segs:,.0f} segments/s at {CORE_SHARE:.0%} of a core = **~{viewers:,.0f} "
                f"viewers** ({viewers * pkg['bitrate_bps'] / 1e9:.1f} Gbit/s)"
            )
        lines.append(f"- **{kind}**: " + "; ".join(parts) + ".")
    lines.append(
        f"- **A 1 Gbit/s link** carries {LINK_BPS / pkg['bitrate_bps']:,.0f} viewers of the "
        f"720p rendition ({mbit:.2f} Mbit/s measured, audio included) or "
        f"{LINK_BPS / 0.93e6:,.0f} of the 360p one (0.8 Mbit/s video + 128k audio)."
    )
    return "\n".join(lines)


def kept_pace(r: dict[str, Any]) -> bool:
    """>= 95 % of the target segments/s, and 99 % of segments within a segment's time."""
    rate_ok = r["segments"] / window_s(r) >= 0.95 * r["viewers"] / SEGMENT_S
    return rate_ok and r["seg_p99_ms"] < 1000 * SEGMENT_S


def window_s(r: dict[str, Any]) -> float:
    return r["window"][1] - r["window"][0]


def write_doc(body: str, begin: str, end: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Stage media benchmarks\n"
    block = f"{begin}\n{body}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    DOC.write_text(text)
