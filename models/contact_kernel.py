"""Particle-scale contact law of a composite electrode: the numba twin.

Advances the same per-particle states as ``models.contact_law.advance_ensemble_numpy``,
which is the reference (equations, symbols and the semi-implicit scheme are documented
there): closure c [m], damage opening d [m], void v [m] and isolated fraction z [-] of N
particles of radius R [m], driven per step by the radial strain s [-], its running
maximum s_max [-], the effective pressure P_eff [Pa], the void-nucleation factor chi
[-] and the layer's decohered fraction zeta [-]. Results agree with the reference to
~1e-15 (tests: 1e-10).

Particles are independent given the drivers, so the time loop is fused: an outer
``prange`` over blocks of ``_BLOCK`` particles, then the time steps, then the particles
of the block, whose states stay in L1 cache (updated in place in the caller's arrays: no
temporaries, one pass over memory instead of ~40 per step). Each step makes three short
passes over the block: (1) gap, creep closure, damage and void, and the contact
exponent; (2) its exponential, phi; (3) the isolation logistic and z. One pass doing all
of it was one ~165-instruction iteration whose dependency chain ran through two
divisions and both exponentials, with ~50 constants re-materialised per iteration for
want of registers; split, each loop keeps its constants in registers and the
out-of-order core overlaps more particles (1.5x measured at 10^5 particles; the
exponent and phi live in a block-sized scratch row, allocated once per call). The
innermost loops have no calls, so LLVM vectorises them (AVX2 / AVX-512); numba's
``math.exp`` is a scalar libm call that would prevent this, hence ``_exp``. The kernel
is compute-bound, so the same law is evaluated with fewer operations than the reference
(same values to rounding):

* relu_h(e - c) and relu_h(c - e) share a = |e - c|: one is a^2 / (a + h), the other 0;
* divisions are merged over a common denominator: the two relu_h of the gap in one,
  the contact exponent with the implicit creep factor in one
  (open f / (1 + f) = open dt v_cr / (g + g_s + dt v_cr)), and the logistic with the
  isolation rate in one; R P / E_f, dt v_cr and dt kappa chi (k_y, k_max relu(s - s_max))
  are per-step scalars, dt r_iso a constant;
* the contact exponent is <= 0, so its exp needs only the lower clamp;
* multiply-adds are fused (``fastmath={"contract"}``: no reassociation, no
  approximate division, so ``min``/``max`` and the zero-strain exactness hold).

Keep the c-d-v recursion's operands as they are: at the reference's step sizes it
amplifies round-off. Threads: ``numba.set_num_threads`` / NUMBA_NUM_THREADS.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.polynomial import chebyshev

from .contact_law import ContactLawParameters

_N_PARAMS = len(ContactLawParameters.__dataclass_fields__)
_BLOCK = 256  # particles per block: 5 arrays x 2 kB stay in L1
_FASTMATH = {"contract"}
_LOG2E, _LN2_HI, _LN2_LO = 1.4426950408889634, 6.93147180369123816490e-01, 1.90821492927058770002e-10
_ROUND = 6755399441055744.0  # 1.5 * 2**52: x + _ROUND - _ROUND rounds x to an integer
_ROUND_BITS = int(np.float64(_ROUND).view(np.int64))


def _exp_coefficients(degree=10):
    """Monomial coefficients of the Chebyshev interpolant of exp on |r| <= ln2 / 2, with
    the constant set to exactly 1 so that exp(0) = 1 (a contact fraction never exceeds
    1). Relative error <= 2.4e-15 (the interpolant alone: 1.6e-15; the conversion to
    monomials leaves a1 = 1 + 4e-15), vs 7e-15 for the Taylor polynomial."""
    half = math.log(2.0) / 2.0
    t_coefs = chebyshev.cheb2poly(chebyshev.chebinterpolate(lambda t: np.exp(half * t), degree))
    coefs = t_coefs / half ** np.arange(degree + 1)
    coefs[0] = 1.0
    return tuple(float(a) for a in coefs)


_EXP_COEFS = _exp_coefficients()


@numba.njit(inline="always", fastmath=_FASTMATH)
def _exp(x):
    """exp(x) to <= 2.4e-15 relative, vectorisable (x clamped to [-708, 709])."""
    return _exp_clamped(min(max(x, -708.0), 709.0))


@numba.njit(inline="always", fastmath=_FASTMATH)
def _exp_nonpositive(x):
    """exp(x) for x <= 0 (the contact exponent): only the lower clamp is needed."""
    return _exp_clamped(max(x, -708.0))


@numba.njit(inline="always", fastmath=_FASTMATH)
def _exp_clamped(x):
    """exp(x) for x in [-708, 709]: x = k ln2 + r (fdlibm split, |r| <= ln2/2, k by the
    1.5 * 2^52 rounding trick), degree-10 polynomial in r (Estrin's scheme: four
    independent pairs and powers of r instead of a 10-deep Horner chain), times 2^k by
    adding k to the exponent bits of q (exact: in that range the result is never
    subnormal or inf)."""
    t = x * _LOG2E + _ROUND
    kf = t - _ROUND
    r = (x - kf * _LN2_HI) - kf * _LN2_LO
    a = _EXP_COEFS
    r2 = r * r
    r4 = r2 * r2
    q = ((a[0] + a[1] * r) + r2 * (a[2] + a[3] * r)
         + r4 * ((a[4] + a[5] * r) + r2 * (a[6] + a[7] * r))
         + (r4 * r4) * ((a[8] + a[9] * r) + r2 * a[10]))
    k = np.float64(t).view(np.int64) - _ROUND_BITS
    return np.int64(np.float64(q).view(np.int64) + (k << 52)).view(np.float64)  # q 2^k


@numba.njit(inline="always", fastmath=_FASTMATH)
def _gap(Ri, ci, di, dsk, h):
    """(relu_h(e - c), relu_h(c - e), g) with e = R (s_max - s), g = relu_h(e - c) + relu_h(d)."""
    y = Ri * dsk - ci
    a = abs(y)
    dp = max(di, 0.0)
    ah, dh = a + h, dp + h
    inv = 1.0 / (ah * dh)
    ra = a * a * dh * inv
    open_gap = ra if y > 0.0 else 0.0
    return open_gap, ra - open_gap, open_gap + dp * dp * ah * inv


@numba.njit(inline="always", fastmath=_FASTMATH)
def _contact_exponent(Ri, g, pEk, den, h, lam):
    """ln phi = -relu_h(g - R P / E_f) / lambda, and (y + h) lambda / ((y + h) lambda den),
    the factor 1 / den the implicit creep needs (den = g + g_s + dt v_cr), from one division."""
    y = max(g - Ri * pEk, 0.0)
    yh = (y + h) * lam
    inv = 1.0 / (yh * den)
    return -(y * y) * den * inv, yh * inv


@numba.njit(inline="always", fastmath=_FASTMATH)
def _isolation_step(phi, zi, zeta, phi_c, inv_w, dt_r):
    """dt r_iso relu_h(b + zeta (1 - b) - z, 1e-6), b = sigmoid((phi_c - phi) / w), over one
    denominator: with E = exp((phi - phi_c) / w), D = 1 + E (b = 1 / D) and
    m = relu((1 - z) + (zeta - z) E) = D relu(b + zeta (1 - b) - z), it is
    dt r_iso m^2 / (D (m + 1e-6 D)) (dt_r = dt r_iso)."""
    E = _exp((phi - phi_c) * inv_w)
    D = 1.0 + E
    m = max((zeta - zi) * E + (1.0 - zi), 0.0)
    return dt_r * m * m / (D * (m + 1e-6 * D))


@numba.njit(parallel=True, fastmath=_FASTMATH, cache=True)
def _advance_core(R, c, d, v, z, s, s_max, P_eff, chi, zeta, dt, p):
    v0, n_cr, E_f, lam, phi_c, r_iso, kappa, k_y, k_max, g_s, h, w_phi = (
        p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11])
    n, m = R.shape[0], s.shape[0]
    ds, dkm, dtv, pE, dky = np.empty(m), np.empty(m), np.empty(m), np.empty(m), np.empty(m)
    for k in range(m):  # per-step scalars
        ds[k] = s_max[k] - s[k]
        dt_kc = dt * kappa * chi[k]  # dt dv = dky over + R dkm
        dky[k], dkm[k] = dt_kc * k_y, dt_kc * k_max * max(s[k] - s_max[k], 0.0)
        dtv[k] = dt * (v0 * (max(P_eff[k], 0.0) / 1e6) ** n_cr)
        pE[k] = P_eff[k] / E_f
    inv_w, dt_ky, dt_r = 1.0 / w_phi, dt * k_y, dt * r_iso
    n_blocks = (n + _BLOCK - 1) // _BLOCK
    phi_out, g_out, scratch = np.empty(n), np.empty(n), np.empty(n_blocks * _BLOCK)
    for b in numba.prange(n_blocks):
        lo, hi = b * _BLOCK, min(n, b * _BLOCK + _BLOCK)
        Rb, cb, db, vb, zb = R[lo:hi], c[lo:hi], d[lo:hi], v[lo:hi], z[lo:hi]
        phib = scratch[lo:hi]  # the contact exponent, then phi, of this step
        for k in range(m):
            dsk, dkmk, dtvk, pEk, dkyk, zk = ds[k], dkm[k], dtv[k], pE[k], dky[k], zeta[k]
            for i in range(hi - lo):  # pass 1: gap, closure, damage, void; ln phi
                Ri, ci, di = Rb[i], cb[i], db[i]
                open_gap, over, g = _gap(Ri, ci, di, dsk, h)
                dtdv = dkyk * over + Ri * dkmk
                gg = g + g_s
                phib[i], inv_den = _contact_exponent(Ri, g, pEk, gg + dtvk, h, lam)
                cb[i] = ci + open_gap * dtvk * inv_den - dt_ky * over  # open f / (1 + f)
                db[i] = (di + dtdv) * gg * inv_den  # (d + dt dv) / (1 + f)
                vb[i] += dtdv
            for i in range(hi - lo):  # pass 2: phi (of the step's starting states)
                phib[i] = _exp_nonpositive(phib[i])
            for i in range(hi - lo):  # pass 3: isolation
                zi = zb[i]
                zn = zi + _isolation_step(phib[i], zi, zk, phi_c, inv_w, dt_r)
                zb[i] = 1.0 if zn > 1.0 else zn  # np.minimum(z, 1.0)
        k = m - 1  # phi, g after the last step, with its drivers
        for i in range(hi - lo):
            _, _, g = _gap(Rb[i], cb[i], db[i], ds[k], h)
            x, _ = _contact_exponent(Rb[i], g, pE[k], g + g_s + dtv[k], h, lam)
            phi_out[lo + i], g_out[lo + i] = _exp_nonpositive(x), g
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


def advance_ensemble(R, c, d, v, z, s, s_max, P_eff, chi, dt, params, zeta=None):
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
    zeta : (M,) float64 ndarray, optional
        The layer's decohered fraction per step [-] (``layer_decohesion``); default 0.

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
    if zeta is None:
        zeta = np.zeros(s.shape[0]) if isinstance(s, np.ndarray) and s.ndim == 1 else s
    _check({"s": s, "s_max": s_max, "P_eff": P_eff, "chi": chi, "zeta": zeta}, min_length=1)
    names = list(states)
    for j, name in enumerate(names):
        if j and not states[name].flags.writeable:
            raise ValueError(f"{name} must be writeable (updated in place)")
        for other in names[:j]:
            if np.may_share_memory(states[name], states[other]):
                raise ValueError(f"{name} must not share memory with {other}")
    if not (isinstance(dt, (int, float)) and math.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive finite number, got {dt!r}")
    return _advance_core(R, c, d, v, z, s, s_max, P_eff, chi, zeta, float(dt), np.ascontiguousarray(params))


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
