"""A half-cycle's capacity split by voltage plateau, as a lab splits a measured curve.

Papers split a graphite-Si anode's delithiation into a graphite and a Si part by the
voltage at which the charge is given back, not by phase: graphite gives back its Li in
stages below ~0.25 V vs Li/Li+ (dQ/dV peaks at ~0.10, 0.14 and 0.22 V; Ohzuku, Iwakoshi
and Sawai, J. Electrochem. Soc. 140 (1993) 2490), amorphous Li_xSi above, with dQ/dV peaks
near 0.30 and 0.48 V (Obrovac and Krause, J. Electrochem. Soc. 154 (2007) A103). The
boundary is the dQ/dV valley between the two. A plateau split also counts what a phase
gives back in the other's voltage range (graphite's last stage, shifted up by the
cell's polarisation, above the valley), so its "Si part" can exceed Si's capacity:
Choi 2025's 224 mAh/g_AM is more than 0.1 x 1700, all its Si could give.

:func:`plateau_split` reproduces that analysis on a simulated (or measured) curve:

1. dQ/dV on a uniform voltage grid (``grid_V``) of the half-cycle's capacity Q(V), the
   curve made monotone in V first (the running maximum of V, so a relaxation blip does
   not count twice);
2. the valley: the first local minimum of dQ/dV inside ``search_V`` (where the
   graphite stage below the window has ended and the next plateau begins; the edge of
   the window is not a valley);
3. the capacity given back below and above that voltage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .results import cell_half_cycle

#: Where the graphite / Si valley of a delithiation is searched [V vs Li/Li+]: above
#: graphite's last stage peak (0.22 V, Ohzuku 1993), below amorphous Li_xSi's upper
#: peak (0.48 V, Obrovac and Krause 2007).
GRAPHITE_SI_VALLEY_SEARCH_V = (0.20, 0.45)


@dataclass(frozen=True)
class PlateauSplit:
    """The split of one half-cycle (capacities in the curve's own unit)."""

    boundary_V: float  # the dQ/dV valley
    below: float  # capacity given while the voltage was below the boundary
    above: float  # ... and above it

    @property
    def total(self) -> float:
        return self.below + self.above


def plateau_split(voltage_V, capacity, search_V=GRAPHITE_SI_VALLEY_SEARCH_V, grid_V: float = 0.005) -> PlateauSplit:
    """Split a half-cycle whose voltage rises as capacity is given (a delithiation vs
    Li/Li+): ``voltage_V`` and ``capacity`` (given so far, from 0) in time order.

    Raises :class:`InputError` if the curve does not span ``search_V`` or has no dQ/dV
    valley there (one line, naming the window)."""
    v = np.maximum.accumulate(np.asarray(voltage_V, dtype=float))
    q = np.asarray(capacity, dtype=float)
    if v.shape != q.shape or v.size < 3:
        raise InputError(f"plateau split: voltage ({v.size}) and capacity ({q.size}) need >= 3 matching points")
    lo, hi = search_V
    if not v[0] < lo < hi < v[-1]:
        raise InputError(f"plateau split: the curve spans {v[0]:.3f}-{v[-1]:.3f} V; the valley search "
                         f"window {lo:g}-{hi:g} V must lie inside it")
    v_unique, last = np.unique(v[::-1], return_index=True)  # the last time each voltage was reached
    q_of_v = q[::-1][last]
    grid = np.arange(v[0], v[-1], grid_V)
    dqdv = np.gradient(np.interp(grid, v_unique, q_of_v), grid)
    inside = np.flatnonzero((grid > lo) & (grid < hi))
    i = inside[1:-1]
    minima = i[(dqdv[i] <= dqdv[i - 1]) & (dqdv[i] < dqdv[i + 1])]
    if minima.size == 0:
        raise InputError(f"plateau split: no dQ/dV valley between {lo:g} and {hi:g} V (one plateau only?)")
    boundary = float(grid[minima[0]])
    below = float(np.interp(boundary, v_unique, q_of_v) - q[0])
    return PlateauSplit(boundary, below, float(q[-1] - q[0]) - below)


def half_cycle_curve(s: dict, half: str, cycle: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Voltage vs Li/Li+ [V] and capacity given so far [mAh/g] of the ``cycle``-th (1-based)
    ``half`` of a case's series: its ``cycle``-th run of current of that half's sign
    (PyBaMM: positive current discharges the cell, i.e. lithiates the working electrode)."""
    if s["time_s"][0] > 0:
        raise InputError("half-cycle curve: the series start at the last cycle (the fast path keeps its time series only)")
    sign = 1.0 if cell_half_cycle(half) == "discharge" else -1.0
    on = sign * np.asarray(s["current_A"]) > 0
    starts = np.flatnonzero(on & ~np.r_[False, on[:-1]])
    if len(starts) < cycle:
        raise InputError(f"half-cycle curve: only {len(starts)} {half} half-cycles in the series, cycle {cycle} asked")
    a = starts[cycle - 1]
    b = a + int(np.argmin(on[a:])) if not on[a:].all() else len(on)
    cap = np.asarray(s["capacity_mAh_g"])[a:b]
    return np.asarray(s["voltage_V"])[a:b], sign * (cap - cap[0])


def derived_split(s: dict, derive: dict) -> tuple[np.ndarray, np.ndarray, PlateauSplit]:
    """(voltage, capacity, split) of the half-cycle a catalogue ``derive`` of kind
    ``plateau_split`` names (``half``, ``cycle``, optional ``search_V``) in a case's
    series ``s``; :class:`InputError` where it cannot be split."""
    v, q = half_cycle_curve(s, derive["half"], derive.get("cycle", 1))
    return v, q, plateau_split(v, q, search_V=tuple(derive.get("search_V", GRAPHITE_SI_VALLEY_SEARCH_V)))


def first_delithiation_split(result) -> dict | None:
    """The first delithiation of a half cell's two-phase working electrode (graphite-Si)
    split two ways [mAh/g of working active material]: ``by_phase``, what each particle
    phase gave back (``SimulationResult.phase_halves_mAh_g``), and ``by_plateau``, the
    split of the curve at its dQ/dV valley (:func:`plateau_split`), which is how papers
    split it and which counts graphite's polarised last stage above the valley. None for a
    one-phase electrode, a full cell or a fast-path run (which keeps the last cycle's
    series only); ``by_plateau_unavailable`` says why the curve could not be split."""
    from ssbsim.models.phases import phase_names

    from .sweep import curve_series

    if result.solution is None or result.voltage_reference != "Li/Li+" or result.cycle_path != "cycle by cycle":
        return None
    if len(phase_names(result.solution.all_models[0].options, result.domain)) < 2:
        return None
    out = {"by_phase": {ph: h["delithiation"] for ph, h in result.phase_halves_mAh_g(0).items()}}
    try:
        split = plateau_split(*half_cycle_curve(curve_series(result), "delithiation", 1))
    except InputError as err:
        out["by_plateau_unavailable"] = str(err)
        return out
    out["by_plateau"] = {"valley_V": split.boundary_V, "below_mAh_g": split.below, "above_mAh_g": split.above}
    return out


def split_line(split: dict | None) -> list[str]:
    """The text summary's line of :func:`first_delithiation_split` (none without a plateau split)."""
    if not split or "by_plateau" not in split:
        return []
    b, p = split["by_phase"], split["by_plateau"]
    return [f"  first delithiation by phase: {', '.join(f'{k} {v:.1f}' for k, v in b.items())} mAh/g; "
            f"by plateau (dQ/dV valley at {p['valley_V']:.3f} V): below {p['below_mAh_g']:.1f}, "
            f"above {p['above_mAh_g']:.1f} mAh/g"]
