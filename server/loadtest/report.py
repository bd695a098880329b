"""Merge the raw results of one or more shards into the load-test figures.

Pose latency is measured per (observer, sender, pose): the time from the sender
sending pose ``seq = k`` until the observer holds that pose *or a newer one* from
the same sender. With a tick-snapshot server several poses of one member may be
coalesced into one snapshot record (by design: extra updates are dropped, not
queued), so "a newer one" is what the observer's view needs; with a relay it is
the arrival of pose ``k`` itself. A pose counts as delivered if it (or a newer one)
reached the observer before the load test stopped listening; latency percentiles
are over delivered poses. Only poses sent inside the measurement window count.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def merge(shards: list[dict[str, Any]]) -> dict[str, Any]:
    cfg = shards[0]["config"]
    t0, t1 = shards[0]["window"]
    seconds = t1 - t0
    placement: dict[tuple[str, int], int] = {}  # (instance, slot) -> idx
    instance_of: dict[int, tuple[str, int]] = {}
    connected = 0
    for sh in shards:
        for idx, instance, slot, _observer, live in sh["members"]:
            if live:
                connected += 1
                placement[(instance, slot)] = idx
                instance_of[idx] = (instance, slot)
    sends: dict[int, np.ndarray] = {}
    for sh in shards:
        for idx, times in sh["sends"].items():
            sends[int(idx)] = np.asarray(times, dtype=np.float64)
    by_instance: dict[str, list[int]] = {}
    for idx, (instance, _slot) in instance_of.items():
        by_instance.setdefault(instance, []).append(idx)

    latencies: list[np.ndarray] = []
    expected = delivered = 0
    for sh in shards:
        for obs_key, seen in sh["seen"].items():
            obs = int(obs_key)
            instance, own_slot = instance_of[obs]
            for sender in by_instance[instance]:
                if sender == obs:
                    continue
                s_times = sends.get(sender)
                if s_times is None or not len(s_times):
                    continue
                ks = np.nonzero((s_times >= t0) & (s_times < t1))[0]
                if not len(ks):
                    continue
                expected += len(ks)
                slot = instance_of[sender][1]
                got = seen.get(str(slot))
                if not got or not got[0]:
                    continue
                seqs = np.asarray(got[0], dtype=np.int64)
                times = np.asarray(got[1], dtype=np.float64)
                order = np.argsort(seqs, kind="stable")
                seqs, times = seqs[order], times[order]
                # earliest arrival of any seq >= k, for every k
                cover = np.minimum.accumulate(times[::-1])[::-1]
                pos = np.searchsorted(seqs, ks & 0xFFFF, side="left")
                ok = pos < len(seqs)
                delivered += int(ok.sum())
                latencies.append(cover[pos[ok]] - s_times[ks[ok]])
    lat = np.sort(np.concatenate(latencies)) if latencies else np.zeros(0)

    def pct(q: float) -> float:
        return float(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000.0) if len(lat) else math.nan

    messages = sum(sh["counters"]["messages"] for sh in shards)
    errors = sum(sh["counters"]["errors"] for sh in shards)
    kinds: dict[str, int] = {}
    for sh in shards:
        for k, v in sh["counters"]["error_kinds"].items():
            kinds[k] = kinds.get(k, 0) + v
    wire_in = sum(sh["wire_in"] for sh in shards)
    payload = sum(sh["counters"]["payload_bytes"] for sh in shards)
    sent = sum(sh["counters"]["sent"] for sh in shards)
    per_client = max(1, connected) * seconds
    return {
        "clients": cfg["clients"],
        "connected": connected,
        "instances": len(by_instance),
        "hz": cfg["hz"],
        "mix": cfg["mix"],
        "compression": cfg["compression"],
        "seconds": round(seconds, 3),
        "window": [t0, t1],  # CLOCK_MONOTONIC, to line up server CPU samples
        "sent_per_s": sent / seconds,
        "delivered_messages_per_s": messages / seconds,
        "delivered_pct": 100.0 * delivered / expected if expected else math.nan,
        "pose_samples": int(len(lat)),
        "latency_p50_ms": pct(0.50),
        "latency_p95_ms": pct(0.95),
        "latency_p99_ms": pct(0.99),
        "wire_bytes_per_client_s": wire_in / per_client,
        "payload_bytes_per_client_s": payload / per_client,
        "errors": errors,
        "error_kinds": kinds,
        "loadgen_processes": len(shards),
        "loadgen_cpu_pct": [round(100.0 * sh["cpu_seconds"] / seconds, 1) for sh in shards],
        "loadgen_send_lag_p99_ms": max(sh["send_lag_p99"] for sh in shards) * 1000.0,
        "connect_seconds": max(sh["connect_seconds"] for sh in shards),
    }


def format_report(r: dict[str, Any]) -> str:
    lines = [
        f"clients            {r['connected']}/{r['clients']} connected in "
        f"{r['connect_seconds']:.1f}s, {r['instances']} instances, mix {r['mix']}, "
        f"{r['hz']:g} Hz, compression {'on' if r['compression'] else 'off'}",
        f"window             {r['seconds']:.1f} s, poses sent {r['sent_per_s']:.0f}/s",
        f"delivered          {r['delivered_messages_per_s']:.0f} messages/s, "
        f"{r['delivered_pct']:.2f}% of poses",
        f"pose latency       p50 {r['latency_p50_ms']:.1f} ms  p95 {r['latency_p95_ms']:.1f} ms"
        f"  p99 {r['latency_p99_ms']:.1f} ms  ({r['pose_samples']} samples)",
        f"bytes/client/s     {r['wire_bytes_per_client_s']:.0f} on the wire, "
        f"{r['payload_bytes_per_client_s']:.0f} payload",
        f"errors             {r['errors']} {r['error_kinds'] or ''}".rstrip(),
        f"load generator     {r['loadgen_processes']} process(es), CPU "
        f"{', '.join(f'{c:.0f}%' for c in r['loadgen_cpu_pct'])}, "
        f"send lag p99 {r['loadgen_send_lag_p99_ms']:.1f} ms",
    ]
    return "\n".join(lines)
