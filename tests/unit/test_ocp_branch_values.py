"""composite_cell.on_ocp_branch: parameter values whose hysteretic phases rest on one
measured OCP branch (the virtual characterisation's cells)."""

import pybamm
import pytest

from ssbsim.models.composite_cell import hysteresis_phases, on_ocp_branch
from ssbsim.parameter_sets.materials import silicon_ocp_branches_Mark2016
from ssbsim.simulator.simulation import parameter_values, resolve_conditions

SI = "Secondary: Positive electrode"


@pytest.fixture(scope="module")
def choi_values():
    return parameter_values(resolve_conditions("choi2025"))


@pytest.mark.parametrize("lithiated, branch", [(("positive",), 0), ((), 1), (("negative",), 1)])
def test_each_hysteretic_phase_takes_its_domain_s_branch(choi_values, lithiated, branch):
    pv = on_ocp_branch(choi_values, lithiated)
    assert hysteresis_phases(choi_values) == (("positive", "secondary"),)
    assert hysteresis_phases(pv) == ()  # nothing left to switch
    x = pybamm.Scalar(0.4)
    want = silicon_ocp_branches_Mark2016()[branch](x).evaluate()
    assert pv.evaluate(pv[f"{SI} OCP [V]"](x)) == pytest.approx(want, abs=1e-12)
    assert f"{SI} lithiation OCP [V]" in choi_values.keys()  # the cell's own values are untouched


def test_cells_without_branches_are_unchanged():
    pv = parameter_values(resolve_conditions("kwon2022"))
    assert dict(on_ocp_branch(pv, ("positive",)).items()) == dict(pv.items())
