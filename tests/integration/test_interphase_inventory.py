"""The SE's reduction on an anode takes no more SE than the composite holds (issue 16),
and its products' excess volume thickens the electrode."""

import numpy as np
import pytest

import ssbsim
from ssbsim.parameter_sets import interphase
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

D_NAMES = tuple(f"{p}SEI lithium interstitial diffusivity [m2.s-1]" for p in ("Primary: ", "Secondary: "))


def _inventory_mol(pv):
    """Moles of SE in the composite anode (the half cell's "positive" electrode)."""
    A = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    return pv["Positive electrode porosity"] * pv["Positive electrode thickness [m]"] * A * \
        pv["Primary: EC initial concentration in electrolyte [mol.m-3]"]


@pytest.fixture(scope="module")
def fast_reduction():
    """Choi's anode (SPM) with a film 100x more permeable than fitted: unlimited, its
    first lithiation would reduce more SE than the electrode holds."""
    D = interphase.SE_REDUCTION["interstitial diffusivity [m2.s-1]"]
    cond = resolve_conditions("choi2025", binder="nbr-anisole", model="SPM",
                              parameters={n: 100 * D for n in D_NAMES})
    return ssbsim.simulate(cond), parameter_values(cond)


def test_the_reduction_takes_at_most_the_se_there_is(fast_reduction):
    r, pv = fast_reduction
    sol = r.solution
    q_li = sol["Loss of lithium to positive SEI [mol]"].entries
    z = interphase.SE_REDUCTION["Li per formula unit"]
    reduced = q_li[-1] / z
    inventory = _inventory_mol(pv)
    assert 0.5 * inventory < reduced <= inventory  # most of it, never more
    for phase in ("primary", "secondary"):
        f = np.ravel(sol[f"Positive electrode {phase} unreduced solid electrolyte fraction"].entries)
        assert f[0] == pytest.approx(1.0, abs=1e-9) and f.min() > -1e-6
        assert np.all(np.diff(f) <= 1e-9)  # SE is only used up


def test_the_products_excess_volume_thickens_the_electrode(fast_reduction):
    """Delta L - L_e sum(thickness strain) = (Q_Li / z) (V_prod - 1 / c_SE) / A."""
    r, pv = fast_reduction
    sol = r.solution
    L = pv["Positive electrode thickness [m]"]
    strain = sum(sol[f"Positive electrode {p} thickness strain"].entries for p in ("primary", "secondary"))
    interphase_growth = sol["Positive electrode thickness change [m]"].entries - L * np.ravel(strain)
    c = interphase.SE_REDUCTION
    A = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    q_li = sol["Loss of lithium to positive SEI [mol]"].entries
    expected = q_li / c["Li per formula unit"] * (c["product molar volume [m3.mol-1]"]
                                                  - 1 / c["SE concentration [mol.m-3]"]) / A
    assert interphase_growth == pytest.approx(expected, rel=1e-9, abs=1e-15)
    assert expected[-1] > 1e-7  # a visible growth, > 0.1 um
