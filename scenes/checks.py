"""Theatre checks (placeholder while the real checks are written)."""

from __future__ import annotations

from dataclasses import dataclass, field

import trimesh

from .assembly import VenueAssembly
from .geometry import concatenate
from .metadata import SightlineStats, VenueMetadata


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    sightlines: list[SightlineStats] = field(default_factory=list)


def geometry_from_assembly(asm: VenueAssembly) -> dict[str, trimesh.Trimesh]:
    out = {}
    for name, parts in asm.merged.items():
        p = concatenate(parts)
        out[name] = trimesh.Trimesh(p.vertices, p.faces, process=False)
    for name, (_, p) in asm.named.items():
        out[name] = trimesh.Trimesh(p.vertices, p.faces, process=False)
    return out


def run_checks(geometry, meta: VenueMetadata, min_c_mm=None) -> CheckReport:
    return CheckReport()
