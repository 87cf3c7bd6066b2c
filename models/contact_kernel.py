"""Particle-scale contact law of a composite electrode: the numba twin.

Advances the same per-particle states as ``models.contact_law.advance_ensemble_numpy``,
which is the reference (equations, symbols and the semi-implicit scheme are documented
there): closure c [m], damage opening d [m], void v [m] and isolated fraction z [-] of N
particles of radius R [m], driven per step by the radial strain s [-], its running
maximum s_max [-], the effective pressure P_eff [Pa] and the void-nucleation factor chi
[-]. The arithmetic is the reference's, operation by operation and in the same order
(relu_h = y+^2 / (y+ + h), plain max(s - s_max, 0) in the push term, z = min(z, 1)
after each step, fastmath off): results agree to ~1e-15 (only exp differs).
Keep it so: at the reference's step sizes the c-d-v recursion amplifies round-off.

Particles are independent given the drivers, so the time loop is fused: an outer
``prange`` over blocks of ``_BLOCK`` particles, then the time steps, then the particles
of the block, whose states stay in L1 cache (updated in place in the caller's arrays: no
temporaries, one pass over memory instead of ~40 per step). The innermost loop has no
calls, so LLVM vectorises it (AVX2 / AVX-512); numba's ``math.exp`` is a scalar libm
call that would prevent this. Threads: ``numba.set_num_threads`` / NUMBA_NUM_THREADS.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .contact_law import ContactLawParameters

_N_PARAMS = len(ContactLawParameters.__dataclass_fields__)
_BLOCK = 256  # particles per block: 5 arrays x 2 kB stay in L1
_LOG2E, _LN2_HI, _LN2_LO = 1.4426950408889634, 6.93147180369123816490e-01, 1.90821492927058770002e-10
_INV_FACT = tuple(1.0 / math.factorial(j) for j in range(14))  # Taylor coefficients of exp


@numba.njit(inline="always", fastmath=False)
def _exp(x):
    """exp(x) to ~1 ulp, vectorisable: x = k ln2 + r (fdlibm split, |r| <= ln2/2),
    degree-13 Taylor in r, times 2^k from exponent bits in two factors (subnormals)."""
    x = min(max(x, -745.2), 710.0)
    kf = math.floor(x * _LOG2E + 0.5)
    r = (x - kf * _LN2_HI) - kf * _LN2_LO
    q = _INV_FACT[13]
    for j in range(12, -1, -1):  # Horner; unrolled by LLVM
        q = q * r + _INV_FACT[j]
    k = np.int64(kf)
    k1 = k >> 1
    return q * np.int64((k1 + 1023) << 52).view(np.float64) * np.int64((k - k1 + 1023) << 52).view(np.float64)


@numba.njit(inline="always", fastmath=False)
def _terms(Ri, ci, di, zi, dsk, pk, vk, kck, posk, q):
    """One particle's (open gap, over, g, dv, dz, phi): ``contact_law._terms``."""
    E_f, lam, phi_c, r_iso, k_y, k_max, g_s, h, w_phi = q
    y = Ri * dsk - ci  # e - c
    yp, yn = max(y, 0.0), max(-y, 0.0)
    open_gap = yp * yp / (yp + h)  # relu_h(e - c)
    over = yn * yn / (yn + h)  # relu_h(c - e)
    dp = max(di, 0.0)
    g = open_gap + dp * dp / (dp + h)
    push = k_y * over + Ri * k_max * posk
    dv = kck * push
    y = max(g - Ri * pk / E_f, 0.0)
    phi = _exp(-(y * y / (y + h)) / lam)
    below = 1.0 / (1.0 + _exp(-(phi_c - phi) / w_phi))
    y = max(below - zi, 0.0)
    dz = r_iso * (y * y / (y + 1e-6))  # relu_h(below - z, 1e-6)
    return open_gap, over, g, dv, dz, phi


@numba.njit(parallel=True, fastmath=False, cache=True)
def _advance_core(R, c, d, v, z, s, s_max, P_eff, chi, dt, p):
    v0, n_cr, E_f, lam, phi_c, r_iso, kappa, k_y, k_max, g_s, h, w_phi = (
        p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11])
    q = (E_f, lam, phi_c, r_iso, k_y, k_max, g_s, h, w_phi)
    n, m = R.shape[0], s.shape[0]
    ds, pos, vcr, kch = np.empty(m), np.empty(m), np.empty(m), np.empty(m)  # per-step terms
    for k in range(m):
        ds[k] = s_max[k] - s[k]
        pos[k] = max(s[k] - s_max[k], 0.0)
        vcr[k] = v0 * (max(P_eff[k], 0.0) / 1e6) ** n_cr
        kch[k] = kappa * chi[k]
    phi_out, g_out = np.empty(n), np.empty(n)
    for b in numba.prange((n + _BLOCK - 1) // _BLOCK):
        lo, hi = b * _BLOCK, min(n, b * _BLOCK + _BLOCK)
        Rb, cb, db, vb, zb = R[lo:hi], c[lo:hi], d[lo:hi], v[lo:hi], z[lo:hi]
        for k in range(m):
            dsk, pk, vk, kck, posk = ds[k], P_eff[k], vcr[k], kch[k], pos[k]
            for i in range(hi - lo):
                open_gap, over, g, dv, dz, _ = _terms(Rb[i], cb[i], db[i], zb[i], dsk, pk, vk, kck, posk, q)
                f = dt * vk / (g + g_s)  # creep closure, implicit (see the reference)
                cb[i] += open_gap * f / (1.0 + f) - dt * k_y * over
                db[i] = (db[i] + dt * dv) / (1.0 + f)
                vb[i] += dt * dv
                zn = zb[i] + dt * dz
                zb[i] = 1.0 if zn > 1.0 else zn  # np.minimum(z, 1.0)
        k = m - 1  # phi, g after the last step, with its drivers
        for i in range(hi - lo):
            _, _, g_out[lo + i], _, _, phi_out[lo + i] = _terms(
                Rb[i], cb[i], db[i], zb[i], ds[k], P_eff[k], vcr[k], kch[k], pos[k], q)
    return phi_out, g_out


@numba.njit(parallel=True, fastmath=False, cache=True)
def _aggregate_core(R, weights, z, phi, g, v):
    wv_sum = iso = area = contact = void = 0.0
    for i in numba.prange(R.shape[0]):
        wv = weights[i] * R[i] ** 3
        conn = weights[i] * R[i] ** 2 * (1.0 - z[i])
        wv_sum += wv
        iso += wv * z[i]
        area += conn
        contact += conn * phi[i]
        void += wv * 3.0 * (g[i] + v[i]) / R[i]
    return iso / wv_sum, contact / max(area, 1e-300), void / wv_sum


def _check(arrays, min_length=0):
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


def advance_ensemble(R, c, d, v, z, s, s_max, P_eff, chi, dt, params):
    """Numba twin of ``contact_law.advance_ensemble_numpy``: ``len(s)`` Euler steps in place.

    Parameters
    ----------
    R : (N,) float64 ndarray
        Particle radii [m].
    c, d, v, z : (N,) float64 ndarray
        Closure [m], damage opening [m], void [m], isolated fraction [-]; updated in
        place (writeable, not overlapping each other or R).
    s, s_max, P_eff, chi : (M,) float64 ndarray, M >= 1
        Drivers per step: radial strain [-], its running maximum [-], effective
        pressure [Pa], void-nucleation factor [-].
    dt : float
        Step [s].
    params : ContactLawParameters or (12,) float64 ndarray
        Law constants, or their ``as_array()`` packing (field order).

    Returns
    -------
    phi, g : (N,) float64 ndarray
        Contact fraction [-] and gap [m] after the last step.

    Raises
    ------
    ValueError
        For a wrong type, dtype, layout, length or overlap; the message names the argument.
    """
    if isinstance(params, ContactLawParameters):
        params = params.as_array()
    if not (isinstance(params, np.ndarray) and params.dtype == np.float64 and params.shape == (_N_PARAMS,)):
        raise ValueError(f"params must be ContactLawParameters or a ({_N_PARAMS},) float64 array")
    states = {"R": R, "c": c, "d": d, "v": v, "z": z}
    _check(states)
    _check({"s": s, "s_max": s_max, "P_eff": P_eff, "chi": chi}, min_length=1)
    names = list(states)
    for j, name in enumerate(names):
        if j and not states[name].flags.writeable:
            raise ValueError(f"{name} must be writeable (updated in place)")
        for other in names[:j]:
            if np.may_share_memory(states[name], states[other]):
                raise ValueError(f"{name} must not share memory with {other}")
    if not (isinstance(dt, (int, float)) and math.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive finite number, got {dt!r}")
    return _advance_core(R, c, d, v, z, s, s_max, P_eff, chi, float(dt), np.ascontiguousarray(params))


def aggregate_ensemble(R, weights, z, phi, g, v):
    """Electrode-level aggregates of an ensemble (numba twin of ``contact_law.aggregate``).

    Parameters
    ----------
    R, weights, z, phi, g, v : (N,) float64 ndarray
        Radii [m], number weights, isolated fraction, contact fraction, gap [m], void [m].

    Returns
    -------
    isolated_fraction, contact_fraction, void_per_am_volume : float
        sum w_V z; sum w_A (1 - z) phi / sum w_A (1 - z); sum w_V 3 (g + v) / R, with
        w_V ~ weights R^3 normalised to 1 and w_A ~ weights R^2.

    Raises
    ------
    ValueError
        For a wrong type, dtype, layout or length (the message names the argument).
    """
    _check({"R": R, "weights": weights, "z": z, "phi": phi, "g": g, "v": v}, min_length=1)
    return _aggregate_core(R, weights, z, phi, g, v)
