"""The particle ensemble across the electrode's thickness (``simulator.thickness_ensemble``)
on synthetic drivers (no solves): its limits and what it conserves."""

import types

import numpy as np

from ssbsim.models import contact_ensemble
from ssbsim.models import contact_law as law
from ssbsim.models.contact_kernel import running_max
from ssbsim.simulator import thickness_ensemble as te

PARAMS = law.ContactLawParameters(
    creep_velocity_m_s=2e-11, creep_exponent=2.0, creep_activation_energy_J_mol=3.7e4, framework_modulus_Pa=1e8,
    closure_exponent=2 / 3, coordination_number=1.0, isolation_rate_s=1e-3, void_coefficient=0.05,
    rearrangement_per_strain=0.5,
)
K, M, DT = 3, 400, 20.0
PHASE = types.SimpleNamespace(K=K, R=np.array([2e-6, 4e-6, 8e-6]))


def zeta_of(s, P):
    return np.zeros_like(s)


def drivers(amplitude=0.017):
    """One NCM-like cycle (shrink and re-expand by ``amplitude`` in radial strain) at 2 MPa."""
    s = np.concatenate([np.linspace(0.0, -amplitude, M // 2), np.linspace(-amplitude, 0.0, M - M // 2)])
    s_max, _ = running_max(s, 0.0, DT, PARAMS)
    return {"s": s, "s_max": s_max, "P_eff": np.full(M, 2e6), "chi": np.full(M, 0.3), "zeta": np.zeros(M),
            "s_rate": contact_ensemble.strain_rate_series(s, DT), "dt": DT}


def pristine():
    return [np.zeros(K) for _ in range(te.N_STATES)]


def bands_around(drv, spread):
    """Band strains: the cycle's swing scaled by 1 + spread_j (the mean band swings as the model)."""
    return np.ascontiguousarray(np.outer(1.0 + np.asarray(spread), drv["s"]))


def test_running_max_compiled_is_the_reference_bit_for_bit():
    s = np.cumsum(np.random.default_rng(3).normal(size=5000)) * 1e-4
    ref = contact_ensemble.running_max_series(s, 0.01, DT, PARAMS)
    got = running_max(s, 0.01, DT, PARAMS)
    assert np.array_equal(ref[0], got[0]) and ref[1] == got[1]


def test_bands_on_the_models_strain_are_the_class_bit_for_bit():
    """No spread across the layer: every particle is its class, the correction is zero."""
    drv = drivers()
    alone, _ = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 3, zeta_of)
    banded, spread = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 3, zeta_of,
                                strain=bands_around(drv, [0.0, 0.0, 0.0, 0.0]))
    for a, b in zip(alone, banded):
        assert np.array_equal(a, b)
    assert not spread.states.any() and not spread.s_max.any()
    end = [a + 1e-3 for a in alone]
    corrected, _ = te.correct(PHASE, pristine(), end, [drv, drv], PARAMS, 303.15, zeta_of,
                              te.PhaseSpread.uniform(K, 4), [bands_around(drv, [0.0] * 4), None])
    for a, b in zip(end, corrected):
        assert np.array_equal(a, b)


def test_the_class_is_the_mean_of_its_particles():
    """After a banded advance the deviations average to zero over the bands, and a second
    advance starts every particle from its own state (class + deviation)."""
    drv = drivers()
    strain = bands_around(drv, [-0.6, -0.2, 0.2, 0.6])
    states, spread = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 2, zeta_of, strain=strain)
    assert np.allclose(spread.states.mean(axis=2), 0.0, atol=1e-15)
    assert np.abs(spread.states[2]).max() > 0  # the bands void differently
    # the deepest band's running maximum never lies below the model's
    assert spread.s_max.min() >= -1e-15
    z = states[3][:, None] + spread.states[3]
    assert ((z >= 0) & (z <= 1)).all()


def test_a_spread_of_swings_isolates_as_the_particles_do_not_as_the_mean_swing():
    """The law is nonlinear in the swing: after bands that swing 0.4x and 1.6x the mean,
    the layer's states are the mean of two classes run at those swings alone, and its
    isolated fraction differs from the class at the mean swing (here by ~75 %)."""
    drv = drivers()
    strain = bands_around(drv, [-0.6, 0.6])
    banded, _ = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 1, zeta_of, strain=strain)
    mean_field, _ = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 1, zeta_of)
    apart = []
    for a in (0.4, 1.6):
        d = drivers(0.017 * a)
        d["s_max"] = drv["s_max"]  # the bands' running maximum is the model's (both start at 0, never exceed it)
        apart.append(te.advance(PHASE, pristine(), d, PARAMS, 303.15, 1, zeta_of)[0])
    for q in range(te.N_STATES):
        assert np.allclose(banded[q], 0.5 * (apart[0][q] + apart[1][q]), rtol=1e-12, atol=0)
    z = 3
    assert np.all(np.abs(banded[z] - mean_field[z]) > 0.1 * mean_field[z])


def test_correct_moves_the_models_end_by_the_bands_less_the_mean_field():
    drv = drivers()
    strain = bands_around(drv, [-0.5, 0.0, 0.5])
    end = [np.full(K, 1e-9), np.zeros(K), np.full(K, 2e-9), np.full(K, 0.1), np.full(K, 0.05)]
    corrected, spread = te.correct(PHASE, pristine(), end, [drv], PARAMS, 303.15, zeta_of,
                                   te.PhaseSpread.uniform(K, 3), [strain])
    banded, _ = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 1, zeta_of, strain=strain)
    mean_field, _ = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 1, zeta_of)
    for q in range(te.N_STATES):
        expected = end[q] + banded[q] - mean_field[q]
        if q in (3, 4):
            expected = np.clip(expected, 0.0, 1.0)
        assert np.allclose(corrected[q], expected, rtol=1e-12, atol=1e-300)
    assert spread.bands == 3


def test_a_coupling_step_of_two_cycles_is_the_bands_through_both():
    """Corrected once over two cycles: the particles and the mean field each run through
    both cycles in turn, their spread carried from the first into the second."""
    drv = drivers()
    strain = bands_around(drv, [-0.5, 0.5])
    end = [np.full(K, 1e-9), np.zeros(K), np.full(K, 2e-9), np.full(K, 0.1), np.full(K, 0.05)]
    corrected, spread = te.correct(PHASE, pristine(), end, [drv, drv], PARAMS, 303.15, zeta_of,
                                   te.PhaseSpread.uniform(K, 2), [strain, strain])
    once, mid = te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 1, zeta_of, strain=strain)
    twice, last = te.advance(PHASE, once, drv, PARAMS, 303.15, 1, zeta_of, mid, strain)
    mf = te.advance(PHASE, te.advance(PHASE, pristine(), drv, PARAMS, 303.15, 1, zeta_of)[0], drv, PARAMS, 303.15,
                    1, zeta_of)[0]
    for q in (0, 1, 2):
        assert np.allclose(corrected[q], end[q] + twice[q] - mf[q], rtol=1e-12, atol=1e-300)
    assert np.array_equal(spread.states, last.states)
