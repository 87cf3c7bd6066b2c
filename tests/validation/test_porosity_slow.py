"""Jo 2024's porosity after 150 cycles from real 150-cycle runs (the fast path: PyBaMM
solves representative cycles, the ensemble carries the voids between them); slow, run
with ``pytest -m slow``. kappa, Gamma_chi and rho were fitted on these rows (and Choi
2025's cycle-life rows): a calibration regression test, at the rows' tolerance."""

import pytest

import ssbsim

MEASURED_PCT = {0.5: 15.0, 1.5: 11.2, 2.5: 9.0}


@pytest.mark.slow
@pytest.mark.timeout(1800)  # three 150-cycle runs
def test_calibration_regression_porosity_after_150_cycles_jo2024():
    model = {}
    for wt, measured in MEASURED_PCT.items():
        r = ssbsim.simulate("jo2024-cathode", binder_content=wt, protocol="cycling-150")
        assert len(r.cycles) == r.conditions.cycles
        model[wt] = 100 * float(r.series["porosity"][-1])
    assert model[0.5] > model[1.5] > model[2.5]  # more binder, fewer voids
    for wt, measured in MEASURED_PCT.items():
        assert abs(model[wt] - measured) <= 2.0, (wt, model[wt], measured)  # the rows' +-2 points
