"""``ssbsim bench --quick --json`` on a tiny configuration."""

import json
import math

import pytest
from click.testing import CliRunner
from ssbsim.simulator.cli import main


def test_bench_quick_json_has_documented_keys(tmp_path):
    png = tmp_path / "bench.png"
    res = CliRunner().invoke(main, [
        "bench", "--quick", "--json", "--models", "SPM", "--meshes", "coarse",
        "--reference-mesh", "coarse", "--repeats", "1", "--particles", "2000", "--plot", str(png)])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    for key in ("mechanics_overhead_ratio", "numba_speedup_vs_numpy", "numba_threads"):
        assert math.isfinite(d[key]) and d[key] > 0, key
    assert len(d["configurations"]) == 2  # SPM with and without mechanics
    for row in d["configurations"]:
        for key in ("build_s", "first_solve_s", "warm_median_s", "warm_min_s", "warm_max_s",
                    "discharge_capacity_mAh_g", "voltage_rmse_mV"):
            assert math.isfinite(row[key]) and row[key] > 0, key
        assert row["warm_min_s"] <= row["warm_median_s"] <= row["warm_max_s"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bench_rejects_unknown_model():
    res = CliRunner().invoke(main, ["bench", "--quick", "--models", "P2D"])
    assert res.exit_code == 2
    assert "models='P2D' is not one of SPM, SPMe, DFN" in res.output


def test_sweep_scaling_times_the_process_and_the_sweep_call(monkeypatch):
    """Both clocks of the sweep benchmark come from one fresh process per run: the whole
    process holds the import and the sweep call, and the efficiencies follow from the
    medians (here one SPM case per run, 1 worker twice, so both efficiencies are T/T)."""
    from ssbsim.benchmarks import harness as bench

    monkeypatch.setattr(bench, "TWELVE_CASES", {"binders": ["pristine"], "pressures": [70]})
    sc = bench.sweep_scaling(workers=(1,), model="SPM", repeats=1)
    proc, call = sc["process"], sc["sweep"]
    assert 0 < sc["import_s_median"] and 0 < call["wall_s"][1]
    assert proc["wall_s"][1] > sc["import_s_median"] + call["wall_s"][1]
    assert proc["efficiency"] == {1: 1.0} and call["efficiency_of_min"] == {1: 1.0}


def test_timed_api_sweep_reports_a_failed_sweep():
    from ssbsim.benchmarks.harness import timed_api_sweep

    with pytest.raises(RuntimeError, match="pressure=-1 MPa is outside"):
        timed_api_sweep(presets=["kwon2022"], pressures=[-1], workers=1)
