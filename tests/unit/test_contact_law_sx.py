"""The contact law is written once (``models.contact_law``) and executed by four backends:
NumPy (the reference), CasADi SX (PyBaMM's node), numba (the particle ensemble) and the
type-dispatching one of ``pybamm.Function`` nodes. They must agree in every regime."""

import casadi
import numpy as np
import pytest

from ssbsim.models.contact_kernel import NUMBA
from ssbsim.models.contact_ensemble import aggregate, contact_rates
from ssbsim.models.contact_law import GENERIC, NUMPY, ContactLawParameters
from ssbsim.models.contact_law_sx import (CASADI, CONSTANTS, LAW_INPUTS, LENGTH_UNIT_M, STRAIN_UNIT, VECTOR_INPUTS,
                                          ContactLawCall, contact_law_function, law_output_slices,
                                          lognormal_classes)

K = 5
P = ContactLawParameters(creep_velocity_m_s=1e-14, creep_exponent=3.0, creep_activation_energy_J_mol=3.7e4,
                         framework_modulus_Pa=1e8, closure_exponent=2 / 3, coordination_number=2.0,
                         isolation_rate_s=1e-3, void_coefficient=0.5, rearrangement_per_strain=2.0)
S_RATE = 3e-6  # |ds/dt| [s-1], so that the rearrangement term counts
T = 333.15  # K: away from the creep reference temperature, so the Arrhenius factor counts

#: The regimes of the law: (s, s_max, P_eff [Pa], zeta)
REGIMES = {
    "shrinking": (-0.01, 0.0, 2e6, 0.0),
    "shrinking, high pressure": (-0.02, -0.005, 70e6, 0.0),
    "swelling past the maximum": (0.3, 0.1, 7e6, 0.0),
    "decohesion": (0.4, 0.4, 16e6, 0.6),
    "isolation without pressure": (-0.015, 0.0, 0.0, 0.0),
    "at rest": (0.0, 0.0, 0.0, 0.0),
}


def _states(rng):
    return ({q: rng.uniform(0, 3, K) for q in VECTOR_INPUTS[:3]}  # in 10 nm
            | {"isolated fraction": rng.uniform(0.1, 0.3, K), "unloaded fraction": rng.uniform(0, 0.1, K)})


def _radii():
    xi, w = lognormal_classes(K)
    return 3e-6 * np.exp(0.3 * xi), w


def _scalar_backend_rates(backend, s, s_max, P_eff, zeta, st):
    """(dc, dd, dv, dz, dw, phi, g) class by class through a backend's scalar law."""
    R, _ = _radii()
    c, d, v = (LENGTH_UNIT_M * st[q] for q in VECTOR_INPUTS[:3])
    z, w = st["isolated fraction"], st["unloaded fraction"]
    rows = [backend.particle_rates(P.constants(), R[k], c[k], d[k], z[k], w[k], s, s_max, P_eff, T, 0.7, zeta,
                                     S_RATE) for k in range(K)]
    return [np.array([float(r[i]) for r in rows]) for i in range(7)]


@pytest.mark.parametrize("regime", list(REGIMES))
def test_backends_agree_in_every_regime(regime):
    """NumPy (vectorised), numba (scalar, compiled), CasADi SX and the dispatching backend
    give the same rates, contact fraction and gap to 1e-10."""
    s, s_max, P_eff, zeta = REGIMES[regime]
    st = _states(np.random.default_rng(0))
    R, _ = _radii()
    c, d, v = (LENGTH_UNIT_M * st[q] for q in VECTOR_INPUTS[:3])
    ref = NUMPY.particle_rates(P.constants(), R, c, d, st["isolated fraction"], st["unloaded fraction"], s, s_max,
                               P_eff, T, 0.7, zeta, S_RATE)
    for name, backend in (("numba", NUMBA), ("generic", GENERIC)):
        got = _scalar_backend_rates(backend, s, s_max, P_eff, zeta, st)
        for i, (a, b) in enumerate(zip(got, ref)):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-30, err_msg=f"{name} output {i}")
    drivers = casadi.SX.sym("drivers", 4)  # s, s_max, P_eff, zeta as SX symbols
    f = casadi.Function("f", [drivers], list(CASADI.particle_rates(
        P.constants(), R, c, d, st["isolated fraction"], st["unloaded fraction"], drivers[0], drivers[1], drivers[2],
        T, 0.7, drivers[3], S_RATE)))
    got = [np.ravel(o.full()) for o in f([s, s_max, P_eff, zeta])]
    for i, (a, b) in enumerate(zip(got, ref)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-30, err_msg=f"casadi output {i}")


@pytest.mark.parametrize("regime", list(REGIMES))
def test_sx_node_equals_numpy_reference(regime):
    """The node's stacked outputs (rates in the states' units, aggregates) = the NumPy law."""
    s, s_max, P_eff, _ = REGIMES[regime]
    st = _states(np.random.default_rng(1))
    x = dict(s=s, P_eff=P_eff, T=T, chi=0.7, R_c=3e-6, sigma=0.3, L=5e-5, E_layer=1e9, Gamma=1e6, w_G=0.05,
             phi_layer=0.3)  # no layer crack
    x["|ds/dt| [s-1]"] = S_RATE
    x |= {q: getattr(P, q) for q in CONSTANTS} | st | {"s_max [%]": s_max / STRAIN_UNIT}
    out = ContactLawCall(K)(*(x[q] for q in LAW_INPUTS)).ravel()
    sl = law_output_slices(K)
    R, w = _radii()
    c, d, v = (LENGTH_UNIT_M * st[q] for q in VECTOR_INPUTS[:3])
    z = st["isolated fraction"]
    dc, dd, dv, dz, dw, phi, g = contact_rates(R, c, d, z, s, s_max, P_eff, 0.7, P, T=T, s_rate=S_RATE,
                                               w=st["unloaded fraction"])
    for key, ref, unit in (("dc", dc, LENGTH_UNIT_M), ("dd", dd, LENGTH_UNIT_M), ("dv", dv, LENGTH_UNIT_M),
                           ("dz", dz, 1.0), ("dw", dw, 1.0)):
        np.testing.assert_allclose(out[sl[key]] * unit, ref, rtol=1e-10, atol=1e-30)
    agg = aggregate(R, w, z, phi, g, v)
    assert out[sl["contact fraction"]] == pytest.approx(agg["contact_fraction"], rel=1e-10)
    assert out[sl["isolated fraction"]] == pytest.approx(agg["isolated_fraction"], rel=1e-10)
    assert out[sl["void per active volume"]] == pytest.approx(agg["void_per_am_volume"], rel=1e-10)


def test_folded_constants_give_the_same_function():
    """Constant inputs folded into the SX code (as the MX call does) change nothing."""
    st = _states(np.random.default_rng(1))
    x = dict(s=-0.01, P_eff=2e6, T=T, chi=0.7, R_c=3e-6, sigma=0.3, L=5e-5, E_layer=1e9, Gamma=1e6, w_G=0.05, phi_layer=0.3)
    x["|ds/dt| [s-1]"] = S_RATE
    x |= {q: getattr(P, q) for q in CONSTANTS} | st | {"s_max [%]": 0.0}
    full = contact_law_function(K)(*(x[q] for q in LAW_INPUTS)).full()
    constants = tuple((q, float(x[q])) for q in LAW_INPUTS if q not in VECTOR_INPUTS and q not in ("s", "s_max [%]"))
    folded = contact_law_function(K, constants)(*(x[q] for q in LAW_INPUTS if q not in dict(constants))).full()
    np.testing.assert_allclose(folded, full, rtol=1e-14, atol=0)


@pytest.mark.parametrize("P_eff, s", [(0.0, -0.01), (2e6, 0.0), (2e6, 0.02)])
def test_jacobian_of_the_call_is_finite_at_zero_pressure_and_strain(P_eff, s):
    """x^y at x = 0 (P_eff = 0 in a pouch cell, G = 0 for a shrinking phase) has a NaN
    derivative in y; the call's Jacobian multiplies it by a zero seed, so the law guards it."""
    st = _states(np.random.default_rng(2))
    x = dict(s=s, P_eff=P_eff, T=T, chi=0.7, R_c=3e-6, sigma=0.3, L=5e-5, E_layer=1e9, Gamma=1e6, w_G=0.05, phi_layer=0.3)
    x |= {q: getattr(P, q) for q in CONSTANTS} | st | {"s_max [%]": 0.0, "|ds/dt| [s-1]": S_RATE}
    states = casadi.MX.sym("y", 2 + len(VECTOR_INPUTS) * K)
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


def test_every_constant_is_a_named_pybamm_parameter():
    """One parameter object: every field round-trips through its PyBaMM name."""
    values = P.to_parameters()
    assert len(values) == len(CONSTANTS)
    assert all("[" in name or name.endswith(("exponent", "number", "coefficient", "smoothing"))
               for name in values)
    assert ContactLawParameters.from_parameters(values) == P
    with pytest.raises(KeyError, match="Composite framework modulus"):
        ContactLawParameters.from_parameters({k: v for k, v in values.items() if "framework" not in k})
