"""Fit the cycle-life constants jointly on the cycle-life rows of two papers.

Three constants of the contact law act only over many cycles:

* kappa (``"Void nucleation coefficient"``): voids open where a particle pushes crept-in
  SE back or swells past its largest size, dv/dt = kappa chi push;
* Gamma_chi (``"Binder void nucleation fracture energy scale [J.m-2]"``): the binder's
  resistance chi = exp(-Gamma / Gamma_chi) (``models.binder_mechanics``), shared by the
  voids and the force-chain rearrangement;
* rho (``"Force chain rearrangement coefficient"``): particles the force chains displace
  for good, rho chi |ds/dt| b (1 - z).

They are fitted jointly, by least squares in the rows' errors over their tolerances
(``simulator.row_fit``), on the EIGHT cycle-life rows of ``calibration_points.csv``,
each simulated with its paper's whole protocol as ``ssbsim validate`` runs it:

* Jo 2024, the NCM811 cathode's porosity after 150 cycles at 0.5C with 0.5 / 1.5 /
  2.5 wt% NBR (15.0 / 11.2 / 9.0 %, +-2 points; ``jo2024-porosity150-*``);
* Choi 2025, the NG-Si anode's retention after 100 cycles at 0.3C with NBR from
  anisole / toluene / p-xylene (94 / 91 / 89 %, +-3 points; ``choi2025-retention100-*``)
  and its thickness growth with anisole / toluene (5 / 11 um, +-2 um;
  ``choi2025-thickness100-*``).

Neither paper alone identifies the three: Jo's rows set kappa and Gamma_chi (but hardly
Gamma_chi once the particles across the layer carry the depth of cycling), Choi's set
rho chi for each binder and, through the thickness, kappa chi. Every other cycle-life
measurement (other pressures, rates, cycle counts, cells) is a prediction.

    python scripts/calibrate_cycle_life.py            # the fit (~40 min on 2 cores)
    python scripts/calibrate_cycle_life.py --check    # the rows at the carried values
    python scripts/calibrate_cycle_life.py --leave-out jo2024   # fit on the other paper's
                                                      # rows, then predict the left-out ones
"""

import argparse

import numpy as np

ROWS = ("jo2024-porosity150-0.5wt", "jo2024-porosity150-1.5wt", "jo2024-porosity150-2.5wt",
        "choi2025-retention100-anisole", "choi2025-retention100-toluene", "choi2025-retention100-xylene",
        "choi2025-thickness100-anisole", "choi2025-thickness100-toluene")
NAMES = ("Void nucleation coefficient", "Binder void nucleation fracture energy scale [J.m-2]",
         "Force chain rearrangement coefficient")


def carried() -> dict:
    from ssbsim.parameter_sets.mechanics import BINDER_LAWS, SE_CONTACT

    return {n: (SE_CONTACT | BINDER_LAWS)[n] for n in NAMES}


def main():
    from scipy.optimize import least_squares

    from ssbsim.simulator.row_fit import RowModel

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only the rows at the carried constants")
    ap.add_argument("--start", type=float, nargs=3, metavar=("KAPPA", "GAMMA_CHI", "RHO"),
                    help="start of the fit (default: the carried values)")
    ap.add_argument("--leave-out", choices=("jo2024", "choi2025"),
                    help="fit on the other paper's rows only, then show every row")
    args = ap.parse_args()
    start = np.log10(args.start if args.start else [carried()[n] for n in NAMES])
    rows = [r for r in ROWS if not (args.leave_out and r.startswith(args.leave_out))]

    def show(rm, x):
        values = rm.values(dict(zip(NAMES, map(float, 10 ** x))))
        errors = rm.errors(values)
        print(", ".join(f"{n.split(' [')[0]} = {v:.4g}" for n, v in zip(NAMES, 10 ** x)), flush=True)
        for e, v, err in zip(rm.entries, values, errors):
            print(f"    {e.id:34s} measured {e.measured:6.2f}  model {v:6.2f}  error {err:+.2f} tol", flush=True)
        print(f"    sum of squared errors {np.nansum(errors ** 2):.3f}", flush=True)
        return errors

    if not args.check:
        with RowModel(rows, NAMES, workers=2) as rm:
            fit = least_squares(lambda x: np.nan_to_num(show(rm, x), nan=10.0), start, diff_step=0.02,
                                x_scale=0.1, xtol=1e-3, ftol=1e-3, max_nfev=30)
        print("\nfitted " + ", ".join(f"{n} = {v:.4g}" for n, v in zip(NAMES, 10 ** fit.x))
              + f" on {len(rows)} rows (sum of squared errors {np.sum(fit.fun ** 2):.3f}); every row:")
        start = fit.x
    with RowModel(ROWS, NAMES, workers=2) as rm:
        show(rm, start)


if __name__ == "__main__":
    main()
