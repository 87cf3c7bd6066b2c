"""Virtual characterisation: GITT (Weppner-Huggins), DC-IR, blocking cells, EIS."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from ssbsim.models import binder_coverage as bc
from ssbsim.parameter_sets import emley2023
from ssbsim.parameter_sets.materials import LPSCL
from ssbsim.simulator import characterise as ch
from ssbsim.simulator import characterise_cells as cc
from ssbsim.simulator.cli import main
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.measurement_store import read_measurement
from ssbsim.simulator.simulation import cell_model


def test_weppner_huggins_recovers_d_of_the_exact_planar_transient():
    """Planar semi-infinite diffusion into a slab of V/S = l under flux J with a linear
    OCP slope k: V = E0 + IR + 2 k J sqrt(t / (pi D)), dEs = k J tau / l; the analysis
    must return D and the IR drop exactly."""
    D, l, k, J, ir, tau = 3e-15, 2e-6, 0.02, 1e-3, 0.05, 600.0
    t = np.linspace(0, tau, 601)
    v = 3.7 + ir + 2 * k * J * np.sqrt(t / (np.pi * D))
    v[0] = 3.7
    r = ch.weppner_huggins(t, v, 3.7, 3.7 + k * J * tau / l, l)
    assert r["D_app_m2_s"] == pytest.approx(D, rel=1e-9)
    assert r["ir_drop_V"] == pytest.approx(ir, rel=1e-9)
    r4 = ch.weppner_huggins(t, v, 3.7, 3.7 + 0.5 * k * J * tau / l, l)  # area halved -> D_app / 4
    assert r4["D_app_m2_s"] == pytest.approx(D / 4, rel=1e-9)


def test_gitt_on_spme_without_mechanics_reads_the_particle_diffusivity():
    """Where solid diffusion is the cell's only slow process (SPMe, no mechanics), the
    Weppner-Huggins D_app of 1-minute pulses lies within a factor 2 of the NCM811
    diffusivity at 30 C (the spherical particle and the pulse length make it approximate):
    the material's D(x) on its plateau, x = 0.3-0.8, where the pulse at SOC 0.5 sits."""
    import pybamm

    from ssbsim.parameter_sets.materials import NCM811

    g = ch.gitt("jo2024-cathode", model="SPMe", mechanics=False, pulse_min=1.0, pulses=1, rest_min=30.0)
    d_material = float(NCM811.diffusivity(pybamm.Scalar(0.6), pybamm.Scalar(303.15)).evaluate())
    assert g["particle_radius_m"] == 5e-6
    assert 0.5 < g["D_app_m2_s"] / d_material < 2.0, g


@pytest.fixture(scope="module")
def jo_gitt_areas():
    return ch.gitt_active_area("jo2024-cathode", [0.5, 1.5, 2.5], pulses=2)  # DFN with mechanics


def test_gitt_sees_the_binder_coverage_in_the_pulse_jump(jo_gitt_areas):
    """The coverage enters the model's kinetics: the pulses' IR drop grows with binder."""
    ir = [r["ir_drop_V"] for r in jo_gitt_areas["rows"]]
    assert ir[0] < ir[1] < ir[2]


def test_gitt_says_when_the_composite_network_sets_the_transient(jo_gitt_areas):
    """Jo's cathode relaxes through its SE network in L^2 C_v / sigma_ion, hours against
    the 10 min pulse: flagged, with the time, which is that of the blocking cell's sigma_ion
    and NCM811's OCP slope (within 10 %: the pristine cell's network against the rested one's)."""
    import pybamm

    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    rows = jo_gitt_areas["rows"]
    assert all(any("ionic relaxation time" in n for n in r["notes"]) for r in rows)
    tau = [r["ionic_relaxation_time_s"] for r in rows]
    assert 600 < tau[0] < tau[1] < tau[2]  # more binder, a slower network
    cond = resolve_conditions("jo2024-cathode", binder_content=0.5)
    pv = parameter_values(cond)
    sigma = cc.blocking("jo2024-cathode", binder_content=0.5, temperature=cond.temperature_C)[
        "ionic_conductivity_S_cm"] * 100
    U = pv["Positive electrode OCP [V]"]
    slope = pv.evaluate(U(pybamm.Scalar(0.661)) - U(pybamm.Scalar(0.659))) / 0.002  # the pulses' x ~ 0.66
    c_v = pv["Positive electrode active material volume fraction"] * pv[
        "Maximum concentration in positive electrode [mol.m-3]"] * 96485.33 / abs(slope)
    expected = pv["Positive electrode thickness [m]"] ** 2 * c_v / sigma
    assert tau[0] == pytest.approx(expected, rel=0.10)


def test_gitt_says_when_its_rests_have_not_relaxed(jo_gitt_areas):
    """Jo's cathode in the DFN relaxes through its slow composite ionic network for hours:
    1 h rests are flagged; with 100x the ionic conductivity they are not."""
    assert all("not relaxed" in r["notes"][0] for r in jo_gitt_areas["rows"])
    tau = "Positive electrode tortuosity factor (electrolyte)"
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    fast = ch.gitt("jo2024-cathode", mechanics=False, pulses=1, parameters={
        tau: parameter_values(resolve_conditions("jo2024-cathode"))[tau] / 100})
    assert fast["notes"] == [] and fast["pulses"][0]["rest_drift_fraction"] < ch.RELAXED_DRIFT_FRACTION


@pytest.mark.xfail(strict=True, reason=(
    "issue 19 finding: by default the binder coverage scales only the exchange current, so "
    "the Weppner-Huggins transient does not see the lost area; the DFN's 'areas' (0.30-0.49 "
    "at 1-2.5 wt%) come from the composite's slow ionic network, whose conductance changes "
    "with the neck blocking between 0.5 and 1 wt%. The option 'coverage entry': 'effective "
    "diffusivity' (D (1 - theta)^2) recovers the law within 0.018 on the SPMe with relaxed "
    "rests, but not in this DFN (0.19-0.46 with 1 h rests, 0.52-0.75 with 10 h rests): Jo's "
    "composite relaxes through its SE network in 5-10 h (ionic_relaxation_time_s), against a "
    "10 min pulse, so its transient is the network's. Where Weppner-Huggins holds the DFN reads "
    "the law within 0.02 (test_dfn_gitt_recovers_the_coverage_law_area_where_weppner_huggins_holds)"))
def test_virtual_gitt_recovers_the_coverage_law_area_within_0_05(jo_gitt_areas):
    for r in jo_gitt_areas["rows"]:
        assert r["relative_active_area_gitt"] == pytest.approx(
            bc.relative_active_area(r["binder_content_wt_pct"], "wet"), abs=0.05)


def test_gitt_reads_the_coverage_law_area_through_the_covered_entry(monkeypatch):
    """Where solid diffusion is the slow process (SPMe, no mechanics) and the rests are
    relaxed (20 h approach rest, 10 h rests), a GITT of particles whose Li enters through
    the uncovered surface (D (1 - theta)^2) reads the coverage law's relative area within
    0.05; with the coverage acting on the kinetics only it reads the full area."""
    monkeypatch.setattr(ch, "APPROACH_REST_H", 20.0)
    kw = dict(pulses=1, model="SPMe", mechanics=False, rest_min=600.0)
    entry = ch.gitt_active_area("jo2024-cathode", [0.5, 1.5, 2.5], coverage_entry="effective diffusivity", **kw)
    kinetics_only = ch.gitt_active_area("jo2024-cathode", [0.5, 2.5], coverage_entry="none", **kw)
    for r in entry["rows"]:
        assert r["notes"] == []
        assert r["relative_active_area_gitt"] == pytest.approx(r["relative_active_area_law"], abs=0.05)
    assert kinetics_only["rows"][-1]["relative_active_area_gitt"] == pytest.approx(1.0, abs=0.02)


def test_dfn_gitt_recovers_the_coverage_law_area_where_weppner_huggins_holds(monkeypatch):
    """The goal of issue 19 measured where its analysis holds: Li entering through the
    uncovered surface (D (1 - theta)^2), an SE network that relaxes within the 10 min
    pulse (Jo's tortuosities / 100: tau_ion 3-6 min, where Jo's cell takes 5-10 h) and
    relaxed rests (20 h approach rest, 10 h rests). The DFN's virtual GITT then reads
    the coverage law's relative area within 0.05 (0.82 / 0.64 against 0.81 / 0.63)."""
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    monkeypatch.setattr(ch, "APPROACH_REST_H", 20.0)
    tau = "Positive electrode tortuosity factor (electrolyte)"
    d_app = {}
    for w in (0.5, 1.5, 2.5):
        fast = {tau: parameter_values(resolve_conditions("jo2024-cathode", binder_content=w))[tau] / 100}
        g = ch.gitt("jo2024-cathode", binder_content=w, coverage_entry="effective diffusivity", mechanics=False,
                    pulses=1, rest_min=600.0, parameters=fast)
        assert g["notes"] == [] and g["ionic_relaxation_time_s"] < 600.0, g["notes"]
        d_app[w] = g["D_app_m2_s"]
    for w in (1.5, 2.5):
        assert np.sqrt(d_app[w] / d_app[0.5]) == pytest.approx(bc.relative_active_area(w, "wet"), abs=0.05)


def test_dcir_grows_with_binder_content():
    """Jo 2024: DC-IR from 10 s pulses rises with NBR content (fewer rates than Jo's six
    to keep the test fast)."""
    r = {w: ch.dcir("jo2024-cathode", binder_content=w, c_rates=(0.025, 0.25, 1.0)) for w in (0.5, 2.5)}
    for x in r.values():
        dv = [p["delta_V"] for p in x["pulses"]]
        assert dv == sorted(dv) and x["resistance_Ohm"] > 0
        assert x["area_specific_resistance_Ohm_cm2"] == pytest.approx(x["resistance_Ohm"])  # 1 cm2 cell
    assert r[2.5]["resistance_Ohm"] > 1.1 * r[0.5]["resistance_Ohm"]


@pytest.fixture(scope="module")
def choi_measured():
    """DC-IR and EIS of Choi 2025's Si-graphite half cell (48 MPa, SOC 0.5), and the
    models the DC-IR built."""
    built = []

    def spy(cond, pv, *args):
        built.append(m := cell_model(cond, pv, *args))
        return m
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ch, "cell_model", spy)
        dcir = ch.dcir("choi2025", c_rates=(0.025, 0.25, 1.0))
    return {"dcir": dcir, "eis": cc.eis("choi2025"), "built": built}


def test_characterisation_measures_the_cell_that_simulate_runs(choi_measured):
    """The virtual DC-IR of Choi's anode is the cell's model (its SE reduction included),
    on one OCP branch: no model it builds switches Si's branches with the current."""
    (model,) = choi_measured["built"]
    assert "X-averaged positive secondary SEI thickness [m]" in model.variables
    assert model.options["open-circuit potential"] == "single"


def test_dcir_of_the_si_graphite_anode_is_a_resistance_through_the_origin(choi_measured):
    """10 s pulses from rest: the voltage change is proportional to the current (a
    resistance; the sigmoid's jump from the branches' mean to a branch at every pulse
    gave 66 mV at any current), and rises with it."""
    r = choi_measured["dcir"]
    dv = [p["delta_V"] for p in r["pulses"]]
    assert dv == sorted(dv) and r["resistance_Ohm"] > 0
    assert abs(r["intercept_V"]) < 0.02 * dv[-1], r


def test_eis_and_dcir_of_the_si_graphite_anode_agree_at_10_s(choi_measured):
    """The same cell's impedance at 0.1 Hz (a 10 s period) and its 10 s DC-IR
    resistance are within a factor of 2 of each other (linearised on the current
    sigmoid's slope at rest, the EIS read 7e4 Ohm)."""
    e = choi_measured["eis"]
    z01 = np.interp(-1.0, np.log10(e["frequency_Hz"]), e["Z_real_Ohm"])
    assert 0.5 < z01 / choi_measured["dcir"]["resistance_Ohm"] < 2.0, (z01, choi_measured["dcir"]["resistance_Ohm"])


@pytest.mark.parametrize("process, ionic_measured", [("wet", 3.3e-6), ("dry", 6.9e-5), ("none", 1.7e-4)])
def test_blocking_cells_return_the_calibrated_conductivities(process, ionic_measured):
    """Emley 2023 (blocking cells at 21 MPa, 30 C): the model's composite conductivities
    come back within 10 % of the calibrated ones, and the ionic ones of the measured."""
    r = cc.blocking("emley2023", process=process, pressure=21.0)
    recipe = emley2023.CATHODE.with_binder(0.0 if process == "none" else 0.5, process,
                                           emley2023.BINDER_BY_PROCESS[process])
    ionic = recipe.ionic_conductivity(LPSCL.conductivity(303.15).evaluate()) / 100
    assert r["ionic_conductivity_S_cm"] == pytest.approx(ionic, rel=0.10)
    assert r["electronic_conductivity_S_cm"] == pytest.approx(recipe.electronic_conductivity() / 100, rel=0.10)
    assert r["ionic_conductivity_S_cm"] == pytest.approx(ionic_measured, rel=0.10)


def test_blocking_cell_measures_the_model_not_the_recipe():
    """A doubled tortuosity in the parameter set halves the measured ionic conductivity."""
    base = cc.blocking("emley2023", process="dry", pressure=21.0)
    from ssbsim.simulator.simulation import parameter_values, resolve_conditions

    tau = parameter_values(resolve_conditions("emley2023", process="dry"))[
        "Positive electrode tortuosity factor (electrolyte)"]
    r = cc.blocking("emley2023", process="dry", pressure=21.0,
                    parameters={"Positive electrode tortuosity factor (electrolyte)": 2 * tau})
    assert r["ionic_conductivity_S_cm"] == pytest.approx(base["ionic_conductivity_S_cm"] / 2, rel=1e-6)


@pytest.fixture(scope="module")
def kwon_eis():
    return {p: cc.eis("kwon2022", pressure=p, soc=0.9) for p in (2.0, 70.0)}


def test_eis_interfacial_arc_larger_at_2_than_at_70_mpa(kwon_eis):
    """Kwon 2022 at SOC 0.9, charged from pristine at 0.1C: contact lost at 2 MPa enlarges
    the interfacial arc."""
    low, high = kwon_eis[2.0], kwon_eis[70.0]
    assert low["interfacial_resistance_Ohm"] > 1.1 * high["interfacial_resistance_Ohm"]
    assert low["high_frequency_resistance_Ohm"] >= high["high_frequency_resistance_Ohm"]


def test_eis_arc_grows_with_a_weaker_binder_and_with_cycles_at_2_mpa(kwon_eis):
    """At 2 MPa the linear (pristine) BR loses more contact than the vulcanized network,
    and the loss accumulates over cycles (Kwon 2022's trends)."""
    base = kwon_eis[2.0]["interfacial_resistance_Ohm"]
    vulcanized = cc.eis("kwon2022", binder="vulcanized", pressure=2.0, soc=0.9)
    cycled = cc.eis("kwon2022", pressure=2.0, soc=0.9, cycles=2)
    assert vulcanized["interfacial_resistance_Ohm"] < base < cycled["interfacial_resistance_Ohm"]
    assert cycled["cycles_before"] == 2


def test_eis_spectrum_is_capacitive_and_ordered(kwon_eis):
    r = kwon_eis[70.0]
    f, zr, zi = (np.array(r[k]) for k in ("frequency_Hz", "Z_real_Ohm", "Z_imag_Ohm"))
    assert np.all(np.diff(f) > 0) and np.all(zi <= 1e-9)  # -Im Z >= 0 everywhere
    assert zr[0] > zr[-1] > 0  # the real part falls from low to high frequency
    assert r["high_frequency_resistance_Ohm"] == pytest.approx(zr[-1])


def test_cli_characterise_json_figures_and_errors(tmp_path):
    res = CliRunner().invoke(main, ["characterise", "blocking", "--preset", "emley2023", "--pressure", "21",
                                    "--process", "dry", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["conditions"]["process"] == "dry" and d["ionic_conductivity_S_cm"] == pytest.approx(6.74e-5, rel=0.01)
    fig = tmp_path / "gitt.png"
    res = CliRunner().invoke(main, ["characterise", "gitt", "--preset", "jo2024-cathode", "--model", "SPMe",
                                    "--no-mechanics", "--binder-content", "0.5", "--binder-content", "2.5",
                                    "--pulses", "1", "--json", "--figure", str(fig)])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert [r["binder_content_wt_pct"] for r in rows] == [0.5, 2.5]
    assert rows[1]["relative_active_area_law"] == pytest.approx(bc.relative_active_area(2.5, "wet"))
    assert fig.read_bytes()[:4] == b"\x89PNG"
    h5 = tmp_path / "lab.h5"  # the same measurement kept in HDF5, a group per run
    res = CliRunner().invoke(main, ["characterise", "blocking", "--preset", "emley2023", "--pressure", "21",
                                    "--process", "dry", "--json", "--h5", str(h5)])
    assert res.exit_code == 0 and "written: " in res.stderr and json.loads(res.stdout) == d
    assert read_measurement(h5, "/blocking_cells/run_001") == d
    (tmp_path / "sweep.h5").write_bytes(b"not hdf5")
    res = CliRunner().invoke(main, ["characterise", "eis", "--preset", "kwon2022", "--h5", str(tmp_path / "sweep.h5")])
    assert res.exit_code != 0 and "not an HDF5 file" in res.output and len(res.output.strip().splitlines()) == 1
    res = CliRunner().invoke(main, ["characterise", "dcir", "--preset", "jo2024-cathode", "--c-rates", "0.1,x"])
    assert res.exit_code == 2 and "--c-rates='0.1,x' is not" in res.output
    res = CliRunner().invoke(main, ["characterise", "eis", "--preset", "kwon2022", "--model", "spme"])
    assert res.exit_code == 2 and "--model SPMe: characterise eis runs the DFN" in res.output
    res = CliRunner().invoke(main, ["characterise", "blocking", "--preset", "emley2023", "--figure", "x.png"])
    assert res.exit_code == 2 and "draws no figure" in res.output
    with pytest.raises(InputError, match="GITT pulses=0 is outside"):
        ch.gitt("jo2024-cathode", pulses=0)


def test_cli_gitt_runs_the_presets_own_binder_content_by_default():
    """Without --binder-content the GITT runs (and normalises to) the binder content of
    the preset's electrode, as eis, dcir and blocking do: Choi's 4 wt%, not Jo's 0.5."""
    res = CliRunner().invoke(main, ["characterise", "gitt", "--preset", "choi2025", "--model", "SPM",
                                    "--no-mechanics", "--pulses", "1", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert [r["binder_content_wt_pct"] for r in d["rows"]] == [4.0] and d["conditions"]["binder_content_wt_pct"] == 4.0


def test_cli_measurements_take_the_coverage_entry_option(monkeypatch):
    """The user guide's GITT with Li entering through the uncovered surface only was
    reachable from Python alone: gitt, dcir and eis take --coverage-entry and pass it to
    the cell; the SPMe's GITT with relaxed rests then reads the coverage law's area."""
    import ssbsim.simulator.characterise as characterise_mod
    import ssbsim.simulator.characterise_cells as cells_mod

    seen = {}

    def fake(name):
        def run(*args, **kwargs):
            seen[name] = kwargs.get("coverage_entry")
            raise RuntimeError("stop")
        return run

    monkeypatch.setattr(characterise_mod, "dcir", fake("dcir"))
    monkeypatch.setattr(cells_mod, "eis", fake("eis"))
    for cmd in ("dcir", "eis"):
        CliRunner().invoke(main, ["characterise", cmd, "--preset", "jo2024-cathode", "--coverage-entry",
                                  "effective diffusivity"])
    assert seen == {"dcir": "effective diffusivity", "eis": "effective diffusivity"}
    res = CliRunner().invoke(main, ["characterise", "gitt", "--preset", "jo2024-cathode", "--model", "SPMe",
                                    "--binder-content", "1.5", "--coverage-entry", "effective diffusivity",
                                    "--rest-min", "600", "--json"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.stdout)["rows"][0]
    assert row["relative_active_area_gitt"] == pytest.approx(row["relative_active_area_law"], abs=0.02)
    bad = CliRunner().invoke(main, ["characterise", "gitt", "--preset", "jo2024-cathode", "--coverage-entry", "x"])
    assert bad.exit_code == 2 and "--coverage-entry" in bad.output
