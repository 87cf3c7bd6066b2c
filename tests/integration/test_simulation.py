"""First-cycle simulations against Jo 2024, conservation, windows and model agreement."""

import shutil

import numpy as np
import pytest
from conftest import calibration_rows

import ssbsim
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.presets import PRESETS
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

JO = {r["electrode"] + r["binder_wt_pct"]: float(r["value"])
      for r in calibration_rows("Jo2024", "discharge_capacity")}


@pytest.mark.xfail(strict=True, reason="bounded by NCM811's OCP, not by the diffusivity scale s: Chen 2020's "
                   "OCP reaches 4.3 V at x = 0.265 (its data end there), so the first charge is 196.5 mAh/g and "
                   "194.1 would need a first-cycle efficiency of 98.8 %; with s fitted on Jo and Kwon's 70 MPa "
                   "rows together Jo's 0.05C first discharge is 180.9 mAh/g (docs/physics.md, Known limits)")
def test_jo2024_ncm811_first_discharge(simulate_cached):
    """0.05C, 0.5 wt% NBR, 75 MPa: 191-194 mAh/g measured (the range over 0.5-2.5 wt%)."""
    r = simulate_cached("jo2024-cathode", binder_content=0.5)
    lo, hi = sorted((JO["cathode0.5"], JO["cathode2.5"]))
    assert lo - 8 <= r.discharge_capacity_mAh_g <= hi + 8


def test_jo2024_ncm811_first_cycle_loses_capacity(simulate_cached):
    r = simulate_cached("jo2024-cathode", binder_content=0.5)
    assert r.charge_capacity_mAh_g > r.discharge_capacity_mAh_g  # first-cycle loss


@pytest.mark.xfail(strict=True, reason=(
    "1114 mAh/g at 0.5 wt% (1105 at 2.5): the anode lithiates nearly all of the Si-C's assumed "
    "practical capacity, the paper's 1C basis of 1120 mAh/g, where Jo measured 1050-1062 at 0.05C; no row "
    "measures the practical capacity (docs/physics.md, Known limits)"))
def test_jo2024_si_graphite_first_lithiation(simulate_cached):
    """0.05C, Si-graphite half cell, 0.5 wt% NBR: within 3 % (the validation rows'
    tolerance) of the 1050-1062 mAh/g that Jo measured over 0.5-2.5 wt% (validation rows)."""
    r = simulate_cached("jo2024-anode", binder_content=0.5)
    lo, hi = sorted((JO["anode0.5"], JO["anode2.5"]))
    assert 0.97 * lo <= r.discharge_capacity_mAh_g <= 1.03 * hi


@pytest.mark.parametrize("electrode", ["cathode", "anode"])
def test_jo2024_binder_content_moves_the_first_cycle_no_more_than_measured(simulate_cached, electrode):
    """Jo 2024's 0.05C first cycles span 191.0-194.1 mAh/g (NCM811) and 1050-1062 mAh/g
    (Si-C) over 0.5-2.5 wt% NBR (validation rows; which content gave which end is not
    stated): the model's change between the two contents stays within the measured spread
    plus 1 % of the capacity."""
    preset = f"jo2024-{electrode}"
    q = [simulate_cached(preset, binder_content=w).discharge_capacity_mAh_g for w in (0.5, 2.5)]
    measured = (JO[f"{electrode}0.5"], JO[f"{electrode}2.5"])
    assert abs(q[0] - q[1]) <= abs(measured[0] - measured[1]) + 0.01 * max(measured), q


def test_jo2024_si_graphite_first_cycle_gives_back_no_more_than_it_took_and_held(simulate_cached):
    """The first delithiation returns at most the lithiation plus the Li the pristine
    particles held (x0 of each phase times its share of the capacity)."""
    from ssbsim.parameter_sets import jo2024
    from ssbsim.parameter_sets.materials import PRISTINE_SI_GRAPHITE_STO

    r = simulate_cached("jo2024-anode", binder_content=0.5)
    held = sum(x0 * w * phase.specific_capacity_mAh_g  # ~0.7 mAh/g
               for x0, w, phase in zip(PRISTINE_SI_GRAPHITE_STO, jo2024.ANODE.phase_mass_fractions, jo2024.ANODE.phases))
    assert r.delithiation_capacity_mAh_g <= r.lithiation_capacity_mAh_g + held


def test_jo2024_si_graphite_spans_the_papers_practical_capacity(simulate_cached):
    """The Si-C's phases span the paper's 1C basis, 1120 mAh/g_SiC (2.8 mA/cm2 over 2.5
    mg/cm2), not Li15Si4's theoretical capacity: the first delithiation stays below it, and
    the full cell's N/P by capacity is the paper's 2.8 / 2.0 = 1.4 within 5 %."""
    from ssbsim.parameter_sets import jo2024

    assert jo2024.ANODE.theoretical_capacity_mAh_g == pytest.approx(2.8 / 2.5 * 1e3)
    r = simulate_cached("jo2024-anode", binder_content=0.5)
    assert 0.8 * jo2024.ANODE.theoretical_capacity_mAh_g < r.delithiation_capacity_mAh_g
    assert r.delithiation_capacity_mAh_g <= jo2024.ANODE.theoretical_capacity_mAh_g
    pv = parameter_values(resolve_conditions("jo2024-full"))
    n_over_p = (pv["Negative electrode active material mass loading [kg.m-2]"] * jo2024.ANODE.theoretical_capacity_mAh_g
                / (pv["Positive electrode active material mass loading [kg.m-2]"] * jo2024.CATHODE_1C_MAH_G))
    assert n_over_p == pytest.approx(2.8 / 2.0, rel=0.05)


@pytest.mark.parametrize("preset", ["jo2024-cathode", "jo2024-anode", "jo2024-full"])
def test_charge_is_conserved(simulate_cached, preset):
    """Integrated current equals the capacity counter, and the Li that left the working
    electrode's particles (connected ones, plus Li stranded in contact-isolated ones)
    equals the charge passed."""
    r = simulate_cached(preset)
    sol = r.solution
    t, current = sol["Time [s]"].entries, sol["Current [A]"].entries
    q_counter = sol["Discharge capacity [A.h]"].entries
    for step in sol.cycles[0].steps:  # trapezoid within steps (current jumps between them)
        ts, Is = step["Time [s]"].entries, step["Current [A]"].entries
        dq = step["Discharge capacity [A.h]"].entries
        # trapezoid on the solver's output points: ~0.3 % on a CV hold's fast transient
        assert np.trapezoid(Is, ts) / 3600 == pytest.approx(dq[-1] - dq[0], rel=5e-3, abs=1e-9)
    domain = "negative" if preset == "jo2024-full" else "positive"
    li = sol[f"Total lithium in {domain} electrode [mol]"].entries
    stranded = [n for n in sol.all_models[0].variables
                if n.startswith("Loss of lithium due to loss of") and n.endswith(f"in {domain} electrode [mol]")]
    if any("primary" in n for n in stranded):  # two phases: PyBaMM also gives their total
        stranded = [n for n in stranded if "primary" in n or "secondary" in n]
    assert stranded, "mechanics on: isolated particles are loss of active material"
    # the SE's reduction on an anode takes Li+ and electrons too (parameter_sets.interphase)
    reduced = [n for n in sol.all_models[0].variables if n == f"Loss of lithium to {domain} SEI [mol]"]
    li = li + sum(sol[n].entries for n in stranded + reduced)
    sign = -1 if domain == "negative" else 1
    dli_Ah = sign * (li[-1] - li[0]) * 96485.33212 / 3600
    assert dli_Ah == pytest.approx(q_counter[-1] - q_counter[0], rel=1e-3, abs=1e-8)
    assert len(t) == len(current)


@pytest.mark.parametrize("preset", ["jo2024-cathode", "jo2024-anode", "kwon2022", "emley2023"])
def test_half_cell_voltage_stays_in_window(simulate_cached, preset):
    r = simulate_cached(preset)
    pv = parameter_values(r.conditions)
    vmin, vmax = PRESETS[preset].window_V
    assert (vmin, vmax) == (pv["Lower voltage cut-off [V]"], pv["Upper voltage cut-off [V]"])
    assert r.voltage_V.min() >= vmin - 1e-3 and r.voltage_V.max() <= vmax + 1e-3
    assert r.voltage_reference == "Li/Li+"
    offset = pv["Counter electrode potential vs Li/Li+ [V]"]
    np.testing.assert_allclose(r.voltage_vs_counter_V, r.voltage_V - offset)
    assert offset == {"Li-In": 0.62, "Li": 0.0}[PRESETS[preset].counter_electrode]


def test_reduced_models_at_low_rate_and_where_ionic_transport_limits(simulate_cached):
    """Perfect contact, Emley's 14 mg/cm2 rate cells at C/10 (CC, no CV hold). The dry
    (PTFE) composite conducts Li+ well: SPMe and SPM follow the DFN. The wet (NBR) one
    conducts 20x worse: its DFN and SPMe lose capacity to ionic transport, which the SPM
    (no electrolyte transport) cannot see. (With contact mechanics the cells differ
    further: the SPM charges uniformly and so shrinks its particles deeper.)"""
    caps = {(b, m): simulate_cached("emley2023", binder=b, model=m, mechanics=False).discharge_capacity_mAh_g
            for b in ("ptfe", "nbr") for m in ("DFN", "SPMe", "SPM")}
    for b in ("ptfe", "nbr"):
        assert caps[b, "SPMe"] == pytest.approx(caps[b, "DFN"], rel=0.02)
    assert caps["ptfe", "SPM"] == pytest.approx(caps["ptfe", "DFN"], rel=0.01)
    assert caps["nbr", "SPM"] > 1.05 * caps["nbr", "DFN"]
    assert caps["nbr", "DFN"] < caps["ptfe", "DFN"] - 5


def test_spme_with_mechanics_follows_dfn_for_kwon2022(simulate_cached):
    """Kwon 2022 at 0.1C is not transport-limited: SPMe within 2 % of the DFN at 2 MPa."""
    caps = [simulate_cached("kwon2022", pressure=2, model=m).discharge_capacity_mAh_g for m in ("DFN", "SPMe")]
    assert caps[1] == pytest.approx(caps[0], rel=0.02)


@pytest.mark.parametrize("model", ["SPM", "SPMe", "DFN"])
def test_default_solver_tolerances_converge_the_capacity(model):
    """The default tolerances give the capacity of a 10x tighter solve to 0.05 mAh/g
    (Kwon, vulcanized, 70 MPa: at PyBaMM's defaults the SPM was 0.35 mAh/g off)."""
    import pybamm

    from ssbsim.simulator.simulation import CellRunner, resolve_conditions
    from ssbsim.simulator.solving import solver_tolerances

    cond = resolve_conditions("kwon2022", binder="vulcanized", pressure=70.0, model=model)
    default = CellRunner(cond).run(cond).discharge_capacity_mAh_g
    tight = CellRunner(cond, solver=pybamm.IDAKLUSolver(**solver_tolerances(model, retry=True)))
    assert default == pytest.approx(tight.run(cond).discharge_capacity_mAh_g, abs=0.05)


def test_dry_process_beats_wet_emley2023(simulate_cached):
    """Dry (PTFE) leaves more active area and SE necks open: more capacity, higher voltage."""
    wet, dry = simulate_cached("emley2023", process="wet"), simulate_cached("emley2023", process="dry")
    assert dry.conditions.binder == "ptfe"
    assert dry.discharge_capacity_mAh_g >= wet.discharge_capacity_mAh_g
    assert dry.average_discharge_voltage_V > wet.average_discharge_voltage_V


def test_cycles_accumulate_and_report_per_cycle(simulate_cached):
    r = simulate_cached("emley2023", cycles=2)
    d = r.to_dict()
    assert len(d["cycles"]) == 2
    assert d["cycles"][0]["discharge_capacity_mAh_g"] == pytest.approx(d["discharge_capacity_mAh_g"])


def test_every_preset_solves_with_finite_metrics(simulate_cached):
    for name in PRESETS:
        d = simulate_cached(name, model="SPM").to_dict()
        for key in ("charge_capacity_mAh_g", "discharge_capacity_mAh_g", "coulombic_efficiency",
                    "average_discharge_voltage_V"):
            assert np.isfinite(d[key]) and d[key] > 0, (name, key, d[key])


@pytest.mark.parametrize("kwargs, match", [
    ({"preset": "kwon2023"}, r"preset='kwon2023' is not a known preset.*did you mean 'kwon2022'"),
    ({"preset": "kwon2022", "binder": "vulcanised"}, r"binder='vulcanised'.*allowed: pristine"),
    ({"preset": "kwon2022", "pressure": -2}, r"pressure=-2 MPa is outside .* 0 to 500 MPa"),
    ({"preset": "kwon2022", "pressure": float("inf")}, r"pressure=inf MPa is outside"),
    ({"preset": "kwon2022", "c_rate": -0.1}, r"C-rate=-0.1 C is outside"),
    ({"preset": "kwon2022", "binder_content": 11}, r"binder content=11 wt% is outside .* 0 to 10 wt%"),
    ({"preset": "kwon2022", "temperature": 95}, r"temperature=95 C is outside .*Kwon2022: -20 to 80 C"),
    ({"preset": "kwon2022", "cycles": 1.5}, r"cycles=1.5 is not a whole number"),
    ({"preset": "kwon2022", "model": "SPMe2"}, r"model='SPMe2' is not one of DFN, SPMe, SPM"),
])
def test_bad_input_raises_input_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        ssbsim.simulate(**kwargs)


def test_reduced_model_that_cannot_finish_the_first_cycle_says_to_use_the_dfn():
    """Jo 2024's NCM811 cathode with 2.5 wt% NBR at 0.5C is ionically limited: the DFN
    completes the cycle, the SPMe does not, and its error names the case and the way out."""
    from ssbsim.simulator.errors import SimulationError

    with pytest.raises(SimulationError, match=r"'model': 'SPMe'.*try model='DFN'"):
        ssbsim.simulate("jo2024-cathode", model="SPMe", binder_content=2.5, c_rate=0.5)
    assert ssbsim.simulate("jo2024-cathode", model="DFN", binder_content=2.5, c_rate=0.5).discharge_capacity_mAh_g > 20


def test_a_run_that_succeeds_prints_no_solver_errors():
    """IDA fails in the first step of Jo 2024's Si-graphite half cell at loose tolerances
    (rtol = atol = 1e-2, set here for the first attempt): the retry with ssbsim's tighter
    tolerances solves it, and the user sees the result and its note, not SUNDIALS' or
    PyBaMM's error lines."""
    import subprocess
    import sys

    code = ("import ssbsim; from ssbsim.simulator import simulation as s, solving; tol = solving.solver_tolerances\n"
            "solving.solver_tolerances = lambda model, retry=False: tol(model, retry) if retry else "
            "{'rtol': 1e-2, 'atol': 1e-2}\n"
            "init = s.CellRunner.__init__\n"
            "def loose(self, *a, **k):\n    init(self, *a, **k); self._tight = False\n"
            "s.CellRunner.__init__ = loose\n"
            "r = ssbsim.simulate('jo2024-anode', model='DFN'); "
            "print(r.discharge_capacity_mAh_g > 0, r.notes)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("True") and "tighter tolerances" in out.stdout
    assert "ERROR" not in out.stderr and "ERROR" not in out.stdout, out.stderr


def test_a_reduced_model_known_to_deviate_says_so_and_fit_avoids_it(simulate_cached):
    """Emley's wet cell is ionic-transport limited: its SPM deviates from the DFN by
    ~7 % (the recorded deviation is checked against a fresh pair of solves), so the
    result carries a note and fit defaults to a model within 2 %; Kwon's SPM is trusted."""
    from ssbsim.simulator.presets import REDUCED_MODEL_DEVIATION, recommended_model

    spm = simulate_cached("emley2023", model="SPM")
    dfn = simulate_cached("emley2023", model="DFN")
    dev = spm.discharge_capacity_mAh_g / dfn.discharge_capacity_mAh_g - 1
    assert dev == pytest.approx(REDUCED_MODEL_DEVIATION["emley2023"]["SPM"], abs=0.005)
    recorded = REDUCED_MODEL_DEVIATION["emley2023"]["SPM"]
    assert any(f"deviates from the DFN by {100 * recorded:+.1f} %" in n for n in spm.notes)
    assert not any("deviates" in n for n in dfn.notes)
    assert recommended_model("emley2023") == "SPMe" and recommended_model("kwon2022") == "SPM"
    assert recommended_model("jo2024-full") == "SPM"  # its SPM deviates by 0.8 % (its anode conducts as the anodes do)


def test_model_names_are_case_insensitive_in_the_api_too():
    from ssbsim.simulator.simulation import resolve_conditions

    assert [resolve_conditions("kwon2022", model=m).model for m in ("dfn", "spme", "Spm")] == ["DFN", "SPMe", "SPM"]
    with pytest.raises(InputError, match="model"):
        resolve_conditions("kwon2022", model="P2D")


@pytest.mark.skipif(shutil.which("gcc") is None, reason="PyBaMM compiles with gcc, which this machine lacks")
def test_a_compiled_solver_gives_the_interpreted_result(simulate_cached, monkeypatch, tmp_path):
    """SSBSIM_COMPILE=1: the solver's functions are compiled to C (PyBaMM's AOT option,
    here into a fresh cache) and the cell gives the same capacities as without."""
    from pybamm.codegen import compilation

    from ssbsim.simulator.solving import COMPILE_ENV

    reference = simulate_cached("kwon2022", pressure=2.0, model="SPM")
    monkeypatch.setenv(COMPILE_ENV, "1")
    monkeypatch.setenv("PYBAMM_CASADI_AOT_CACHE", str(tmp_path))
    monkeypatch.setattr(compilation, "_CACHE", {})  # compile here, not from this process's earlier builds
    r = ssbsim.simulate("kwon2022", pressure=2.0, model="SPM")
    assert [p for p in tmp_path.iterdir() if p.suffix in (".so", ".dylib", ".dll")], "nothing was compiled"
    assert r.discharge_capacity_mAh_g == pytest.approx(reference.discharge_capacity_mAh_g, rel=1e-6)
    assert r.charge_capacity_mAh_g == pytest.approx(reference.charge_capacity_mAh_g, rel=1e-6)
