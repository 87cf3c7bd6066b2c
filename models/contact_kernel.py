"""The particle contact law on a particle ensemble: numba executes ``contact_law``.

Advances the per-particle states of :func:`ssbsim.models.contact_law.implicit_step` -
closure c [m], damage opening d [m], void v [m], isolated fraction z [-] and its unloaded part w [-] of N
particles of radius R [m] - driven per step by the radial strain s [-], its running
maximum s_max [-], the effective pressure P_eff [Pa], the void-nucleation factor chi [-]
and the layer's decohered fraction zeta [-], at a temperature T [K]. There is no law
here: :data:`NUMBA` is ``contact_law``'s functions compiled by numba (the same code
objects the NumPy reference and PyBaMM's CasADi node execute), and this module only
loops. Results agree with the NumPy reference to rounding (tests: 1e-10).

Particles are independent given the drivers, so the loop is ``prange`` over particles
(threads: ``numba.set_num_threads`` / NUMBA_NUM_THREADS), then time steps, the states of
one particle in registers; the factors all particles share in a step (creep velocity,
closure per radius) are evaluated once per step (``contact_law.step_factors``).
"""

from __future__ import annotations

import hashlib
import inspect
import math
import os
import tempfile
from pathlib import Path

import numba
import numpy as np

from .contact_ensemble import strain_rate_series
from .contact_law import LAW_FUNCTIONS, ContactLawParameters, backend


@numba.njit(inline="always")
def _fmax(a, b):
    return a if a > b else b


@numba.njit(inline="always")
def _fmin(a, b):
    return a if a < b else b


@numba.njit(inline="always")
def _exp(x):
    return math.exp(x)


@numba.njit(inline="always")
def _power(x, y):
    return x ** y


@numba.njit(inline="always")
def _total(a):
    return a.sum()


#: ``contact_law`` compiled by numba (scalars in, scalars out).
NUMBA = backend({"exp": _exp, "fmax": _fmax, "fmin": _fmin, "power": _power, "total": _total},
                wrap=lambda f: numba.njit(inline="always")(f))
_implicit_step = NUMBA.implicit_step
_particle_terms = NUMBA.particle_terms
_step_factors = NUMBA.step_factors
_aggregates = NUMBA.aggregates


def _kernel_sources() -> list[str]:
    """The source files the compiled kernels are made of: this one and the law's."""
    return sorted({__file__, *(inspect.getsourcefile(f) for f in LAW_FUNCTIONS)})


def _law_cache_dir() -> Path:
    """Where the kernels' compiled code is cached: numba keys its cache on the source of
    the file a kernel is defined in (this one), not on the law the kernel inlines
    (``contact_law.LAW_FUNCTIONS``, from several modules), so the cache sits in a folder
    named after a hash of all their source files. A changed law compiles anew (~10-20 s,
    once); every later process loads it. ``SSBSIM_NUMBA_CACHE`` sets the parent folder
    (default ``~/.cache/ssbsim/numba``)."""
    digest = hashlib.sha256(b"".join(Path(f).read_bytes() for f in _kernel_sources()))
    parent = os.environ.get("SSBSIM_NUMBA_CACHE") or Path.home() / ".cache" / "ssbsim" / "numba"
    return Path(parent) / digest.hexdigest()[:16]


def _writable(folder: Path) -> bool:
    """``folder`` exists or can be made, and a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _cached_njit(**options):
    """``numba.njit(cache=True, **options)`` caching into :func:`_law_cache_dir` (numba
    reads its cache folder when a function is decorated; the process's setting is put
    back). Where that folder cannot be written the kernel is not cached at all: numba
    would fall back to a folder keyed on this file alone, where a changed law could load
    an old kernel."""
    def decorate(f):
        folder = _law_cache_dir()
        if not _writable(folder):
            return numba.njit(cache=False, **options)(f)
        before = numba.config.CACHE_DIR
        numba.config.CACHE_DIR = str(folder)
        try:
            return numba.njit(cache=True, **options)(f)
        finally:
            numba.config.CACHE_DIR = before

    return decorate


@_cached_njit(parallel=True)
def _advance_core(R, c, d, v, z, w, group, s, s_max, P_eff, chi, zeta, s_rate, dt, T, p):
    """Particle i driven by row ``group[i]`` of the (G, M) strain drivers; the factors
    every particle shares, once per step."""
    n = R.shape[0]
    m = s.shape[1]
    v_cr = np.empty(m)
    ratio = np.empty(m)
    for k in range(m):
        v_cr[k], ratio[k] = _step_factors(p, P_eff[k], T)
    for i in numba.prange(n):
        ci, di, vi, zi, wi, Ri, gi = c[i], d[i], v[i], z[i], w[i], R[i], group[i]
        for k in range(m):
            ci, di, vi, zi, wi = _implicit_step(p, dt, Ri, ci, di, vi, zi, wi, s[gi, k], s_max[gi, k], v_cr[k],
                                                ratio[k], chi[k], zeta[gi, k], s_rate[gi, k])
        c[i], d[i], v[i], z[i], w[i] = ci, di, vi, zi, wi


@_cached_njit(parallel=True)
def _end_terms(R, c, d, z, w, s, s_max, P_eff, chi, T, p):
    """Contact fraction and gap of every particle at one step's drivers (scalars)."""
    v_cr, ratio = _step_factors(p, P_eff, T)
    phi = np.empty(R.shape[0])
    g = np.empty(R.shape[0])
    for i in numba.prange(R.shape[0]):
        terms = _particle_terms(p, R[i], c[i], d[i], z[i], w[i], s, s_max, v_cr, ratio, chi, 0.0, 0.0)
        g[i] = terms[3]
        phi[i] = terms[6]
    return phi, g


@_cached_njit()
def _aggregate_core(R, weights, z, phi, g, v):
    iso, contact, void, _, _, _ = _aggregates(R, weights, z, phi, g, v, np.zeros_like(R), np.zeros_like(R))
    return iso, contact, void


@numba.njit(cache=True)
def _running_max_core(s, m, decay):
    out = np.empty_like(s)
    for k in range(s.shape[0]):
        out[k] = m
        m = m + decay * max(s[k] - m, 0.0)
    return out, m


def running_max(s, s_max0: float, dt: float, params: ContactLawParameters):
    """``contact_ensemble.running_max_series`` compiled (the same update, bit for bit):
    s_max at the start of each step of a strain series ``s`` and after the last."""
    decay = 1.0 - math.exp(-params.max_relaxation_rate_s * dt)
    return _running_max_core(np.ascontiguousarray(s, dtype=np.float64), float(s_max0), decay)


def _check(arrays: dict, min_length: int = 1):
    """1-D C-contiguous float64 arrays of one length, else ValueError naming the culprit."""
    first = next(iter(arrays))
    for name, a in arrays.items():
        if not (isinstance(a, np.ndarray) and a.dtype == np.float64 and a.ndim == 1
                and a.flags.c_contiguous):
            raise ValueError(f"{name} must be a 1-D C-contiguous float64 numpy array")
        if a.shape[0] != arrays[first].shape[0]:
            raise ValueError(f"{name} has length {a.shape[0]}, {first} has {arrays[first].shape[0]}")
    if arrays[first].shape[0] < min_length:
        raise ValueError(f"{first} must have at least {min_length} element(s)")


def advance_ensemble(R, c, d, v, z, w, s, s_max, P_eff, chi, dt, params, zeta=None, T=None, s_rate=None):
    """``len(s)`` steps of :func:`contact_law.implicit_step` for every particle, in place.

    Parameters
    ----------
    R : (N,) float64 ndarray
        Particle radii [m].
    c, d, v, z, w : (N,) float64 ndarray
        Closure [m], damage opening [m], void [m], isolated fraction [-] and its unloaded
        part [-] (``contact_law.isolation_rates``); updated in place (writeable, not
        overlapping each other or R).
    s, s_max, P_eff, chi : (M,) float64 ndarray, M >= 1
        Drivers per step: radial strain [-], its running maximum [-], effective
        pressure [Pa], void-nucleation factor [-].
    dt : float
        Step [s].
    params : ContactLawParameters or (n,) float64 ndarray
        Law constants, or their ``as_array()`` packing (field order).
    zeta : (M,) float64 ndarray, optional
        The layer's decohered fraction per step [-] (``layer_decohesion``); default 0.
    T : float, optional
        Temperature [K]; default the creep reference temperature.
    s_rate : (M,) float64 ndarray, optional
        |ds/dt| per step [s-1]; default ``contact_ensemble.strain_rate_series(s, dt)``.

    Returns
    -------
    phi, g : (N,) float64 ndarray
        Contact fraction [-] and gap [m] after the last step.

    Raises
    ------
    ValueError
        For a wrong type, dtype, layout, length or overlap; the message names the argument.
    """
    n_fields = len(ContactLawParameters.names())
    if isinstance(params, np.ndarray) and params.dtype == np.float64 and params.shape == (n_fields,):
        params = ContactLawParameters(*params.tolist())
    if not isinstance(params, ContactLawParameters):
        raise ValueError(f"params must be ContactLawParameters or a ({n_fields},) float64 array (its as_array())")
    states = {"R": R, "c": c, "d": d, "v": v, "z": z, "w": w}
    _check(states)
    if zeta is None:
        zeta = np.zeros(s.shape[0]) if isinstance(s, np.ndarray) and s.ndim == 1 else s
    drivers = {"s": s, "s_max": s_max, "P_eff": P_eff, "chi": chi, "zeta": zeta}
    _check(drivers | ({} if s_rate is None else {"s_rate": s_rate}), min_length=1)
    names = list(states)
    for j, name in enumerate(names):
        if j and not states[name].flags.writeable:
            raise ValueError(f"{name} must be writeable (updated in place)")
        for other in names[:j]:
            if np.may_share_memory(states[name], states[other]):
                raise ValueError(f"{name} must not share memory with {other}")
    if not (isinstance(dt, (int, float)) and math.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive finite number, got {dt!r}")
    T = params.creep_reference_temperature_K if T is None else float(T)
    if not (math.isfinite(T) and T > 0):
        raise ValueError(f"T={T} K must be a positive finite temperature")
    s_rate = strain_rate_series(s, dt) if s_rate is None else s_rate
    p = params.constants()
    one_group = np.zeros(R.shape[0], dtype=np.int64)  # every particle on the same (1, M) drivers
    _advance_core(R, c, d, v, z, w, one_group, s.reshape(1, -1), s_max.reshape(1, -1), P_eff, chi,
                  zeta.reshape(1, -1), s_rate.reshape(1, -1), float(dt), T, p)
    k = s.shape[0] - 1
    return _end_terms(R, c, d, z, w, s[k], s_max[k], P_eff[k], chi[k], T, p)


def advance_grouped(R, c, d, v, z, w, group, s, s_max, P_eff, chi, zeta, s_rate, dt, params, T):
    """:func:`advance_ensemble` for particles in groups that each have their own strain:
    particle i is driven by row ``group[i]`` of the (G, M) arrays ``s``, ``s_max``,
    ``zeta`` and ``s_rate``; ``P_eff`` and ``chi`` (M,) are shared. States (N,) are
    updated in place; returns nothing. Arrays must be float64 and C-contiguous (``group``
    int64) - this is the inner loop of ``simulator.thickness_ensemble``, which builds them."""
    _check({"R": R, "c": c, "d": d, "v": v, "z": z, "w": w})
    for name, a in {"s": s, "s_max": s_max, "zeta": zeta, "s_rate": s_rate}.items():
        if not (isinstance(a, np.ndarray) and a.dtype == np.float64 and a.ndim == 2 and a.flags.c_contiguous
                and a.shape == s.shape):
            raise ValueError(f"{name} must be a C-contiguous float64 array of shape {s.shape}")
    _check({"P_eff": P_eff, "chi": chi})
    if P_eff.shape[0] != s.shape[1]:
        raise ValueError(f"P_eff has length {P_eff.shape[0]}, the strain rows {s.shape[1]}")
    group = np.ascontiguousarray(group, dtype=np.int64)
    if group.shape != R.shape or group.min() < 0 or group.max() >= s.shape[0]:
        raise ValueError(f"group must hold one row index in [0, {s.shape[0]}) per particle")
    _advance_core(R, c, d, v, z, w, group, s, s_max, P_eff, chi, zeta, s_rate, float(dt), float(T),
                  params.constants())


def aggregate_ensemble(R, weights, z, phi, g, v):
    """Electrode-level aggregates of an ensemble (``contact_law.aggregates`` compiled).

    Parameters
    ----------
    R, weights, z, phi, g, v : (N,) float64 ndarray
        Radii [m], number weights, isolated fraction, contact fraction, gap [m], void [m].

    Returns
    -------
    isolated_fraction, contact_fraction, void_per_am_volume : float
        sum w_V z; 1 - sum w_A (1 - z)(1 - phi) / sum w_A (1 - z); sum w_V 3 (g + v) / R,
        with w_V ~ weights R^3 and w_A ~ weights R^2 normalised to 1.

    Raises
    ------
    ValueError
        For a wrong type, dtype, layout or length (the message names the argument).
    """
    _check({"R": R, "weights": weights, "z": z, "phi": phi, "g": g, "v": v}, min_length=1)
    return _aggregate_core(R, weights, z, phi, g, v)
