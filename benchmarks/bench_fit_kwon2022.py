"""Kwon 2022 fit: ssbsim's fit() and the same problem through PyBOP's default optimiser.

What is measured
----------------
The problem of ``scripts/fit_kwon2022.py``: the kwon2022 preset (SPM by default, with
contact mechanics) fitted to the four Kwon 2022 first-discharge capacities of
``tests/data/calibration_points.csv`` (pristine / vulcanized BR at 70 and 2 MPa, 0.1C,
30 C), two parameters fitted in log10:

* "Composite framework modulus [Pa]" in [1e7, 1e9];
* "Binder holding fraction of strength" in [0.05, 1].

Residuals are ssbsim's, (model - measured) / sigma with sigma = 1 mAh/g from the file,
from :func:`ssbsim.simulator.fitting.residual_problem` (the object ``fit()`` itself
minimises: one built simulation per geometry, every evaluation re-solves the four cases).

1. ``ssbsim``: ``fit("kwon2022", points, params, model=..., starts=3)`` exactly as the
   script calls it (scipy ``least_squares``, trust-region reflective, 3 starts).
2. ``pybop``: the same residuals wrapped for PyBOP's public API: a ``pybop.BaseSimulator``
   whose solution holds the residual vector, ``pybop.SumSquaredError`` of it against a
   ``pybop.Dataset`` of zeros (cost = sum of squared residuals),
   ``pybop.Parameter(bounds=..., initial_value=...,
   transformation=pybop.LogTransformation())`` per parameter, a ``pybop.Problem``, and an
   optimiser with its default options. PyBOP 26 has no default optimiser class
   (``pybop.Optimisation``/``DefaultOptimiser``, XNES, are not in it);
   the one PyBOP picks itself when none is given is ``pybop.SciPyMinimize`` (its GITT
   and OCP applications), so that is the default here: scipy ``minimize`` with its own
   default method for a bounded problem (L-BFGS-B) and finite-difference gradients.
   ``--pybop-optimiser XNES`` runs XNES instead. PyBOP starts once, from
   the first of ssbsim's starts (the midpoint of the bounds in log space); population
   optimisers (XNES, ...) start from the mean of the parameters' distribution instead.

Both wall times are ``time.perf_counter()`` around everything the method needs after
the data are loaded: building the simulations, the optimisation and the final
evaluation at the optimum. Evaluations count calls of the residual function (each
solves the four cases), including that final one. ``cost`` is 0.5 * sum(residual^2) in
(mAh/g)^2 for both (ssbsim's ``FitResult.cost`` convention).

Without PyBOP the ssbsim part still runs and the output says how to install PyBOP
(``pip install -e '.[pybop]'``; PyBOP 26.3 needs numpy < 2.4, so use its own venv).

Run from the repository root::

    python benchmarks/bench_fit_kwon2022.py                 # table + JSON line
    python benchmarks/bench_fit_kwon2022.py --json          # JSON line only
    python benchmarks/bench_fit_kwon2022.py --pybop-optimiser XNES
    python benchmarks/bench_fit_kwon2022.py --skip-pybop    # ssbsim only
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from ssbsim.simulator.fitting import FitParameter, fit, load_points, residual_problem
from ssbsim.simulator.presets import get_preset

PRESET = "kwon2022"
DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "calibration_points.csv"
#: PyBOP optimisers this script may be asked to run (looked up by name on ``pybop``)
PYBOP_OPTIMISERS = ("SciPyMinimize", "XNES", "CMAES", "SNES", "PSO", "NelderMead", "SciPyDifferentialEvolution")
PYBOP_DEFAULT = "SciPyMinimize"
PYBOP_INSTALL = ("pip install -e '.[pybop]' (pybop>=26.3) in a separate venv: pybop 26.3 requires "
                 "numpy<2.4, so pip installs numpy 2.3.x there")


def fit_parameters() -> list[FitParameter]:
    """The two parameters of ``scripts/fit_kwon2022.py``."""
    return [FitParameter("Composite framework modulus [Pa]", 1e7, 1e9, log=True),
            FitParameter("Binder holding fraction of strength", 0.05, 1.0, log=True)]


def load_kwon_points(data=DEFAULT_DATA):
    """The Kwon 2022 points, loaded as ``scripts/fit_kwon2022.py`` loads them."""
    return load_points(data, source="Kwon2022", binder_aliases=get_preset(PRESET).binder_aliases)


def half_sum_of_squares(residuals) -> float:
    """0.5 * sum(r^2), the cost ``least_squares`` and ``FitResult.cost`` report."""
    r = np.asarray(residuals, dtype=float)
    return float(0.5 * np.dot(r, r))


def start_values(params) -> dict:
    """The first of ``fit()``'s starts, in model units: a parameter's ``initial``, else the
    bounds' midpoint in u."""
    return {p.name: float(p.initial) if p.initial is not None else float(p.from_u(0.5 * (p.to_u(p.lower) + p.to_u(p.upper))))
            for p in params}


def residual_rows(points, model_values) -> list[dict]:
    """Per point: conditions, measured, model and residual (model - measured)."""
    return [{"conditions": pt.conditions, "measured": pt.value, "model": float(m),
             "residual": float(m - pt.value)} for pt, m in zip(points, model_values)]


def run_ssbsim(points, params, model="SPM", starts=3) -> dict:
    """``fit()`` as the script calls it, timed."""
    t = time.perf_counter()
    res = fit(PRESET, points, params, model=model, starts=starts)
    elapsed = time.perf_counter() - t
    return {"method": f"ssbsim fit (least_squares TRF, {starts} starts)", "available": True,
            "wall_time_s": elapsed, "evaluations": res.n_evaluations, "parameters": res.parameters,
            "residuals": [{k: r[k] for k in ("conditions", "measured", "model", "residual")}
                          for r in res.residuals],
            "cost": res.cost, "ci95": res.ci95, "warnings": res.warnings}


def import_pybop():
    """``(pybop module, None)`` or ``(None, reason)``."""
    try:
        import pybop
    except Exception as exc:  # noqa: BLE001 - any import failure means "not available"
        return None, f"{type(exc).__name__}: {exc}"
    return pybop, None


def pybop_problem(pybop, prob, params, n_residuals):
    """A ``pybop.Problem`` whose cost is the sum of squared ssbsim residuals.

    ``prob`` is a :func:`residual_problem`. A ``pybop.BaseSimulator`` returns its residual
    vector as the output "Residual" over the domain "Point"; ``pybop.SumSquaredError``
    against a ``pybop.Dataset`` of zeros makes the cost sum(r^2). PyBOP hands the
    simulator parameter values in model units; ``FitParameter.to_u`` maps them to ssbsim's u.
    """
    x0 = start_values(params)
    parameters = pybop.Parameters({
        p.name: pybop.Parameter(bounds=(p.lower, p.upper), initial_value=x0[p.name],
                                transformation=pybop.LogTransformation() if p.log else None)
        for p in params})

    class ResidualSimulator(pybop.BaseSimulator):
        """ssbsim's residual vector as the output variable "Residual"."""

        def set_output_variables(self, target):
            pass

        def solve_batch(self, inputs, calculate_sensitivities=False):
            out = []
            for x in inputs:
                sol = pybop.Solution(x)
                sol.set_solution_variable("Residual", prob.residuals([p.to_u(x[p.name]) for p in params]))
                out.append(sol)
            return out

    zeros = pybop.Dataset({"Point": np.arange(n_residuals, dtype=float), "Residual": np.zeros(n_residuals)},
                          domain="Point")
    return pybop.Problem(ResidualSimulator(parameters), pybop.SumSquaredError(zeros, target="Residual"))


def run_pybop(points, params, model="SPM", optimiser=PYBOP_DEFAULT) -> dict:
    """The same residuals through PyBOP's public API and ``optimiser`` with default options."""
    pybop, reason = import_pybop()
    base = {"method": f"PyBOP {optimiser} (default options)", "optimiser": optimiser}
    if pybop is None:
        return base | {"available": False, "error": reason, "install": PYBOP_INSTALL}
    if optimiser not in PYBOP_OPTIMISERS or not hasattr(pybop, optimiser):
        return base | {"available": True, "pybop_version": pybop.__version__,
                       "error": f"optimiser {optimiser!r} is not one of {', '.join(PYBOP_OPTIMISERS)} in this PyBOP"}
    t = time.perf_counter()
    prob = residual_problem(PRESET, points, params, model=model)
    result = getattr(pybop, optimiser)(pybop_problem(pybop, prob, params, len(points))).run()
    best = dict(zip([p.name for p in params], np.asarray(result.x, dtype=float).tolist()))
    model_values = prob.model_values([p.to_u(best[p.name]) for p in params])
    elapsed = time.perf_counter() - t
    rows = residual_rows(points, model_values)
    return base | {"available": True, "pybop_version": pybop.__version__, "wall_time_s": elapsed,
                   "evaluations": prob.n_evaluations, "pybop_evaluations": int(result.n_evaluations),
                   "pybop_iterations": int(result.n_iterations), "parameters": best, "residuals": rows,
                   "cost": half_sum_of_squares([r["residual"] / pt.sigma for r, pt in zip(rows, points)]),
                   "pybop_best_cost_sum_sq": float(result.best_cost), "message": str(result.message)}


def format_table(results: list[dict]) -> str:
    """One row per method: wall time, evaluations, best-fit values, residuals, cost."""
    head = ["method", "wall s", "evals", "modulus [Pa]", "holding fraction", "residuals [mAh/g]", "cost"]
    lines = []
    for r in results:
        if r.get("wall_time_s") is None:
            why = "not available" if not r.get("available") else "failed"
            lines.append([r["method"], "-", "-", "-", "-", f"{why}: {r.get('error')}", "-"])
            continue
        vals = list(r["parameters"].values())
        lines.append([r["method"], f"{r['wall_time_s']:.1f}", str(r["evaluations"]), f"{vals[0]:.4g}",
                      f"{vals[1]:.4g}", " ".join(f"{x['residual']:+.2f}" for x in r["residuals"]),
                      f"{r['cost']:.3g}"])
    widths = [max(len(row[i]) for row in [head, *lines]) for i in range(len(head))]
    fmt = lambda row: "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *map(fmt, lines)])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA, help="calibration-points CSV")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--model", default="SPM", help="SPM (default), SPMe or DFN")
    ap.add_argument("--starts", type=int, default=3, help="ssbsim fit starts (default 3, as the script)")
    ap.add_argument("--pybop-optimiser", default=PYBOP_DEFAULT, choices=PYBOP_OPTIMISERS,
                    help=f"PyBOP optimiser, default options (default {PYBOP_DEFAULT})")
    ap.add_argument("--skip-pybop", action="store_true", help="run the ssbsim fit only")
    args = ap.parse_args(argv)
    points, params = load_kwon_points(args.data), fit_parameters()
    load_before = os.getloadavg()[0]
    results = [run_ssbsim(points, params, args.model, args.starts)]
    if not args.skip_pybop:
        try:
            results.append(run_pybop(points, params, args.model, args.pybop_optimiser))
        except Exception as exc:  # noqa: BLE001 - report, keep the ssbsim numbers
            results.append({"method": f"PyBOP {args.pybop_optimiser}", "available": True,
                            "error": f"{type(exc).__name__}: {exc}"})
    import pybamm

    out = {"benchmark": "fit_kwon2022", "date": datetime.date.today().isoformat(), "preset": PRESET,
           "model": args.model, "cores": os.cpu_count(),
           "load_avg_1min_before": load_before, "load_avg_1min_after": os.getloadavg()[0],
           "python": platform.python_version(), "pybamm": pybamm.__version__, "numpy": np.__version__,
           "goal": "ssbsim wall_time_s < 120", "goal_met": results[0]["wall_time_s"] < 120,
           "parameters_fitted": [{"name": p.name, "lower": p.lower, "upper": p.upper, "log": p.log}
                                 for p in params],
           "results": results}
    if not args.json:
        print(f"Kwon 2022 fit, {len(points)} points, {args.model}, {out['cores']} cores, "
              f"1-min load average {load_before:.2f} before / {out['load_avg_1min_after']:.2f} after, pybamm {out['pybamm']}, numpy {out['numpy']}")
        print(format_table(results))
        for r in results:
            if not r.get("available"):
                print(f"PyBOP was not available ({r['error']}); install: {r['install']}")
            elif r.get("message"):
                print(f"{r['method']}: {r['message']}")
    print(json.dumps(out, default=str))
    failed = [r for r in results if r.get("available") and r.get("wall_time_s") is None]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
