"""Joint fit of three cycler curves at three stack pressures: ssbsim and PyBOP, wall times.

Three synthetic 0.3C charges of the pristine Kwon 2022 half cell (SPMe with contact
mechanics) at 70, 7 and 2 MPa, with a known SE-network tortuosity (1.8x the preset's) and
2 mV noise, are written as BioLogic EC-Lab text files (.mpt, as
``tests/integration/test_fit_cycler_files.py`` writes them) and fitted jointly, one
parameter in log10 within [nominal / 5, nominal x 10], starting from the nominal value:

1. ``ssbsim``: through the command line (``ssbsim fit --cycler a.mpt --cycler-pressure 70
   --cycler b.mpt ...``, one start; scipy ``least_squares``), timed around the command
   (reading the files, building, fitting, writing the parameter file);
2. ``pybop``: the same residuals (:func:`ssbsim.simulator.fitting.residual_problem` of
   the same three files) through PyBOP's public API and its default optimiser, as
   ``bench_fit_kwon2022.py`` wraps them (``pybop_problem``), starting from the same
   value; timed around reading the files, building, optimising and the final evaluation.

Prints the truth, each method's fitted value, cost (0.5 sum r^2) and wall time, and a
JSON line. Without PyBOP the ssbsim half still runs and the output says how to install
PyBOP (its own venv: PyBOP 26.3 needs numpy < 2.4). The synthetic files come from the test
module, so the venv needs pytest as well.

Run: ``python benchmarks/bench_fit_cycler_files.py [--skip-pybop] [--pybop-optimiser XNES]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
from test_fit_cycler_files import TAU, synthetic_charges  # noqa: E402

from ssbsim.simulator.cli import main as cli  # noqa: E402
from ssbsim.simulator.cycler_files import load_series  # noqa: E402
from ssbsim.simulator.fitting import FitParameter, residual_problem  # noqa: E402

PRESSURES_MPA = (70.0, 7.0, 2.0)
FACTOR = 1.8
VOLTAGE_SIGMA_V = 0.002
MODEL = "SPMe"


def _kwon_bench():
    """benchmarks/bench_fit_kwon2022.py, whose PyBOP wrapping of ssbsim's residuals is reused."""
    spec = importlib.util.spec_from_file_location("bench_fit_kwon2022", Path(__file__).with_name("bench_fit_kwon2022.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_ssbsim(files, nominal, tmp) -> dict:
    args = [a for f, p in zip(files, PRESSURES_MPA) for a in ("--cycler", str(f), "--cycler-pressure", f"{p:g}")]
    t0 = time.perf_counter()
    res = CliRunner().invoke(cli, ["fit", "--preset", "kwon2022", *args, "--voltage-sigma", str(VOLTAGE_SIGMA_V),
                                   "--param", f"{TAU}:{nominal / 5}:{nominal * 10}:log:{nominal}",
                                   "--model", MODEL, "--starts", "1", "--out", f"{tmp}/fit.json", "--json"])
    wall = time.perf_counter() - t0
    if res.exit_code:
        return {"method": "ssbsim fit (least_squares TRF, 1 start)", "error": res.output.strip()}
    d = json.loads(res.stdout)
    return {"method": "ssbsim fit (least_squares TRF, 1 start)", "wall_time_s": wall, "fitted": d["parameters"][TAU],
            "ci95": d["ci95"][TAU], "cost": d["cost"], "evaluations": d["n_evaluations"]}


def run_pybop(files, nominal, optimiser) -> dict:
    bench = _kwon_bench()
    pybop, reason = bench.import_pybop()
    base = {"method": f"PyBOP {optimiser} (default options)"}
    if pybop is None:
        return base | {"available": False, "error": reason, "install": bench.PYBOP_INSTALL}
    params = [FitParameter(TAU, nominal / 5, nominal * 10, log=True, initial=nominal)]
    t0 = time.perf_counter()
    series = [({"pressure": p}, load_series(f), VOLTAGE_SIGMA_V) for f, p in zip(files, PRESSURES_MPA)]
    prob = residual_problem("kwon2022", [], params, model=MODEL, series=series)
    n_residuals = len(prob.residuals([p.to_u(nominal) for p in params]))
    result = getattr(pybop, optimiser)(bench.pybop_problem(pybop, prob, params, n_residuals)).run()
    best = float(np.asarray(result.x, dtype=float)[0])
    r = prob.residuals([params[0].to_u(best)])
    wall = time.perf_counter() - t0
    return base | {"available": True, "pybop_version": pybop.__version__, "wall_time_s": wall, "fitted": best,
                   "cost": float(0.5 * r @ r), "evaluations": prob.n_evaluations,
                   "pybop_evaluations": int(result.n_evaluations), "message": str(result.message)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-pybop", action="store_true", help="run the ssbsim fit only")
    ap.add_argument("--pybop-optimiser", default="SciPyMinimize", help="PyBOP optimiser (default SciPyMinimize)")
    args = ap.parse_args(argv)
    import pybamm

    with tempfile.TemporaryDirectory() as tmp:
        files, nominal = synthetic_charges(Path(tmp), PRESSURES_MPA, FACTOR, seed=2)
        load_before = os.getloadavg()[0]
        results = [run_ssbsim(files, nominal, tmp)]
        if not args.skip_pybop:
            try:
                results.append(run_pybop(files, nominal, args.pybop_optimiser))
            except Exception as exc:  # noqa: BLE001 - report, keep the ssbsim numbers
                results.append({"method": f"PyBOP {args.pybop_optimiser}", "available": True,
                                "error": f"{type(exc).__name__}: {exc}"})
    truth = nominal * FACTOR
    print(f"joint fit of {len(PRESSURES_MPA)} cycler curves at {', '.join(f'{p:g}' for p in PRESSURES_MPA)} MPa "
          f"({MODEL}), truth {truth:.5g}; {os.cpu_count()} cores, 1-min load {load_before:.2f}")
    for r in results:
        if "wall_time_s" in r:
            print(f"  {r['method']}: {r['fitted']:.5g} ({100 * (r['fitted'] / truth - 1):+.2f} %), cost "
                  f"{r['cost']:.4g}, {r['evaluations']} evaluations, {r['wall_time_s']:.1f} s")
        else:
            print(f"  {r['method']}: {r.get('error')}" + (f"; install: {r['install']}" if "install" in r else ""))
    print(json.dumps({"benchmark": "fit_cycler_files", "pressures_MPa": PRESSURES_MPA, "model": MODEL,
                      "truth": truth, "cores": os.cpu_count(), "load_avg_1min_before": load_before,
                      "pybamm": pybamm.__version__, "numpy": np.__version__, "results": results}))
    return 1 if any("error" in r and r.get("available", True) for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
