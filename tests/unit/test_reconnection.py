"""Gap-isolated particles reconnect as the SE creeps back; unloaded ones never do
(``contact_isolation``, bound by ``contact_law``)."""

import dataclasses

import numpy as np
import pytest

from ssbsim.models import contact_ensemble as ens
from ssbsim.models.contact_law import NUMPY, ContactLawParameters
from ssbsim.parameter_sets.mechanics import SE_CONTACT

LAW = ContactLawParameters.from_parameters(SE_CONTACT)
R = 5e-6 * np.exp(0.3 * np.random.default_rng(7).standard_normal(200))
HOUR = 3600.0


def rest(z0, w0, pressure_Pa, T_K, hours, law=LAW, dt=10.0):
    """Particles at rest at their largest size (no open gap of the connected ones), with
    isolated fraction z0 of which w0 unloaded, for ``hours``: (z, w) after."""
    n = int(hours * HOUR / dt)
    c, d, v = (np.zeros_like(R) for _ in range(3))
    z, w = np.full_like(R, z0), np.full_like(R, w0)
    zeros = np.zeros(n)
    ens.advance_ensemble_numpy(R, c, d, v, z, w, zeros, zeros, np.full(n, pressure_Pa), np.full(n, 0.5), dt, law,
                               T=T_K)
    return z, w


def test_creep_reconnects_the_gap_isolated_never_the_unloaded():
    """Choi 2025's anode conditions (48 MPa, 60 C): within a day the SE creeps into the
    gaps that cut particles off, and z falls to the unloaded share w, not below it."""
    z, w = rest(0.20, 0.05, 48e6, 333.15, 24)
    assert np.all(w == 0.05)
    assert np.all(z >= w) and np.all(z - w < 0.1 * 0.15)


def test_reconnection_is_slow_at_low_pressure_and_cold_and_absent_without_creep():
    """Creep v_cr ~ P^n exp(-Q / RT): at 2 MPa and 30 C a day reconnects a few % of the
    gap-isolated share, at 48 MPa and 60 C nearly all; with no creep none."""
    lost = {}
    for P, T in ((2e6, 303.15), (7e6, 303.15), (48e6, 303.15), (48e6, 333.15)):
        z, _ = rest(0.20, 0.0, P, T, 24)
        lost[(P, T)] = float(np.mean(z))
    values = list(lost.values())
    assert values == sorted(values, reverse=True)  # more pressure, warmer: more reconnects
    assert lost[(2e6, 303.15)] > 0.19 and lost[(48e6, 333.15)] < 0.02
    frozen = dataclasses.replace(LAW, creep_velocity_m_s=0.0)
    z, _ = rest(0.20, 0.0, 48e6, 333.15, 24, law=frozen)
    np.testing.assert_allclose(z, 0.20, rtol=1e-12)


@pytest.mark.parametrize("dt", [1.0, 100.0])
def test_the_ensemble_step_follows_the_continuous_rate(dt):
    """The kernel's linearly implicit reconnection step and PyBaMM's rate
    (``particle_rates``) agree on an hour's reconnection at 48 MPa and 60 C at 1 s and
    100 s steps: the gap-isolated share (0.15 at the start, ~0.06 after) to 2 % or 0.002."""
    z, _ = rest(0.20, 0.05, 48e6, 333.15, 1, dt=dt)
    # the continuous law, finely integrated (RK4 on dz/dt at rest)
    T, P = 333.15, 48e6
    zc, wc = np.full_like(R, 0.20), np.full_like(R, 0.05)
    c = d = np.zeros_like(R)

    def rate(zz):
        return NUMPY.particle_rates(LAW.constants(), R, c, d, zz, wc, 0.0, 0.0, P, T, 0.5, 0.0, 0.0)[3]

    h = 1.0
    for _ in range(int(HOUR / h)):
        k1 = rate(zc)
        k2 = rate(zc + 0.5 * h * k1)
        k3 = rate(zc + 0.5 * h * k2)
        k4 = rate(zc + h * k3)
        zc = zc + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    assert np.mean(zc) < 0.15  # most of it reconnected
    np.testing.assert_allclose(z - 0.05, zc - 0.05, rtol=0.02, atol=0.002)


def test_repressing_leaves_the_unloaded_isolated():
    """Re-pressing reconnects gap-isolated particles (a higher closure bridges their gap),
    never the unloaded ones, and never isolates more."""
    p = LAW.constants()
    z, w = np.array([0.3, 0.3, 0.05]), np.array([0.0, 0.2, 0.05])
    d_old, d_new = 1e-8, 1e-7
    z_new = NUMPY.repressed_isolation(z, w, d_old, d_new, p)
    assert np.all(z_new <= z) and np.all(z_new >= w)
    assert z_new[2] == pytest.approx(0.05) and z_new[0] < 0.3
