"""The plateau split of a half-cycle (``simulator.plateau_split``) and the catalogue's
``plateau_split`` rows: the analysis a lab runs on a measured graphite-Si delithiation."""

import numpy as np
import pytest

from ssbsim.simulator.errors import InputError
from ssbsim.simulator.plateau_split import plateau_split
from ssbsim.simulator.plateau_split import half_cycle_curve


def _lower(v, q1=300.0, v1=0.15, width=0.02):
    return q1 / (1 + np.exp(-(v - v1) / width))


def _two_plateaus(q1=300.0, v1=0.15, q2=200.0, v2=0.45, width=0.02, n=4000):
    """A delithiation from 0 to 1 V whose capacity is two logistic steps in voltage (the
    lower one of ``width``, the upper one 20 mV wide)."""
    v = np.linspace(0.0, 1.0, n)
    q = _lower(v, q1, v1, width) + q2 / (1 + np.exp(-(v - v2) / 0.02))
    return v, q - q[0]


def test_two_separated_plateaus_are_split_at_their_valley():
    """Plateaus 0.3 V apart with 20 mV widths: the valley is midway (0.30 V) and each
    side holds its plateau's capacity (the other's logistic tail beyond the valley is
    300 / (1 + e^7.5) = 0.17 mAh/g)."""
    v, q = _two_plateaus()
    split = plateau_split(v, q)
    assert split.boundary_V == pytest.approx(0.30, abs=0.006)
    assert split.below == pytest.approx(300.0, abs=1.0)
    assert split.above == pytest.approx(200.0, abs=1.0)
    assert split.total == pytest.approx(q[-1])


def test_a_plateau_shifted_up_counts_on_the_upper_side():
    """What a plateau split measures is voltage, not phase: the same two phases with the
    lower plateau polarised by +0.1 V move the valley up and keep each side's capacity,
    and a lower plateau that spreads over the valley gives its tail to the upper side."""
    shifted = plateau_split(*_two_plateaus(v1=0.20, v2=0.45))
    assert shifted.below == pytest.approx(300.0, abs=2.0) and shifted.boundary_V > 0.30
    v, q = _two_plateaus(v1=0.18, width=0.04)
    spread = plateau_split(v, q)
    tail = _lower(1.0, v1=0.18, width=0.04) - _lower(spread.boundary_V, v1=0.18, width=0.04)
    assert tail > 3.0
    assert spread.above == pytest.approx(q[-1] - np.interp(spread.boundary_V, v, q), abs=1e-6)
    upper_above = 200.0 * (1 / (1 + np.exp(-(1.0 - 0.45) / 0.02)) - 1 / (1 + np.exp(-(spread.boundary_V - 0.45) / 0.02)))
    assert spread.above == pytest.approx(tail + upper_above, abs=0.05)


def test_a_voltage_blip_does_not_count_twice():
    """A relaxation dip in a measured curve: the split uses the last time each voltage
    was reached, so the totals do not change."""
    v, q = _two_plateaus()
    blip = v.copy()
    blip[2000:2010] -= 0.01
    assert plateau_split(blip, q).total == pytest.approx(plateau_split(v, q).total)
    assert plateau_split(blip, q).above == pytest.approx(plateau_split(v, q).above, abs=1.0)


def test_one_plateau_or_a_short_curve_is_an_error():
    v, q = _two_plateaus(q2=0.0)
    with pytest.raises(InputError, match="no dQ/dV valley between 0.2 and 0.45 V"):
        plateau_split(v, q)
    with pytest.raises(InputError, match="spans 0.000-0.300 V"):
        plateau_split(*(x[v <= 0.3] for x in _two_plateaus()))


def test_the_half_cycle_is_cut_from_the_series_by_its_current():
    """Lithiation (I > 0: discharge), CV hold (I > 0), delithiation (I < 0), twice: the
    second delithiation is the second run of negative current, from 0 mAh/g."""
    t = np.arange(12.0)
    current = np.array([1, 1, 0.5, -1, -1, -1, 1, 1, 0.5, -1, -1, -1], dtype=float)
    voltage = np.array([0.5, 0.1, 0.01, 0.1, 0.3, 0.9, 0.5, 0.1, 0.01, 0.2, 0.4, 1.0])
    capacity = np.cumsum(np.r_[0, current[:-1]])  # the discharge counter: rises on discharge
    s = {"time_s": t, "current_A": current, "voltage_V": voltage, "capacity_mAh_g": capacity}
    v, q = half_cycle_curve(s, "delithiation", 2)
    assert list(v) == [0.2, 0.4, 1.0] and list(q) == [0.0, 1.0, 2.0]
    v, q = half_cycle_curve(s, "lithiation", 1)
    assert list(v) == [0.5, 0.1, 0.01] and list(q) == [0.0, 1.0, 2.0]


def test_a_catalogue_plateau_split_needs_a_rising_half_and_a_part():
    from ssbsim.simulator import catalogue

    e = {"id": "x", "csv": {"quantity": "q"}, "measured": {"value": 1, "unit": "mAh/g"},
         "tolerance": {"abs": 1}, "derive": {"kind": "plateau_split", "half": "lithiation", "part": "above"}}
    with pytest.raises(InputError, match="plateau_split needs half = 'delithiation' or 'charge'"):
        catalogue._entry("choi2025", {"source": "Choi2025"}, e)
    e["derive"] = {"kind": "plateau_split", "half": "delithiation", "part": "Si"}
    with pytest.raises(InputError, match="part='Si'"):
        catalogue._entry("choi2025", {"source": "Choi2025"}, e)



def test_the_report_draws_the_split_curve_with_the_valley_and_the_measured_split():
    """The validation figure of a plateau-split row: the half-cycle the model split, its
    valley, and the point where the paper's split would sit on that curve."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ssbsim.simulator.catalogue import load_catalogue
    from ssbsim.simulator.simulation import resolve_conditions
    from ssbsim.simulator.sweep import case_name
    from ssbsim.simulator.validation_report import _plateau_curves

    e = next(x for x in load_catalogue(["choi2025"]) if x.id == "choi2025-si-delith-anisole")
    v, q = _two_plateaus(q1=300.0, v1=0.12, q2=170.0, v2=0.45)
    s = {"time_s": np.arange(v.size + 1.0), "current_A": np.r_[1.0, -np.ones(v.size)],
         "voltage_V": np.r_[0.01, v], "capacity_mAh_g": np.r_[0.0, -q]}
    name = case_name(resolve_conditions(e.preset, **e.conditions, model="DFN"))
    fig, ax = plt.subplots()
    assert _plateau_curves(ax, [e], {name: s}, "DFN", {e.id: "validation"})
    (line,) = ax.get_lines()
    assert line.get_xdata()[-1] == pytest.approx(q[-1])
    valley, measured = (c.get_offsets()[0] for c in ax.collections)
    assert valley[0] == pytest.approx(plateau_split(v, q).below)
    assert measured[0] == pytest.approx(q[-1] - e.measured)  # the paper's 224 above its split
    plt.close(fig)
