"""Solved runs with the electrode's geometry changed through ``parameters=`` and as a
fit's input: the current is the C-rate times the paper's 1C per gram of the changed active
mass, and the capacity per gram is that of the same material (SPM without mechanics: the
particles react uniformly, so a per-gram capacity at a given C-rate does not depend on
how much material there is)."""

import dataclasses

import numpy as np
import pytest

import ssbsim
from ssbsim.parameter_sets import kwon2022
from ssbsim.parameter_sets.materials import NCM711
from ssbsim.simulator.conditions import Conditions, parameter_values
from ssbsim.simulator.simulation import CellRunner

L = "Positive electrode thickness [m]"
EPS = "Positive electrode active material volume fraction"
BASE = Conditions.resolve("kwon2022", model="SPM", mechanics=False)


def _first_current_A(result):
    return abs(result.current_A[np.nonzero(result.current_A)[0][0]])


@pytest.fixture(scope="module")
def base():
    return ssbsim.simulate(BASE)


@pytest.mark.parametrize("name, factor", [(L, 2.0), (EPS, 0.8)])
def test_changed_geometry_keeps_the_capacity_per_gram(base, name, factor):
    pv0 = parameter_values(BASE)
    r = ssbsim.simulate(dataclasses.replace(BASE, parameters={name: factor * pv0[name]}))
    mass = r.electrode["active_mass_g"]
    assert mass == pytest.approx(factor * base.electrode["active_mass_g"], rel=1e-12)
    # 0.1C is 0.1 x 200 mAh/g of the changed mass, not of the parameter set's
    assert _first_current_A(r) == pytest.approx(BASE.c_rate * kwon2022.ONE_C_MAH_G * 1e-3 * mass, rel=1e-9)
    c, c0 = r.cycles[0], base.cycles[0]
    assert c.charge_capacity_mAh_g < NCM711.specific_capacity_mAh_g
    assert c.charge_capacity_mAh_g == pytest.approx(c0.charge_capacity_mAh_g, rel=2e-3)
    assert c.discharge_capacity_mAh_g == pytest.approx(c0.discharge_capacity_mAh_g, rel=2e-3)


def test_a_fitted_volume_fraction_sets_the_1c_current_of_each_case(base):
    """A fit's runner takes the volume fraction as an input: each value runs at its own
    1C (the nominal capacity is an input with it), as a run built for that value does."""
    runner = CellRunner(BASE, (EPS,))
    eps = parameter_values(BASE)[EPS]
    for factor in (0.8, 1.1):
        cond = dataclasses.replace(BASE, parameters={EPS: factor * eps})
        r = runner.run(cond)
        assert _first_current_A(r) == pytest.approx(
            BASE.c_rate * kwon2022.ONE_C_MAH_G * 1e-3 * r.electrode["active_mass_g"], rel=1e-9)
        assert r.cycles[0].discharge_capacity_mAh_g == pytest.approx(
            ssbsim.simulate(cond).cycles[0].discharge_capacity_mAh_g, rel=1e-6)


def test_an_se_network_exponent_as_a_runners_input_moves_its_tortuosity():
    """A fit or sweep of the SE-network exponent b runs it as an input of one runner: the
    tortuosity factor eps^(1 - b) it sets must be an input too, or every value of b would
    run the network built with the first (DFN: the network limits its 0.5C discharge)."""
    b = "Positive electrode Bruggeman coefficient (electrolyte)"
    base = Conditions.resolve("kwon2022", model="DFN", mechanics=False, c_rate=0.5)
    other = dataclasses.replace(base, parameters={b: 2.5})
    shared = CellRunner(base, (b,)).run(other)
    own = CellRunner(other).run(other)
    first = CellRunner(base).run(base)
    assert own.discharge_capacity_mAh_g - first.discharge_capacity_mAh_g > 5  # b matters here
    assert shared.discharge_capacity_mAh_g == pytest.approx(own.discharge_capacity_mAh_g, rel=1e-3)  # << the 5
