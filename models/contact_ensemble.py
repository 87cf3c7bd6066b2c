"""Drivers of the contact law on particle ensembles in NumPy and pure Python: the
references the numba kernel (``contact_kernel``) is tested and timed against, and the
helpers the drivers share (running maximum, strain rate, rates and aggregates on NumPy
values). The law itself is ``contact_law``'s, bound to NumPy (:data:`contact_law.NUMPY`)
and Python floats (:data:`contact_law.PYTHON`)."""

from __future__ import annotations

import math

import numpy as np

from .contact_law import NUMPY, PYTHON, ContactLawParameters

def running_max_series(s, s_max0, dt, p: ContactLawParameters):
    """s_max at the start of each step: exact update of ds_max/dt = k_max (s - s_max)+
    over steps of constant s (the h_s smoothing, 1e-9 in strain, is dropped)."""
    out = np.empty_like(s)
    decay = 1.0 - math.exp(-p.max_relaxation_rate_s * dt)
    m = s_max0
    for k in range(len(s)):
        out[k] = m
        m = m + decay * max(s[k] - m, 0.0)
    return out, m


def strain_rate_series(s, dt):
    """|ds/dt| [s-1] per step of a strain series: the backward difference, 0 at the first
    step (the strain before it is not known)."""
    s = np.asarray(s, dtype=np.float64)
    return np.abs(np.diff(s, prepend=s[:1])) / dt


def advance_ensemble_numpy(R, c, d, v, z, w, s, s_max, P_eff, chi, dt, p: ContactLawParameters,
                           zeta=None, T=None, s_rate=None):
    """Advance particle states over len(s) steps of ``dt`` seconds (:func:`implicit_step`).

    Parameters
    ----------
    R : (N,) particle radii [m]
    c, d, v, z, w : (N,) states (closure [m], damage opening [m], void [m], isolated [-],
        its unloaded part [-]); updated in place.
    s, s_max, P_eff, chi : (M,) drivers per step: radial strain of connected particles,
        its running maximum (:func:`running_max_series`), effective pressure [Pa] and the
        binder's void-nucleation factor.
    dt : float, step [s].
    p : ContactLawParameters.
    zeta : (M,), optional: the layer's decohered fraction per step; default 0.
    T : float, optional: temperature [K]; default the creep reference temperature.
    s_rate : (M,), optional: |ds/dt| [s-1] per step; default :func:`strain_rate_series`.

    Returns
    -------
    phi, g : (N,) contact fraction and gap [m] after the last step.
    """
    k_ = p.constants()
    zeta = np.zeros(len(s)) if zeta is None else zeta
    s_rate = strain_rate_series(s, dt) if s_rate is None else s_rate
    T = p.creep_reference_temperature_K if T is None else T
    for k in range(len(s)):
        v_cr, ratio = NUMPY.step_factors(k_, P_eff[k], T)
        c[:], d[:], v[:], z[:], w[:] = NUMPY.implicit_step(k_, dt, R, c, d, v, z, w, s[k], s_max[k], v_cr, ratio,
                                                           chi[k], zeta[k], s_rate[k])
    k = len(s) - 1
    v_cr, ratio = NUMPY.step_factors(k_, P_eff[k], T)
    _, _, _, g, _, _, phi, _, _ = NUMPY.particle_terms(k_, R, c, d, z, w, s[k], s_max[k], v_cr, ratio, chi[k], 0.0,
                                                       0.0)
    return phi, g


def advance_ensemble_python(R, c, d, v, z, w, s, s_max, P_eff, chi, dt, p: ContactLawParameters,
                            zeta=None, T=None, s_rate=None):
    """:func:`advance_ensemble_numpy` as a scalar pure-Python loop over particles and steps
    (:data:`PYTHON`, the same law), the reference timing of the benchmarks. Arrays are
    updated in place; returns nothing."""
    k_ = p.constants()
    T = p.creep_reference_temperature_K if T is None else T
    zeta = [0.0] * len(s) if zeta is None else list(zeta)
    s_rate = strain_rate_series(s, dt) if s_rate is None else s_rate
    s, s_max, chi, s_rate = (list(map(float, a)) for a in (s, s_max, chi, s_rate))
    factors = [PYTHON.step_factors(k_, float(P), T) for P in P_eff]
    for i in range(len(R)):
        Ri, ci, di, vi, zi, wi = float(R[i]), float(c[i]), float(d[i]), float(v[i]), float(z[i]), float(w[i])
        for k in range(len(s)):
            ci, di, vi, zi, wi = PYTHON.implicit_step(k_, dt, Ri, ci, di, vi, zi, wi, s[k], s_max[k], *factors[k],
                                                      chi[k], zeta[k], s_rate[k])
        c[i], d[i], v[i], z[i], w[i] = ci, di, vi, zi, wi


def contact_rates(R, c, d, z, s, s_max, P_eff, chi, p: ContactLawParameters, zeta=0.0, T=None, s_rate=0.0, w=0.0):
    """(dc, dd, dv, dz, dw, phi, g) on NumPy values (``w``: the unloaded fraction)."""
    T = p.creep_reference_temperature_K if T is None else T
    return NUMPY.particle_rates(p.constants(), R, c, d, z, w, s, s_max, P_eff, T, chi, zeta, s_rate)


def aggregate(R, weights, z, phi, g, v):
    """Electrode-level (phase-level) aggregates of an ensemble with number ``weights``:
    dict with ``isolated_fraction`` (volume), ``contact_fraction`` (area-weighted over
    connected particles), ``void_per_am_volume`` (sum w_V 3 (g + v) / R)."""
    iso, contact, void, *_ = NUMPY.aggregates(R, weights, z, phi, g, v, np.zeros_like(R), np.zeros_like(R))
    return {"isolated_fraction": float(iso), "contact_fraction": float(contact),
            "void_per_am_volume": float(void)}
