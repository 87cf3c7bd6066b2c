"""Sweeps end to end: HDF5 store, resume after a kill, failures, bad files, Dask."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import ssbsim
from ssbsim.simulator import sweep as sweep_mod
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.store import StoreError, open_results
from ssbsim.simulator.sweep import build_grid, sweep

SMALL = dict(presets=["kwon2022"], binders=["pristine"], pressures=[70.0, 2.0], model="SPM", figures=False)


def test_seed_grid_is_the_papers_study():
    cases = build_grid()
    assert {(c.binder, c.pressure_MPa) for c in cases} == {
        (b, p) for b in ("pristine", "vulcanized") for p in (70.0, 7.0, 2.0)}
    assert {c.c_rate for c in cases} == {0.1} and {c.cycles for c in cases} == {1}


def test_small_sweep_end_to_end(tmp_path):
    out = tmp_path / "sweep.h5"
    report = sweep(**SMALL, out=out, workers=1)
    assert report.n_cases == 2 and report.n_run == 2 and not report.failures
    rows = open_results(out).read()
    assert {r["pressure_MPa"] for r in rows} == {70.0, 2.0}
    for r in rows:
        assert r["status"] == "ok" and r["binder"] == "pristine" and r["c_rate"] == 0.1
        direct = ssbsim.simulate("kwon2022", pressure=r["pressure_MPa"], model="SPM")
        assert r["discharge_capacity_mAh_g"] == pytest.approx(direct.discharge_capacity_mAh_g, rel=1e-6)
        series = open_results(out).series(r["name"])
        for key in ("time_s", "current_A", "voltage_V", "capacity_mAh_g", "contact_fraction",
                    "porosity", "stack_pressure_change_MPa"):
            assert len(series[key]) == len(series["time_s"]) > 10
    with open(tmp_path / "summary.csv") as fh:
        assert len(list(csv.DictReader(fh))) == 2
    with h5py.File(out, "r") as f:  # the same table inside the HDF5 file
        table = f["summary"][()]
        assert sorted(table["pressure_MPa"]) == [2.0, 70.0]
        assert np.all(table["discharge_capacity_mAh_g"] > 100)
    assert sweep(**SMALL, out=out, workers=1).n_skipped == 2  # resumes: nothing to redo


def test_binders_of_different_geometry_never_share_a_built_model(tmp_path):
    """Choi 2025's binders pack the same loading into 22 and 25 um: a sweep over them
    builds one model per geometry (a thickness cannot be a PyBaMM input) and each case
    equals its direct simulation."""
    from ssbsim.simulator.conditions import Conditions

    conds = [Conditions.resolve("choi2025", binder=b, model="SPM") for b in ("nbr-anisole", "nbr-toluene")]
    assert sweep_mod.group_key(conds[0]) != sweep_mod.group_key(conds[1])
    out = tmp_path / "choi.h5"
    report = sweep(presets=["choi2025"], binders=["nbr-anisole", "nbr-toluene"], pressures=[48.0], model="SPM",
                   figures=False, out=out, workers=1)
    assert report.n_run == 2 and not report.failures
    for r in open_results(out).read():
        direct = ssbsim.simulate("choi2025", binder=r["binder"], model="SPM")
        assert r["discharge_capacity_mAh_g"] == pytest.approx(direct.discharge_capacity_mAh_g, rel=1e-6)


def test_a_case_whose_results_cannot_be_read_is_recorded_not_raised(monkeypatch):
    from ssbsim.simulator import sweep as sweep_mod
    from ssbsim.simulator.simulation import resolve_conditions

    def broken(result, conditions):
        raise IndexError("list index out of range")

    monkeypatch.setattr(sweep_mod, "_record", broken)
    rec = sweep_mod.run_case(resolve_conditions("kwon2022", model="SPM"), ())
    assert rec["status"] == "failed" and "reading the results: IndexError" in rec["error"]


def test_a_two_phase_record_reads_each_phases_halves_once(simulate_cached, monkeypatch):
    """A graphite-Si case's record carries each phase's first-cycle halves, the same
    numbers as the summary's split by phase, and reads the solution for them once per step."""
    import dataclasses

    from ssbsim.simulator.results import SimulationResult

    result = dataclasses.replace(simulate_cached("jo2024-anode", binder_content=0.5), _phase_halves={})
    reads = []
    uptake = SimulationResult.phase_uptake_mAh_g
    monkeypatch.setattr(SimulationResult, "phase_uptake_mAh_g",
                        lambda self, step, cycle=0: reads.append((step, cycle)) or uptake(self, step, cycle))
    summary = sweep_mod._record(result, result.conditions.to_dict())["summary"]
    for ph in ("primary", "secondary"):
        assert summary[f"first_cycle_{ph}_phase_delithiation_mAh_g"] == pytest.approx(
            summary["first_delithiation_split"]["by_phase"][ph], rel=1e-12)
        assert summary[f"first_cycle_{ph}_phase_lithiation_mAh_g"] > 0
    assert sorted(reads) == [(k, 0) for k in range(len(result.cycle_solution(0).steps))]


def test_failed_case_is_recorded_and_others_finish(tmp_path, monkeypatch):
    real = sweep_mod.CellRunner.run

    def flaky(self, cond, **options):  # run's options (skipping) pass through
        if cond.pressure_MPa == 2.0:
            raise ssbsim.simulator.SimulationError("solver failed at 2 MPa (simulated)")
        return real(self, cond, **options)

    monkeypatch.setattr(sweep_mod.CellRunner, "run", flaky)
    report = sweep(**SMALL, out=tmp_path / "s.h5", workers=1)
    assert len(report.failures) == 1 and "simulated" in report.failures[0][1]
    status = {r["pressure_MPa"]: (r["status"], r["error"]) for r in open_results(tmp_path / "s.h5").read()}
    assert status[70.0] == ("ok", "") and status[2.0][0] == "failed"


def test_cli_exits_non_zero_with_list_of_failures(tmp_path):
    """A case whose first cycle cannot complete (10C on a wet cathode with 10 wt% NBR, the
    largest content allowed, ionically blocked: the discharge is below the cut-off at
    once) is listed; the other case (1C) finishes."""
    out = subprocess.run(
        [sys.executable, "-m", "ssbsim.simulator.cli", "sweep", "--preset", "jo2024-cathode",
         "--binder-content", "10", "--c-rate", "10", "--c-rate", "1", "--model", "DFN", "--workers", "1",
         "--no-figures",
         "--out", str(tmp_path / "s.h5")], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert "failed: jo2024-cathode" in out.stderr and "1 failed" in out.stdout


@pytest.mark.parametrize("content", [b"not an hdf5 file", None])
def test_foreign_or_corrupted_file_is_refused_and_untouched(tmp_path, content):
    path = tmp_path / "x.h5"
    if content is None:
        with h5py.File(path, "w") as f:
            f["data"] = np.arange(3)
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="left untouched"):
        sweep(**SMALL, out=path, workers=1)
    with pytest.raises(StoreError, match="left untouched"):
        sweep(**SMALL, out=path, workers=1, overwrite=True)
    assert path.read_bytes() == before


def test_changed_grid_is_detected(tmp_path):
    out = tmp_path / "s.h5"
    sweep(**(SMALL | {"pressures": [70.0]}), out=out, workers=1)
    with pytest.raises(StoreError, match="another grid or parameter set"):
        sweep(**SMALL, out=out, workers=1)


def test_resume_after_kill(tmp_path):
    """Kill the sweep after its first finished case; the re-run stores every case once
    and does not recompute the finished one. DFN cases (~0.4 s each), polled every 50 ms:
    SPM cases finish ~50 ms apart, faster than the kill could follow the first."""
    out = tmp_path / "sweep.h5"
    cmd = [sys.executable, "-m", "ssbsim.simulator.cli", "sweep", "--preset", "kwon2022",
           "--binder", "pristine", "--pressure", "70", "--pressure", "7", "--pressure", "2",
           "--pressure", "1", "--model", "DFN", "--workers", "1", "--no-figures", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    csv_path = tmp_path / "summary.csv"
    deadline = time.time() + 300
    while time.time() < deadline:
        if csv_path.exists() and len(csv_path.read_text().splitlines()) >= 2:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = {r["name"]: r["computed_at"] for r in open_results(out).read()}
    assert 1 <= len(first) < 4
    subprocess.run(cmd, check=True, capture_output=True)
    rows = open_results(out).read()
    assert sorted(r["pressure_MPa"] for r in rows) == [1.0, 2.0, 7.0, 70.0]
    for r in rows:
        if r["name"] in first:
            assert r["computed_at"] == first[r["name"]]  # not recomputed


def test_dask_cluster_equals_local_run(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    local = sweep(**SMALL, out=tmp_path / "local.h5", workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = sweep(**SMALL, out=tmp_path / "dask.h5", scheduler=client)
    assert not local.failures and not remote.failures
    a, b = open_results(local.path), open_results(remote.path)
    for ra, rb in zip(a.read(), b.read()):
        assert ra["name"] == rb["name"]
        assert rb["discharge_capacity_mAh_g"] == pytest.approx(ra["discharge_capacity_mAh_g"], rel=1e-9, abs=1e-9)
        sa, sb = a.series(ra["name"]), b.series(rb["name"])
        for key in sa:
            np.testing.assert_allclose(sb[key], sa[key], rtol=1e-9, atol=1e-9, err_msg=key)


def test_sweep_with_a_parameter_file_stores_and_plots(tmp_path):
    """The documented fit -> sweep path: `sweep --params FILE` stores every case (the
    file's values travel as JSON text in the case's attributes), resumes, and plots."""
    from click.testing import CliRunner

    from ssbsim.simulator.cli import main
    from ssbsim.simulator.params_file import save_parameters

    E_F = "Composite framework modulus [Pa]"
    params = save_parameters(tmp_path / "fit.json", {E_F: 1.7e9})
    out = tmp_path / "s.h5"
    args = ["sweep", "--preset", "kwon2022", "--binder", "pristine", "--pressure", "70", "--pressure", "2",
            "--model", "SPM", "--workers", "1", "--out", str(out), "--params", str(params)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    rows = open_results(out).read()
    assert len(rows) == 2 and all(r["status"] == "ok" for r in rows)
    assert all(json.loads(r["parameters"]) == {E_F: 1.7e9} for r in rows)
    with open(tmp_path / "s.summary.csv") as fh:  # the summary says which values were set, and the fixture
        summary = list(csv.DictReader(fh))
    assert [json.loads(r["parameters"]) for r in summary] == [{E_F: 1.7e9}] * 2
    assert {r["fixture"] for r in summary} == {"constant pressure"}
    with h5py.File(out, "r") as f:
        assert [json.loads(p) for p in f["summary"]["parameters"]] == [{E_F: 1.7e9}] * 2
    direct = ssbsim.simulate("kwon2022", model="SPM", pressure=2.0, parameters={E_F: 1.7e9})
    at2 = next(r for r in rows if r["pressure_MPa"] == 2.0)
    assert at2["discharge_capacity_mAh_g"] == pytest.approx(direct.discharge_capacity_mAh_g, rel=1e-6)
    assert "figure:" in res.output
    assert "2 already done" in CliRunner().invoke(main, args).output


_REAL_RUN_CASE = sweep_mod.run_case


def _dies_at_2_MPa(cond, names):
    if cond.pressure_MPa == 2.0:
        os._exit(137)
    return _REAL_RUN_CASE(cond, names)


def test_a_worker_killed_by_the_system_fails_its_case_and_the_sweep_goes_on(tmp_path, monkeypatch):
    """A dead worker (as when the kernel kills it for memory) breaks its pool; the cases
    in flight run again, each alone: the one that kills its worker again is stored as
    failed with the reason, every other case finishes."""
    monkeypatch.setattr(sweep_mod, "run_case", _dies_at_2_MPa)  # fork: the workers see it
    report = sweep(**SMALL, out=tmp_path / "s.h5", workers=2)
    assert len(report.failures) == 1 and "worker process died, also when run alone" in report.failures[0][1]
    status = {r["pressure_MPa"]: r["status"] for r in open_results(tmp_path / "s.h5").read()}
    assert status == {70.0: "ok", 2.0: "failed"}


def _stalls_at_2_MPa(cond, names):
    if cond.pressure_MPa == 2.0:
        time.sleep(3600)  # as a solver stalled in compiled code: no Python signal reaches it
    return _REAL_RUN_CASE(cond, names)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stalled_case_is_failed_after_the_case_timeout_and_the_sweep_goes_on(tmp_path, monkeypatch, workers):
    """A case that does not return (IDAKLU has stalled inside its C++ loop, where
    max_num_steps did not stop it) is stored as failed once the case time-out has passed
    since a worker started it. Every other case is stored as solved: one queued behind it
    and those in flight when the stalled one's workers were stopped. One worker runs its
    cases in a worker process so that it can be stopped."""
    monkeypatch.setattr(sweep_mod, "run_case", _stalls_at_2_MPa)  # fork: the workers see it
    t0 = time.monotonic()
    report = sweep(**SMALL | {"pressures": [70.0, 2.0, 7.0]}, out=tmp_path / "s.h5", workers=workers,
                   case_timeout_s=20.0)
    assert time.monotonic() - t0 < 120
    assert len(report.failures) == 1 and "no result within the case time-out of 20 s" in report.failures[0][1]
    status = {r["pressure_MPa"]: r["status"] for r in open_results(tmp_path / "s.h5").read()}
    assert status == {70.0: "ok", 2.0: "failed", 7.0: "ok"}


@pytest.mark.parametrize("value", [0, -5.0, float("nan"), float("inf"), "10", True])
def test_a_bad_case_timeout_is_one_line_naming_it(tmp_path, value):
    with pytest.raises(InputError, match=r"^case_timeout_s=.* must be a number of seconds > 0 \(finite\)$"):
        sweep(**SMALL, out=tmp_path / "s.h5", case_timeout_s=value)
    assert not (tmp_path / "s.h5").exists()


def test_cli_case_timeout_reaches_the_sweep_and_is_range_checked(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ssbsim.simulator.cli import main

    seen = {}
    monkeypatch.setattr(sweep_mod, "sweep", lambda *a, **k: seen.update(k) or (_ for _ in ()).throw(KeyboardInterrupt))
    CliRunner().invoke(main, ["sweep", "--case-timeout", "600", "--out", str(tmp_path / "s.h5")])
    assert seen["case_timeout_s"] == 600.0
    bad = CliRunner().invoke(main, ["sweep", "--case-timeout", "0", "--out", str(tmp_path / "s.h5")])
    assert bad.exit_code == 2 and "--case-timeout" in bad.output and "0.0 is not in the range x>0" in bad.output


def test_sweep_into_a_folder_that_does_not_exist_yet(tmp_path):
    """The README's main command on a fresh clone writes results/sweep.h5 where results/
    does not exist: the folder is made (the writer lock once failed there)."""
    out = tmp_path / "results" / "deeper" / "sweep.h5"
    report = sweep(**(SMALL | {"pressures": [70.0]}), out=out, workers=1)
    assert report.n_run == 1 and not report.failures and out.exists()


def test_notes_reach_the_summaries_and_the_printed_table(tmp_path):
    """A case outside the fitted span (0 MPa) carries its extrapolation note in
    summary.csv, in /summary and, marked, in the table the command prints; a case
    inside it has none."""
    from click.testing import CliRunner

    from ssbsim.simulator.cli import main

    out = tmp_path / "sweep.h5"
    res = CliRunner().invoke(main, ["sweep", "--preset", "kwon2022", "--binder", "pristine", "--pressure", "70",
                                    "--pressure", "0", "--model", "SPM", "--workers", "1", "--no-figures",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    with open(tmp_path / "summary.csv") as fh:
        notes = {float(r["pressure_MPa"]): r["notes"] for r in csv.DictReader(fh)}
    assert notes[70.0] == "" and "stack pressure 0 MPa is outside" in notes[0.0]
    with open(tmp_path / "summary.csv") as fh:  # nothing set: an empty parameters column
        assert {(r["parameters"], r["fixture"]) for r in csv.DictReader(fh)} == {("", "constant pressure")}
    with h5py.File(out, "r") as f:
        table = f["summary"][()]
    stored = {p: n.decode() for p, n in zip(table["pressure_MPa"], table["notes"])}
    assert stored == notes
    lines = res.output.splitlines()
    row_0 = next(line for line in lines if line.startswith("kwon2022") and " 0   0.1C" in line)
    row_70 = next(line for line in lines if line.startswith("kwon2022") and " 70   0.1C" in line)
    assert row_0.endswith("[1]") and "[" not in row_70
    assert any(line.strip().startswith("[1] extrapolation: stack pressure 0 MPa") for line in lines)


def test_summary_table_keeps_several_and_non_ascii_notes():
    from ssbsim.simulator.store import _summary_table

    rows = [{"name": "a", "status": "ok", "notes": json.dumps(["one", "τ_ion 2 h > 1 h"])},
            {"name": "b", "status": "failed", "notes": "[]"}, {"name": "c", "status": "ok"}]
    table = _summary_table(rows)
    assert list(table["notes"]) == ["one; τ_ion 2 h > 1 h", "", ""]


def test_summary_names_the_fixture_that_held_each_case():
    """A fixture the case set is stored; otherwise the preset's, or constant pressure
    without mechanics (kwon2022-pouch is held rigid)."""
    from ssbsim.simulator.store import _summary_row

    assert _summary_row({"preset": "kwon2022", "fixture": "rigid"})["fixture"] == "rigid"
    assert _summary_row({"preset": "kwon2022-pouch"})["fixture"] == "rigid"
    assert _summary_row({"preset": "kwon2022-pouch", "mechanics": False})["fixture"] == "constant pressure"


def test_a_single_value_is_a_one_value_dimension():
    """``sweep(presets="kwon2022", pressures=2)`` as with one-element lists, not a
    preset named 'k' nor a TypeError."""
    single = build_grid(presets="kwon2022", binders="pristine", pressures=2, c_rates=0.1, cycles=1)
    listed = build_grid(presets=["kwon2022"], binders=["pristine"], pressures=[2.0], c_rates=[0.1], cycles=[1])
    assert single == listed and len(single) == 1
    with pytest.raises(InputError, match=r"^pressures=<object .*> must be a value or a sequence"):
        build_grid(presets="kwon2022", pressures=object())


def test_the_printed_table_tells_cases_apart_by_binder_content_and_temperature(tmp_path):
    """A binder-content sweep printed rows that looked alike: the table shows each case's
    wt% and temperature."""
    from click.testing import CliRunner

    from ssbsim.simulator.cli import main

    res = CliRunner().invoke(main, ["sweep", "--preset", "kwon2022", "--binder", "pristine", "--pressure", "70",
                                    "--binder-content", "0.5", "--binder-content", "2.5", "--model", "SPM",
                                    "--workers", "1", "--no-figures", "--out", str(tmp_path / "s.h5")])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].split()[:7] == ["preset", "binder", "wt%", "MPa", "C-rate", "T", "[C]"]
    rows = [line.split() for line in lines if line.startswith("kwon2022")]
    assert [r[2:6] for r in rows] == [["0.5", "70", "0.1C", "30"], ["2.5", "70", "0.1C", "30"]]
