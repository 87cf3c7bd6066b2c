"""The contact law's SX function (PyBaMM's node) against the NumPy reference law."""

import casadi
import numpy as np
import pytest

from ssbsim.models.contact_law import ContactLawParameters, aggregate, contact_rates
from ssbsim.models.contact_law_sx import (LAW_INPUTS, LENGTH_UNIT_M, STRAIN_UNIT, VECTOR_INPUTS, ContactLawCall,
                                          contact_law_function, law_output_slices, lognormal_classes)

K = 5
P = ContactLawParameters(creep_velocity_m_s=1e-14, creep_exponent=3.0, framework_modulus_Pa=1e9,
                         roughness_m=5e-8, percolation_threshold=0.3, isolation_rate_s=1e-3,
                         void_coefficient=0.5)


def _inputs(s, s_max, P_eff, rng):
    x = dict(s=s, P_eff=P_eff, chi=0.7, R_c=3e-6, sigma=0.3, v0=P.creep_velocity_m_s, n=P.creep_exponent,
             E_f=P.framework_modulus_Pa, lam=P.roughness_m, phi_c=P.percolation_threshold,
             r_iso=P.isolation_rate_s, kappa=P.void_coefficient, k_y=P.yield_rate_s,
             k_max=P.max_relaxation_rate_s, g_s=P.gap_regularisation_m, h=P.smoothing_m,
             w_phi=P.threshold_width, L=5e-5, Gamma=1e6, w_G=0.05)  # Gamma: no layer cracks
    x["s_max [%]"] = s_max / STRAIN_UNIT
    lengths = {q: rng.uniform(0, 3, K) for q in VECTOR_INPUTS[:3]}  # in 10 nm
    return x | lengths | {"isolated fraction": rng.uniform(0, 0.3, K)}


@pytest.mark.parametrize("s, s_max, P_eff", [(-0.01, 0.0, 2e6), (-0.02, -0.005, 70e6), (0.0, 0.0, 0.0)])
def test_sx_law_equals_numpy_reference(s, s_max, P_eff):
    """Rates and aggregates of the node = ``contact_law`` (the NumPy twin) at s <= s_max,
    where the two differ only in relu_h vs max for the expansion (both 0 there)."""
    x = _inputs(s, s_max, P_eff, np.random.default_rng(0))
    out = ContactLawCall(K)(*(x[q] for q in LAW_INPUTS)).ravel()
    sl = law_output_slices(K)
    xi, w = lognormal_classes(K)
    R = x["R_c"] * np.exp(x["sigma"] * xi)
    c, d, v = (LENGTH_UNIT_M * x[q] for q in VECTOR_INPUTS[:3])
    z = x["isolated fraction"]
    dc, dd, dv, dz, phi, g = contact_rates(R, c, d, z, s, s_max, P_eff, x["chi"], P)
    for key, ref, unit in (("dc", dc, LENGTH_UNIT_M), ("dd", dd, LENGTH_UNIT_M), ("dv", dv, LENGTH_UNIT_M),
                           ("dz", dz, 1.0)):
        np.testing.assert_allclose(out[sl[key]] * unit, ref, rtol=1e-12, atol=1e-30)
    agg = aggregate(R, w, z, phi, g, v)
    assert out[sl["contact fraction"]] == pytest.approx(agg["contact_fraction"], rel=1e-12)
    assert out[sl["isolated fraction"]] == pytest.approx(agg["isolated_fraction"], rel=1e-12)
    assert out[sl["void per active volume"]] == pytest.approx(agg["void_per_am_volume"], rel=1e-12)


def test_folded_constants_give_the_same_function():
    """Constant inputs folded into the SX code (as the MX call does) change nothing."""
    x = _inputs(-0.01, 0.0, 2e6, np.random.default_rng(1))
    full = contact_law_function(K)(*(x[q] for q in LAW_INPUTS)).full()
    constants = tuple((q, float(x[q])) for q in LAW_INPUTS if q not in VECTOR_INPUTS and q not in ("s", "s_max [%]"))
    folded = contact_law_function(K, constants)(*(x[q] for q in LAW_INPUTS if q not in dict(constants))).full()
    np.testing.assert_allclose(folded, full, rtol=1e-14, atol=0)


@pytest.mark.parametrize("P_eff, s", [(0.0, -0.01), (2e6, 0.0), (2e6, 0.02)])
def test_jacobian_of_the_call_is_finite_at_zero_pressure_and_strain(P_eff, s):
    """x^y at x = 0 (P_eff = 0 in a pouch cell, G = 0 for a shrinking phase) has a NaN
    derivative in y; the call's Jacobian multiplies it by a zero seed, so the law guards it."""
    x = _inputs(s, 0.0, P_eff, np.random.default_rng(2))
    states = casadi.MX.sym("y", 2 + 4 * K)
    args, i = [], 0
    for q in LAW_INPUTS:
        if q in ("s", "s_max [%]"):
            args.append(states[i]); i += 1
        elif q in VECTOR_INPUTS:
            args.append(states[i:i + K]); i += K
        else:
            args.append(casadi.MX.sym(q))  # symbolic: not folded, its seed is a zero
    params = [a for a in args if a.is_symbolic()]
    out = ContactLawCall(K)(*args)
    J = casadi.Function("J", [states, *params], [casadi.jacobian(out, states)])
    y0 = np.concatenate([[s, 0.0], *(np.asarray(x[q], float) for q in VECTOR_INPUTS)])
    vals = [x[q] for q in LAW_INPUTS if q not in ("s", "s_max [%]") and q not in VECTOR_INPUTS]
    assert np.isfinite(J(y0, *vals).full()).all()
