"""The particle contact law of K size classes as one CasADi SX function: PyBaMM's node.

:class:`~ssbsim.models.contact_mechanics.ContactLossActiveMaterial` integrates the law of
:mod:`ssbsim.models.contact_law` (equations there) for K lognormal size classes. Written
as PyBaMM expressions, every operation of the law became one instruction of the CasADi
MX virtual machine (~360 instructions, ~15 ns each, ~85 of them constants) and every
Jacobian colour swept them again. Here the whole law is one ``pybamm.Function`` node
whose CasADi form is a call of an SX function built once per K: one MX instruction for
the residual, SX forward derivatives (flat scalar code) for the Jacobian, the same
sparsity (CasADi takes the call's exact Jacobian pattern). On NumPy values (PyBaMM's
shape checks, initial conditions) the same function is evaluated numerically.

Per size class k (radius R_k = R_c exp(sigma xi_k), xi_k, w_k the Hermite-Gauss nodes and
number weights of the lognormal, ``lognormal_classes``), with relu_h(y, h) = y+^2 / (y+ + h):

    y_k = R_k (s_max - s) - c_k                       (shrinkage opening less closure)
    g_k = relu_h(y_k, h) + relu_h(d_k, h)             (gap)
    v_cr = v_0 (P_eff / 1 MPa)^n                      (Norton creep, Bhattacharya 2011)
    dc_k/dt = v_cr relu_h(y_k) / (g_k + g_s) - k_y relu_h(-y_k)
    dv_k/dt = kappa chi (k_y relu_h(-y_k) + R_k k_max relu_h(s - s_max, 1e-9))
    dd_k/dt = dv_k/dt - v_cr relu_h(d_k) / (g_k + g_s)
    phi_k = exp(-relu_h(g_k - R_k P_eff / E_f, h) / lambda)   (Greenwood & Williamson 1966)
    b_k = (1 + tanh((phi_c - phi_k) / (2 w_phi))) / 2
    dz_k/dt = r_iso relu_h(b_k + zeta (1 - b_k) - z_k, 1e-6)
    ds_max/dt = k_max relu_h(s - s_max, 1e-9)

with the layer's decohered fraction zeta(G+, Gamma, w_G) of ``layer_decohesion`` and
G = energy_release_rate(relu_h(s, 1e-9), P_eff, E_f, L). Aggregates (volume weights
w_V ~ w R^3, area weights w_A ~ w R^2, both normalised): isolated fraction
f_iso = sum w_V z; contact fraction 1 - sum w_A (1 - z)(1 - phi) / sum w_A (1 - z)
(exactly 1 at full contact); void per active-material volume sum 3 w_V (g + v) / R; mean
gap sum w_A g [m]; isolation rate df_iso/dt = sum w_V dz/dt [s-1].
"""

from __future__ import annotations

import functools

import casadi
import numpy as np

from .layer_decohesion import decohered_fraction, energy_release_rate

#: Units of the law's states, which are the solver's states as they are (PyBaMM's
#: ``Variable(scale=...)`` would add a multiplication per state to the residual, and a
#: division per rate): lengths in 10 nm, the running maximum strain in %.
LENGTH_UNIT_M = 1e-8
STRAIN_UNIT = 1e-2
#: Inputs of the law function, in order; the four size-class states are K-vectors.
LAW_INPUTS = ("s", "s_max [%]", "closure [10 nm]", "damage opening [10 nm]", "void [10 nm]", "isolated fraction",
              "P_eff", "chi", "R_c", "sigma", "v0", "n", "E_f", "lam", "phi_c", "r_iso", "kappa",
              "k_y", "k_max", "g_s", "h", "w_phi", "L", "Gamma", "w_G")
VECTOR_INPUTS = ("closure [10 nm]", "damage opening [10 nm]", "void [10 nm]", "isolated fraction")
#: Outputs, stacked in this order: four K-vector rates (in the states' units per s), then
#: scalars (ds_max/dt in %/s; aggregates in SI).
RATE_OUTPUTS = ("dc", "dd", "dv", "dz")
SCALAR_OUTPUTS = ("ds_max", "contact fraction", "void per active volume", "mean gap [m]",
                  "isolated fraction", "isolation rate [s-1]")


def lognormal_classes(n: int):
    """Nodes xi_k and normalised weights w_k of an n-point Hermite-Gauss quadrature."""
    xi, w = np.polynomial.hermite_e.hermegauss(n)
    return xi, w / w.sum()


def law_output_slices(K: int) -> dict:
    """Where each output sits in the stacked output of the K-class law."""
    out = {q: slice(i * K, (i + 1) * K) for i, q in enumerate(RATE_OUTPUTS)}
    out.update({q: 4 * K + i for i, q in enumerate(SCALAR_OUTPUTS)})
    return out


_CASADI_TYPES = (casadi.MX, casadi.SX, casadi.DM)
_MX_ZERO = casadi.MX(0)  # one constant node, shared by every relu_h of an MX graph


def _relu_h(y, h):
    """y+^2 / (y+ + h) on NumPy values or CasADi symbols (also ``contact_mechanics.relu_h``'s function)."""
    symbolic = isinstance(y, _CASADI_TYPES) or isinstance(h, _CASADI_TYPES)
    zero = _MX_ZERO if isinstance(y, casadi.MX) else 0  # SX or DM: a plain 0
    yp = casadi.fmax(y, zero) if symbolic else np.maximum(y, 0)
    return yp * yp / (yp + h)


def power(x, y):
    """x^y for x >= 0 on SX, 0 at x = 0 with derivatives 0 there: the derivative of x^y
    in y, ln(x) x^y, is NaN at x = 0 (CasADi simplifies ``constpow`` to ``pow``). The
    exponents are constants of the law, but the Jacobian of a call multiplies every
    input's partial derivative by its (zero) seed, and NaN x 0 = NaN."""
    return casadi.if_else(x > 0, x**y, 0)


def _law(K, x):
    """The stacked outputs of the law on SX symbols ``x`` (a dict keyed by LAW_INPUTS)."""
    xi, w = lognormal_classes(K)
    c, d, v = (LENGTH_UNIT_M * x[q] for q in VECTOR_INPUTS[:3])
    z, s_max = x["isolated fraction"], STRAIN_UNIT * x["s_max [%]"]
    s, P_eff, h, g_s, k_y, k_max = (x[q] for q in ("s", "P_eff", "h", "g_s", "k_y", "k_max"))
    R = x["R_c"] * casadi.exp(x["sigma"] * casadi.DM(xi))
    wV, wA = casadi.DM(w) * R**3, casadi.DM(w) * R**2
    wV, wA = wV / casadi.sum1(wV), wA / casadi.sum1(wA)
    expand = _relu_h(s - s_max, 1e-9)
    y = R * (s_max - s) - c
    open_gap, over, d_pos = _relu_h(y, h), _relu_h(-y, h), _relu_h(d, h)
    g = open_gap + d_pos
    creep = x["v0"] * power(P_eff / 1e6, x["n"]) / (g + g_s)  # closure / healing rate per unit gap [s-1]
    dv = x["kappa"] * x["chi"] * (k_y * over + R * (k_max * expand))
    phi = casadi.exp(_relu_h(g - R * (P_eff / x["E_f"]), h) * (-1 / x["lam"]))
    below = (1 + casadi.tanh((x["phi_c"] - phi) / (2 * x["w_phi"]))) / 2
    G = energy_release_rate(_relu_h(s, 1e-9), P_eff, x["E_f"], x["L"])
    zeta = decohered_fraction(_relu_h(G, 1e-9), x["Gamma"], x["w_G"], power=power)
    dz = x["r_iso"] * _relu_h(below + zeta * (1 - below) - z, 1e-6)
    connected = wA * (1 - z)
    aggregates = (
        k_max * expand / STRAIN_UNIT,
        1 - casadi.sum1(connected * (1 - phi)) / casadi.sum1(connected),
        casadi.sum1((3 * wV / R) * (g + v)),
        casadi.sum1(wA * g),
        casadi.sum1(wV * z),
        casadi.sum1(wV * dz),
    )
    rates = (creep * open_gap - k_y * over, dv - creep * d_pos, dv)
    return casadi.vertcat(*(r / LENGTH_UNIT_M for r in rates), dz, *aggregates)


@functools.lru_cache(maxsize=None)
def contact_law_function(K: int, constants: tuple = ()) -> casadi.Function:
    """The SX function of the K-class law, one stacked output.

    ``constants``: ((input name, value), ...) folded into the function; its inputs are
    the other LAW_INPUTS, in order. Folded, the weights, radii and every product of
    parameters are numbers in the SX code, and the MX graph holds no constant nodes for
    them (~20 fewer MX instructions per residual for the Kwon 2022 half cell)."""
    fixed = dict(constants)
    x = {q: casadi.SX.sym(q, K if q in VECTOR_INPUTS else 1) for q in LAW_INPUTS if q not in fixed}
    free = [x[q] for q in LAW_INPUTS if q in x]
    x.update({q: casadi.SX(v) for q, v in fixed.items()})
    return casadi.Function(f"contact_law_{K}", free, [_law(K, x)])


class ContactLawCall:
    """The callable of the ``pybamm.Function`` node: on CasADi MX symbols one call of
    the SX function (constant scalar inputs folded in: ``contact_law_function``), on
    NumPy values the law evaluated to a (4K + 6, 1) array."""

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
