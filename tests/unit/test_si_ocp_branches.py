"""Si's measured lithiation and delithiation OCP branches (``materials.SILICON``) and the
option that makes a phase follow the branch of its current (``composite_cell.ocp_option``)."""

import numpy as np
import pybamm
import pytest

from ssbsim.models.composite_cell import hysteresis_phases, ocp_option
from ssbsim.parameter_sets.materials import GRAPHITE, SILICON, silicon_ocp_Mark2016
from ssbsim.simulator.simulation import parameter_values, resolve_conditions


def _ocp(f, x):
    return np.ravel(f(pybamm.Vector(np.asarray(x, dtype=float))).evaluate())


def test_delithiation_lies_above_lithiation_and_their_mean_is_the_ocp():
    """Over 0.05 < x < 0.95 the delithiation branch lies 0.14-0.36 V above the
    lithiation branch, and the mean OCP (PyBaMM's average) sits between them."""
    lith, delith = SILICON.ocp_branches
    x = np.linspace(0.05, 0.95, 91)
    gap = _ocp(delith, x) - _ocp(lith, x)
    assert np.all(gap > 0.1) and gap.max() < 0.4
    mean = _ocp(silicon_ocp_Mark2016, x)
    assert np.all(_ocp(lith, x) < mean) and np.all(mean < _ocp(delith, x))


def test_the_branches_gap_stays_finite_where_x_ends():
    """Both branches carry the same 1e-4 (1/x + 1/(x - 1)) regularisation, so switching
    branch when a step turns round at an emptied or filled surface moves the OCP by
    the measured gap (< 0.2 V), not by 1e-4 / x (100 V at x = 1e-6)."""
    lith, delith = SILICON.ocp_branches
    x = np.array([1e-8, 1e-6, 1e-4, 1 - 1e-4, 1 - 1e-6])
    assert np.all(np.abs(_ocp(delith, x) - _ocp(lith, x)) < 0.2)


def test_the_option_follows_the_materials_with_branches():
    """Si phases follow their current's branch (Choi's and Jo's anodes, Jo's full cell's
    negative); graphite and the cathodes keep one OCP."""
    assert GRAPHITE.ocp_branches is None
    cases = {"choi2025": (("positive", "secondary"),), "jo2024-anode": (("positive", "secondary"),),
             "jo2024-full": (("negative", "secondary"),), "kwon2022": (), "jo2024-cathode": ()}
    for preset, expected in cases.items():
        assert hysteresis_phases(parameter_values(resolve_conditions(preset))) == expected, preset
    assert ocp_option("half", 2, 1, (("positive", "secondary"),)) == {
        "open-circuit potential": ("single", ("single", "current sigmoid"))}
    assert ocp_option("full", 1, 2, (("negative", "secondary"),)) == {
        "open-circuit potential": (("single", "current sigmoid"), "single")}
    assert ocp_option("half", 1, 1, ()) == {}


@pytest.mark.parametrize("preset", ["choi2025"])
def test_si_lithiates_on_the_lower_branch_and_delithiates_on_the_upper(preset):
    """PyBaMM's hysteresis state of the Si phase: -1 (lithiation branch) while the anode
    lithiates, +1 while it delithiates (SPM, one cycle)."""
    import ssbsim

    r = ssbsim.simulate(preset, model="SPM")
    lith, _hold, delith = r.solution.cycles[0].steps
    name = "X-averaged positive electrode secondary hysteresis state"
    assert np.allclose(lith[name].entries, -1.0) and np.allclose(delith[name].entries, 1.0)
