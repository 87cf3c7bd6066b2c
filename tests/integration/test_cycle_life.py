"""Cycle life: contact loss accumulates cycle by cycle (force-chain rearrangement), faster
at low pressure and with weak binders, re-pressing gives part of it back, and the fast
path (cycle skipping with the ensemble) follows cycle-by-cycle runs."""

import numpy as np
import pybamm
import pytest

import ssbsim
from ssbsim.models.contact_law import ContactLawParameters
from ssbsim.simulator import cell_state, cycle_life
from ssbsim.simulator.simulation import CellRunner, _runner, parameter_values, resolve_conditions
from conftest import tight_solver

RHO = "Force chain rearrangement coefficient"
#: a coefficient large enough that 6 cycles show the trend well above solver noise
#: (tests of behaviour; the parameter sets carry the fitted value)
FAST_FADE = {RHO: 2.0}


def _discharge(result):
    return np.array([float(c.discharge_capacity_mAh_g) for c in result.cycles])


@pytest.fixture(scope="module")
def kwon_runs():
    """Six SPM cycles per binder and pressure, at tight tolerances: at 70 MPa nothing
    fades (~1e-5 mAh/g) and the SPM's own tolerances scatter the cycles by ~3e-3 mAh/g."""
    runs = {}
    for binder in ("pristine", "vulcanized"):
        for P in (2.0, 70.0):
            runs[binder, P] = _discharge(ssbsim.simulate("kwon2022", binder=binder, pressure=P, cycles=6,
                                                         model="SPM", parameters=FAST_FADE, solver=tight_solver()))
    return runs


def test_fade_is_monotone_and_larger_at_low_pressure(kwon_runs):
    q2, q70 = kwon_runs["pristine", 2.0], kwon_runs["pristine", 70.0]
    assert np.all(np.diff(q2[1:]) < 0), q2  # every cycle after the first loses capacity
    fade2, fade70 = q2[1] - q2[-1], q70[1] - q70[-1]
    assert fade2 > 0.5  # mAh/g over 4 cycles
    assert fade2 > 5 * max(fade70, 0.0), (fade2, fade70)


def test_stronger_binder_never_fades_faster(kwon_runs):
    for P in (2.0, 70.0):
        fade_p = kwon_runs["pristine", P][1] - kwon_runs["pristine", P][-1]
        fade_v = kwon_runs["vulcanized", P][1] - kwon_runs["vulcanized", P][-1]
        assert fade_v <= fade_p + 1e-3, (P, fade_v, fade_p)


def test_a_less_cohesive_binder_fades_faster_at_high_pressure():
    """Choi 2025's NG-Si anode at 48 MPa with NBR cast from anisole, toluene and p-xylene
    (cohesion 187 / 93 / 65 N/m; 100-cycle retention 94 / 91 / 89 % measured). Their
    holding traction relaxes within minutes at 60 C, so they differ in how often the
    binder bridges of a displaced particle break (chi): after 6 cycles the less cohesive
    binder delivers less (the capacity still rises as the SE's reduction slows)."""
    q = {b: np.array([c.charge_capacity_mAh_g for c in ssbsim.simulate(
        "choi2025", binder=b, cycles=6, model="SPM", parameters={RHO: 5.0}).cycles])
        for b in ("nbr-anisole", "nbr-toluene", "nbr-xylene")}
    gain = {b: v[-1] - v[1] for b, v in q.items()}  # [mAh/g], cycles 2 -> 6
    assert gain["nbr-anisole"] > gain["nbr-toluene"] + 0.2 > gain["nbr-xylene"] + 0.3, gain


def test_without_rearrangement_the_loss_is_the_first_charge_only():
    q = _discharge(ssbsim.simulate("kwon2022", pressure=2, cycles=4, model="SPM", parameters={RHO: 0.0}))
    assert np.ptp(q[1:]) < 2e-3 * q[1]


def test_zero_strain_electrode_does_not_fade():
    """With a zero-strain cathode (an LTO-like host) no gap opens: nothing isolates, no
    void grows, and the capacity repeats cycle after cycle."""
    cond = resolve_conditions("kwon2022", pressure=2, cycles=4, model="SPM", parameters=FAST_FADE)
    runner = CellRunner(cond)
    runner._pv.update({"Positive electrode volumetric strain": lambda sto: 0 * sto})
    result = runner.run(cond)
    q = _discharge(result)
    assert np.ptp(q) < 1e-4 * q[0]
    assert max(c.loss_of_active_material_pct for c in result.cycles) < 1e-6
    assert max(abs(c.end_porosity_increase) for c in result.cycles) < 1e-9


def test_repressing_recovers_part_of_the_loss_never_more():
    """Cycled at 2 MPa, then re-pressed to 70 MPa: the first cycle at 70 MPa gives back
    part of what was lost, and never more than a fresh cell has at 70 MPa."""
    steps = list(cycle_life_protocol_steps())
    protocol = {"cycles": [{"steps": steps, "repeat": 4, "pressure_MPa": 2},
                           {"steps": steps, "repeat": 1, "pressure_MPa": 70}]}
    r = ssbsim.simulate("kwon2022", protocol=protocol, pressure=2, model="SPM", parameters=FAST_FADE)
    q = _discharge(r)
    fresh70 = _discharge(ssbsim.simulate("kwon2022", pressure=70, cycles=1, model="SPM", parameters=FAST_FADE))[0]
    assert q[4] > q[3] + 1.0  # recovered (mAh/g)
    assert q[4] <= fresh70 + 1e-6
    assert r.cycles[4].loss_of_active_material_pct < r.cycles[3].loss_of_active_material_pct


def cycle_life_protocol_steps():
    from ssbsim.simulator.presets import get_preset
    p = get_preset("kwon2022")
    return p.protocol(p.c_rate, 1).blocks[0].steps


def test_repress_state_conserves_lithium():
    cond = resolve_conditions("kwon2022", pressure=2, cycles=2, model="SPM", parameters=FAST_FADE)
    r = ssbsim.simulate("kwon2022", pressure=2, cycles=2, model="SPM", parameters=FAST_FADE)
    last = r.solution.last_state
    new = cell_state.repress(last, parameter_values(cond), 2.0, 70.0)
    names = ["Total lithium in positive electrode [mol]",
             "Loss of lithium due to loss of active material in positive electrode [mol]"]

    def lithium(state):
        return sum(float(np.ravel(state[n].entries)[-1]) for n in names)

    assert lithium(new) == pytest.approx(lithium(last), rel=1e-9)
    assert float(np.ravel(new["Loss of lithium due to loss of active material in positive electrode [mol]"]
                          .entries)[-1]) < float(np.ravel(last[names[1]].entries)[-1])


def test_fast_path_matches_cycle_by_cycle_within_one_percent():
    kw = dict(pressure=2, cycles=50, model="SPM", parameters=FAST_FADE)
    fast = ssbsim.simulate("kwon2022", cycle_skipping=True, **kw)
    slow = ssbsim.simulate("kwon2022", cycle_skipping=False, **kw)
    assert fast.cycle_path == "cycle skipping" and slow.cycle_path == "cycle by cycle"
    assert len(fast.representative_cycles) < 25  # it skipped
    qf, qs = _discharge(fast), _discharge(slow)
    assert len(qf) == len(qs) == 50
    assert np.max(np.abs(qf - qs) / qs) < 0.01
    assert qs[0] - qs[-1] > 10  # the comparison spans real fade (mAh/g)
    interpolated = [c.interpolated for c in fast.cycles]
    assert sum(interpolated) == 50 - len(fast.representative_cycles)


def test_fast_path_follows_the_stack_pressure_of_a_rigid_fixture():
    """In a rigid fixture the voids of the skipped cycles thicken the stack and raise its
    pressure, which the next skipped cycle feels. Against a cycle-by-cycle run the
    capacities stay within 0.1 % and the last cycle's pressure extremes within 2 % of the
    pressure's rise over the run (measured 0.03 % and 0.7 %; with the skipped cycles
    frozen at the solved cycle's pressure 0.21 % and 2.5 %, and 7 % of the pressure itself
    by cycle 100 of the DFN)."""
    kw = dict(pressure=2, cycles=60, model="SPM", fixture="rigid", parameters=FAST_FADE)
    fast = ssbsim.simulate("kwon2022", cycle_skipping=True, **kw)
    slow = ssbsim.simulate("kwon2022", cycle_skipping=False, **kw)
    assert len(fast.representative_cycles) < 30  # it skipped
    qf, qs = _discharge(fast), _discharge(slow)
    assert np.max(np.abs(qf - qs) / qs) < 1e-3
    rise = slow.cycles[-1].min_stack_pressure_MPa - slow.cycles[0].min_stack_pressure_MPa
    assert rise > 0.2  # the voids raise the pressure (MPa)
    for key in ("min_stack_pressure_MPa", "max_stack_pressure_MPa"):
        a, b = getattr(fast.cycles[-1], key), getattr(slow.cycles[-1], key)
        assert abs(a - b) < 0.02 * rise, (key, a, b, rise)


def test_fast_path_crosses_protocol_entries_as_cycle_by_cycle_runs_do():
    """Each protocol entry is its own simulation on the fast path: its first cycle starts
    from the previous entry's last state as it is, as in a cycle-by-cycle run (Choi 2025's
    formation | rate-test boundary; through PyBaMM's re-evaluation of the initial
    conditions the anode's next delithiation came out 17 % low)."""
    from ssbsim.simulator.presets import get_preset

    blocks = [b.to_dict() for b in get_preset("choi2025").named_protocol("paper").blocks][:2]
    kw = dict(binder="nbr-toluene", protocol={"cycles": blocks})
    fast = ssbsim.simulate("choi2025", cycle_skipping=True, **kw)
    slow = ssbsim.simulate("choi2025", cycle_skipping=False, **kw)
    q_fast, q_slow = ([float(c.charge_capacity_mAh_g) for c in r.cycles] for r in (fast, slow))
    assert len(q_fast) == len(q_slow) == 6
    np.testing.assert_allclose(q_fast, q_slow, rtol=1e-3)


def test_long_runs_skip_by_default_and_say_so():
    r = ssbsim.simulate("kwon2022", pressure=70, cycles=cycle_life.SKIP_THRESHOLD_CYCLES + 1, model="SPM")
    assert r.cycle_path == "cycle skipping"
    assert r.to_dict()["cycle_path"] == "cycle skipping"
    assert r.representative_cycles[-1] == cycle_life.SKIP_THRESHOLD_CYCLES + 1
    # the first and last cycles' solutions are kept: the first cycle's uptake is readable
    assert r.phase_halves_mAh_g(0)["all"]["lithiation"] > 100
    assert r.cycle_solution(-1) is r.solution
    with pytest.raises(IndexError, match="kept the solutions of cycles"):
        r.cycle_solution(10)


def test_ensemble_converges_as_its_step_halves():
    """Skipping 10 cycles: the voids converge as the ensemble's step halves (each halving
    at least halves the change), and the isolated fraction's growth over the skip is
    converged to 0.1 % at the default step."""
    cond = resolve_conditions("kwon2022", pressure=2, cycles=3, model="SPM", parameters=FAST_FADE)
    r = ssbsim.simulate("kwon2022", pressure=2, cycles=3, model="SPM", parameters=FAST_FADE)
    pv = parameter_values(cond)
    cycle = r.solution.cycles[-1]
    phases = cell_state.contact_phases(cycle.all_models[-1], pv)
    law = ContactLawParameters.from_parameters(pv)

    def after(dt, quantity):
        state, _, _ = cell_state.skip_state(cycle, phases, law, 303.15, 10, dt)
        return np.array([float(np.ravel(state[f"Positive electrode size class {k} {quantity}"].entries)[-1])
                         for k in range(phases[0].K)])

    void = {dt: after(dt, "void [10 nm]") for dt in (80.0, 40.0, 20.0, 10.0)}
    e1, e2, e3 = (np.max(np.abs(void[a] - void[b])) for a, b in ((80.0, 40.0), (40.0, 20.0), (20.0, 10.0)))
    assert e1 > 2 * e3 and e2 > e3 > 0
    z_start = np.array([float(np.ravel(cycle.last_state[f"Positive electrode size class {k} isolated fraction"]
                                       .entries)[-1]) for k in range(phases[0].K)])
    z_default, z_fine = after(cycle_life.SkipControl().ensemble_dt_s, "isolated fraction"), after(5.0, "isolated fraction")
    growth = np.min(z_fine - z_start)
    assert growth > 0.005
    assert np.max(np.abs(z_default - z_fine)) < 1e-3 * growth


def test_ensemble_converges_as_its_strain_step_halves_on_a_silicon_anode():
    """Si breathes far (its radial strain swings ~0.65 per cycle): skipping 10 of Choi
    2025's anode cycles, the Si classes' isolated fraction converges as the ensemble's
    largest strain step halves (every halving cuts the change, two halvings by 3x or
    more: 5.2x measured), and the default strain step is at least 3x closer to a 4x finer
    one than the time step alone (20 s; 22x measured)."""
    r = ssbsim.simulate("choi2025", binder="nbr-anisole", cycles=2)
    pv = parameter_values(resolve_conditions("choi2025", binder="nbr-anisole", cycles=2))
    cycle = r.solution.cycles[-1]
    phases = cell_state.contact_phases(cycle.all_models[-1], pv)
    law = ContactLawParameters.from_parameters(pv)
    si = next(i for i, ph in enumerate(phases) if "secondary" in ph.name)
    name = phases[si].name

    def z_after(strain_step):
        state, _, _ = cell_state.skip_state(cycle, phases, law, 333.15, 10, cycle_life.SkipControl().ensemble_dt_s,
                                         strain_step)
        return np.array([float(np.ravel(state[f"{name}size class {k} isolated fraction"].entries)[-1])
                         for k in range(phases[si].K)])

    z = {h: z_after(h) for h in (2.4e-4, 1.2e-4, 6e-5, 3e-5, 7.5e-6)}
    e1, e2, e3 = (np.max(np.abs(z[a] - z[b])) for a, b in ((2.4e-4, 1.2e-4), (1.2e-4, 6e-5), (6e-5, 3e-5)))
    assert e1 > e2 > e3 > 0 and e1 > 3 * e3, (e1, e2, e3)
    z0 = np.array([float(np.ravel(cycle.last_state[f"{name}size class {k} isolated fraction"].entries)[-1])
                   for k in range(phases[si].K)])
    w = phases[si].w_volume
    growth = np.sum(w * (z[7.5e-6] - z0))
    assert growth > 1e-4
    err_default = abs(np.sum(w * z_after(cycle_life.SkipControl().ensemble_max_strain_step)) - np.sum(w * z[7.5e-6]))
    err_time_only = abs(np.sum(w * z_after(float("inf"))) - np.sum(w * z[7.5e-6]))
    assert 3 * err_default < err_time_only, (err_default, err_time_only, growth)


def test_fast_path_retries_a_cycle_whose_solve_raises(monkeypatch):
    """A solver error in a representative cycle's first attempt is retried at the tighter
    tolerances (it used to end the run), and the result says so."""
    original = CellRunner.cycle_simulation
    failed = []

    def flaky(self, steps, retry=False, fixed=None):
        sim = original(self, steps, retry, fixed)
        if retry or failed:
            return sim

        class Failing:
            def __getattr__(self, name):
                return getattr(sim, name)

            def solve(self, *args, **kwargs):
                failed.append(True)
                raise pybamm.SolverError("IDA_ERR_FAIL (injected)")
        return Failing()

    monkeypatch.setattr(CellRunner, "cycle_simulation", flaky)
    r = ssbsim.simulate("kwon2022", pressure=2, cycles=12, model="SPM", cycle_skipping=True, parameters={RHO: 0.5})
    assert failed and r.cycles_completed == 12
    assert any("1 cycle(s) solved on the retry" in n for n in r.notes), r.notes


def test_a_run_the_fast_path_cannot_finish_is_run_cycle_by_cycle(monkeypatch):
    """Where the fast path's one-cycle solves fail for good, the case is run cycle by
    cycle (one continuous simulation), which the result says, with the fast path's failure."""
    original = CellRunner.cycle_simulation
    calls = []

    def failing_late(self, steps, retry=False, fixed=None):
        sim = original(self, steps, retry, fixed)
        calls.append(retry)
        if len(calls) <= 4:
            return sim

        class Failing:
            def __getattr__(self, name):
                return getattr(sim, name)

            def solve(self, *args, **kwargs):
                raise pybamm.SolverError("IDA_ERR_FAIL (injected)")
        return Failing()

    monkeypatch.setattr(CellRunner, "cycle_simulation", failing_late)
    r = ssbsim.simulate("kwon2022", pressure=2, cycles=12, model="SPM", cycle_skipping=True, parameters={RHO: 0.5})
    assert r.cycles_completed == 12 and r.cycle_path == "cycle by cycle"
    assert any("the fast path stopped after" in n and "injected" in n for n in r.notes), r.notes


def test_warm_simulate_reuses_the_built_cell():
    cond = resolve_conditions("kwon2022", pressure=7, model="SPM")
    assert _runner(cond, None) is _runner(cond, None)


def test_skipped_cycles_of_a_full_cell_without_a_film_keep_its_lithium():
    """Kwon's pouch (NCM711 | LTO, no side reaction): with every skip accepted, the Li in
    the particles plus the Li stranded in isolated ones ends where the cycle-by-cycle run
    ends it (both drift by ~7e-5 through the SPM's own LAM accounting), and so does the
    capacity: the skipped state neither makes nor loses Li."""
    names = ["Total lithium in particles [mol]", *(f"Loss of lithium due to loss of active material in {d} "
                                                    "electrode [mol]" for d in ("negative", "positive"))]

    def total(sol):
        return sum(float(np.ravel(sol[n].entries)[-1]) for n in names)

    kw = dict(model="SPM", cycles=30)
    fast = ssbsim.simulate("kwon2022-pouch", cycle_skipping=cycle_life.SkipControl(tolerance=1.0), **kw)
    slow = ssbsim.simulate("kwon2022-pouch", cycle_skipping=False, **kw)
    assert len(fast.representative_cycles) < 10
    assert total(fast.solution) == pytest.approx(total(slow.solution), rel=1e-6)
    assert _discharge(fast)[-1] == pytest.approx(_discharge(slow)[-1], rel=2e-3)


def test_a_runner_keeps_the_simulations_of_a_few_input_values_only():
    """A sweep or a fit runs many values of an input through one runner, each cycle by
    cycle with its values fixed: the runner keeps the built simulations of the latest
    ``FIXED_SETS_KEPT`` sets only (each holds its last solution; kept for every set, a
    150-cycle case added ~60 MB), and a value run again after eviction gives the same
    capacities."""
    cond = resolve_conditions("kwon2022", pressure=2.0, cycles=2)
    runner = CellRunner(cond, (RHO,))
    runs = {}
    for rho in (0.3, 0.6, 1.2, 0.3):
        c = resolve_conditions("kwon2022", pressure=2.0, cycles=2, parameters={RHO: rho})
        runs.setdefault(rho, []).append(_discharge(runner.run(c)))
        kept = {k[3] for k in runner._sims if k[0] == "cycle"}
        assert 1 <= len(kept) <= CellRunner.FIXED_SETS_KEPT
    first, again = runs[0.3]
    assert np.array_equal(first, again)
    assert runs[0.3][0][-1] > runs[1.2][0][-1]  # the input reached the solve: more rearrangement, less capacity


@pytest.mark.parametrize("path", ["cycle by cycle", "cycle skipping"])
def test_cases_sharing_a_runner_run_at_their_own_pressure(path):
    """A sweep or fit builds one runner for its cases with the stack pressure as an input;
    each case one solve per cycle (a DFN with mechanics) or by cycle skipping must run at
    its own pressure, not that of the case the runner was built for (the fast path read
    the runner's, so a 2 MPa case gave the 70 MPa capacities)."""
    from ssbsim.simulator.simulation import PRESSURE_PARAMETER

    if path == "cycle by cycle":
        kw, skipping = dict(cycles=2, model="DFN"), None
    else:
        kw, skipping = dict(cycles=60, model="SPM"), cycle_life.SkipControl()
    c70, c2 = (resolve_conditions("kwon2022", pressure=p, **kw) for p in (70.0, 2.0))
    shared = CellRunner(c70, (PRESSURE_PARAMETER,)).run(c2, skipping=skipping)
    own = CellRunner(c2).run(c2, skipping=skipping)
    at_70 = CellRunner(c70).run(c70, skipping=skipping)
    assert shared.cycle_path == own.cycle_path == path
    q_shared, q_own, q_70 = _discharge(shared), _discharge(own), _discharge(at_70)
    assert q_70[0] - q_own[0] > 10  # the two pressures differ by far more than the tolerance below
    np.testing.assert_allclose(q_shared, q_own, rtol=2e-3)
    assert shared.cycles[0].min_stack_pressure_MPa == pytest.approx(2.0)


@pytest.mark.parametrize("value", ["no", "yes", 1, 0.0])
def test_cycle_skipping_takes_a_flag_or_a_skip_control_only(value):
    """cycle_skipping='no' is a text, which Python reads as true: it sent the run down
    the skipping path; now a one-line error, as for mechanics."""
    from ssbsim.simulator.errors import InputError

    with pytest.raises(InputError, match=rf"cycle_skipping={value!r} is not one of True, False, None") as err:
        ssbsim.simulate("kwon2022", model="SPM", cycles=2, cycle_skipping=value)
    assert "\n" not in str(err.value)


def test_a_forced_fast_path_with_nothing_to_skip_says_so():
    r = ssbsim.simulate("kwon2022", model="SPM", cycles=4, cycle_skipping=True)
    assert r.representative_cycles == [1, 2, 3, 4]
    assert any(n.startswith("cycle skipping: 4 of 4 cycles solved by PyBaMM, none to skip") for n in r.notes)


def test_the_fast_path_reports_a_layer_that_cracked_before_its_last_cycle():
    """Jo's Si-graphite anode cracks its layer in a first cycle at 10 MPa and then cycles
    at 75 MPa, where it would not crack: the fast path judged the cracks on its last
    cycle only and said nothing (max 0), while cycle by cycle said 1.0."""
    from ssbsim.simulator.protocol import Protocol

    steps = ["Discharge at 0.5C until 0.01 V", "Charge at 0.5C until 1.5 V"]
    protocol = Protocol.from_dict({"cycles": [{"steps": steps, "repeat": 1, "pressure_MPa": 10},
                                              {"steps": steps, "repeat": 10, "pressure_MPa": 75}]})
    r = ssbsim.simulate("jo2024-anode", model="SPM", protocol=protocol, pressure=10, cycle_skipping=True)
    assert r.cycle_path == "cycle skipping"
    assert r.electrode["max_layer_decohered_fraction"] > 0.99
    assert any(n.startswith("layer decohesion:") for n in r.notes)
