"""The particle contact law of K size classes as one CasADi SX function: PyBaMM's node.

:class:`~ssbsim.models.contact_mechanics.ContactLossActiveMaterial` integrates the law of
:mod:`ssbsim.models.contact_law` (equations there; this module binds its functions to
CasADi SX, :data:`CASADI`) for K lognormal size classes. Written as PyBaMM expressions,
every operation of the law would be one instruction of the CasADi MX virtual machine and
every Jacobian colour would sweep them again. Here the whole law is one
``pybamm.Function`` node whose CasADi form is a call of an SX function built once per K:
one MX instruction for the residual, SX forward derivatives (flat scalar code) for the
Jacobian, the same sparsity (CasADi takes the call's exact Jacobian pattern). On NumPy
values (PyBaMM's shape checks, initial conditions) the same function is evaluated
numerically.

Size class k has radius R_k = R_c exp(sigma xi_k), xi_k and w_k the Hermite-Gauss nodes
and number weights of the lognormal (``lognormal_classes``). The layer's decohered
fraction zeta(G+, Gamma, w_G) is that of ``layer_decohesion`` with
G = energy_release_rate(relu_h(s, h_s), P_eff, E_layer, L, phi_layer), E_layer the layer's
modulus (``"Composite layer modulus [Pa]"``; not the contact law's E_f, which sets the
elastic approach of particle contacts) and phi_layer the layer's share of the particles
that swell so (``"... swelling particle volume fraction"``).
"""

from __future__ import annotations

import dataclasses
import functools

import casadi
import numpy as np

from .contact_law import _CASADI_TYPES, ContactLawParameters, LawConstants, backend
from .contact_law import casadi_power as power
from .layer_decohesion import decohered_fraction_of_strain

#: Units of the law's states, which are the solver's states as they are (PyBaMM's
#: ``Variable(scale=...)`` would add a multiplication per state to the residual, and a
#: division per rate): lengths in 10 nm, the running maximum strain in %.
LENGTH_UNIT_M = 1e-8
STRAIN_UNIT = 1e-2
#: The law's constants (fields of ContactLawParameters), inputs of the law function.
CONSTANTS = tuple(f.name for f in dataclasses.fields(ContactLawParameters))
#: Inputs of the law function, in order; the four size-class states are K-vectors.
LAW_INPUTS = ("s", "|ds/dt| [s-1]", "s_max [%]", "closure [10 nm]", "damage opening [10 nm]", "void [10 nm]", "isolated fraction",
              "unloaded fraction",
              "P_eff", "T", "chi", "R_c", "sigma", "L", "E_layer", "Gamma", "w_G", "phi_layer") + CONSTANTS
VECTOR_INPUTS = ("closure [10 nm]", "damage opening [10 nm]", "void [10 nm]", "isolated fraction", "unloaded fraction")
#: Outputs, stacked in this order: five K-vector rates (in the states' units per s), then
#: scalars (ds_max/dt in %/s; aggregates in SI).
RATE_OUTPUTS = ("dc", "dd", "dv", "dz", "dw")
SCALAR_OUTPUTS = ("ds_max", "contact fraction", "void per active volume", "mean gap [m]",
                  "isolated fraction", "isolation rate [s-1]", "reconnection rate [s-1]")


def lognormal_classes(n: int):
    """Nodes xi_k and normalised weights w_k of an n-point Hermite-Gauss quadrature."""
    xi, w = np.polynomial.hermite_e.hermegauss(n)
    return xi, w / w.sum()


def law_output_slices(K: int) -> dict:
    """Where each output sits in the stacked output of the K-class law."""
    out = {q: slice(i * K, (i + 1) * K) for i, q in enumerate(RATE_OUTPUTS)}
    out.update({q: len(RATE_OUTPUTS) * K + i for i, q in enumerate(SCALAR_OUTPUTS)})
    return out


_MX_ZERO = casadi.MX(0)  # one constant node, shared by every relu_h of an MX graph


def _relu_h(y, h):
    """y+^2 / (y+ + h) on NumPy values or CasADi symbols (also ``contact_mechanics.relu_h``'s function)."""
    symbolic = isinstance(y, _CASADI_TYPES) or isinstance(h, _CASADI_TYPES)
    zero = _MX_ZERO if isinstance(y, casadi.MX) else 0  # SX or DM: a plain 0
    yp = casadi.fmax(y, zero) if symbolic else np.maximum(y, 0)
    return yp * yp / (yp + h)


#: The law of ``contact_law`` bound to CasADi SX operations.
CASADI = backend({"exp": casadi.exp, "fmax": casadi.fmax, "fmin": casadi.fmin, "power": power,
                  "total": casadi.sum1})


def _law(K, x):
    """The stacked outputs of the law on SX symbols ``x`` (a dict keyed by LAW_INPUTS)."""
    xi, w = lognormal_classes(K)
    p = LawConstants(*(x[q] for q in CONSTANTS))
    c, d, v = (LENGTH_UNIT_M * x[q] for q in VECTOR_INPUTS[:3])
    z, u, s_max = x["isolated fraction"], x["unloaded fraction"], STRAIN_UNIT * x["s_max [%]"]
    s, P_eff, T, chi = x["s"], x["P_eff"], x["T"], x["chi"]
    R = x["R_c"] * casadi.exp(x["sigma"] * casadi.DM(xi))
    zeta = decohered_fraction_of_strain(s, P_eff, x["E_layer"], x["L"], x["Gamma"], x["w_G"], x["phi_layer"],
                                        positive=lambda y: CASADI.relu_h(y, p.strain_smoothing), power=power)
    dc, dd, dv, dz, du, phi, g = CASADI.particle_rates(p, R, c, d, z, u, s, s_max, P_eff, T, chi, zeta,
                                                       x["|ds/dt| [s-1]"])
    v_cr, ratio = CASADI.step_factors(p, P_eff, T)
    rec = CASADI.creep_reconnection_rate(p, z, u, R * ratio, v_cr)  # the part of dz that reconnects
    iso, contact, void, mean_gap, iso_rate, rec_rate = CASADI.aggregates(R, casadi.DM(w), z, phi, g, v, dz, rec)
    ds_max = CASADI.running_max_rate(p, s, s_max)
    rates = (dc, dd, dv)
    return casadi.vertcat(*(r / LENGTH_UNIT_M for r in rates), dz, du,
                          ds_max / STRAIN_UNIT, contact, void, mean_gap, iso, iso_rate, rec_rate)


@functools.lru_cache(maxsize=None)
def contact_law_function(K: int, constants: tuple = ()) -> casadi.Function:
    """The SX function of the K-class law, one stacked output.

    ``constants``: ((input name, value), ...) folded into the function; its inputs are
    the other LAW_INPUTS, in order. Folded, the weights, radii and every product of
    parameters are numbers in the SX code, and the MX graph holds no constant nodes for
    them.

    Derivatives of a call go through the function's own sparse Jacobian
    (``jac_penalty=0``): the model's Jacobian seeds the call with one direction per AD
    colour (~20), and CasADi's default would sweep the whole law forward once per
    direction (~10^4 SX instructions) instead of evaluating its ~26 x 24 Jacobian once
    (~2 x 10^3) and multiplying it by the seeds. Same derivatives, same sparsity."""
    fixed = dict(constants)
    x = {q: casadi.SX.sym(q, K if q in VECTOR_INPUTS else 1) for q in LAW_INPUTS if q not in fixed}
    free = [x[q] for q in LAW_INPUTS if q in x]
    x.update({q: casadi.SX(v) for q, v in fixed.items()})
    # common subexpressions evaluated once: the law's functions share terms (the step's
    # factors, the reconnection in dz and in its aggregate) that SX does not merge itself
    return casadi.Function(f"contact_law_{K}", free, [casadi.cse(_law(K, x))], {"jac_penalty": 0})


class ContactLawCall:
    """The callable of the ``pybamm.Function`` node: on CasADi MX symbols one call of
    the SX function (constant scalar inputs folded in: ``contact_law_function``), on
    NumPy values the law evaluated to a (5K + 7, 1) array."""

    def __init__(self, K: int):
        self.K = K

    def __call__(self, *args):
        if any(isinstance(a, casadi.MX) for a in args):
            constants = tuple((q, float(casadi.evalf(a))) for q, a in zip(LAW_INPUTS, args)
                              if q not in VECTOR_INPUTS and a.is_constant())
            folded = {q for q, _ in constants}
            return contact_law_function(self.K, constants)(*(a for q, a in zip(LAW_INPUTS, args) if q not in folded))
        shapes = [(self.K if q in VECTOR_INPUTS else 1, 1) for q in LAW_INPUTS]
        vals = [np.broadcast_to(np.asarray(a, dtype=float).reshape(-1, 1), shape) for a, shape in zip(args, shapes)]
        return contact_law_function(self.K)(*vals).full()
