"""Fit the one constant of the SE reduction on Choi 2025's NG-Si anode.

The SE's reduction on the anode (``parameter_sets.interphase``) has one fitted
constant, the film transport coefficient D; it is fitted on ONE row, the first-cycle
Coulombic efficiency of NBR in anisole at 48 MPa (77 %, ``choi2025-ice-anisole``), by
bisection in log D (the CE falls monotonically as D grows). Everything else Choi
reports (the three first delithiations, the Si parts, the other binders and pressures,
the rate test) is then a prediction: the script prints the first delithiations and
their graphite / Si split for comparison.

Run: ``python scripts/calibrate_choi2025.py [path/to/calibration_points.csv]`` (~1 min).
"""

import csv
import math
import sys
from pathlib import Path

import ssbsim
from ssbsim.simulator.presets import get_preset

DEFAULT_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration_points.csv"
D_KEY = "EC diffusivity [m2.s-1]"


def measured(path, quantity):
    """{preset binder: value} of Choi 2025's rows of ``quantity``."""
    aliases = get_preset("choi2025").binder_aliases
    with open(path, newline="") as f:
        return {aliases[r["binder"]]: float(r["value"]) for r in csv.DictReader(f)
                if r["source"] == "Choi2025" and r["quantity"] == quantity}


def simulate(D, binder="nbr-anisole"):
    return ssbsim.simulate("choi2025", binder=binder,
                           parameters={f"{p}{D_KEY}": D for p in ("Primary: ", "Secondary: ")})


def ice(D):
    r = simulate(D)
    ce = r.delithiation_capacity_mAh_g / r.lithiation_capacity_mAh_g
    print(f"D = {D:.3e} m2/s: ICE {100 * ce:.1f} %, delithiation {r.delithiation_capacity_mAh_g:.1f}", flush=True)
    return ce


def main(path=DEFAULT_CSV):
    target = measured(path, "initial_coulombic_efficiency")["nbr-anisole"] / 100
    lo, hi = math.log10(1e-21), math.log10(1e-19)  # ICE(lo) > target > ICE(hi)
    for _ in range(10):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ice(10 ** mid) > target else (lo, mid)
    D = 10 ** ((lo + hi) / 2)
    print(f"\nfitted D = {D:.2e} m2/s on choi2025-ice-anisole ({100 * target:.0f} %)")
    total, si = measured(path, "delithiation_capacity"), measured(path, "delithiation_capacity_from_Si")
    for k in total:
        r = simulate(D, k)
        split = r.phase_uptake_mAh_g(-1)  # the delithiation (negative: charge given up)
        print(f"  {k}: delithiation {r.delithiation_capacity_mAh_g:.1f} (measured {total[k]:.0f}); "
              f"Si {-split['secondary']:.1f} (plateau split {si[k]:.0f}), graphite {-split['primary']:.1f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
