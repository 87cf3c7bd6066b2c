"""Fast checks of benchmarks/bench_fit_kwon2022.py (its helpers, not the timed fits) and of
``fitting.residual_problem``, the hook it drives PyBOP with."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from ssbsim.simulator.errors import InputError
from ssbsim.simulator.fitting import residual_problem

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_fit_kwon2022.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_fit_kwon2022", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help_exits_cleanly(bench, capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--help"])
    assert exc.value.code == 0
    assert "--pybop-optimiser" in capsys.readouterr().out


def test_problem_is_the_scripts(bench):
    points, params = bench.load_kwon_points(), bench.fit_parameters()
    assert [p.value for p in points] == [171, 151, 172, 165]
    assert [(p.lower, p.upper, p.log) for p in params] == [(1e7, 1e9, True), (0.05, 1.0, True)]
    x0 = bench.start_values(params)  # geometric midpoints of the bounds
    assert x0["Composite framework modulus [Pa]"] == pytest.approx(math.sqrt(1e7 * 1e9))
    assert x0["Binder holding fraction of strength"] == pytest.approx(math.sqrt(0.05 * 1.0))


def test_cost_rows_and_table(bench):
    assert bench.half_sum_of_squares([3.0, -4.0]) == 12.5
    points = bench.load_kwon_points()[:2]
    rows = bench.residual_rows(points, [172.5, 150.0])
    assert [r["residual"] for r in rows] == [1.5, -1.0]
    ok = {"method": "m1", "available": True, "wall_time_s": 1.23, "evaluations": 7,
          "parameters": {"a": 1e9, "b": 4e-8}, "residuals": rows, "cost": 1.625}
    missing = {"method": "m2", "available": False, "error": "ModuleNotFoundError: no pybop"}
    table = bench.format_table([ok, missing]).splitlines()
    assert len(table) == 4 and table[2].split()[:3] == ["m1", "1.2", "7"] and "+1.50 -1.00" in table[2]
    assert "not available: ModuleNotFoundError: no pybop" in table[3]


def test_without_pybop_reports_how_to_install(bench, monkeypatch):
    monkeypatch.setattr(bench, "import_pybop", lambda: (None, "ModuleNotFoundError: No module named 'pybop'"))
    res = bench.run_pybop([], [], optimiser="SciPyMinimize")
    assert res["available"] is False and "pybop" in res["error"]
    assert "pip install" in res["install"] and "numpy<2.4" in res["install"]


def test_residual_problem_gives_fit_residuals(bench):
    points, params = bench.load_kwon_points()[:1], bench.fit_parameters()
    with pytest.raises(InputError, match="nothing to fit"):
        residual_problem("kwon2022", [], params)
    prob = residual_problem("kwon2022", points, params)
    u = [p.to_u(v) for p, v in zip(params, bench.start_values(params).values())]
    r, m = prob.residuals(u), prob.model_values(u)
    assert r.shape == (1,) and np.isfinite(r).all()
    assert r[0] == pytest.approx((m[0] - points[0].value) / points[0].sigma)
    assert prob.n_evaluations == 2
