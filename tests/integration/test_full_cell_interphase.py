"""The SE's reduction on a full cell's Si-graphite anode (issue 16): the same law as on
the half cells' anodes, now on the negative electrode of Jo 2024's full cell. Li the
reduction takes is gone from the cell's inventory: it is counted, it shrinks cycle by
cycle as the film thickens, and no Li appears or vanishes besides it."""

import numpy as np
import pytest

import ssbsim
from ssbsim.parameter_sets import interphase
from ssbsim.parameter_sets.materials import F
from ssbsim.simulator.presets import PRESETS
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

LOST = "Loss of lithium to negative SEI [mol]"


@pytest.fixture(scope="module")
def jo_full():
    """Jo's NCM811 | Si-graphite full cell, three 0.05C cycles (SPM)."""
    return ssbsim.simulate("jo2024-full", model="SPM", cycles=3)


def test_the_se_is_reduced_where_graphite_or_si_lithiates():
    """Half-cell anodes and the Si-graphite full cell's negative; no cathode, and not
    the LTO of Kwon's pouch cells (1.55 V, where the law's assumed rate constant alone
    would set the loss)."""
    assert PRESETS["jo2024-full"].interphase_domains == ("negative",)
    assert PRESETS["choi2025"].interphase_domains == ("positive",)
    assert PRESETS["jo2024-anode"].interphase_domains == ("positive",)
    for name in ("kwon2022-pouch", "kwon2022", "jo2024-cathode", "emley2023"):
        assert PRESETS[name].interphase_domains == (), name


def test_the_full_cells_anode_loses_li_to_the_se_at_a_falling_rate(jo_full):
    sol = jo_full.solution
    per_cycle = np.diff([0.0] + [c[LOST].entries[-1] for c in sol.cycles])
    assert per_cycle[0] > 0
    assert np.all(np.diff(per_cycle) < 0)  # the film limits its own growth
    # the first cycle's irreversible charge holds at least the Li the SE took
    first = jo_full.cycle_dicts()[0]
    lost_mAh_g = per_cycle[0] * F / 3.6 / jo_full.electrode["active_mass_g"]
    assert first["charge_capacity_mAh_g"] - first["discharge_capacity_mAh_g"] >= lost_mAh_g


def test_li_is_conserved_with_the_reduction(jo_full):
    """Li in the particles, plus Li taken by the reduction, plus Li stranded in isolated
    particles, stays what the cell was built with (the SE's own Li+ is fixed: a
    single-ion conductor); the particles lose what the reduction takes."""
    sol = jo_full.solution
    particles = np.ravel(sol["Total lithium in particles [mol]"].entries)
    reduced = np.ravel(sol["Total lithium lost to side reactions [mol]"].entries)
    stranded = sum(np.ravel(sol[f"Loss of lithium due to loss of {p} [mol]"].entries) for p in (
        "primary active material in negative electrode", "secondary active material in negative electrode",
        "active material in positive electrode"))
    total = particles + reduced + stranded
    assert reduced[-1] == pytest.approx(np.ravel(sol[LOST].entries)[-1], rel=1e-12) and reduced[-1] > 0
    assert np.max(np.abs(total - total[0])) < 1e-6 * total[0]
    assert particles[0] - particles[-1] == pytest.approx(reduced[-1] + stranded[-1], rel=1e-3)


def test_the_products_thicken_the_full_cells_anode(jo_full):
    """Delta L - L_n sum(thickness strain) = (Q_Li / z) (V_prod - 1 / c_SE) / A on the
    negative electrode."""
    sol = jo_full.solution
    pv = parameter_values(resolve_conditions("jo2024-full", model="SPM"))
    L = pv["Negative electrode thickness [m]"]
    strain = sum(np.ravel(sol[f"Negative electrode {p} thickness strain"].entries) for p in ("primary", "secondary"))
    growth = np.ravel(sol["Negative electrode thickness change [m]"].entries) - L * strain
    c = interphase.SE_REDUCTION
    A = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    expected = np.ravel(sol[LOST].entries) / c["Li per formula unit"] * (
        c["product molar volume [m3.mol-1]"] - 1 / c["SE concentration [mol.m-3]"]) / A
    assert growth == pytest.approx(expected, rel=1e-9, abs=1e-15)
    assert expected[-1] > 1e-9  # > 1 nm (the anode stays above ~0.09 V vs Li: a few nm in 3 cycles)


@pytest.mark.parametrize("cell, domains", [("half", ("positive",)), ("full", ("negative",))])
def test_a_one_phase_anode_builds_with_the_reduction(cell, domains):
    """A graphite-only anode (one particle phase) carries the reduction too: the
    inventory sums over the phases the electrode has, not PyBaMM's placeholder ones."""
    from ssbsim.models.composite_cell import composite_cell_model

    m = composite_cell_model("SPM", cell, interphase_domains=domains)
    Domain = domains[0].capitalize()
    assert f"{Domain} electrode unreduced solid electrolyte fraction" in m.variables


def test_skipped_cycles_of_a_full_cell_conserve_li_and_follow_cycle_by_cycle():
    """The fast path's skipped state takes the Li the film grows by out of the particles
    (a full cell's inventory is finite): particles + reduction + stranded Li at the end
    of a run whose every skip is accepted equals what the cell was built with, and its
    capacities follow the cycle-by-cycle run's. To 1e-5: every cycle the Si strands ~3 %
    of its lithium in particles its delithiation cuts off and gets it back as they
    reconnect, and the solver closes that gross exchange to its tolerance (the
    cycle-by-cycle run's balance is off by 4.6e-7 after 10 cycles at rtol 1e-5, 1.9e-8
    at 1e-7); the film takes > 1e-2."""
    from ssbsim.simulator.cycle_life import SkipControl

    def total(sol, i):
        return sum(np.ravel(sol[name].entries)[i] for name in (
            "Total lithium in particles [mol]", "Total lithium lost to side reactions [mol]",
            *(f"Loss of lithium due to loss of {p} [mol]" for p in (
                "primary active material in negative electrode", "secondary active material in negative electrode",
                "active material in positive electrode"))))

    kw = dict(model="SPM", cycles=30, c_rate=1.0)
    fast = ssbsim.simulate("jo2024-full", cycle_skipping=SkipControl(tolerance=1.0), **kw)
    slow = ssbsim.simulate("jo2024-full", cycle_skipping=False, **kw)
    assert fast.cycle_path != slow.cycle_path and len(fast.representative_cycles) < 20
    built = total(slow.solution, 0)  # the cycle-by-cycle run's solution starts at the built state
    reduced = np.ravel(fast.solution["Total lithium lost to side reactions [mol]"].entries)[-1]
    assert reduced > 1e-3 * built  # the film holds Li the particles no longer have
    assert total(fast.solution, -1) == pytest.approx(built, rel=1e-5)
    q_fast = [c["discharge_capacity_mAh_g"] for c in fast.cycle_dicts()]
    q_slow = [c["discharge_capacity_mAh_g"] for c in slow.cycle_dicts()]
    assert q_fast[-1] == pytest.approx(q_slow[-1], rel=2e-3)
