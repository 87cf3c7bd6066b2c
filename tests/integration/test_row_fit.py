"""Fits on catalogue rows (``simulator.row_fit``): the numbers are validate's, the
parameters reach the solve, and rows a fit cannot use are refused."""

import pytest

import ssbsim
from ssbsim.simulator.errors import InputError
from ssbsim.simulator.row_fit import RowModel

ROW = "kwon2022-q1-pristine-2MPa"
CREEP = "Solid electrolyte creep velocity at 1 MPa [m.s-1]"


def test_row_values_are_the_simulated_rows_with_the_parameters_set():
    """Kwon's pristine cathode at 2 MPa (SPMe): the row's value is the first discharge a
    direct simulation gives, with the creep velocity set as an input of one build; a
    slower creep closes fewer gaps and delivers less, as it does in ``simulate``."""
    with RowModel([ROW], [CREEP], model="SPMe", workers=1) as rm:
        fast, slow = (float(rm.values({CREEP: v})[0]) for v in (1e-14, 1e-16))
        assert len(rm._groups) == 1  # one build served both values
        error = rm.errors([fast])[0]
    direct = ssbsim.simulate("kwon2022", pressure=2.0, model="SPMe", parameters={CREEP: 1e-16})
    assert slow == pytest.approx(direct.discharge_capacity_mAh_g, rel=1e-6)
    assert fast - slow > 0.5  # 151.3 against 150.4 mAh/g
    assert error == pytest.approx((fast - 151.0) / (0.03 * 151.0))


@pytest.mark.parametrize("ids, names, match", [
    (["no-such-row"], [CREEP], r"rows \['no-such-row'\] are not in the catalogue"),
    (["jo2024-active-area-1.0wt"], [CREEP], "row jo2024-active-area-1.0wt is not derived from one solved case"),
])
def test_rows_a_fit_cannot_use_are_refused(ids, names, match):
    with pytest.raises(InputError, match=match):
        RowModel(ids, names, workers=1)


def test_the_call_sets_exactly_the_named_parameters():
    with RowModel([ROW], [CREEP], model="SPMe", workers=1) as rm:
        with pytest.raises(InputError, match="parameters must be exactly"):
            rm.values({"Void nucleation coefficient": 0.05})
