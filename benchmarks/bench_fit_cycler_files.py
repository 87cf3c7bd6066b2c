"""Joint fit of three cycler curves at three stack pressures (issue 19), wall time.

Three synthetic 0.3C charges of the pristine Kwon 2022 half cell (SPMe with contact
mechanics) at 70, 7 and 2 MPa, with a known SE-network tortuosity (1.8x the preset's) and
2 mV noise, are written as BioLogic EC-Lab text files (.mpt, as
``tests/test_fit_cycler_files.py`` writes them) and fitted jointly through the command
line (``ssbsim fit --cycler a.mpt --cycler-pressure 70 --cycler b.mpt ...``), one start.
Prints the recovered value, its 95 % interval and the wall time. (The same problem
through PyBOP is not run here: see ``bench_fit_kwon2022.py`` for that comparison.)

Run: ``python benchmarks/bench_fit_cycler_files.py``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pybamm
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_fit_cycler_files import TAU, write_mpt  # noqa: E402

from ssbsim.models import composite_cell_model  # noqa: E402
from ssbsim.simulator.cli import main as cli  # noqa: E402
from ssbsim.simulator.cycler import TimeSeries, current_driven_simulation, model_voltage  # noqa: E402
from ssbsim.simulator.simulation import parameter_values, resolve_conditions, solver_tolerances  # noqa: E402

PRESSURES_MPA = (70.0, 7.0, 2.0)
FACTOR = 1.8


def main():
    rng = np.random.default_rng(2)
    with tempfile.TemporaryDirectory() as tmp:
        args, nominal = [], None
        for p in PRESSURES_MPA:
            pv = parameter_values(resolve_conditions("kwon2022", pressure=p, model="SPMe"))
            nominal = pv[TAU]
            t = np.linspace(0, 6000, 200)
            ts = TimeSeries(t, np.full_like(t, -0.3 * pv["Nominal cell capacity [A.h]"]), np.zeros_like(t), "")
            pv[TAU] = nominal * FACTOR
            sim = current_driven_simulation(composite_cell_model("SPMe", "half", mechanics=True), pv, ts,
                                            solver=pybamm.IDAKLUSolver(**solver_tolerances("SPMe")))
            v = model_voltage(sim, ts) + rng.normal(0, 0.002, t.shape)
            f = write_mpt(Path(tmp) / f"charge_{p:g}MPa.mpt", t, ts.current_A, v)
            args += ["--cycler", str(f), "--cycler-pressure", f"{p:g}"]
        t0 = time.perf_counter()
        res = CliRunner().invoke(cli, ["fit", "--preset", "kwon2022", *args, "--voltage-sigma", "0.002",
                                       "--param", f"{TAU}:{nominal / 5}:{nominal * 10}:log:{nominal}",
                                       "--model", "SPMe", "--starts", "1", "--out", f"{tmp}/fit.json", "--json"])
        wall = time.perf_counter() - t0
    if res.exit_code:
        raise SystemExit(res.output)
    d = json.loads(res.stdout)
    print(json.dumps({"pressures_MPa": PRESSURES_MPA, "truth": nominal * FACTOR, "fitted": d["parameters"][TAU],
                      "ci95": d["ci95"][TAU], "wall_time_s": wall}, indent=1))


if __name__ == "__main__":
    main()
