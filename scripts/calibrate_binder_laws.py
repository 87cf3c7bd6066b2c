"""Refit the binder-coverage constants of ``ssbsim.models.binder_coverage``.

* Avrami coverage theta(w) = theta_max (1 - exp(-(w/w_c)^n)) to Jo 2024's relative
  active areas (NBR 0.5 ... 2.5 wt%, normalised to 0.5 wt%), by least squares.
* The SE-network exponent b from Emley 2023's binder-free composite
  (sigma_eff / sigma_SE = eps_SE^b).

Prints the fitted constants, those in the package, and the residuals. Run:
``python scripts/calibrate_binder_laws.py [path/to/calibration_points.csv]``.
"""

import csv
import math
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from ssbsim.models import binder_coverage as bc
from ssbsim.parameter_sets import emley2023
from ssbsim.parameter_sets.components import SE_NETWORK_BRUGGEMAN_EXPONENT

DEFAULT_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration_points.csv"


def rows(path, source, quantity):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["source"] == source and r["quantity"] == quantity]


def fit_coverage(w, r, w_ref=0.5):
    def theta(p, x):
        return p[0] * (1 - np.exp(-((x / p[1]) ** p[2])))

    def residual(p):
        return (1 - theta(p, w)) / (1 - theta(p, w_ref)) - r

    sol = least_squares(residual, [0.4, 1.5, 3.0], bounds=([0, 0.1, 1], [1, 5, 12]))
    return sol.x, residual(sol.x)


def main(path=DEFAULT_CSV):
    jo = rows(path, "Jo2024", "relative_active_area")
    w = np.array([float(x["binder_wt_pct"]) for x in jo])
    r = np.array([float(x["value"]) for x in jo])
    p, res = fit_coverage(w, r)
    law = bc.LAW_CONSTANTS
    print(f"Avrami coverage fit: theta_max={p[0]:.4f} w_c={p[1]:.4f} wt% n={p[2]:.4f}")
    print(f"  in package:        theta_max={law['Wet binder coverage maximum']:.4f} "
          f"w_c={law['Wet binder coverage content scale [wt%]']:.4f} wt% "
          f"n={law['Wet binder coverage Avrami exponent']:.4f}")
    print("  w [wt%]  measured  package  residual")
    for wi, ri in zip(w, r):
        model = bc.relative_active_area(wi, "wet")
        print(f"  {wi:6.1f}  {ri:8.2f}  {model:7.3f}  {model - ri:+.3f}")

    em = {x["process"]: float(x["value"]) for x in rows(path, "Emley2023", "ionic_conductivity")
          if "solvent-treated" not in x["binder"]}  # that row is a degraded SE, not a binder effect
    eps = emley2023.CATHODE.with_binder(0.0, "none", "none").volume_fraction("se")
    sigma_se = emley2023.CATHODE.se.conductivity_S_m_at_30C / 100  # S/cm
    b = math.log(em["binder-free"] / sigma_se) / math.log(eps)
    print(f"SE-network exponent from Emley binder-free: b = {b:.3f} (eps_SE = {eps:.3f}); "
          f"package uses {SE_NETWORK_BRUGGEMAN_EXPONENT}")
    for process in ("wet", "dry"):
        f = bc.neck_blocking_factor(0.5, process)
        print(f"neck blocking f(0.5 wt%, {process}) = {f:.4f}; measured ratio "
              f"{em[process] / em['binder-free']:.4f}; f_sat = {bc.process_input(process, 'binder saturated neck conductance fraction'):.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
