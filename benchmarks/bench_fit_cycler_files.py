"""Joint fit of three cycler curves at three stack pressures (issue 19), wall time.

Three synthetic 0.3C charges of the pristine Kwon 2022 half cell (SPMe with contact
mechanics) at 70, 7 and 2 MPa, with a known SE-network tortuosity (1.8x the preset's) and
2 mV noise, are written as BioLogic EC-Lab text files (.mpt, as
``tests/integration/test_fit_cycler_files.py`` writes them) and fitted jointly through the command
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

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_fit_cycler_files import TAU, synthetic_charges  # noqa: E402

from ssbsim.simulator.cli import main as cli  # noqa: E402

PRESSURES_MPA = (70.0, 7.0, 2.0)
FACTOR = 1.8


def main():
    with tempfile.TemporaryDirectory() as tmp:
        files, nominal = synthetic_charges(Path(tmp), PRESSURES_MPA, FACTOR, seed=2)
        args = [a for f, p in zip(files, PRESSURES_MPA) for a in ("--cycler", str(f), "--cycler-pressure", f"{p:g}")]
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
