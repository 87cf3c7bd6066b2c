"""Choi 2025 (NG-Si | Li6PS5Cl | Li, 4 wt% NBR from three solvents, 0.15C, 60 C):
first lithiation against the measured capacities and Si split, and the pressure trend.

The binders differ only by their measured SAICAS cohesion; the Si they lose comes from
the layer-decohesion law with no constant fitted to these cells (one SE-network exponent
of the anode, the same for all three binders, is calibrated on the totals)."""

import pytest
from conftest import calibration_rows

from ssbsim.simulator.presets import get_preset

BINDERS = get_preset("choi2025").binder_aliases  # data-file binder -> preset binder
TOTAL = {BINDERS[r["binder"]]: float(r["value"]) for r in calibration_rows("Choi2025", "discharge_capacity")}
SI = {BINDERS[r["binder"]]: float(r["value"]) for r in calibration_rows("Choi2025", "discharge_capacity_from_Si")}


@pytest.mark.parametrize("binder", list(BINDERS.values()))
def test_choi2025_first_lithiation(simulate_cached, binder):
    """510 / 469 / 464 mAh/g measured at 48 MPa (issue: within 15)."""
    r = simulate_cached("choi2025", binder=binder)
    assert r.discharge_capacity_mAh_g == pytest.approx(TOTAL[binder], abs=15)


@pytest.mark.parametrize("binder", list(BINDERS.values()))
def test_choi2025_si_and_graphite_split(simulate_cached, binder):
    """The binder differences sit in Si (measured 224 / 188 / 183 mAh/g), graphite about
    285 for all three; Si isolated in the layer's cracks keeps its Li (CE < 1)."""
    r = simulate_cached("choi2025", binder=binder)
    uptake = r.phase_uptake_mAh_g(0)
    assert uptake["secondary"] == pytest.approx(SI[binder], abs=15)
    assert uptake["primary"] == pytest.approx(285, abs=20)
    assert r.coulombic_efficiency < 0.7  # the Si that was cut off does not delithiate


def test_choi2025_binder_order_follows_cohesion(simulate_cached):
    caps = [simulate_cached("choi2025", binder=b).discharge_capacity_mAh_g for b in BINDERS.values()]
    assert caps[0] > caps[1] > caps[2]  # cohesion 187 > 93 > 65 N/m


def test_choi2025_pressure_helps_and_cohesion_still_matters_at_low_pressure(simulate_cached):
    """Choi tested 80 / 48 / 16 MPa: capacity rises with pressure, and at 16 MPa the
    anisole binder (187 N/m) still keeps far more than toluene (93 N/m) (domain notes)."""
    anisole = [simulate_cached("choi2025", binder="nbr-anisole", pressure=p).discharge_capacity_mAh_g
               for p in (16.0, 48.0, 80.0)]
    assert anisole[0] < anisole[1] < anisole[2]
    toluene_16 = simulate_cached("choi2025", binder="nbr-toluene", pressure=16.0).discharge_capacity_mAh_g
    assert anisole[0] - toluene_16 > 20
