"""What to change when a hall is refused: the setting, and by how much.

The checks (scenes/checks.py) say *which* seats fail and why ("balcony/B/1-9:
C-value 47 mm < 60 mm"); a person editing a spec also needs to know which number
to change. While a hall is built, each section works out the settings that would
have passed, and a refusal shows those lines first:

- a rake held back by ``max_rise_per_row_m``: the rise per row the design C-value
  needs (the same progressive rake without the cap);
- a balcony front in the way of the stage edge: how much lower the balcony (or
  its parapet) must be, from the sightline of the worst seat over the parapet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import seating

Array = np.ndarray
MARGIN_M = 0.01


@dataclass(frozen=True)
class Hint:
    """``text`` is shown when a problem of ``section`` mentions ``trigger``."""

    section: str
    trigger: str
    text: str

    def applies(self, problems: list[str]) -> bool:
        return any(p.startswith(self.section + "/") and self.trigger in p for p in problems)


def relevant(hints: list[Hint], problems: list[str]) -> list[str]:
    return [h.text for h in hints if h.applies(problems)]


def rake_hint(
    name: str,
    layout: seating.SectionLayout,
    focus: tuple[Array, Array],
    first_floor: float,
    c_design_m: float | None,
    max_rise_m: float,
) -> Hint | None:
    """The rise per row the design C-value needs, when more than ``max_rise_m``."""
    if c_design_m is None:
        return None
    free = seating.design_rake(layout, focus, first_floor, c_design_m, None, np.inf)
    need = float(np.diff(free).max()) if len(free) > 1 else 0.0
    if need <= max_rise_m + 1e-9:
        return None
    need = float(np.ceil(need * 100) / 100)
    return Hint(
        name,
        "C-value",
        f"{name}: the rake needs up to {need:.2f} m of rise per row: raise "
        f"{name}.max_rise_per_row_m from {max_rise_m:g} to {need:.2f}, or lower "
        f"{name}.design_c_value_mm, or use fewer {name} rows",
    )


def balcony_front_hint(
    layout: seating.SectionLayout,
    focus: tuple[Array, Array],
    front_radius: float,
    rail_y: float,
    *,
    height_setting: str,
    height_value: float,
    parapet_m: float,
    min_parapet_m: float = 0.6,
) -> Hint | None:
    """How much lower the balcony, or its parapet, must be for every balcony seat
    to see the nearest point of the stage edge over the parapet's rail.

    Lowering the whole balcony by d lowers the eye and the rail by d, but the
    sightline where it crosses the parapet only by d * (1 - t) (t: how far along
    from the eye to the stage edge the parapet stands), so the sightline gains
    d * t on the rail: d = shortfall / t. The parapet alone must drop by the
    shortfall itself.
    """
    eye_y = layout.floors[layout.row] + seating.EYE_HEIGHT
    eyes = np.column_stack([layout.x, eye_y, layout.z])
    targets = seating.nearest_on_segment(eyes, *focus)
    t = _crossing(eyes, targets, layout.center_z, front_radius)
    ok = np.isfinite(t)
    if not ok.any():
        return None
    line_y = eyes[ok, 1] + t[ok] * (targets[ok, 1] - eyes[ok, 1])
    # the checks aim 2 cm above the edge, and the parapet is built of chords that
    # sit a little inside its arc: ask for a few centimetres more than exact
    shortfall = rail_y + MARGIN_M - line_y
    if shortfall.max() <= 0:
        return None
    drop_balcony = float(np.ceil((shortfall / t[ok]).max() * 100) / 100)
    drop_parapet = float(np.ceil(shortfall.max() * 100) / 100)
    text = (
        f"balcony: its front hides the stage edge: lower the balcony by {drop_balcony:.2f} m "
        f"(balcony.{height_setting} from {height_value:g} to {height_value - drop_balcony:.2f})"
    )
    if parapet_m - drop_parapet >= min_parapet_m:
        text += (
            f" or the parapet by {drop_parapet:.2f} m (balcony.parapet_height_m from "
            f"{parapet_m:g} to {parapet_m - drop_parapet:.2f})"
        )
    text += ", or reduce balcony.overhang_m"
    return Hint("balcony", "balcony front", text)


def _crossing(eyes: Array, targets: Array, center_z: float, radius: float) -> Array:
    """Per seat, the fraction t in (0, 1) along eye -> target where the sightline
    crosses the arc of ``radius`` around (0, center_z) in plan; NaN if it does not."""
    px, pz = eyes[:, 0], eyes[:, 2] - center_z
    dx, dz = targets[:, 0] - eyes[:, 0], targets[:, 2] - eyes[:, 2]
    a = dx * dx + dz * dz
    b = 2 * (px * dx + pz * dz)
    c = px * px + pz * pz - radius * radius
    disc = b * b - 4 * a * c
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.sqrt(disc)
        t1 = (-b - root) / (2 * a)
        t2 = (-b + root) / (2 * a)
    t = np.where((t1 > 0) & (t1 < 1), t1, np.where((t2 > 0) & (t2 < 1), t2, np.nan))
    return np.where(disc >= 0, t, np.nan)
