"""Choi 2025 (NG-Si | Li6PS5Cl | Li, 4 wt% NBR from three solvents, 0.15C, 60 C).

The paper reports the first **delithiation** (its "discharge", after a CC-CV lithiation)
and the Si part of it. The model delithiates only ~272 mAh/g there: the Si that the
layer's cracks cut off during the lithiation keeps its lithium. Those comparisons are
expected failures (strict: they report when the anode physics makes them pass); what
the model already gets right (the order of the binders, the pressure trend) is tested
as behaviour."""

import pytest
from conftest import calibration_rows

from ssbsim.simulator.presets import get_preset

BINDERS = get_preset("choi2025").binder_aliases  # data-file binder -> preset binder
TOTAL = {BINDERS[r["binder"]]: float(r["value"]) for r in calibration_rows("Choi2025", "delithiation_capacity")}
SI = {BINDERS[r["binder"]]: float(r["value"])
      for r in calibration_rows("Choi2025", "delithiation_capacity_from_Si")}
ICE = {BINDERS[r["binder"]]: float(r["value"]) / 100
       for r in calibration_rows("Choi2025", "initial_coulombic_efficiency")}
NOT_YET = pytest.mark.xfail(strict=True, reason="first delithiation ~272 mAh/g: Si cut off in the "
                            "lithiation keeps its Li (issue: the Si-graphite anode as the papers measured it)")


def test_the_data_holds_what_these_tests_compare_with():
    assert set(TOTAL) == set(SI) == set(BINDERS.values()) and set(ICE) == {"nbr-anisole"}


@NOT_YET
@pytest.mark.parametrize("binder", list(BINDERS.values()))
def test_choi2025_first_delithiation(simulate_cached, binder):
    """510 / 469 / 464 mAh/g measured at 48 MPa."""
    r = simulate_cached("choi2025", binder=binder)
    assert r.delithiation_capacity_mAh_g == pytest.approx(TOTAL[binder], abs=15)


@NOT_YET
def test_choi2025_initial_coulombic_efficiency(simulate_cached):
    """ICE ~77 % for NBR in anisole at 48 MPa."""
    r = simulate_cached("choi2025", binder="nbr-anisole")
    assert r.coulombic_efficiency == pytest.approx(ICE["nbr-anisole"], abs=0.05)


@NOT_YET
@pytest.mark.parametrize("binder", list(BINDERS.values()))
def test_choi2025_si_part_of_the_first_delithiation(simulate_cached, binder):
    """Measured 224 / 188 / 183 mAh/g from Si; the graphite part about 285 for all three."""
    uptake = simulate_cached("choi2025", binder=binder).phase_uptake_mAh_g(-1)
    assert -uptake["secondary"] == pytest.approx(SI[binder], abs=15)
    assert -uptake["primary"] == pytest.approx(285, abs=20)


def test_choi2025_binder_order_follows_cohesion(simulate_cached):
    """Cohesion 187 > 93 > 65 N/m: the stronger binder keeps more Si in the lithiation."""
    si = [simulate_cached("choi2025", binder=b).phase_uptake_mAh_g(0)["secondary"] for b in BINDERS.values()]
    assert si[0] > si[1] > si[2]


def test_choi2025_pressure_helps_and_cohesion_still_matters_at_low_pressure(simulate_cached):
    """Choi tested 80 / 48 / 16 MPa: the lithiation capacity rises with pressure, and at
    16 MPa the anisole binder (187 N/m) still takes up far more than toluene (93 N/m)."""
    anisole = [simulate_cached("choi2025", binder="nbr-anisole", pressure=p).lithiation_capacity_mAh_g
               for p in (16.0, 48.0, 80.0)]
    assert anisole[0] < anisole[1] < anisole[2]
    toluene_16 = simulate_cached("choi2025", binder="nbr-toluene", pressure=16.0).lithiation_capacity_mAh_g
    assert anisole[0] - toluene_16 > 20
