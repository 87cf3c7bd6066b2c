"""The particle contact law of a composite electrode, written once.

Each active particle (radius R) sits in a cavity of the solid electrolyte (SE) that was
pressed around it at fabrication. Its radial strain s = ((1 + eps_v(x)) / (1 + eps_v(x0)))^(1/3) - 1
follows its lithiation (``models.strain``). Per particle, in SI units:

* **Shrinkage opening.** The rigid SE does not follow a shrinking particle: relative to
  the largest size seen so far, s_max, an opening e = R (s_max - s) appears (gap
  ~ (R/3)|eps_v|). Creep of the soft sulfide under the effective pressure closes it by c:

      dc/dt = v_cr relu_h(e - c) / (g + g_s) - k_y relu_h(c - e)
      v_cr = v_0 (P_eff / 1 MPa)^n exp(-Q / R_g (1/T - 1/T_ref))

  (Norton power-law creep with an Arrhenius temperature dependence). A particle that
  re-expands past the crept-in SE pushes it back (rate k_y).
* **Damage opening and voids.** Pushing SE back, or expanding beyond the previous
  largest size (Si), cracks the SE around the particle:

      push = k_y relu_h(c - e) + R k_max relu_h(s - s_max)
      dv/dt = kappa chi push        (irreversible void, only grows)
      dd/dt = dv/dt - v_cr relu_h(d) / (g + g_s)

  chi = exp(-Gamma / Gamma_chi) is the binder's resistance to void nucleation
  (``models.binder_mechanics``).
* **Contact from the local pressure.** The gap is g = relu_h(e - c) + relu_h(d). The
  stack load reaches a particle's surface through force chains, whose local contact
  pressures are exponentially distributed about their mean P_eff (Liu et al., Science
  269 (1995) 513; Mueth, Jaeger, Nagel, Phys. Rev. E 57 (1998) 3164); a patch pressed
  at p approaches the SE elastically by R (p / E_f)^m (Hertz with Rumpf's force
  transmission: m = 2/3), so local closures scatter exponentially about
  delta = R (P_eff / E_f)^m. Local openings scatter exponentially about the mean gap g
  (anisotropic shrinkage of the primary grains, roughness). The fraction of the surface
  where the closure exceeds the opening is

      phi = P(closure >= opening) = (delta + g_s) / (delta + g_s + g)

  continuous in pressure (no threshold), exactly 1 at zero gap, -> 1 as P_eff -> infinity:
  the contact (charge-transfer) resistance R_ct / phi grows smoothly as pressure falls.
* **Isolation.** A particle is cut off from the SE network once all of its Z load-bearing
  contacts have opened, b = (1 - phi)^Z (Z: contact coordination number); the particles
  the layer's through-cracks cut off (``models.layer_decohesion``, fraction zeta) are
  isolated too. Each strain swing also rearranges the force chains (granular
  ratcheting): of the connected particles at risk, b (1 - z), a share rho chi per unit
  radial strain is displaced for good, where the binder bridges holding it in its seat
  break (chi, as for voids). Displaced particles leave the force chains (unloaded
  'rattlers'), as do those the cracks cut off: their share w of a size class never
  decreases. A particle isolated by its gap keeps its loaded seat, and the SE creeps
  into its gap as into any other: the gap-isolated share f = (z - w) / (1 - w) sits at
  the gap g_f that b(phi(g_f)) = f, which closes at v_cr g_f / (g_f + g_s), so

      dz/dt = r_iso relu_h(w + (1 - w)(b + zeta' (1 - b)) - z, h_z) + rho chi |ds/dt| b (1 - z) - (z - w) k_rec
      dw/dt = r_iso relu_h(zeta - w, h_z) + rho chi |ds/dt| b (1 - z)
      k_rec = k r_iso / (k + r_iso),  k = Z (1 - q) v_cr / (g_f + g_s),  q = f^(1/Z)
      zeta' = (zeta - w)+ / (1 - w)    (the cracks' share not yet in w)

  Where creep is fast (high pressure, warm cells) particles cut off by a fast shrinkage
  reconnect within hours; at a few MPa and 30 C they stay cut off for months.

* **Running maximum:** ds_max/dt = k_max relu_h(s - s_max, h_s).

relu_h(y, h) = y+^2 / (y+ + h): exactly 0 for y <= 0 (no gap or drift at zero strain),
y - h + O(h^2/y) for y >> h, continuously differentiable (PyBaMM's DAE solver integrates
it). Aggregates over size classes (volume weights w_V ~ R^3, area weights w_A ~ R^2,
normalised): isolated fraction sum w_V z; contact fraction of the connected surface
1 - sum w_A (1 - z)(1 - phi) / sum w_A (1 - z); void per active volume
sum 3 w_V (g + v) / R; mean gap sum w_A g.

**One definition, four executors.** The functions below are written once, on operations
named ``exp``, ``fmax``, ``fmin``, ``power`` and ``total`` that this module does not
define: :func:`backend` binds the same code objects to NumPy (the reference,
:data:`NUMPY`), Python floats (:data:`PYTHON`), CasADi SX (PyBaMM's node, ``contact_law_sx``), numba (the particle
ensemble, ``contact_kernel``) or to operations that dispatch on the argument type
(:data:`GENERIC`: NumPy values or CasADi symbols inside ``pybamm.Function`` nodes).
Every constant is a field of :class:`ContactLawParameters`, which is also a PyBaMM
parameter (its name in the field's metadata), so fits and sweeps reach each of them.
"""

from __future__ import annotations

import dataclasses
import math
import types
from collections import namedtuple
from dataclasses import dataclass, field

import casadi
import numpy as np

from .contact_isolation import (creep_reconnection_rate, isolating_gap, isolation_growth, isolation_rates,
                                loaded_share, rearrangement_rate, reconnection_rate_constant, repressed_isolation)

R_GAS = 8.314462618  # [J.mol-1.K-1]


def _p(name: str, unit: str, default=None):
    """A law constant: its PyBaMM parameter name and unit ride in the field's metadata."""
    meta = {"pybamm": name, "unit": unit}
    return field(metadata=meta) if default is None else field(default=default, metadata=meta)


@dataclass(frozen=True)
class ContactLawParameters:
    """Constants of the particle contact law (SI), each also a PyBaMM parameter.

    Values with a physical source live in ``parameter_sets/mechanics.py``; the defaults
    here are numerical (rates fast enough to be instantaneous on a cycle's time scale,
    smoothing lengths far below any gap that matters).
    """

    creep_velocity_m_s: float = _p("Solid electrolyte creep velocity at 1 MPa [m.s-1]", "m.s-1")
    creep_exponent: float = _p("Solid electrolyte creep stress exponent", "-")
    creep_activation_energy_J_mol: float = _p("Solid electrolyte creep activation energy [J.mol-1]", "J.mol-1")
    framework_modulus_Pa: float = _p("Composite framework modulus [Pa]", "Pa")
    closure_exponent: float = _p("Contact closure pressure exponent", "-")
    coordination_number: float = _p("Active particle contact coordination number", "-")
    isolation_rate_s: float = _p("Contact isolation rate [s-1]", "s-1")
    void_coefficient: float = _p("Void nucleation coefficient", "-")
    creep_reference_temperature_K: float = _p("Solid electrolyte creep reference temperature [K]", "K", 303.15)
    yield_rate_s: float = _p("Solid electrolyte push-back rate [s-1]", "s-1", 1e-2)
    max_relaxation_rate_s: float = _p("Particle running maximum strain rate [s-1]", "s-1", 1e-1)
    gap_regularisation_m: float = _p("Contact gap regularisation [m]", "m", 1e-10)
    smoothing_m: float = _p("Contact law smoothing length [m]", "m", 1e-11)
    strain_smoothing: float = _p("Contact law strain smoothing", "-", 1e-9)
    fraction_smoothing: float = _p("Contact law fraction smoothing", "-", 1e-6)
    rearrangement_per_strain: float = _p("Force chain rearrangement coefficient", "-", 0.0)

    @classmethod
    def names(cls) -> dict:
        """Field -> PyBaMM parameter name."""
        return {f.name: f.metadata["pybamm"] for f in dataclasses.fields(cls)}

    @classmethod
    def numerical_defaults(cls) -> dict:
        """PyBaMM name -> value of the fields with a (numerical) default."""
        return {f.metadata["pybamm"]: f.default for f in dataclasses.fields(cls)
                if f.default is not dataclasses.MISSING}

    @classmethod
    def from_parameters(cls, values) -> "ContactLawParameters":
        """From a mapping with the PyBaMM names (e.g. ``pybamm.ParameterValues``);
        numerical fields missing from it keep their defaults."""
        kw = {}
        for f in dataclasses.fields(cls):
            name = f.metadata["pybamm"]
            try:
                kw[f.name] = float(values[name])
            except KeyError:
                if f.default is dataclasses.MISSING:
                    raise KeyError(f"contact law parameter {name!r} is missing") from None
        return cls(**kw)

    def to_parameters(self) -> dict:
        """PyBaMM name -> value."""
        return {f.metadata["pybamm"]: getattr(self, f.name) for f in dataclasses.fields(self)}

    def constants(self) -> "LawConstants":
        """The values as a :data:`LawConstants` tuple (what the law functions take)."""
        return LawConstants(*dataclasses.astuple(self))

    def as_array(self) -> np.ndarray:
        """Packed in field order (float64)."""
        return np.array(dataclasses.astuple(self), dtype=np.float64)


#: The law's constants as the law functions take them (NumPy floats, CasADi symbols or
#: numba's named tuple): the fields of ContactLawParameters, in order.
LawConstants = namedtuple("LawConstants", [f.name for f in dataclasses.fields(ContactLawParameters)])


# --- the law, written once (exp, fmax, fmin, power, total are bound by ``backend``) --------
# ruff: noqa: F821


def relu_h(y, h):
    """C1-smooth max(y, 0): y+^2 / (y+ + h), exactly 0 for y <= 0."""
    yp = fmax(y, 0.0)
    return yp * yp / (yp + h)


def creep_velocity(p, P_eff, T):
    """v_cr = v_0 (P+ / 1 MPa)^n exp(-Q / R_g (1/T - 1/T_ref)) [m.s-1]."""
    arrhenius = exp(p.creep_activation_energy_J_mol / R_GAS * (1.0 / p.creep_reference_temperature_K - 1.0 / T))
    return p.creep_velocity_m_s * arrhenius * power(fmax(P_eff, 0.0) / 1e6, p.creep_exponent)


def closure_ratio(P_eff, p):
    """delta / R = (P+ / E_f)^m [-]: the elastic approach of a particle and the SE pressed
    at P_eff, per unit radius (Hertz: m = 2/3 with the contact force ~ P R^2 of Rumpf's
    force transmission)."""
    return power(fmax(P_eff, 0.0) / p.framework_modulus_Pa, p.closure_exponent)


def contact_from_closure(g, delta, p):
    """phi = (delta + g_s) / (delta + g_s + g) [-]: the surface fraction whose local
    elastic closure (exponentially distributed about delta) exceeds its local opening
    (exponentially distributed about the mean gap g)."""
    delta = delta + p.gap_regularisation_m
    return delta / (delta + g)


def contact_fraction(g, R, P_eff, p):
    """phi of a particle (or interface) of radius R with mean gap g at pressure P_eff."""
    return contact_from_closure(g, R * closure_ratio(P_eff, p), p)


def isolation_probability(phi, p):
    """b = (1 - phi)^Z [-]: all Z load-bearing contacts of a particle open."""
    return power(fmax(1.0 - phi, 0.0), p.coordination_number)


def step_factors(p, P_eff, T):
    """What every particle shares in a step: (v_cr [m.s-1], delta / R [-])."""
    return creep_velocity(p, P_eff, T), closure_ratio(P_eff, p)


def gap_terms(p, R, c, d, s, s_max, chi):
    """A particle's (open gap [m], over-closure [m], damage opening+ [m], void rate dv/dt
    [m.s-1]) at closure c, damage opening d and strain s."""
    y = R * (s_max - s) - c
    open_gap = relu_h(y, p.smoothing_m)
    over = relu_h(-y, p.smoothing_m)
    d_pos = relu_h(d, p.smoothing_m)
    expand = relu_h(s - s_max, p.strain_smoothing)
    dv = p.void_coefficient * chi * (p.yield_rate_s * over + R * (p.max_relaxation_rate_s * expand))
    return open_gap, over, d_pos, dv


def particle_terms(p, R, c, d, z, w, s, s_max, v_cr, ratio, chi, zeta, s_rate):
    """Per-particle terms given the step's factors (:func:`step_factors`): (open gap,
    over-closure, damage opening+, gap g, creep rate per unit gap v_cr / (g + g_s), void
    rate dv/dt, contact fraction phi, isolation rates dz/dt and dw/dt). ``s_rate``:
    |ds/dt| [s-1]."""
    open_gap, over, d_pos, dv = gap_terms(p, R, c, d, s, s_max, chi)
    g = open_gap + d_pos
    creep = v_cr / (g + p.gap_regularisation_m)
    phi = contact_from_closure(g, R * ratio, p)
    dz, dw = isolation_rates(p, phi, z, w, zeta, s_rate, chi, R * ratio, v_cr)
    return open_gap, over, d_pos, g, creep, dv, phi, dz, dw


def particle_rates(p, R, c, d, z, w, s, s_max, P_eff, T, chi, zeta, s_rate):
    """Continuous-time rates (dc, dd, dv, dz, dw) and (phi, g): what PyBaMM integrates."""
    v_cr, ratio = step_factors(p, P_eff, T)
    open_gap, over, d_pos, g, creep, dv, phi, dz, dw = particle_terms(p, R, c, d, z, w, s, s_max, v_cr, ratio, chi,
                                                                      zeta, s_rate)
    return creep * open_gap - p.yield_rate_s * over, dv - creep * d_pos, dv, dz, dw, phi, g


def running_max_rate(p, s, s_max):
    """ds_max/dt = k_max relu_h(s - s_max, h_s) [s-1]."""
    return p.max_relaxation_rate_s * relu_h(s - s_max, p.strain_smoothing)


def implicit_step(p, dt, R, c, d, v, z, w, s, s_max, v_cr, ratio, chi, zeta, s_rate):
    """One step of length dt given the step's factors (:func:`step_factors`), the gap
    backward Euler: the open gap o the step ends with solves

        o = o* - dt v_cr o / (o + d+ + g_s),   o* = relu_h(R (s_max - s) - c)

    (o* the gap had creep not acted in the step, d+ the damage opening at its start): the
    positive root o = (sqrt(B^2 + 4 o* a) - B) / 2, a = d+ + g_s, B = a - o* + dt v_cr,
    and the closure advances by o* - o. The damage opening shrinks by 1 / (1 + f),
    f = dt v_cr / (o + d+ + g_s), after the step's void growth (explicit), and the
    isolation is driven by the gap the step ends with. The strain's change over a step
    opens a gap R |ds| that creep closes within it: where creep outpaces the strain (high
    pressure), a scheme that isolates on the gap the step starts with latches particles
    that the continuous law (:func:`particle_rates`) keeps in contact, by an amount that
    grows with dt. Consistent with :func:`particle_rates` as dt -> 0; needs dt k_y <= 1
    and dt r_iso <= 1. The isolated fractions grow explicitly on the end gap; then the
    gap-isolated part u = z - w reconnects linearly implicitly, u' = u* / (1 + dt k_rec),
    u* = u + dt (growth of z - growth of w), with k_rec
    (``contact_isolation.reconnection_rate_constant``, <= r_iso) taken at the end estimate
    u* / (1 + dt k_rec(u)): the continuous law as dt -> 0, and the balance
    u = growth / k_rec where reconnection keeps pace with the latch (0 <= w <= z <= 1
    kept). Returns the new (c, d, v, z, w)."""
    open_gap, over, d_pos, dv = gap_terms(p, R, c, d, s, s_max, chi)
    a = d_pos + p.gap_regularisation_m
    B = a - open_gap + dt * v_cr
    o_end = fmax(0.5 * (power(B * B + 4.0 * open_gap * a, 0.5) - B), 0.0)
    d_new = (d + dt * dv) / (1.0 + dt * v_cr / (o_end + a))
    g_end = o_end + relu_h(d_new, p.smoothing_m)
    dz_end, dw_end = isolation_growth(p, contact_from_closure(g_end, R * ratio, p), z, w, zeta, s_rate, chi)
    w_new = fmin(w + dt * dw_end, 1.0)
    grown = fmax(z - w + dt * (dz_end - dw_end), 0.0)
    u_end = grown / (1.0 + dt * reconnection_rate_constant(p, z, w, R * ratio, v_cr))
    u_new = grown / (1.0 + dt * reconnection_rate_constant(p, w_new + u_end, w_new, R * ratio, v_cr))
    return (c + (open_gap - o_end) - dt * p.yield_rate_s * over, d_new, v + dt * dv,
            fmin(w_new + u_new, 1.0), w_new)


def aggregates(R, weights, z, phi, g, v, dz, rec):
    """(isolated fraction, contact fraction, void per active volume, mean gap [m],
    isolation rate [s-1], reconnection rate [s-1]) of size classes or particles with number
    ``weights``; ``dz`` is each one's net dz/dt, ``rec`` the reconnection in it
    (:func:`contact_isolation.creep_reconnection_rate`), both [s-1]."""
    wV = weights * R * R * R
    wV = wV / total(wV)
    wA = weights * R * R
    wA = wA / total(wA)
    connected = wA * (1.0 - z)
    return (total(wV * z), 1.0 - total(connected * (1.0 - phi)) / fmax(total(connected), 1e-300),
            total(3.0 * wV / R * (g + v)), total(wA * g), total(wV * dz), total(wV * rec))


LAW_FUNCTIONS = (relu_h, creep_velocity, closure_ratio, contact_from_closure, contact_fraction,
                 isolation_probability, loaded_share, isolating_gap, repressed_isolation, creep_reconnection_rate,
                 rearrangement_rate, isolation_rates, isolation_growth, reconnection_rate_constant, step_factors,
                 gap_terms, particle_terms, particle_rates, running_max_rate, implicit_step, aggregates)
OPERATIONS = ("exp", "fmax", "fmin", "power", "total")


def backend(ops: dict, wrap=None) -> types.SimpleNamespace:
    """The law functions bound to ``ops`` (the :data:`OPERATIONS`, e.g. NumPy's): each
    function is a new function object on the same code, whose globals are ``ops``, the
    bound law functions and this module's constants. ``wrap`` (e.g. ``numba.njit``) is
    applied to every bound function."""
    missing = set(OPERATIONS) - set(ops)
    if missing:
        raise ValueError(f"backend operations missing: {', '.join(sorted(missing))}")
    namespace = {"R_GAS": R_GAS, **ops}
    bound = {}
    for f in LAW_FUNCTIONS:
        g = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__)
        g.__doc__ = f.__doc__
        bound[f.__name__] = wrap(g) if wrap else g
    namespace.update(bound)
    return types.SimpleNamespace(**bound)


NUMPY = backend({"exp": np.exp, "fmax": np.maximum, "fmin": np.minimum, "power": np.power, "total": np.sum})
#: The law on Python floats (the pure-Python reference loop of the benchmarks).
PYTHON = backend({"exp": math.exp, "fmax": max, "fmin": min, "power": pow, "total": sum})


def casadi_power(x, y):
    """x^y for x >= 0 on CasADi symbols, 0 at x = 0 with derivatives 0 there: the
    derivative of x^y in y, ln(x) x^y, is NaN at x = 0 (CasADi simplifies ``constpow`` to
    ``pow``). The exponents are constants of the law, but the Jacobian of a call
    multiplies every input's partial derivative by its (zero) seed, and NaN x 0 = NaN."""
    return casadi.if_else(x > 0, x**y, 0)


_CASADI_TYPES = (casadi.SX, casadi.MX, casadi.DM)


def _generic(numpy_op, casadi_op):
    def op(*args):
        return casadi_op(*args) if any(isinstance(a, _CASADI_TYPES) for a in args) else numpy_op(*args)

    return op


#: The law on NumPy values or CasADi symbols alike (``pybamm.Function`` nodes).
GENERIC = backend({"exp": _generic(np.exp, casadi.exp), "fmax": _generic(np.maximum, casadi.fmax),
                   "fmin": _generic(np.minimum, casadi.fmin), "power": _generic(np.power, casadi_power),
                   "total": _generic(np.sum, casadi.sum1)})
