"""The NCM open-circuit potential: Chen 2020's fit where its data are, a measured
layered-oxide end of lithiation beyond them."""

from pathlib import Path

import numpy as np
import pybamm
import pytest

from ssbsim.parameter_sets import materials


def _ocp(f, x):
    return np.array([f(pybamm.Scalar(v)).evaluate() for v in np.atleast_1d(x)], dtype=float).ravel()


def test_chen2020_fit_is_kept_where_its_data_are():
    """x = 0.27 ... 0.91 (Chen 2020's GITT data): the end term moves the OCP by < 0.1 mV."""
    x = np.linspace(0.27, 0.91, 65)
    assert np.max(np.abs(_ocp(materials.ncm_ocp, x) - _ocp(materials.ncm811_ocp_Chen2020, x))) < 1e-4


def test_ocp_falls_below_the_cut_off_as_the_last_sites_fill():
    """Chen's fit alone levels off at 3.487 V; the NCM OCP falls monotonically through
    3.3 V and below the 3.0 V discharge cut-off before x = 1."""
    x = np.linspace(0.9, 1.0, 201)
    u = _ocp(materials.ncm_ocp, x)
    assert np.all(np.diff(u) < 0)
    assert _ocp(materials.ncm811_ocp_Chen2020, 1.0)[0] == pytest.approx(3.487, abs=1e-3)
    assert u[-1] < 3.0 < 3.3 < u[np.searchsorted(x, 0.98)]


def test_end_of_lithiation_agrees_with_a_measured_ni_rich_ocv():
    """The end term is Mohtat 2020's (NMC532). Kim 2011's measured NCA OCV, which the
    model does not use, falls alike: the lithiation x at which each crosses 3.45, 3.4,
    3.3, 3.2 and 3.1 V differs by < 0.004 (~1 mAh/g), while that fall spans ~0.018 in x."""
    data = Path(pybamm.__file__).parent / "input/parameters/lithium_ion/data/nca_ocp_Kim2011_data.csv"
    x, u = np.loadtxt(data, delimiter=",", comments="#", unpack=True)
    x, u = x[x > 0.95], u[x > 0.95]
    grid = np.linspace(0.95, 1.0, 2001)
    model = _ocp(materials.ncm_ocp, grid)
    levels = np.array([3.45, 3.4, 3.3, 3.2, 3.1])
    x_model = np.interp(-levels, -model, grid)
    x_kim = np.interp(-levels, -u, x)
    assert x_model[-1] - x_model[0] > 0.015
    assert np.max(np.abs(x_model - x_kim)) < 0.004, np.c_[levels, x_model, x_kim]
