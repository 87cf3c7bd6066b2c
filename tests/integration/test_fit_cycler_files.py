"""Fits on cycler files of any format: a synthetic-recovery fit from curves written in
BioLogic's EC-Lab text format (.mpt) at two stack pressures, fitted jointly."""

import json

import numpy as np
import pybamm
import pytest
from click.testing import CliRunner

from ssbsim.simulator.cli import main
from ssbsim.simulator.cycler_files import read_cycler_file

TAU = "Positive electrode tortuosity factor (electrolyte)"


def write_mpt(path, t_s, current_A, voltage_V):
    """An EC-Lab ASCII file as EC-Lab writes it (CRLF, 'Nb header lines', tab-separated,
    charge current positive in mA, Ns 0 throughout: one galvanostatic step)."""
    cols = ["mode", "ox/red", "error", "control changes", "Ns changes", "counter inc.", "Ns", "time/s",
            "Ewe/V", "I/mA", "cycle number"]
    header = ["EC-Lab ASCII FILE", "Nb header lines : 4", "Galvanostatic Cycling with Potential Limitation",
              "\t".join(cols)]
    rows = [f"1\t{int(i < 0)}\t0\t0\t0\t0\t0\t{t:.6f}\t{v:.7f}\t{-1e3 * i:.7E}\t0"
            for t, i, v in zip(t_s, current_A, voltage_V)]
    path.write_bytes(("\r\n".join(header + rows) + "\r\n").encode("latin-1"))
    return path


def synthetic_charges(folder, pressures, factor, seed):
    """0.3C charges of the Kwon 2022 half cell (SPMe, contact mechanics) with the SE
    network's tortuosity ``factor`` x the preset's and 2 mV noise, written as EC-Lab text
    files, one per pressure. Returns (files, the preset's tortuosity)."""
    from ssbsim.models import composite_cell_model
    from ssbsim.simulator.cycler import TimeSeries, current_driven_simulation, model_voltage
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions
    from ssbsim.simulator.solving import solver_tolerances

    files, nominal = [], None
    rng = np.random.default_rng(seed)
    for pressure in pressures:
        pv = parameter_values(resolve_conditions("kwon2022", pressure=pressure, model="SPMe"))
        nominal = pv[TAU]
        t = np.linspace(0, 6000, 200)
        ts = TimeSeries(t, np.full_like(t, -0.3 * pv["Nominal cell capacity [A.h]"]), np.zeros_like(t), "synthetic")
        pv[TAU] = nominal * factor
        sim = current_driven_simulation(composite_cell_model("SPMe", "half", mechanics=True), pv, ts,
                                        solver=pybamm.IDAKLUSolver(**solver_tolerances("SPMe")))
        v = model_voltage(sim, ts) + rng.normal(0, 0.002, t.shape)
        files.append(write_mpt(folder / f"charge_{pressure:g}MPa.mpt", t, ts.current_A, v))
    return files, nominal


def test_joint_fit_recovers_tortuosity_from_two_biologic_text_files(tmp_path, factor=1.8):
    pytest.importorskip("galvani")
    files, nominal = synthetic_charges(tmp_path, (70.0, 7.0), factor, seed=1)
    d = read_cycler_file(files[0])  # the file reads back with EC-Lab's sign undone
    assert d.format == "BioLogic .mpt" and np.all(d.current_A < 0) and len(d) == 200
    out = tmp_path / "fit.json"
    res = CliRunner().invoke(main, [
        "fit", "--preset", "kwon2022", "--cycler", str(files[0]), "--cycler-pressure", "70",
        "--cycler", str(files[1]), "--cycler-pressure", "7", "--voltage-sigma", "0.002",
        "--param", f"{TAU}:{nominal / 5}:{nominal * 10}:log:{nominal}", "--model", "SPMe", "--starts", "1",
        "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    fit = json.loads(res.stdout)
    truth = nominal * factor
    assert fit["parameters"][TAU] == pytest.approx(truth, rel=0.05)
    lo, hi = fit["ci95"][TAU]  # the truth within 3 standard errors (a 95 % interval misses 1 in 20)
    assert abs(fit["parameters"][TAU] - truth) < 3 * (hi - lo) / (2 * 1.96), (fit["parameters"][TAU], lo, hi, truth)


def test_fit_needs_a_pressure_for_each_cycler_file(tmp_path):
    f = write_mpt(tmp_path / "a.mpt", [0, 1], [-1e-3, -1e-3], [3.7, 3.71])
    res = CliRunner().invoke(main, ["fit", "--preset", "kwon2022", "--cycler", str(f), "--cycler", str(f),
                                    "--cycler-pressure", "70", "--param", f"{TAU}:1:10"])
    assert res.exit_code == 2 and "2 --cycler file(s) need as many --cycler-pressure values" in res.output


def test_a_cc_cv_curve_is_fitted_through_its_hold_and_discharge(tmp_path):
    """A measured CC-CV cycle (the preset's own, SPM, E_f = 2e8 Pa) written as a CSV: the
    model driven by its current must follow the CV hold at 4.3 V and the discharge after
    it. With the preset's cut-offs as events the run stopped at the hold, the rest of the
    curve entered the fit as failures and it settled at 1.8e8 with a tight interval; with
    a finite-difference step of 1 % of log10(E_f) it stopped at 2.03e8 (RMSE 35 mV)."""
    import ssbsim

    E = "Composite framework modulus [Pa]"
    r = ssbsim.simulate("kwon2022", pressure=2.0, model="SPM", parameters={E: 2e8})
    path = tmp_path / "cccv.csv"
    keep = np.concatenate([[True], np.diff(np.round(r.time_s / 60, 6)) > 0])  # a step's end and the next's start
    rows = "\n".join(f"{t / 60:.6f},{-1e3 * i:.6f},{v:.6f}"
                      for t, i, v in zip(r.time_s[keep], r.current_A[keep], r.voltage_V[keep]))
    path.write_text("t,I/mA,V\n" + rows + "\n")  # charge current positive, as most cyclers write it
    out = tmp_path / "fit.json"
    res = CliRunner().invoke(main, [
        "fit", "--preset", "kwon2022", "--cycler", str(path), "--cycler-pressure", "2",
        "--cycler-columns", "t,I/mA,V", "--cycler-units", "min,mA,V", "--charge-positive",
        "--param", f"{E}:1e7:1e9:log", "--model", "spm", "--starts", "1", "--json", "--out", str(out),
        "--figure", str(tmp_path / "fit.png")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "fit.png").stat().st_size > 0
    d = json.loads(res.stdout)
    assert d["parameters"][E] == pytest.approx(2e8, rel=0.01)
    rmse = next(x for x in d["residuals"] if x["quantity"] == "voltage RMSE [V]")["model"]
    assert rmse < 0.005 and not any("stopped" in w for w in d["warnings"])


def test_the_fit_figure_draws_each_curve_against_time():
    """The figure of a curve fit was one dot (its RMSE against 0): each fitted curve gets
    its own panel, measured and model voltage against time; data points keep the parity
    panel."""
    from ssbsim.simulator.fit_figure import fit_figure
    from ssbsim.simulator.fitting import FitResult

    t = np.linspace(0, 7200, 50)
    curve = {"source": "cell.csv", "time_s": t, "measured_V": 3.7 - 1e-5 * t, "model_V": 3.701 - 1e-5 * t}
    rmse = {"where": "cell.csv", "conditions": {}, "quantity": "voltage RMSE [V]", "measured": 0.0,
            "model": 1e-3, "residual": 1e-3}
    point = {"where": "p.csv:2", "conditions": {"pressure_MPa": 2}, "quantity": "discharge_capacity_mAh_g",
             "measured": 150.0, "model": 152.0, "residual": 2.0}
    only_curve = fit_figure(FitResult({}, {}, [rmse], 0.0, 1, curves=[curve]))
    (ax,) = only_curve.axes
    assert ax.get_xlabel() == "time [h]" and "RMSE 1.00 mV" in ax.get_title()
    assert [len(line.get_xdata()) for line in ax.lines] == [50, 50]
    assert ax.lines[0].get_xdata()[-1] == pytest.approx(2.0)
    both = fit_figure(FitResult({}, {}, [point, rmse], 0.0, 1, curves=[curve]))
    assert [a.get_xlabel() for a in both.axes] == ["measured", "time [h]"]
    assert both.axes[0].lines[0].get_xdata().tolist() == [150.0]  # the RMSE is not a data point


def test_the_printed_fit_gives_a_curves_rmse_not_a_measured_zero():
    from ssbsim.simulator.cli_fit import result_lines
    from ssbsim.simulator.fitting import FitResult

    rmse = {"where": "cell.csv", "conditions": {}, "quantity": "voltage RMSE [V]", "measured": 0.0,
            "model": 4.3e-5, "residual": 4.3e-5}
    point = {"where": "p.csv:2", "conditions": {}, "quantity": "discharge_capacity_mAh_g", "measured": 150.0,
             "model": 152.0, "residual": 2.0}
    lines = result_lines(FitResult({"E": 2e8}, {"E": (1.9e8, 2.1e8)}, [point, rmse], 0.0, 1), "SPM", "kwon2022", 2)
    assert lines == ["fitted with the SPM (kwon2022, after 2 paper cycle(s))", "E = 2e+08  (95 % interval 1.9e+08 - 2.1e+08)",
                     "  p.csv:2: measured 150, model 152, residual +2", "  cell.csv: voltage RMSE 0.043 mV"]


def test_a_curve_outside_the_cells_window_is_refused(tmp_path):
    """A cycler file of another cell (here at -0.1 V) was fitted to Kwon's cathode and a
    parameter file written; it is refused before anything is solved."""
    from ssbsim.simulator.cycler import TimeSeries
    from ssbsim.simulator.errors import InputError
    from ssbsim.simulator.fitting import FitParameter, fit

    t = np.linspace(0, 600, 20)
    ts = TimeSeries(t, np.full_like(t, 1e-4), np.full_like(t, -0.1), "other_cell.csv")
    with pytest.raises(InputError, match=r"other_cell.csv: voltage -0.1 to -0.1 V is outside the window of preset "
                                         r"'kwon2022', 3-4.3 V \(vs Li/Li\+\), by more than 1 V"):
        fit("kwon2022", [], [FitParameter("Composite framework modulus [Pa]", 1e7, 1e9, log=True)],
            model="SPM", series=[({"pressure": 2.0}, ts, 0.01)])
