"""Particle-scale contact law of a composite electrode: the reference NumPy form.

Each active particle (radius R) sits in a cavity of the solid electrolyte (SE) that was
pressed around it at fabrication. Its radial strain s = ((1 + eps_v(x)) / (1 + eps_v(x0)))^(1/3) - 1
follows its lithiation (``models.strain``). The law, per particle, in SI units:

* **Shrinkage gap.** The rigid SE does not follow a shrinking particle: relative to the
  largest size seen so far, s_max, a radial opening e = R (s_max - s) appears (domain
  notes: gap ~ (R/3)|eps_v|). Creep / plastic flow of the soft sulfide under the
  effective pressure closes it by c:

      dc/dt = v_cr * relu(e - c) / (g + g_s) - k_y * relu(c - e)

  with the Norton creep velocity v_cr = v_0 (P_eff / 1 MPa)^n. When the particle
  re-expands past the crept-in SE (c > e) it pushes the SE back (fast yield, rate k_y).
* **Damage opening** d: pushing SE back, or expanding beyond the previous largest size
  (s > s_max, as Si does), cracks the SE around the particle:

      push = k_y relu(c - e) + R k_max relu(s - s_max)
      dd/dt = kappa * chi * push - v_cr * relu(d) / (g + g_s)
      dv/dt = kappa * chi * push          (irreversible void, only grows)

  chi = exp(-Gamma_eff / Gamma_chi) is the binder's resistance to void nucleation
  (``models.binder_mechanics``).
* **Gap and contact.** g = relu(e - c) + relu(d). Rough surfaces (roughness lambda) touch where
  the gap is closed elastically by the framework, delta_el = R P_eff / E_f
  (Greenwood-Williamson-type exponential closure, Greenwood & Williamson 1966):

      phi = exp(-relu(g - delta_el) / lambda)

* **Isolation.** A particle whose contact falls below the percolation threshold phi_c is
  cut off from the SE network. A size class holds many particles with scattered local
  geometry, so its isolated fraction z relaxes towards the fraction below threshold,
  b = sigmoid((phi_c - phi) / w_phi), and never decreases (a cut-off particle cannot
  re-expand to reconnect). Where the swelling layer cracks through the phase's network
  (a layer-level decohered fraction zeta, the same for every particle of the phase:
  ``models.layer_decohesion``), the particles it cuts off are isolated too:

      dz/dt = r_iso relu(b + zeta (1 - b) - z)

The running maximum relaxes fast: ds_max/dt = k_max relu(s - s_max).

relu is smoothed, relu_h(y) = y+^2 / (y+ + h) with y+ = max(y, 0): exactly 0 for y <= 0
(no spurious gap or drift at zero strain), y - h + O(h^2/y) for y >> h, and continuously
differentiable, so that PyBaMM's DAE solver can integrate the same law
(``models.contact_mechanics``). Aggregates over an
ensemble (volume weights w_V ~ R^3, area weights w_A ~ R^2): isolated fraction
f_iso = sum w_V z; contact fraction of the connected surface
phi_bar = sum w_A (1 - z) phi / sum w_A (1 - z); void added per AM volume
sum w_V 3 (g + v) / R.

This module is the plain-NumPy reference; ``models.contact_kernel`` is the numba twin.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

import numpy as np


@dataclass(frozen=True)
class ContactLawParameters:
    """Constants of the particle contact law (SI units)."""

    creep_velocity_m_s: float  # v_0: SE creep closure velocity at 1 MPa
    creep_exponent: float  # n: Norton stress exponent of the SE
    framework_modulus_Pa: float  # E_f: elastic closure delta_el = R P / E_f
    roughness_m: float  # lambda
    percolation_threshold: float  # phi_c
    isolation_rate_s: float  # r_iso [s-1]
    void_coefficient: float  # kappa [-]
    yield_rate_s: float = 1e-2  # k_y [s-1]: push-back of crept-in SE
    max_relaxation_rate_s: float = 1e-1  # k_max [s-1]: running maximum of s
    gap_regularisation_m: float = 1e-10  # g_s
    smoothing_m: float = 1e-11  # h of relu_h (for lengths)
    threshold_width: float = 0.05  # w_phi

    def as_array(self) -> np.ndarray:
        """Packed for the numba kernel, in field order."""
        return np.array(astuple(self), dtype=np.float64)

    @classmethod
    def from_parameters(cls, values) -> "ContactLawParameters":
        """From a parameter mapping with ssbsim's PyBaMM names (e.g. ``pybamm.ParameterValues``)."""
        return cls(
            creep_velocity_m_s=values["Solid electrolyte creep velocity at 1 MPa [m.s-1]"],
            creep_exponent=values["Solid electrolyte creep stress exponent"],
            framework_modulus_Pa=values["Composite framework modulus [Pa]"],
            roughness_m=values["Active material surface roughness [m]"],
            percolation_threshold=values["Contact percolation threshold"],
            isolation_rate_s=values["Contact isolation rate [s-1]"],
            void_coefficient=values["Void nucleation coefficient"],
            threshold_width=values["Contact percolation threshold width"],
        )


def relu_h(y, h):
    """C1-smooth max(y, 0): y+^2 / (y+ + h), exactly 0 for y <= 0."""
    yp = np.maximum(y, 0.0)
    return yp * yp / (yp + h)


def creep_velocity(p: ContactLawParameters, pressure_Pa):
    """v_cr = v_0 (P / 1 MPa)^n [m.s-1]; P >= 0."""
    return p.creep_velocity_m_s * (np.maximum(pressure_Pa, 0.0) / 1e6) ** p.creep_exponent


def running_max_series(s, s_max0, dt, p: ContactLawParameters):
    """s_max at the start of each step: exact update ds_max/dt = k_max relu(s - s_max)
    over steps of constant s (relu not smoothed: s_max is not a length)."""
    out = np.empty_like(s)
    decay = 1.0 - np.exp(-p.max_relaxation_rate_s * dt)
    m = s_max0
    for k in range(len(s)):
        out[k] = m
        m = m + decay * max(s[k] - m, 0.0)
    return out, m


def _terms(R, c, d, z, s, s_max, P_eff, chi, p: ContactLawParameters, zeta=0.0):
    """Per-particle terms of the law: open gap, over-closure, gap, creep velocity,
    void rate dv/dt, isolation rate dz/dt and contact fraction phi."""
    h = p.smoothing_m
    e = R * (s_max - s)
    open_gap = relu_h(e - c, h)
    over = relu_h(c - e, h)
    g = open_gap + relu_h(d, h)
    v_cr = creep_velocity(p, P_eff)
    push = p.yield_rate_s * over + R * p.max_relaxation_rate_s * max(s - s_max, 0.0)
    dv = p.void_coefficient * chi * push
    phi = np.exp(-relu_h(g - R * P_eff / p.framework_modulus_Pa, h) / p.roughness_m)
    below = 1.0 / (1.0 + np.exp(-(p.percolation_threshold - phi) / p.threshold_width))
    dz = p.isolation_rate_s * relu_h(below + zeta * (1.0 - below) - z, 1e-6)
    return open_gap, over, g, v_cr, dv, dz, phi


def contact_rates(R, c, d, z, s, s_max, P_eff, chi, p: ContactLawParameters, zeta=0.0):
    """Continuous-time rates (dc, dd, dv, dz) and phi, g: the ODEs PyBaMM integrates."""
    open_gap, over, g, v_cr, dv, dz, phi = _terms(R, c, d, z, s, s_max, P_eff, chi, p, zeta)
    dc = v_cr * open_gap / (g + p.gap_regularisation_m) - p.yield_rate_s * over
    dd = dv - v_cr * relu_h(d, p.smoothing_m) / (g + p.gap_regularisation_m)
    return dc, dd, dv, dz, phi, g


def advance_ensemble_numpy(R, c, d, v, z, s, s_max, P_eff, chi, dt, p: ContactLawParameters, zeta=None):
    """Advance particle states over len(s) steps of ``dt`` seconds.

    Creep closure is taken implicitly (f = dt v_cr / (g + g_s); the open gap and the
    damage opening shrink by 1 / (1 + f)), the rest explicitly:

        c += open f / (1 + f) - dt k_y over;  d = (d + dt dv) / (1 + f)
        v += dt dv;  z = min(z + dt dz, 1)

    Unconditionally stable in the creep term, consistent with :func:`contact_rates`
    as dt -> 0, and d stays >= 0. The explicit terms need dt k_y <= 1, dt r_iso <= 1.

    Parameters
    ----------
    R : (N,) particle radii [m]
    c, d, v, z : (N,) states (closure [m], damage opening [m], void [m], isolated [-]);
        updated in place.
    s, s_max, P_eff, chi : (M,) drivers per step: radial strain of connected particles,
        its running maximum (``running_max_series``), effective pressure [Pa] and the
        binder's void-nucleation factor.
    dt : float, step [s].
    p : ContactLawParameters.
    zeta : (M,), optional: the layer's decohered fraction per step
        (``layer_decohesion.decohered_fraction``); default 0 (no layer cracks).

    Returns
    -------
    phi, g : (N,) contact fraction and gap [m] after the last step.
    """
    zeta = np.zeros(len(s)) if zeta is None else zeta
    for k in range(len(s)):
        open_gap, over, g, v_cr, dv, dz, _ = _terms(R, c, d, z, s[k], s_max[k], P_eff[k], chi[k], p, zeta[k])
        f = dt * v_cr / (g + p.gap_regularisation_m)
        c += open_gap * f / (1.0 + f) - dt * p.yield_rate_s * over
        d[:] = (d + dt * dv) / (1.0 + f)
        v += dt * dv
        z += dt * dz
        np.minimum(z, 1.0, out=z)
    k = len(s) - 1
    _, _, g, _, _, _, phi = _terms(R, c, d, z, s[k], s_max[k], P_eff[k], chi[k], p)
    return phi, g


def aggregate(R, weights, z, phi, g, v):
    """Electrode-level (phase-level) aggregates of an ensemble.

    ``weights`` are number weights (a sampled ensemble has weights 1).

    Returns
    -------
    dict with ``isolated_fraction`` (volume), ``contact_fraction`` (area-weighted over
    connected particles), ``void_per_am_volume`` (sum w_V 3 (g + v) / R).
    """
    wV = weights * R**3
    wA = weights * R**2
    wV = wV / wV.sum()
    conn_area = wA * (1.0 - z)
    return {
        "isolated_fraction": float(np.sum(wV * z)),
        "contact_fraction": float(np.sum(conn_area * phi) / max(np.sum(conn_area), 1e-300)),
        "void_per_am_volume": float(np.sum(wV * 3.0 * (g + v) / R)),
    }
