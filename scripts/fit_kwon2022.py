"""Fit the contact-mechanics constants of kwon2022 to Kwon 2022's four capacities.

Fits the composite framework modulus and the binder holding fraction of strength (log scaled) to
the first discharges of pristine and vulcanized BR at 70 and 2 MPa (0.1C, 30 C) and
prints values, 95 % intervals and residuals; writes ``results/fit_kwon2022.json`` and a
fit-vs-data figure. Run: ``python scripts/fit_kwon2022.py [--model DFN] [data.csv]``.
"""

import argparse
import time
from pathlib import Path

from ssbsim.simulator.fitting import FitParameter, fit, load_points, plot_fit
from ssbsim.simulator.presets import get_preset

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration_points.csv"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--model", default="SPM")
    ap.add_argument("--out", type=Path, default=Path("results"))
    args = ap.parse_args(argv)
    points = load_points(args.data, source="Kwon2022", binder_aliases=get_preset("kwon2022").binder_aliases)
    params = [FitParameter("Composite framework modulus [Pa]", 1e7, 1e9, log=True),
              FitParameter("Binder holding fraction of strength", 0.05, 1.0, log=True)]
    t = time.perf_counter()
    res = fit("kwon2022", points, params, model=args.model, starts=3)
    elapsed = time.perf_counter() - t
    for name, value in res.parameters.items():
        print(f"{name} = {value:.4g} (95 % {res.ci95[name][0]:.4g} - {res.ci95[name][1]:.4g})")
    for r in res.residuals:
        print(f"  {r['conditions']}: measured {r['measured']:.1f}, model {r['model']:.1f}, residual {r['residual']:+.2f} mAh/g")
    print(f"{res.n_evaluations} evaluations, {elapsed:.1f} s; warnings: {res.warnings or 'none'}")
    args.out.mkdir(parents=True, exist_ok=True)
    res.save(args.out / "fit_kwon2022.json", "kwon2022")
    plot_fit(res, args.out / "fit_kwon2022.png")


if __name__ == "__main__":
    main()
