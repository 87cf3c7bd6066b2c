"""Fit the SE-network exponent and the one constant of the SE reduction on Choi 2025's
NG-Si anode.

The anode's SE-network (Bruggeman-type) exponent b is fitted on the three rate-test rows
(``choi2025-rate1.5C-*``: delithiation at 1.5C over 0.15C, cycles 13-15 over 4-6 of the
paper's sequence, 48 MPa), by least squares in b with a golden-section search: those are
the rows that identify it (the first delithiation moves by 1 mAh/g between b = 1.5 and
2.5). Run it with ``--network`` (~10 min); it prints b and leaves the parameter set to you.

The SE's reduction on the anode (``parameter_sets.interphase``) has one fitted
constant, the film's interstitial diffusivity D; it is fitted on ONE row, the first-cycle
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

import numpy as np

import ssbsim
from ssbsim.simulator.fit_ncm_scale import golden
from ssbsim.simulator.presets import get_preset

DEFAULT_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration_points.csv"
D_KEY = "SEI lithium interstitial diffusivity [m2.s-1]"
TAU_KEY = "Positive electrode tortuosity factor (electrolyte)"
B_KEY = "Positive electrode Bruggeman coefficient (electrolyte)"


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
    lo, hi = math.log10(1e-17), math.log10(1e-15)  # ICE(lo) > target > ICE(hi)
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


def rate_retention(b, binder):
    """Delithiation at 1.5C over 0.15C (the cycles of the binder's catalogue row) with the
    SE-network exponent b."""
    from dataclasses import replace

    from ssbsim.simulator.catalogue import load_catalogue
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    row = next(e for e in load_catalogue(["choi2025"])
               if e.quantity == "rate_retention" and e.conditions["binder"] == binder)
    cycles, ref = row.derive["cycles"], row.derive["reference_cycles"]
    paper = get_preset(row.preset).named_protocol(row.protocol)
    ends = np.cumsum([blk.repeat for blk in paper.blocks])  # the paper's sequence up to the rate test's end
    protocol = replace(paper, blocks=paper.blocks[:int(np.searchsorted(ends, max(cycles))) + 1])
    pv = parameter_values(resolve_conditions(row.preset, binder=binder))
    eps_se = pv[TAU_KEY] ** (1 / (1 - pv[B_KEY]))  # tau = eps^(1 - b)
    r = ssbsim.simulate(row.preset, **row.conditions, protocol=protocol,
                        parameters={TAU_KEY: eps_se ** (1 - b), B_KEY: b})
    q = [c.charge_capacity_mAh_g for c in r.cycles]  # the anode half cell's charge is its delithiation
    mean = lambda ks: sum(q[k - 1] for k in ks) / len(ks)  # noqa: E731
    return 100 * mean(cycles) / mean(ref)


def fit_network_exponent(path=DEFAULT_CSV, lo=1.5, hi=2.5, tol=0.02):
    """b minimising the squared misfit of the three rate-test rows (golden section)."""
    target = measured(path, "rate_retention")

    def sse(b):
        got = {k: rate_retention(b, k) for k in target}
        print(f"b = {b:.3f}: " + ", ".join(f"{k} {got[k]:.1f} % ({target[k]:.0f})" for k in target), flush=True)
        return sum((got[k] - target[k]) ** 2 for k in target)

    b = golden(sse, lo, hi, tol)
    print(f"\nfitted b = {b:.2f} on choi2025-rate1.5C-* (least squares)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--network"]
    fit_network_exponent(*args) if "--network" in sys.argv else main(*args)
