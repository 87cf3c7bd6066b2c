"""Fit the one constant of NCM's concentration-dependent diffusivity: the scale s.

D(x, T) = s * D_Ecker2015(x) * exp(E_a/R (1/T_meas - 1/T)) (``parameter_sets.ncm_diffusivity``).
s is fitted, in log10 s by golden-section search, to the least squares of the relative
errors of the first-cycle discharge capacities of the calibration rows

* jo2024-ncm-q0-0.5wt           NCM811, 0.05C preconditioning, 0.5 wt% NBR, 75 MPa: 194.1 mAh/g
* kwon2022-q1-pristine-70MPa    NCM711, 0.1C, pristine BR, 70 MPa:                  171 mAh/g
* kwon2022-q1-vulcanized-70MPa  NCM711, 0.1C, vulcanized BR, 70 MPa:                172 mAh/g

(DFN with contact mechanics, each preset's paper protocol). The three rows are near
full contact, so the end of discharge is set by solid diffusion. Run:
``python scripts/fit_ncm_diffusivity.py [--lo -3] [--hi -1] [--tol 0.01]``; it prints
each evaluation and the fitted s (to be written into ``NCM_DIFFUSIVITY.scale``).
"""

from __future__ import annotations

import argparse
import math

from ssbsim.parameter_sets import ncm_diffusivity
from ssbsim.simulator.simulation import simulate

ROWS = {  # row id: (preset, conditions, measured discharge capacity [mAh/g])
    "jo2024-ncm-q0-0.5wt": ("jo2024-cathode", {"binder_content": 0.5}, 194.1),
    "kwon2022-q1-pristine-70MPa": ("kwon2022", {"binder": "pristine", "pressure": 70.0}, 171.0),
    "kwon2022-q1-vulcanized-70MPa": ("kwon2022", {"binder": "vulcanized", "pressure": 70.0}, 172.0),
}


def capacities(scale: float) -> dict[str, float]:
    """First-discharge capacities [mAh/g] of the rows with NCM_DIFFUSIVITY.scale = scale."""
    law = ncm_diffusivity.NCM_DIFFUSIVITY
    old = law.scale
    object.__setattr__(law, "scale", scale)  # the records share this one (frozen) law
    try:
        return {row: simulate(preset, model="DFN", **cond).discharge_capacity_mAh_g
                for row, (preset, cond, _) in ROWS.items()}
    finally:
        object.__setattr__(law, "scale", old)


def cost(scale: float) -> float:
    caps = capacities(scale)
    c = sum(((caps[r] - m) / m) ** 2 for r, (_, _, m) in ROWS.items())
    print(f"s = {scale:.5f}: " + ", ".join(f"{r} {caps[r]:.1f}" for r in ROWS) + f"  cost {c:.5f}", flush=True)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lo", type=float, default=-3.0, help="lower bound of log10 s")
    ap.add_argument("--hi", type=float, default=-1.0, help="upper bound of log10 s")
    ap.add_argument("--tol", type=float, default=0.01, help="tolerance in log10 s")
    args = ap.parse_args()
    log_s = golden(lambda ls: cost(10**ls), args.lo, args.hi, args.tol)
    print(f"fitted s = {10**log_s:.4g} (log10 s = {log_s:.3f})")
    cost(10**log_s)


if __name__ == "__main__":
    main()
