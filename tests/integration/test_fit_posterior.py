"""The fit's optional posterior (emcee, extra 'posterior') and fits that start from a
cycled cell, on synthetic BioLogic text files of the Kwon 2022 half cell (SPMe) whose
SE-network tortuosity is known."""

import json
import sys

import numpy as np
import pytest
from click.testing import CliRunner

import ssbsim
from ssbsim.simulator.cli import main
from ssbsim.simulator.cycler_files import load_series
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.fitting import FitParameter, fit, residual_problem
from ssbsim.simulator.fit_inputs import DataPoint
from ssbsim.simulator.presets import get_preset

from test_fit_cycler_files import TAU, synthetic_charges, write_mpt

FACTOR = 1.8


@pytest.fixture(scope="module")
def charge_70MPa(tmp_path_factory):
    """One synthetic 0.3C charge at 70 MPa (tortuosity 1.8x the preset's, 2 mV noise)."""
    files, nominal = synthetic_charges(tmp_path_factory.mktemp("posterior"), (70.0,), FACTOR, seed=1)
    return files[0], nominal


def _posterior_fit(path, nominal, seed, steps=40):
    series = [({"pressure": 70.0}, load_series(path), 0.002)]
    param = FitParameter(TAU, nominal / 5, nominal * 10, log=True, initial=nominal)
    return fit("kwon2022", [], [param], model="SPMe", starts=1, series=series, posterior=steps, seed=seed)


def test_posterior_covers_the_truth_and_is_seeded(charge_70MPa):
    pytest.importorskip("emcee")
    path, nominal = charge_70MPa
    truth = nominal * FACTOR
    a, b, c = (_posterior_fit(path, nominal, seed) for seed in (3, 3, 4))
    post = a.posterior
    stats = post["parameters"][TAU]
    assert stats["q2.5"] <= truth <= stats["q97.5"], (stats, truth)
    lo, hi = a.ci95[TAU]  # the median within the least-squares interval's half-width of the optimum
    assert abs(stats["median"] - a.parameters[TAU]) < (hi - lo) / 2
    assert 0.5 < stats["std"] / ((hi - lo) / (2 * 1.96)) < 2  # the same scale as the least-squares error
    assert post["walkers"] == 8 and post["steps"] == 40 and post["burn_in"] == 20
    assert post["samples"] == 8 * 20 == a.posterior_samples.shape[0] and post["seed"] == 3
    assert 0 < post["acceptance_fraction"] <= 1
    assert post["noise_sigma_source"].startswith("estimated") and 0.7 < post["noise_sigma"] < 1.3
    assert post["autocorrelation_time_steps"] is None and "too short" in post["autocorrelation_note"]
    np.testing.assert_array_equal(a.posterior_samples, b.posterior_samples)  # same seed, same chain
    assert a.posterior == b.posterior
    assert not np.array_equal(a.posterior_samples, c.posterior_samples)


def test_cli_posterior_goes_into_json_parameter_file_and_figure(charge_70MPa, tmp_path):
    pytest.importorskip("emcee")
    path, nominal = charge_70MPa
    out, fig = tmp_path / "fit.json", tmp_path / "corner.png"
    args = ["fit", "--preset", "kwon2022", "--cycler", str(path), "--cycler-pressure", "70",
            "--voltage-sigma", "0.002", "--param", f"{TAU}:{nominal / 5}:{nominal * 10}:log:{nominal}",
            "--model", "SPMe", "--starts", "1", "--posterior", "20", "--noise-sigma", "1", "--seed", "7",
            "--out", str(out), "--posterior-figure", str(fig)]
    res = CliRunner().invoke(main, [*args, "--json"])
    assert res.exit_code == 0, res.output
    post = json.loads(res.stdout)["posterior"]
    assert post["noise_sigma"] == 1.0 and post["noise_sigma_source"] == "given" and post["seed"] == 7
    assert set(post["parameters"][TAU]) >= {"mean", "std", "q2.5", "median", "q97.5"}
    assert json.loads(out.read_text())["meta"]["fit"]["posterior"] == post
    assert fig.stat().st_size > 0
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0 and "posterior (emcee" in text.output and "autocorrelation" in text.output


def test_posterior_without_the_extra_names_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "emcee", None)  # import emcee fails as if not installed
    res = CliRunner().invoke(main, ["fit", "--preset", "kwon2022", "--cycler", str(tmp_path / "run.mpt"),
                                    "--cycler-pressure", "70", "--param", f"{TAU}:1:100", "--posterior", "100"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert "pip install 'ssbsim[posterior]'" in res.output
    with pytest.raises(InputError, match=r"ssbsim\[posterior\]"):
        fit("kwon2022", [], [FitParameter(TAU, 1, 100)], series=[], posterior=100)


@pytest.mark.parametrize("options, message", [
    (["--posterior", "0"], "--posterior=0 is outside the allowed range: 10 to 100000"),
    (["--posterior", "-5"], "--posterior=-5 is outside the allowed range: 10 to 100000"),
    (["--posterior", "100", "--walkers", "2"], "--walkers=2 is outside the allowed range for 1 parameter(s): 4 to"),
    (["--noise-sigma", "0.5"], "--noise-sigma is an option of the posterior: give --posterior N too"),
    (["--start-after-cycles", "-1"], "--start-after-cycles=-1 cycles is outside the allowed range: 0 to 100"),
])
def test_bad_posterior_and_cycle_options_are_one_line_errors(tmp_path, options, message):
    res = CliRunner().invoke(main, ["fit", "--preset", "kwon2022", "--cycler", str(tmp_path / "run.mpt"),
                                    "--cycler-pressure", "70", "--param", f"{TAU}:1:100", *options])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1
    assert message in res.output, res.output


@pytest.mark.parametrize("steps", [0, -3])
def test_bad_posterior_steps_in_python(steps):
    with pytest.raises(InputError, match=rf"posterior={steps} is outside the allowed range: 10 to 100000"):
        fit("kwon2022", [], [FitParameter(TAU, 1, 100)], posterior=steps)


def test_cycled_start_differs_from_pristine_as_contact_loss_predicts():
    """At 2 MPa two paper cycles isolate active material and open voids: the measured
    curve starts with less connected active material than pristine, and the next
    cycle's charge capacity is not larger than the first's."""
    from ssbsim.simulator.cycled_start import CycledStart
    from ssbsim.simulator.cycler import TimeSeries
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    cond = resolve_conditions("kwon2022", model="SPMe", pressure=2.0, cycles=2)
    pv = parameter_values(cond)
    t = np.linspace(0, 3000, 50)
    ts = TimeSeries(t, np.full_like(t, -0.3 * pv["Nominal cell capacity [A.h]"]), np.zeros_like(t), "synthetic")
    cycled, step, _ = CycledStart(cond, (TAU,), ts).solve({TAU: pv[TAU]})
    last = cycled.cycles[-1]
    assert last.loss_of_active_material_pct > 0 and last.end_porosity_increase > 0
    volume = "X-averaged positive electrode active material volume fraction"
    assert step[volume].entries[0] < pv["Positive electrode active material volume fraction"]
    point = [DataPoint({"pressure": 2.0, "c_rate": 0.1}, "charge_capacity", 150.0, 1.0, "synthetic")]
    param = [FitParameter(TAU, pv[TAU] / 5, pv[TAU] * 5, log=True)]
    u = [np.log10(pv[TAU])]
    first, third = (residual_problem("kwon2022", point, param, model="SPMe", start_after_cycles=n).model_values(u)[0]
                    for n in (0, 2))
    assert third <= first


def test_fit_from_a_cycled_state_recovers_tortuosity(tmp_path):
    """A charge after two paper cycles, simulated as one protocol by ``simulate``, written
    as an EC-Lab file, is fitted with --start-after-cycles 2 (the truth back within 5 %);
    the same file fitted from the pristine cell fits worse."""
    pytest.importorskip("galvani")
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    tau0 = parameter_values(resolve_conditions("kwon2022", model="SPMe", pressure=2.0))[TAU]
    cycle = get_preset("kwon2022").protocol(cycles=2).blocks[0]
    protocol = {"cycles": [{"steps": list(cycle.steps), "repeat": 2},
                           {"steps": ["Charge at 0.3C for 3000 seconds"]}]}
    run = ssbsim.simulate("kwon2022", model="SPMe", pressure=2.0, protocol=protocol, parameters={TAU: tau0 * FACTOR})
    assert run.cycles_completed == 3
    sol = run.cycle_solution(-1)
    t, i, v = (sol[k].entries for k in ("Time [s]", "Current [A]", "Voltage [V]"))
    keep = np.r_[True, np.diff(t) > 1e-6]
    v = v + np.random.default_rng(5).normal(0, 0.002, v.shape)
    path = write_mpt(tmp_path / "cycled.mpt", (t - t[0])[keep], i[keep], v[keep])
    args = ["fit", "--preset", "kwon2022", "--cycler", str(path), "--cycler-pressure", "2", "--voltage-sigma", "0.002",
            "--param", f"{TAU}:{tau0 / 5}:{tau0 * 10}:log:{tau0}", "--model", "SPMe", "--starts", "1",
            "--out", str(tmp_path / "fit.json"), "--json"]
    cycled = CliRunner().invoke(main, [*args, "--start-after-cycles", "2"])
    assert cycled.exit_code == 0, cycled.output
    fitted = json.loads(cycled.stdout)
    assert fitted["start_after_cycles"] == 2
    assert fitted["parameters"][TAU] == pytest.approx(tau0 * FACTOR, rel=0.05)
    pristine = CliRunner().invoke(main, args)
    assert pristine.exit_code == 0, pristine.output
    assert json.loads(pristine.stdout)["cost"] > 2 * fitted["cost"]
