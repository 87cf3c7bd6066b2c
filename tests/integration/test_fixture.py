"""The fixture option: the stack pressure a spring or a rigid gap makes of the
electrodes' breathing (ssbsim.models.fixture). Small SPM cases, a few seconds each."""

import numpy as np
import pybamm
import pytest

import ssbsim
from ssbsim.models import composite_cell_model
from ssbsim.models.fixture import PRESSURE_SCALE_PA, floor_at_zero
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.presets import get_preset
from ssbsim.simulator.protocol import experiment_of
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

P0_MPA = 2.0


#: absolute tolerance of the fixture solves (on the states' scales)
SOLVER_ATOL = 1e-8


def _solve(preset, fixture, zero_strain=(), **pv_updates):
    """One paper cycle of ``preset`` on the SPM at 2 MPa in ``fixture``; the volumetric
    strain of the electrodes in ``zero_strain`` set to 0."""
    p = get_preset(preset)
    cond = resolve_conditions(preset, pressure=P0_MPA, model="SPM", fixture=fixture)
    pv = parameter_values(cond)
    pv.update({f"{d} electrode volumetric strain": (lambda sto: 0 * sto) for d in zero_strain})
    pv.update(pv_updates)
    model = composite_cell_model("SPM", p.cell, mechanics=True, fixture=fixture)
    steps = p.protocol().segments(P0_MPA)[0][1]
    sim = pybamm.Simulation(model, parameter_values=pv, experiment=experiment_of(steps),
                            solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=SOLVER_ATOL))
    return sim.solve(), pv


@pytest.mark.parametrize("preset", ["kwon2022", "kwon2022-pouch"])
def test_zero_strain_electrodes_keep_the_pressure_at_fixed_displacement(preset):
    """Nothing breathes (LTO is zero-strain already; the NCM set so): the gap stays
    what it was, so does the pressure, in the half cell and the full cell (the pouch's
    with the atmosphere's 0.101 MPa on top: models.fixture)."""
    sol, pv = _solve(preset, "rigid", zero_strain=("Positive",))
    P = sol["Stack pressure [Pa]"].entries
    assert sol["Discharge capacity [A.h]"].entries.min() < -1e-4  # it did cycle
    ambient = pv["Ambient pressure on the stack [Pa]"]
    assert ambient == (101325.0 if preset == "kwon2022-pouch" else 0.0)
    assert np.max(np.abs(P - P0_MPA * 1e6 - ambient)) < 1.0  # Pa


def _compliance(pv, domains):
    """sum L / E of the SE layer and the composites, by hand [m/Pa]."""
    c = pv["Separator thickness [m]"] / pv["Solid electrolyte layer modulus [Pa]"]
    return c + sum(pv[f"{d} electrode thickness [m]"] / pv["Composite layer modulus [Pa]"] for d in domains)


def test_shrinking_cathode_loses_pressure_on_charge_and_regains_it_on_discharge():
    sol, pv = _solve("kwon2022", "rigid")
    charge, hold, discharge = sol.cycles[0].steps
    P = sol["Stack pressure [Pa]"].entries
    c_s = _compliance(pv, ["Positive"])  # 600 um SE at 18.5 GPa + 40 um composite at 1 GPa
    assert c_s == pytest.approx(600e-6 / 18.5e9 + 39.8e-6 / 1e9, rel=0.01)
    # the pressure is the set one plus the composite's thickness change over the compliance
    dL = pv["Positive electrode thickness [m]"] * sol["Positive electrode thickness strain"].entries
    np.testing.assert_allclose(P, P0_MPA * 1e6 + dL / c_s, rtol=0, atol=1e2)
    # NCM shrinks on charge: the pressure falls (less than the particles shrink: gaps open
    # beside them and hold the layer's thickness until creep closes them); on discharge the
    # particles refill their gaps, then expand the layer again: the pressure comes back up
    top = charge["Stack pressure [Pa]"].entries[-1]
    assert top < P0_MPA * 1e6 - 1e5
    P_dis = discharge["Stack pressure [Pa]"].entries
    assert np.argmin(P_dis) < len(P_dis) - 1 and P_dis[-1] > P_dis.min() + 5e4
    # order of magnitude: at most the particles' own shrinkage (no gaps opened) at the
    # top of charge, eps_AM0 ((1 + s)^3 - 1) L / c_s ~ -7 MPa
    s = charge["Positive electrode radial strain"].entries[-1]
    bound = pv["Positive electrode active material volume fraction"] * ((1 + s) ** 3 - 1) * \
        pv["Positive electrode thickness [m]"] / c_s
    assert -10e6 < bound < top - P0_MPA * 1e6 < 0


def test_spring_in_series_swings_less_than_the_rigid_gap():
    """A spring of k_f in series with the stack: the swing scales by
    c_s / (c_s + A / k_f) against the rigid gap's (both from the same thickness change)."""
    rigid, pv = _solve("kwon2022", "rigid")
    spring, _ = _solve("kwon2022", "spring")
    c_s = _compliance(pv, ["Positive"])
    c_f = pv["Electrode height [m]"] * pv["Electrode width [m]"] / pv["Fixture stiffness [N.m-1]"]
    dL = pv["Positive electrode thickness [m]"] * spring["Positive electrode thickness strain"].entries
    np.testing.assert_allclose(spring["Stack pressure [Pa]"].entries, P0_MPA * 1e6 + dL / (c_s + c_f),
                               rtol=0, atol=1e2)
    swing = {k: np.ptp(s["Stack pressure [Pa]"].entries) for k, s in (("rigid", rigid), ("spring", spring))}
    assert 0 < swing["spring"] < swing["rigid"] / 10


def test_the_stack_separates_instead_of_pulling():
    """Set at 10 kPa, the breathing cathode would need a tension at times to keep the
    gap: the pressure stops at 0 instead (never below) and the stack closes again. (Set
    at 30 kPa it bottoms out at ~2 kPa: particles cut off as the pressure falls reconnect
    under the binder's traction with the lithium of the less delithiated state they were
    cut off in, and the layer shrinks less.)"""
    sol, _ = _solve("kwon2022", "rigid", **{"Stack pressure [Pa]": 1e4})
    P = sol["Stack pressure [Pa]"].entries
    # P is an algebraic state solved to SOLVER_ATOL on its scale (PRESSURE_SCALE_PA, 0.01 Pa
    # here): "never below 0" holds to that resolution, not to the last digit
    resolution = SOLVER_ATOL * PRESSURE_SCALE_PA
    assert P.min() == pytest.approx(0.0, abs=1.0) and np.all(P >= -resolution)
    separated = np.flatnonzero(P < 1.0)
    assert np.any(P[separated[0]:] > 1e3)  # contact again after the first separation


def test_floor_at_zero_is_exact_outside_the_blend_and_c1():
    y = np.array([-5.0, 0.0, 0.5, 1.0, 3.0])
    np.testing.assert_allclose(floor_at_zero(y, 1.0), [0.0, 0.0, 0.5 ** 2 * 1.5, 1.0, 3.0])
    z = np.linspace(-2, 2, 401)
    assert np.all((floor_at_zero(z, 1.0) >= 0) & (floor_at_zero(z, 1.0) <= np.maximum(z, 0) + 1e-15))
    eps = 1e-7
    for x in (0.0, 1.0):  # slope continuous at both ends of the blend
        left = (floor_at_zero(x, 1.0) - floor_at_zero(x - eps, 1.0)) / eps
        right = (floor_at_zero(x + eps, 1.0) - floor_at_zero(x, 1.0)) / eps
        assert left == pytest.approx(right, abs=1e-5)


def test_constant_pressure_mode_is_the_model_without_a_fixture():
    """Constant pressure adds no equation: the contact law reads the parameter itself,
    and a vanishingly soft spring gives the same capacity."""
    const = composite_cell_model("SPM", "half", mechanics=True, fixture="constant pressure")
    rigid = composite_cell_model("SPM", "half", mechanics=True, fixture="rigid")
    assert isinstance(const.variables["Stack pressure [Pa]"], pybamm.Parameter)
    assert (const.options["fixture"], rigid.options["fixture"]) == ("constant pressure", "rigid")
    assert len(rigid.algebraic) == len(const.algebraic) + 1 and len(rigid.rhs) == len(const.rhs)
    assert "Stack pressure [Pa]" not in {v.name for v in const.algebraic}
    caps = {}
    for fixture, k_f in (("constant pressure", None), ("spring", 1e-6)):
        sol, _ = _solve("kwon2022", fixture, **({"Fixture stiffness [N.m-1]": k_f} if k_f else {}))
        q = sol.cycles[0].steps[2]["Discharge capacity [A.h]"].entries
        caps[fixture] = q[-1] - q[0]
    assert caps["spring"] == pytest.approx(caps["constant pressure"], rel=1e-4)


def test_pouch_preset_is_in_a_rigid_fixture_and_reports_its_pressure(simulate_cached):
    assert resolve_conditions("kwon2022-pouch").fixture == "rigid"
    assert resolve_conditions("kwon2022").fixture == "constant pressure"
    assert resolve_conditions("kwon2022-pouch", mechanics=False).fixture == "constant pressure"
    r = simulate_cached("kwon2022", model="SPM", pressure=P0_MPA, fixture="rigid")
    p = r.series["stack_pressure_MPa"]
    assert len(p) == len(r.time_s) and p.min() < P0_MPA
    c = r.cycle_dicts()[0]
    assert c["min_stack_pressure_MPa"] == pytest.approx(p.min()) and c["max_stack_pressure_MPa"] == pytest.approx(P0_MPA)
    assert r.to_dict()["min_stack_pressure_MPa"] == pytest.approx(p.min())
    assert "rigid fixture" in r.summary()


def test_pressure_trace_is_stored(tmp_path):
    from ssbsim.simulator.store import SweepStore
    from ssbsim.simulator.sweep import run_case

    cond = resolve_conditions("kwon2022", model="SPM", pressure=P0_MPA, fixture="spring")
    record = run_case(cond, ())
    store = SweepStore(tmp_path / "sweep.h5", "h", 1, "0")
    store.write_case("one", record)
    series = store.series("one")
    assert len(series["stack_pressure_MPa"]) == len(series["time_s"])
    assert series["cycle_min_stack_pressure_MPa"][0] < P0_MPA
    assert store.read()[0]["fixture"] == "spring"


@pytest.mark.parametrize("kwargs, match", [
    ({"fixture": "rigd"}, r"fixture='rigd' is not one of constant pressure, spring, rigid \(did you mean 'rigid'\?\)"),
    ({"fixture": "rigid", "mechanics": False}, r"fixture='rigid' needs mechanics"),
])
def test_bad_fixture_is_one_line_naming_the_option(kwargs, match):
    with pytest.raises(InputError, match=match):
        ssbsim.simulate("kwon2022", **kwargs)


def test_the_model_checks_the_option_too():
    with pytest.raises(ValueError, match=r"fixture='rigd' is not one of .* \(did you mean 'rigid'\?\)"):
        composite_cell_model("SPM", "half", mechanics=True, fixture="rigd")
    with pytest.raises(ValueError, match=r"fixture='spring' needs mechanics=True"):
        composite_cell_model("SPM", "half", fixture="spring")


def test_cli_and_sweep_pass_the_fixture_on(monkeypatch):
    from click.testing import CliRunner

    from ssbsim.models.options import OPTIONS
    from ssbsim.simulator import cli, simulation
    from ssbsim.simulator.sweep import build_grid

    assert tuple(cli.FIXTURES.choices) == OPTIONS["fixture"]
    seen = {}
    monkeypatch.setattr(simulation, "simulate", lambda preset, **kw: seen.update(kw) or (_ for _ in ()).throw(
        InputError("stop")))
    CliRunner().invoke(cli.main, ["simulate", "--preset", "kwon2022", "--fixture", "constant pressure"])
    assert seen["fixture"] == "constant pressure"
    grid = build_grid(presets=["kwon2022", "kwon2022-pouch"], pressures=[2.0], fixture="spring")
    assert [c.fixture for c in grid] == ["spring", "spring"]
    assert [c.fixture for c in build_grid(presets=["kwon2022", "kwon2022-pouch"])] == ["constant pressure", "rigid"]


def test_an_evacuated_pouch_keeps_the_atmosphere_on_its_stack(simulate_cached):
    """Kwon's pouch at no external pressure: its shrinking cathode lets go of the fixed
    gap, and the atmosphere's 0.101 MPa through the evacuated pouch is what still presses
    the stack; without it (a die) the pressure falls to 0 and the raw rubber's cell, whose
    traction relaxes, keeps less capacity."""
    pouch = simulate_cached("kwon2022-pouch", model="SPM")
    P = pouch.solution["Stack pressure [Pa]"].entries
    assert P.min() == pytest.approx(101325.0, abs=1.0)
    bare = ssbsim.simulate("kwon2022-pouch", model="SPM", parameters={"Ambient pressure on the stack [Pa]": 0.0})
    assert bare.solution["Stack pressure [Pa]"].entries.min() < 1.0
    assert pouch.discharge_capacity_mAh_g > bare.discharge_capacity_mAh_g + 10


@pytest.mark.parametrize("fixture", ["rigid", "spring"])
@pytest.mark.parametrize("cycle_skipping", [False, True])
def test_an_entry_at_another_pressure_re_tightens_the_fixture_to_that_pressure(fixture, cycle_skipping):
    """A protocol entry at 5 MPa after two cycles at 2 MPa in a fixture: the stack feels
    5 MPa at the entry's start, whatever its thickness did before (it ran at 4.88 MPa when
    the entry only reset P_0, as if at assembly); on both paths. Kwon's cathode ends each
    cycle thinner (the first cycle's loss leaves NCM less lithiated), so its pressure falls
    from each (re-)set value."""
    from ssbsim.simulator.protocol import Protocol

    steps = ["Charge at 0.5C until 4.3 V", "Rest for 10 minutes", "Discharge at 0.5C until 3.0 V"]
    protocol = Protocol.from_dict({"cycles": [{"steps": steps, "repeat": 2, "pressure_MPa": 2},
                                              {"steps": steps, "repeat": 1, "pressure_MPa": 5}]})
    r = ssbsim.simulate("kwon2022", model="SPM", protocol=protocol, fixture=fixture, pressure=2,
                        cycle_skipping=cycle_skipping)
    highs = [c.max_stack_pressure_MPa for c in r.cycles]
    lows = [c.min_stack_pressure_MPa for c in r.cycles]
    assert highs[0] == pytest.approx(2.0, abs=1e-4) and lows[1] < 2.0 - 1e-3  # the cycles left it lower
    assert highs[2] == pytest.approx(5.0, abs=1e-4)  # re-tightened to the entry's pressure (solver: ~1e-5)


def test_the_runs_pressure_extremes_cover_every_cycle_on_the_fast_path():
    """A first entry at 5 MPa, then eight cycles at 2 MPa in a rigid fixture: the result's
    max_stack_pressure_MPa is the run's (5), also where the fast path keeps the last
    cycle's series only (it said ~2)."""
    from ssbsim.simulator.protocol import Protocol

    steps = ["Charge at 0.5C until 4.3 V", "Rest for 10 minutes", "Discharge at 0.5C until 3.0 V"]
    protocol = Protocol.from_dict({"cycles": [{"steps": steps, "repeat": 1, "pressure_MPa": 5},
                                              {"steps": steps, "repeat": 8, "pressure_MPa": 2}]})
    r = ssbsim.simulate("kwon2022", model="SPM", protocol=protocol, fixture="rigid", pressure=2, cycle_skipping=True)
    assert r.cycle_path == "cycle skipping"
    assert r.electrode["max_stack_pressure_MPa"] == pytest.approx(5.0, abs=1e-4)
    assert r.electrode["min_stack_pressure_MPa"] == pytest.approx(min(c.min_stack_pressure_MPa for c in r.cycles))
