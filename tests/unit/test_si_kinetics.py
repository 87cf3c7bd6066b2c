"""Si's exchange current is the one PyBaMM's Chen2020_composite set gives for Si, not
graphite's (provenance ``si-k``)."""

import pybamm
import pytest

from ssbsim.parameter_sets import materials


@pytest.mark.parametrize("T", [298.15, 333.15])
def test_si_exchange_current_is_chen2020_composites_si_value(T):
    chen = pybamm.ParameterValues("Chen2020_composite")
    c_e, c_max = 1000.0, 278000.0
    args = [pybamm.Scalar(v) for v in (c_e, 0.4 * c_max, c_max, T)]
    si = chen["Secondary: Negative electrode exchange-current density [A.m-2]"](*args).evaluate()
    graphite = chen["Primary: Negative electrode exchange-current density [A.m-2]"](*args).evaluate()
    ours = materials.SILICON.exchange_current_density(*args).evaluate()
    assert float(ours) == pytest.approx(float(si), rel=1e-9)  # R to 9 digits in both
    assert float(graphite) / float(si) == pytest.approx(278000 / 28700, rel=1e-12)  # not graphite's
