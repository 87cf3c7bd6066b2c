"""Fit the one constant of NCM's concentration-dependent diffusivity: the scale s.

D(x, T) = s * D_Ecker2015(x) * exp(E_a/R (1/T_meas - 1/T)) (``parameter_sets.ncm_diffusivity``).
s is fitted, in log10 s by golden-section search, to the least squares of the relative
errors of the first-cycle discharge capacities of the calibration rows the constants
registry names for it (``parameter_sets/provenance.toml``, source ncm-diffusivity-scale):

* jo2024-ncm-q0-0.5wt           NCM811, 0.05C preconditioning, 0.5 wt% NBR, 75 MPa: 194.1 mAh/g
* kwon2022-q1-pristine-70MPa    NCM711, 0.1C, pristine BR, 70 MPa:                  171 mAh/g
* kwon2022-q1-vulcanized-70MPa  NCM711, 0.1C, vulcanized BR, 70 MPa:                172 mAh/g

(DFN with contact mechanics, each row's preset, conditions and protocol; the fit itself
is ``ssbsim.simulator.fit_ncm_scale``). The three rows are near full contact, so the end
of discharge is set by solid diffusion. Run:
``python scripts/fit_ncm_diffusivity.py [--lo -3] [--hi -1] [--tol 0.01] [--rows ID ...]``;
it prints each evaluation and the fitted s (to be written into ``NCM_DIFFUSIVITY.scale``).
"""

from __future__ import annotations

import argparse
import math

from ssbsim.simulator import fit_ncm_scale


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lo", type=float, default=-3.0, help="lower bound of log10 s")
    ap.add_argument("--hi", type=float, default=-1.0, help="upper bound of log10 s")
    ap.add_argument("--tol", type=float, default=0.01, help="tolerance in log10 s")
    ap.add_argument("--rows", nargs="+", default=None, help="catalogue rows to fit on (default: the registry's)")
    args = ap.parse_args()
    rows = tuple(args.rows) if args.rows else fit_ncm_scale.registry_rows()
    log = lambda line: print(line, flush=True)  # noqa: E731
    s = fit_ncm_scale.fit(rows, args.lo, args.hi, args.tol, log=log)
    print(f"fitted s = {s:.4g} (log10 s = {math.log10(s):.3f})")
    fit_ncm_scale.cost(s, rows, log=log)


if __name__ == "__main__":
    main()
