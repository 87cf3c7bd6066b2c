"""Fitting: synthetic recovery, bad data files, parameter-file round trip."""

import json

import numpy as np
import pybamm
import pytest
from click.testing import CliRunner

import ssbsim
from ssbsim.simulator.cli import main
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.fitting import DataPoint, FitParameter, fit, load_points
from ssbsim.simulator.params_file import load_parameters, save_parameters

E_F = "Composite framework modulus [Pa]"


def test_fit_recovers_synthetic_framework_modulus():
    """Data made by the model with a known modulus plus noise; a fit from a distant
    start recovers it within 5 % and its 95 % interval covers the truth."""
    truth, noise = 1.3e9, 0.3
    rng = np.random.default_rng(1)
    points = []
    for cond in (dict(binder="pristine", pressure=2.0), dict(binder="pristine", pressure=3.0),
                 dict(binder="vulcanized", pressure=2.0)):
        v = ssbsim.simulate("kwon2022", model="SPM", parameters={E_F: truth}, **cond).discharge_capacity_mAh_g
        points.append(DataPoint(cond, "discharge_capacity", v + rng.normal(0, noise), noise, "synthetic"))
    res = fit("kwon2022", points, [FitParameter(E_F, 2e8, 1e10, log=True, initial=5e9)], model="SPM", starts=3)
    assert res.parameters[E_F] == pytest.approx(truth, rel=0.05)
    lo, hi = res.ci95[E_F]
    assert lo <= truth <= hi
    assert not res.warnings


def test_fit_warns_when_a_parameter_is_not_identifiable():
    """At 70 MPa contact is complete: the modulus does not affect the capacity."""
    v = ssbsim.simulate("kwon2022", model="SPM", pressure=70.0).discharge_capacity_mAh_g
    points = [DataPoint(dict(pressure=70.0), "discharge_capacity", v, 0.5, "synthetic")]
    res = fit("kwon2022", points, [FitParameter(E_F, 2e8, 1e10, log=True)], model="SPM", starts=1)
    assert any("not identifiable" in w or "near-singular" in w for w in res.warnings)


CSV_HEAD = "source,binder,stack_pressure_MPa,c_rate,temperature_C,quantity,value,unit\n"


@pytest.mark.parametrize("body, match", [
    ("source,binder\nKwon2022,x\n", r"missing column\(s\) quantity, value, unit"),
    (CSV_HEAD + "K,pristine,2,0.1,30,discharge_capacity,151,Ah/kg\n", r"line 2, column 'unit': 'Ah/kg'"),
    (CSV_HEAD + "K,pristine,2,0.1,30,discharge_capacity,abc,mAh/g\n", r"line 2, column 'value': 'abc' is not a number"),
    (CSV_HEAD + "K,pristine,two,0.1,30,discharge_capacity,151,mAh/g\n", r"line 2, column 'stack_pressure_MPa'"),
    (CSV_HEAD + "K,pristine,2,0.1,30,porosity,3,%\n", r"no rows with a supported quantity"),
    # no silent defaults for run conditions: a missing column, or an empty cell of a fitted row
    ("source,binder,c_rate,temperature_C,quantity,value,unit\nK,pristine,0.1,30,discharge_capacity,151,mAh/g\n",
     r"data.csv: missing column\(s\) stack_pressure_MPa"),
    ("source,stack_pressure_MPa,quantity,value,unit\nK,2,discharge_capacity,151,mAh/g\n",
     r"missing column\(s\) c_rate, temperature_C"),
    (CSV_HEAD + "K,pristine,,0.1,30,discharge_capacity,151,mAh/g\n", r"line 2, column 'stack_pressure_MPa' is empty"),
])
def test_bad_data_files_name_file_line_and_column(tmp_path, body, match):
    path = tmp_path / "data.csv"
    path.write_text(body)
    with pytest.raises(InputError, match=match):
        load_points(path)


CYCLE_HEAD = "source,binder,stack_pressure_MPa,c_rate,temperature_C,cycle,quantity,value,unit\n"


@pytest.mark.parametrize("body, match", [
    # a misspelt fitted quantity is refused with the name meant, not dropped beside valid rows
    (CYCLE_HEAD + "K,pristine,2,0.1,30,1,discharge_capacity,151,mAh/g\n"
     "K,pristine,70,0.1,30,1,dischrage_capacity,171,mAh/g\n",
     r"line 3, column 'quantity': 'dischrage_capacity' .*did you mean 'discharge_capacity'"),
    (CYCLE_HEAD + "K,pristine,2,0.1,30,-1,discharge_capacity,151,mAh/g\n",
     r"line 2, column 'cycle': '-1' is not a whole number from 1 to 101"),
    # a source that counts from 0 (its first cycle is 0) ends one cycle lower
    (CYCLE_HEAD + "K,pristine,2,0.1,30,0,discharge_capacity,151,mAh/g\n"
     "K,pristine,2,0.1,30,101,discharge_capacity,120,mAh/g\n",
     r"line 3, column 'cycle': '101' is not a whole number from 0 to 100 \(0: the first cycle run from the "
     r"pristine cell, as its source counts from 0\)"),
    (CYCLE_HEAD + "K,pristine,2,0.1,30,1.5,discharge_capacity,151,mAh/g\n", r"line 2, column 'cycle': '1.5'"),
])
def test_bad_cycle_and_misspelt_quantity_name_file_line_and_column(tmp_path, body, match):
    path = tmp_path / "data.csv"
    path.write_text(body)
    with pytest.raises(InputError, match=match):
        load_points(path)


def test_points_file_cycle_is_read_and_other_quantities_are_counted(tmp_path):
    """The documented layout's ``cycle`` reaches the point; rows of quantities the fit
    does not read (a catalogue of measurements) are skipped, and counted for the user."""
    path = tmp_path / "data.csv"
    path.write_text(CYCLE_HEAD + "K,pristine,2,0.1,30,100,discharge_capacity,120,mAh/g\n"
                    "K,pristine,2,0.1,30,,discharge_capacity,150,mAh/g\n"
                    "K,pristine,2,0.1,30,,porosity,3,%\nK,pristine,2,0.1,30,100,capacity_retention,80,%\n")
    skipped = {}
    points = load_points(path, skipped=skipped)
    assert [p.cycle for p in points] == [100, None]
    assert skipped == {"porosity": 1, "capacity_retention": 1}


def test_fit_reads_each_point_at_its_cycle():
    """A row of cycle 3 is compared with the model's third cycle (the cell run three
    cycles at the row's conditions), not with the first."""
    from ssbsim.simulator.fitting import residual_problem

    params = {E_F: 1e9}
    point = DataPoint(dict(pressure=2.0, c_rate=0.5), "discharge_capacity", 100.0, 1.0, "synthetic", cycle=3)
    prob = residual_problem("kwon2022", [point], [FitParameter(E_F, 2e8, 1e10, log=True)], model="SPM")
    (model,) = prob.model_values(np.array([9.0]))
    r = ssbsim.simulate("kwon2022", model="SPM", pressure=2.0, c_rate=0.5, cycles=3, parameters=params)
    assert model == pytest.approx(r.cycles[2].discharge_capacity_mAh_g, rel=1e-6)
    assert model != pytest.approx(r.cycles[0].discharge_capacity_mAh_g, rel=1e-3)


@pytest.mark.parametrize("cycle, conditions, kwargs, match", [
    # --start-after-cycles 5 compares cycle 6: a row of cycle 100 is refused, not read at cycle 6
    (100, dict(pressure=2.0), dict(start_after_cycles=5), r"data.csv, line 7, column 'cycle': 100, .* cycle 6"),
    # a condition out of range names the row and the column it came from
    (None, dict(pressure=-5.0), {}, r"data.csv, line 7, column 'stack_pressure_MPa': pressure=-5"),
])
def test_fit_refuses_points_it_cannot_honour_naming_the_row(cycle, conditions, kwargs, match):
    from ssbsim.simulator.fitting import residual_problem

    point = DataPoint(conditions, "discharge_capacity", 120.0, 1.0, "data.csv, line 7", cycle=cycle)
    with pytest.raises(InputError, match=match):
        residual_problem("kwon2022", [point], [FitParameter(E_F, 2e8, 1e10, log=True)], model="SPM", **kwargs)


def test_fit_cli_notes_skipped_rows_and_refuses_a_misspelt_quantity(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(CYCLE_HEAD + "K,pristine,2,0.1,30,1,dischrage_capacity,151,mAh/g\n")
    res = CliRunner().invoke(main, ["fit", "--preset", "kwon2022", "--data", str(path), "--model", "SPM",
                                    "--param", f"{E_F}:2e8:1e10:log", "--out", str(tmp_path / "p.json")])
    assert res.exit_code == 2 and "did you mean 'discharge_capacity'" in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "p.json").exists()


def test_parameter_file_round_trips_and_drives_simulate(tmp_path):
    path = save_parameters(tmp_path / "p.json", {E_F: 1.7e9}, {"note": "test"})
    assert load_parameters(path) == {E_F: 1.7e9}
    res = CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--model", "SPM", "--pressure", "2",
                                    "--params", str(path), "--json"])
    d = json.loads(res.stdout)
    assert d["parameters"] == {E_F: 1.7e9}
    direct = ssbsim.simulate("kwon2022", model="SPM", pressure=2.0, parameters={E_F: 1.7e9})
    assert d["discharge_capacity_mAh_g"] == pytest.approx(direct.discharge_capacity_mAh_g, rel=1e-9)


@pytest.mark.parametrize("content, match", [
    ('{"parameters": {"a": 1}}', "not an ssbsim parameter file"),
    ('{"format": "ssbsim-parameters", "parameters": {"x": "__import__(\'os\')"}}', "is not a finite number"),
    ('{"format": "ssbsim-parameters", "parameters": {"Nope [Pa]": 1.0}}', None),
    ("not json", "not valid JSON"),
])
def test_bad_parameter_files_are_refused(tmp_path, content, match):
    path = tmp_path / "p.json"
    path.write_text(content)
    if match is None:  # well-formed, but the name is not in the parameter set
        with pytest.raises(InputError, match="'Nope \\[Pa\\]' is not in parameter set Kwon2022"):
            ssbsim.simulate("kwon2022", model="SPM", parameters=load_parameters(path))
    else:
        with pytest.raises(InputError, match=match):
            load_parameters(path)


TAU = "Positive electrode tortuosity factor (electrolyte)"


def _synthetic_curve(tmp_path, factor=1.8):
    """A 0.3C charge of the pristine Kwon 2022 cell (SPMe) with a known tortuosity,
    written as a cycler CSV in mA and minutes, charge counted positive."""
    from ssbsim.models import composite_cell_model
    from ssbsim.simulator.cycler import TimeSeries, current_driven_simulation, model_voltage
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions
    from ssbsim.simulator.solving import solver_tolerances

    pv = parameter_values(resolve_conditions("kwon2022", pressure=70.0, model="SPMe"))
    truth = pv[TAU] * factor
    t = np.linspace(0, 6000, 300)
    ts = TimeSeries(t, np.full_like(t, -0.3 * pv["Nominal cell capacity [A.h]"]), np.zeros_like(t), "synthetic")
    pv_true = pv.copy()
    pv_true[TAU] = truth
    sim = current_driven_simulation(composite_cell_model("SPMe", "half", mechanics=True), pv_true, ts,
                                    solver=pybamm.IDAKLUSolver(**solver_tolerances("SPMe")))  # as the fit solves
    v = model_voltage(sim, ts)
    v = v + np.random.default_rng(0).normal(0, 0.002, v.shape)
    path = tmp_path / "cycler.csv"
    rows = ["Time/min,I/mA,Ewe/V"] + [f"{ti / 60},{-ii * 1e3},{vi}" for ti, ii, vi in zip(t, ts.current_A, v)]
    path.write_text("\n".join(rows) + "\n")
    return path, truth, pv[TAU]


def test_fit_recovers_synthetic_tortuosity_from_a_cycler_curve(tmp_path):
    path, truth, nominal = _synthetic_curve(tmp_path)
    out = tmp_path / "fit.json"
    res = CliRunner().invoke(main, [
        "fit", "--preset", "kwon2022", "--cycler", str(path), "--cycler-columns", "Time/min,I/mA,Ewe/V",
        "--cycler-units", "min,mA,V", "--charge-positive", "--voltage-sigma", "0.002", "--cycler-pressure", "70",
        "--param", f"{TAU}:{nominal / 5}:{nominal * 10}:log:{nominal * 6}", "--model", "SPMe", "--starts", "2",
        "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["parameters"][TAU] == pytest.approx(truth, rel=0.05)
    lo, hi = d["ci95"][TAU]
    assert lo <= truth <= hi
    assert load_parameters(out) == {TAU: pytest.approx(d["parameters"][TAU])}


@pytest.mark.parametrize("body, kwargs, match", [
    ("t,i\n0,1\n", {}, r"missing column\(s\) 'time', 'current', 'voltage' \(columns found: t, i\)"),
    ("time,current,voltage\n0,1,3.5\n0,1,3.6\n", {}, r"line 3, column 'time': time 0.0 does not increase"),
    ("time,current,voltage\n0,1,3.5\n1,x,3.6\n", {}, r"line 3, column 'current': 'x' is not a number"),
    ("time,current,voltage\n0,1,3.5\n1,1,3.6\n", {"time_unit": "days"}, r"time unit='days' is not one of s, min, h"),
])
def test_bad_cycler_files_name_file_line_and_column(tmp_path, body, kwargs, match):
    from ssbsim.simulator.cycler import load_cycler_csv

    path = tmp_path / "c.csv"
    path.write_text(body)
    with pytest.raises(InputError, match=match):
        load_cycler_csv(path, **kwargs)


def test_anode_rows_are_fitted_on_the_half_cycle_they_name():
    """Choi 2025 reports the delithiation: the fit reads it as such and compares it with
    the model's delithiation (the anode half cell's charge), not its lithiation."""
    from conftest import DATA

    from ssbsim.simulator.fitting import QUANTITIES
    from ssbsim.simulator.presets import get_preset

    points = load_points(DATA, source="Choi2025", binder_aliases=get_preset("choi2025").binder_aliases)
    delith = [p for p in points if p.quantity == "delithiation_capacity"]
    assert sorted(p.value for p in delith) == [464.0, 469.0, 510.0]
    r = ssbsim.simulate("choi2025", model="SPM")
    assert getattr(r, QUANTITIES["delithiation_capacity"][0]) == r.charge_capacity_mAh_g
    assert getattr(r, QUANTITIES["lithiation_capacity"][0]) == r.discharge_capacity_mAh_g


def test_fit_whose_objective_is_nan_stops_and_writes_nothing(tmp_path, monkeypatch):
    """Every solve fails (as for parameters where the model cannot run): the fit stops
    with one line and exit code 2 instead of writing NaN into JSON and a parameter file."""
    from ssbsim.simulator import simulation

    def failing(self, cond):
        raise simulation.SimulationError("solve failed (simulated)")

    monkeypatch.setattr(simulation.CellRunner, "run", failing)
    data = tmp_path / "points.csv"
    data.write_text("source,binder,stack_pressure_MPa,c_rate,temperature_C,quantity,value,unit\n"
                    "K,pristine,2,0.1,30,discharge_capacity,151,mAh/g\n")
    out = tmp_path / "fit.json"
    res = CliRunner().invoke(main, ["fit", "--preset", "kwon2022", "--data", str(data), "--param",
                                    f"{E_F}:1e8:1e10:log", "--starts", "1", "--out", str(out), "--json"])
    assert res.exit_code == 2, res.output
    line, = res.stderr.strip().splitlines()
    assert "objective is not a number" in line and "no parameter file was written" in line
    assert "NaN" not in res.stdout and not out.exists()


def test_nan_never_reaches_a_parameter_file(tmp_path):
    with pytest.raises(InputError, match="is not a finite number"):
        save_parameters(tmp_path / "p.json", {E_F: float("nan")})
    with pytest.raises(InputError, match="NaN or infinite"):
        save_parameters(tmp_path / "p.json", {E_F: 1e9}, {"fit": {"cost": float("inf")}})
    assert not (tmp_path / "p.json").exists()


THETA_MAX = "Wet binder coverage maximum"


def test_fit_and_parameter_file_reach_a_binder_law_constant(tmp_path):
    """The coverage law's constant is a PyBaMM parameter the model evaluates theta from:
    1C mean discharge voltages made with a known theta_max (at 1.5 and 3 wt% binder) are
    fitted back through ``ssbsim fit --param``, and the parameter file it writes drives
    ``ssbsim simulate --params``."""
    truth = 0.55
    rows = ["source,binder_wt_pct,stack_pressure_MPa,c_rate,temperature_C,quantity,value,unit,uncertainty"]
    for w in (1.5, 3.0):
        r = ssbsim.simulate("kwon2022", model="SPM", c_rate=1.0, binder_content=w, parameters={THETA_MAX: truth})
        rows.append(f"synthetic,{w},70,1.0,30,average_discharge_voltage,{float(r.cycles[0].average_discharge_voltage_V)!r},V,1e-4")
    data, out = tmp_path / "points.csv", tmp_path / "fit.json"
    data.write_text("\n".join(rows) + "\n")
    res = CliRunner().invoke(main, ["fit", "--preset", "kwon2022", "--data", str(data), "--param",
                                    f"{THETA_MAX}:0.05:0.95:0.2", "--model", "SPM", "--starts", "1",
                                    "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    fitted = json.loads(res.stdout)["parameters"][THETA_MAX]
    assert fitted == pytest.approx(truth, abs=0.02)
    res = CliRunner().invoke(main, ["simulate", "--preset", "kwon2022", "--model", "SPM", "--c-rate", "1",
                                    "--binder-content", "3", "--params", str(out), "--json"])
    d = json.loads(res.stdout)
    nominal = ssbsim.simulate("kwon2022", model="SPM", c_rate=1.0, binder_content=3.0)
    assert d["parameters"] == {THETA_MAX: pytest.approx(fitted)}
    # more coverage at 3 wt% (theta ~ theta_max): a lower mean discharge voltage than nominal 0.38
    assert d["cycles"][0]["average_discharge_voltage_V"] < nominal.cycles[0].average_discharge_voltage_V - 1e-3


def test_fit_of_an_expression_names_the_constants_to_fit():
    """An electrode's process input refers to a law constant: fitting it names that constant."""
    from ssbsim.simulator.fitting import check_fit_parameters

    with pytest.raises(InputError, match=r"'Positive electrode binder coverage maximum' is an expression of other "
                                         r"parameters in parameter set Kwon2022; fit one of 'Wet binder coverage maximum'$"):
        check_fit_parameters("kwon2022", [FitParameter("Positive electrode binder coverage maximum", 0.1, 0.5)])


def test_a_source_counting_its_first_cycle_as_zero_is_read_so():
    """Jo 2024 counts its preconditioning cycle as 0 (the calibration points), Kwon 2022
    its first cycle as 1: both are the model's first cycle, each source read by its own
    convention, in one file."""
    from conftest import DATA

    jo = load_points(DATA, source="Jo2024")
    assert {p.cycle for p in jo} == {1} and len(jo) == 4  # the preconditioning capacities
    kwon = load_points(DATA, source="Kwon2022")
    assert {p.cycle for p in kwon} == {1}
    both = {p.where: p.cycle for p in load_points(DATA)}
    assert set(both.values()) == {1}



@pytest.mark.parametrize("bounds, words", [((1e7, float("inf")), "must be finite numbers"),
                                           ((float("nan"), 1e9), "must be finite numbers"),
                                           ((1e9, 1e7), "are not increasing")])
def test_fit_bounds_say_what_is_wrong_with_them(bounds, words):
    with pytest.raises(InputError, match=rf"parameter 'Composite framework modulus \[Pa\]': bounds .* {words}"):
        FitParameter("Composite framework modulus [Pa]", *bounds)


def test_a_fit_to_data_beyond_the_calibrated_conditions_says_so():
    """Data at 0.5 MPa lie outside the 2-75 MPa of the cathode rows the package's own
    constants were fitted on: the fit's warnings carry simulate's extrapolation note."""
    point = DataPoint({"pressure": 0.5, "c_rate": 0.1, "temperature": 30.0}, "discharge_capacity", 140.0, 1.0, "x")
    res = fit("kwon2022", [point], [FitParameter(E_F, 2e8, 1e10, log=True)], model="SPM", starts=1)
    assert any(w.startswith("extrapolation: stack pressure 0.5 MPa is outside 2-75 MPa") for w in res.warnings)
