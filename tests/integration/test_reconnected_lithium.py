"""Reconnecting particles return the lithium stranded in them (``models.reconnected_lithium``)."""

import numpy as np
import pytest

import ssbsim

F = 96485.33212


def _steps(c):
    return [f"Discharge at {c}C until 0.01 V", f"Hold at 0.01 V for 10 hours or until {c / 10:g}C",
            f"Charge at {c}C until 2 V"]


@pytest.fixture(scope="module")
def fast_then_slow():
    """Choi 2025's anode (NBR in anisole, 48 MPa, 60 C): a 0.15C cycle, a 1.5C cycle whose
    delithiation cuts particles off, and a 0.15C cycle in which the SE creeps back."""
    r = ssbsim.simulate("choi2025", binder="nbr-anisole",
                        protocol={"cycles": [{"steps": _steps(0.15)}, {"steps": _steps(1.5)}, {"steps": _steps(0.15)}]})
    assert len(r.cycles) == 3
    return r.solution


def _stranded(sol):
    return sum(sol[f"Loss of lithium due to loss of {ph} active material in positive electrode [mol]"].entries
               for ph in ("primary", "secondary"))


def test_lithium_is_conserved_while_particles_isolate_and_reconnect(fast_then_slow):
    """Li in the working electrode's particles + stranded in isolated ones + taken by the
    SE's reduction changes only by the charge passed (the Li counter electrode), to 1e-4
    of the anode's 0.15C capacity, through the 1.5C isolation and the reconnection after
    it. Without the reconnected particles' lithium (their volume returned at the
    connected particles' concentration) the balance drifts by ~1e-2."""
    sol = fast_then_slow
    particles = sol["Total lithium in particles [mol]"].entries
    film = sol["Loss of lithium to positive SEI [mol]"].entries
    passed = sol["Discharge capacity [A.h]"].entries * 3600 / F  # the half cell's discharge lithiates the anode
    balance = particles + _stranded(sol) + film - passed
    scale = particles.max()
    assert np.max(np.abs(balance - balance[0])) < 1e-4 * scale


def test_the_stranded_lithium_comes_back_with_the_particles(fast_then_slow):
    """The 1.5C delithiation strands lithium in the particles it cuts off (isolated while
    still partly lithiated); the slow cycle after it returns most of it. The isolated
    particles' mean stoichiometry stays in [0, 1]."""
    sol = fast_then_slow
    stranded = _stranded(sol)
    t_h = sol.t / 3600
    cycle_ends = [c.t[-1] / 3600 for c in sol.cycles]
    in_fast = (t_h > cycle_ends[0]) & (t_h <= cycle_ends[1])
    peak = stranded[in_fast].max()
    assert peak > 10 * max(stranded[t_h <= cycle_ends[0]].max(), 1e-12)
    assert stranded[-1] < 0.2 * peak
    for ph in ("primary", "secondary"):
        x = sol[f"Positive electrode {ph} mean stoichiometry of isolated particles"].entries
        assert x.min() >= -1e-6 and x.max() <= 1 + 1e-6
