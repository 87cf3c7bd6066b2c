"""The particle ensemble across the electrode's thickness on solved DFN cycles
(``simulator.thickness_ensemble``): the spread the DFN makes, its convergence in the
bands and in the coupling step, and the paths that run it."""

import numpy as np
import pytest

import ssbsim
from ssbsim.models.contact_law import ContactLawParameters
from ssbsim.simulator import cell_state, cycle_life
from ssbsim.simulator import thickness_ensemble as te
from ssbsim.simulator.simulation import _runner, parameter_values, resolve_conditions

#: Jo 2024's wet cathode at 0.5C: the SE's potential drop spreads the particles'
#: stoichiometry across the layer by twice the mean swing.
WET = dict(binder_content=2.5, c_rate=0.5)


@pytest.fixture(scope="module")
def wet_cycle():
    cond = resolve_conditions("jo2024-cathode", cycles=2, **WET)
    r = ssbsim.simulate(cond)
    pv = parameter_values(cond)
    cycle = r.cycle_solution(1)
    return cycle, cell_state.contact_phases(cycle.all_models[-1], pv), ContactLawParameters.from_parameters(pv), pv


def _drivers(cycle, ph, law):
    c = cycle_life.SkipControl()
    return cell_state.law_drivers(cycle, ph, law, c.ensemble_dt_s, c.ensemble_max_strain_step)


def test_particles_near_the_separator_swing_deepest(wet_cycle):
    """At 0.5C through a wet composite the band next to the separator swings more than
    twice as far as the one at the current collector."""
    cycle, phases, law, _ = wet_cycle
    ph = phases[0]
    drv = _drivers(cycle, ph, law)
    strain = te.band_strain(cycle, ph, drv, 5)
    swing = np.ptp(strain, axis=1)
    assert np.all(np.diff(swing) < 0) and swing[0] > 2 * swing[-1], swing


def test_an_spm_has_no_spread_across_the_layer():
    cond = resolve_conditions("kwon2022", pressure=2.0, cycles=2, model="SPM")
    r = ssbsim.simulate(cond)
    cycle = r.cycle_solution(1)
    pv = parameter_values(cond)
    law = ContactLawParameters.from_parameters(pv)
    ph = cell_state.contact_phases(cycle.all_models[-1], pv)[0]
    assert te.band_strain(cycle, ph, _drivers(cycle, ph, law), 5) is None


def _layer_after(wet_cycle, bands):
    cycle, phases, law, pv = wet_cycle
    c = cycle_life.SkipControl()
    state, _, _ = cell_state.skip_state(cycle, phases, law, float(pv["Ambient temperature [K]"]), 10, c.ensemble_dt_s,
                                        c.ensemble_max_strain_step, None, None, bands)
    ph = phases[0]
    return {q: float(ph.w_volume @ np.array([float(np.ravel(state[f"{ph.name}size class {k} {q}"].entries)[-1])
                                             for k in range(ph.K)])) for q in ("void [10 nm]", "isolated fraction")}


def test_the_layer_converges_as_its_bands_halve_in_width(wet_cycle):
    """Ten cycles of Jo's wet cathode: the bands change the voids by ~14 % and the
    isolated fraction by ~2.5x; 10 bands are within 5 % of that change of 20 (the DFN's
    nodes), the default 5 within 10 %."""
    runs = {n: _layer_after(wet_cycle, n) for n in (0, 5, 10, 20)}
    for q in ("void [10 nm]", "isolated fraction"):
        effect = abs(runs[0][q] - runs[20][q])
        assert effect > 0.1 * abs(runs[0][q])
        assert abs(runs[10][q] - runs[20][q]) < 0.05 * effect
        assert abs(runs[cycle_life.SkipControl().thickness_bands][q] - runs[20][q]) < 0.1 * effect


def test_the_split_converges_as_its_coupling_step_halves():
    """Eight cycles of Jo's wet cathode cycle by cycle, corrected for the spread every
    4, 2 and 1 cycles: each halving of the coupling step shrinks the change of the final
    porosity (first order), and one-cycle coupling moves it by at most a quarter of
    the bands' whole effect."""
    cond = resolve_conditions("jo2024-cathode", cycles=8, **WET)
    runner = _runner(cond, None)

    def porosity(coupling, bands=5):
        ctl = cycle_life.SkipControl(first_full=8, coupling_cycles=coupling, thickness_bands=bands)
        r = runner.run(cond, skipping=ctl)
        assert len(r.cycles) == 8 and r.cycle_path == "cycle by cycle"
        return r.electrode["final_porosity"]

    p = {m: porosity(m) for m in (4, 2, 1)}
    mean_field = porosity(1, bands=0)
    e42, e21 = abs(p[4] - p[2]), abs(p[2] - p[1])
    assert e42 > 1.3 * e21 > 0, (e42, e21)
    assert e21 < 0.25 * abs(p[1] - mean_field)


def test_a_dfn_cycled_one_solve_per_cycle_without_bands_is_one_continuous_solve():
    """The restarts of the cycle-by-cycle path change nothing: without bands it gives the
    capacities of one solve of the whole experiment; by default it says how it ran."""
    cond = resolve_conditions("kwon2022", pressure=2.0, cycles=3)
    runner = _runner(cond, None)
    one = runner.run(cond, continuous=True)
    split = runner.run(cond, skipping=cycle_life.SkipControl(first_full=3, thickness_bands=0))
    q1 = np.array([c.discharge_capacity_mAh_g for c in one.cycles])
    q2 = np.array([c.discharge_capacity_mAh_g for c in split.cycles])
    assert np.allclose(q1, q2, rtol=1e-6, atol=0)
    default = ssbsim.simulate(cond)
    assert default.cycle_path == "cycle by cycle"
    assert any("bands across the layer" in n for n in default.notes)
    assert len(default.solution.cycles) == 3 and default.time_s[-1] == pytest.approx(one.time_s[-1], rel=1e-3)


def test_the_fast_path_carries_the_bands_as_cycle_by_cycle_runs_do():
    """Kwon's DFN at 2 MPa with fast fade, 50 cycles: skipping (the bands carried through
    the skipped cycles) stays within 1 % of cycle by cycle (every cycle corrected), both
    with the spread across the layer."""
    kw = dict(pressure=2, cycles=50, parameters={"Force chain rearrangement coefficient": 2.0})
    fast = ssbsim.simulate("kwon2022", cycle_skipping=True, **kw)
    slow = ssbsim.simulate("kwon2022", cycle_skipping=False, **kw)
    assert fast.cycle_path == "cycle skipping" and slow.cycle_path == "cycle by cycle"
    assert all(any("bands across the layer" in n for n in r.notes) for r in (fast, slow))
    assert len(fast.representative_cycles) < 25
    qf = np.array([c.discharge_capacity_mAh_g for c in fast.cycles])
    qs = np.array([c.discharge_capacity_mAh_g for c in slow.cycles])
    assert len(qf) == len(qs) == 50
    assert np.max(np.abs(qf - qs) / qs) < 0.01
    assert qs[0] - qs[-1] > 5  # the comparison spans real fade (mAh/g)


def test_the_bands_are_an_option_and_zero_is_the_mean_field_in_one_solve():
    """``thickness_bands``: 0 runs a DFN's cycles in one solve without the ensemble's
    correction (what the default was before it), any other number runs that many bands."""
    kw = dict(pressure=2.0, cycles=2)
    none = ssbsim.simulate("kwon2022", thickness_bands=0, **kw)
    three = ssbsim.simulate("kwon2022", thickness_bands=3, **kw)
    assert not any("bands across the layer" in n for n in none.notes)
    assert any("particles in 3 bands across the layer" in n for n in three.notes)
    q0, q3 = (np.array([c.discharge_capacity_mAh_g for c in r.cycles]) for r in (none, three))
    assert q0[0] == q3[0]  # the first cycle is the mean field either way
    assert abs(q3[1] - q0[1]) < 0.01 * q0[1]


def _lithium_balance(sol):
    """Li in the particles plus what the run took out of them [mol]: Li stranded in
    isolated particles (per phase where there are two) and Li the SE's reduction holds
    (per phase: PyBaMM's un-prefixed SEI total is their sum and is not added again)."""
    names = sol.all_models[-1].variables
    lost = [n for n in names if n.startswith("Loss of lithium due to loss of") and n.endswith("electrode [mol]")]
    lost = [n for n in lost if "primary" in n or "secondary" in n or "negative" not in n]
    sei = [n for n in names if n in ("Loss of lithium to negative primary SEI [mol]",
                                     "Loss of lithium to negative secondary SEI [mol]")]
    assert len(lost) == 3 and len(sei) == 2, (lost, sei)
    return sol["Total lithium in particles [mol]"].entries + sum(sol[n].entries for n in lost + sei)


def test_a_full_cell_keeps_its_lithium_through_the_cycle_end_corrections():
    """Jo's SiC | NCM811 full cell, DFN, 2 cycles with the bands on both electrodes: the
    corrections at the cycle end move isolated material and its lithium between pools
    and conserve the lithium as one continuous solve does (the SE's reduction takes
    2.6e-7 of the cell's 1.1e-4 mol over the two cycles; both solves close the balance
    to 1.5-1.7e-7 of the cell's Li, far inside the solver's rtol of 1e-4, and the bound,
    1e-6, is ~1/2400 of that loss), and the capacities stay within 0.1 % of that solve."""
    cond = resolve_conditions("jo2024-full", cycles=2)
    runner = _runner(cond, None)
    one, banded = runner.run(cond, continuous=True), runner.run(cond)
    assert any("bands across the layer" in n for n in banded.notes)
    for r in (one, banded):
        balance = _lithium_balance(r.solution)
        assert np.ptp(balance) < 1e-6 * balance[0], np.ptp(balance)
    sei = banded.solution["Loss of lithium to negative SEI [mol]"].entries
    assert sei[-1] - sei[0] > 100 * 1e-6 * balance[0]  # the balance is tested across a real loss
    q1, q2 = (np.array([c.discharge_capacity_mAh_g for c in r.cycles]) for r in (one, banded))
    assert len(q1) == len(q2) == 2 and np.allclose(q1, q2, rtol=1e-3, atol=0)


def test_a_cycled_start_begins_where_the_corrected_cycles_end():
    """A measured curve after two DFN cycles of Kwon's cathode at 2 MPa (``fit
    --start-after-cycles``) starts from the bands' corrected end state, not from the
    last point the solver wrote."""
    from ssbsim.simulator.cycled_start import CycledStart
    from ssbsim.simulator.cycler import TimeSeries

    cond = resolve_conditions("kwon2022", pressure=2.0, cycles=2)
    pv = parameter_values(cond)
    t = np.linspace(0, 600, 20)
    name = "Force chain rearrangement coefficient"
    series = TimeSeries(t, np.full_like(t, -0.1 * pv["Nominal cell capacity [A.h]"]), np.zeros_like(t), "synthetic")
    cycled, step, _ = CycledStart(cond, (name,), series).solve({name: pv[name]})
    assert any("bands across the layer" in n for n in cycled.notes)
    n = step.all_models[0].len_rhs  # the differential states (the algebraic ones are re-solved for the new current)
    corrected = np.asarray(cycled.solution.last_state.all_ys[-1][:n, -1]).ravel()
    written = np.asarray(cycled.solution.all_ys[-1][:n, -1]).ravel()
    assert np.abs(corrected - written).max() > 1e-6  # the correction moved the state
    assert np.allclose(np.asarray(step.all_ys[0][:n, 0]).ravel(), corrected, rtol=1e-9, atol=1e-12)


def test_a_half_cell_keeps_its_lithium_through_the_cycle_end_correction():
    """Kwon's cathode at 2 MPa, DFN, 2 cycles: where the bands' correction at the first
    cycle's end reconnects particles (the ensemble isolates less than the mean field), the
    lithium they return joins the connected particles, so particles + stranded lithium do
    not jump across the correction (no charge passes there). Before, the particles kept
    their concentration over the grown volume: +0.017 mAh/g of lithium (6e-5 of the
    electrode's 274 mAh/g) made at each cycle's end."""
    r = ssbsim.simulate("kwon2022", pressure=2.0, cycles=2)
    assert any("bands across the layer" in n for n in r.notes)
    sol = r.solution
    d = r.domain
    held = (np.ravel(sol[f"Total lithium in {d} electrode [mol]"].entries)
            + np.ravel(sol[f"Loss of lithium due to loss of active material in {d} electrode [mol]"].entries))
    eps = np.ravel(sol[f"X-averaged {d} electrode active material volume fraction"].entries)
    t = sol["Time [s]"].entries
    end = len(r.cycle_solution(0)["Time [s]"].entries) - 1  # the first cycle's last point; the next starts corrected
    assert t[end + 1] - t[end] < 1e-6  # the same instant
    assert eps[end + 1] != eps[end]  # the correction moved active material across the cycle's end
    assert abs(held[end + 1] - held[end]) < 1e-9 * held[0], (held[end + 1] - held[end]) / held[0]
