"""Fit the one constant of NCM's concentration-dependent diffusivity: the scale s.

D(x, T) = s * D_Ecker2015(x) * exp(E_a/R (1/T_meas - 1/T)) (``parameter_sets.ncm_diffusivity``).
s is fitted, in log10 s by golden-section search, to the least squares of the relative
errors of first-cycle discharge capacities of catalogue rows (DFN with contact
mechanics, each row's preset, conditions and protocol). The rows it is fitted on are
those the constants registry names for it (:func:`registry_rows`): near-full-contact
first discharges of Jo 2024 and Kwon 2022, where the end of discharge is set by solid
diffusion. ``scripts/fit_ncm_diffusivity.py`` runs :func:`fit` on them;
:mod:`ssbsim.simulator.lopo` runs it on a subset (one paper left out) and
:func:`capacities` on the rows it predicts.
"""

from __future__ import annotations

import math

#: The constant this module fits (a name of ``ssbsim.parameter_sets.provenance``).
CONSTANT = "parameter_sets.ncm_diffusivity.NCM_DIFFUSIVITY.scale"
#: What a row must derive to be fitted or predicted here: the first-cycle discharge capacity.
DERIVE = {"kind": "capacity", "half": "discharge", "cycle": 1}
#: Search interval of log10 s and its tolerance.
LOG10_BOUNDS = (-3.0, -1.0)
TOL = 0.01


def registry_rows() -> tuple[str, ...]:
    """The catalogue rows the registry says s was fitted on."""
    from ssbsim.parameter_sets.provenance import REGISTRY

    return REGISTRY[CONSTANT].source.rows


def _entries(rows) -> list:
    from ssbsim.simulator.catalogue import load_catalogue

    by_id = {e.id: e for e in load_catalogue()}
    missing = [r for r in rows if r not in by_id]
    if missing:
        raise KeyError(f"not catalogue rows: {missing}")
    entries = [by_id[r] for r in rows]
    for e in entries:
        if e.derive != DERIVE:
            raise ValueError(f"{e.id}: derives {e.derive}, not the first-cycle discharge capacity {DERIVE}")
    return entries


def measured(rows) -> dict[str, float]:
    """The measured first-discharge capacities [mAh/g] of ``rows`` (from the catalogue)."""
    return {e.id: e.measured for e in _entries(rows)}


def capacities(scale: float, rows, model: str = "DFN") -> dict[str, float]:
    """First-discharge capacities [mAh/g] of ``rows`` with NCM_DIFFUSIVITY.scale = scale."""
    from ssbsim.parameter_sets import ncm_diffusivity
    from ssbsim.simulator.simulation import simulate

    entries = _entries(rows)
    law = ncm_diffusivity.NCM_DIFFUSIVITY
    old = law.scale
    object.__setattr__(law, "scale", scale)  # the records share this one (frozen) law
    try:
        return {e.id: simulate(e.preset, model=model, protocol=e.protocol, **e.conditions).discharge_capacity_mAh_g
                for e in entries}
    finally:
        object.__setattr__(law, "scale", old)


def cost(scale: float, rows, model: str = "DFN", log=print) -> float:
    """Sum of squared relative errors of the rows' capacities at ``scale``."""
    meas = measured(rows)
    caps = capacities(scale, rows, model)
    c = sum(((caps[r] - m) / m) ** 2 for r, m in meas.items())
    if log:
        log(f"s = {scale:.5f}: " + ", ".join(f"{r} {caps[r]:.1f}" for r in meas) + f"  cost {c:.5f}")
    return c


def golden(f, lo: float, hi: float, tol: float) -> float:
    """Minimum of a unimodal f on [lo, hi] to within tol."""
    g = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
    return (a + b) / 2


def fit(rows=None, lo: float = LOG10_BOUNDS[0], hi: float = LOG10_BOUNDS[1], tol: float = TOL, model: str = "DFN",
        log=print) -> float:
    """The scale s that minimises :func:`cost` on ``rows`` (default: the registry's),
    searched in log10 s on [lo, hi] to within tol."""
    rows = registry_rows() if rows is None else tuple(rows)
    return 10 ** golden(lambda ls: cost(10**ls, rows, model, log), lo, hi, tol)
