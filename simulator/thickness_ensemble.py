"""The particle ensemble across the electrode's thickness: what the size-class average
of the PyBaMM model cannot hold.

The model integrates the contact law (``models.contact_law``) for K size classes of
each phase, all driven by one radial strain s(t): that of the connected particles'
mean stoichiometry. In a DFN the particles near the separator cycle deeper than those
near the current collector (the SE's potential drop; 0.1C in Kwon 2022's cathode
spreads the r-averaged stoichiometry by up to 0.10 across the layer, 0.5C in Jo 2024's
wet cathodes by 0.36, twice the mean swing). The law is nonlinear in the strain (the
running maximum, the isolation latch, creep closing a gap in proportion to it), so the
average over the layer of the law is not the law at the average strain.

The ensemble holds, for each size class k, particles at the centres of ``n`` bands of
equal thickness (positions x_j = (j + 1/2) L / n), each with its own states (closure,
damage opening, void, isolated and unloaded fraction) and running maximum strain, and
with the radial strain of the DFN's local stoichiometry sto_j(t):

    s_j(t) = s(t) + (1 + s(t)) [A(sto_j) - A(sto_mean)] / A(sto_c),   A(x) = (1 + eps_v(x))^(1/3)

(sto_mean the mean over the bands, sto_c the model's connected-particle stoichiometry,
s(t) the model's strain: ``models.strain.radial_strain`` at sto_j, taken relative to the
model's own). The particles' running maximum follows their strain; the effective
pressure and the binder are the electrode's.

**Coupling (operator split), every ``coupling_cycles`` solved cycles.** The class states
y_k of the PyBaMM model are the mean over the bands of the particles' states; the
ensemble keeps each particle's deviation from its class. Over the solved cycles of a
coupling step the particles y_kj (the class's start state plus their deviation) are
advanced with their own strain, and a copy of the class with the model's strain (y_k^hom,
the mean field the model integrated); the model's end state is corrected by
mean_j y_kj - y_k^hom, and the deviations are re-centred on the corrected class. Between
corrections the model's kinetics see the mean field, so the split's error shrinks with
the step (one cycle by default; tests: as it halves). Over skipped cycles (``simulator.cycle_life``) the particles are
advanced directly and the class is their mean. With no spread of the local
stoichiometry (an SPM or SPMe, or a uniform DFN) every particle is its class and the
correction is exactly zero. Within a cycle the model's kinetics see the mean field;
the correction enters at the cycle's end (the first cycle of a run is the mean field
alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ssbsim.models.contact_ensemble import strain_rate_series
from ssbsim.models.contact_kernel import advance_ensemble, advance_grouped, running_max

#: Bands across the electrode's thickness (particles per size class) by default.
DEFAULT_BANDS = 5
#: A local strain spread below this [-] is no heterogeneity: the class is its particles.
NO_SPREAD = 1e-12
#: The class states, in the order of ``contact_law_sx.VECTOR_INPUTS``.
N_STATES = 5
_Z, _W, _V = 3, 4, 2


@dataclass
class PhaseSpread:
    """The particles' deviations from their size class: ``states`` (5, K, n) (closure,
    damage opening, void [m], isolated and unloaded fraction) and ``s_max`` (n,) [-] (the
    running maximum strain of each band less the model's)."""

    states: np.ndarray
    s_max: np.ndarray

    @classmethod
    def uniform(cls, K: int, n: int) -> "PhaseSpread":
        """Every particle at its class's state (a pristine electrode)."""
        return cls(np.zeros((N_STATES, K, n)), np.zeros(n))

    @property
    def bands(self) -> int:
        return self.s_max.shape[0]


def band_strain(cycle, phase, drivers: dict, n: int) -> np.ndarray | None:
    """(n, M) radial strain of the particles at the centres of ``n`` bands on the drivers'
    grid (M steps, ``cell_state.law_drivers``), or None if the local stoichiometry does
    not spread (no heterogeneity: SPM, SPMe)."""
    name = f"R-averaged {phase.domain} {phase.infix}particle stoichiometry"
    sto = np.atleast_2d(cycle[name].entries)  # (nodes, times); the x mesh is uniform
    t = cycle["Time [s]"].entries
    if sto.shape[0] < 2 or np.ptp(sto, axis=0).max() < NO_SPREAD:
        return None
    grid = t[0] + drivers["dt"] * np.arange(len(drivers["s"]))
    nodes = (np.arange(sto.shape[0]) + 0.5) / sto.shape[0]
    centres = (np.arange(n) + 0.5) / n
    on_grid = np.array([np.interp(grid, t, row) for row in sto])  # (nodes, M)
    # linear in x between the two nodes around each centre (constant beyond the outer ones)
    i = np.clip(np.searchsorted(nodes, centres) - 1, 0, len(nodes) - 2)
    a = np.clip((centres - nodes[i]) / (nodes[i + 1] - nodes[i]), 0.0, 1.0)[:, None]
    local = (1.0 - a) * on_grid[i] + a * on_grid[i + 1]
    sto_c = np.interp(grid, t, np.ravel(cycle[f"{phase.name}mean stoichiometry of connected particles"].entries))

    def A(x):
        return (1.0 + phase.eps_v(x)) ** (1.0 / 3.0)

    s = drivers["s"]
    strain = s + (1.0 + s) * (A(local) - A(local.mean(axis=0))) / A(sto_c)
    return np.ascontiguousarray(strain)


def _advance_class(phase, states, drivers, law, T_K, P_eff, zeta, s, s_max, s_rate):
    """The class states (5 K-arrays, copied) advanced with one strain series."""
    out = [np.array(a, dtype=np.float64) for a in states]
    advance_ensemble(phase.R.copy(), *out, s, s_max, P_eff, drivers["chi"], drivers["dt"], law,
                     zeta=np.ascontiguousarray(zeta), T=T_K, s_rate=s_rate)
    return out


def _repeated(drivers: dict, n_repeat: int) -> dict:
    """The drivers of ``n_repeat`` cycles like the one they were sampled on."""
    out = {k: np.ascontiguousarray(np.tile(v, n_repeat)) for k, v in drivers.items() if isinstance(v, np.ndarray)}
    out["dt"] = drivers["dt"]
    return out


def advance(phase, states, drivers: dict, law, T_K: float, n_repeat: int, zeta_of,
            spread: PhaseSpread | None = None, strain: np.ndarray | None = None, P_eff=None):
    """The class states after ``n_repeat`` cycles with ``drivers``.

    ``states``: 5 K-arrays (SI); ``zeta_of(s, P_eff)``: the layer's decohered fraction of a
    strain series; ``strain``: (n, M) band strains (:func:`band_strain`) or None (the
    class alone, with the model's strain); ``P_eff``: instead of the drivers' (M * n_repeat).
    Returns (states, spread): the particles' mean and their deviations from it.
    """
    rep = _repeated(drivers, n_repeat)
    P = rep["P_eff"] if P_eff is None else np.ascontiguousarray(P_eff)
    zeta = rep["zeta"] if P_eff is None else zeta_of(rep["s"], P)
    if strain is None:
        return _advance_class(phase, states, rep, law, T_K, P, zeta, rep["s"], rep["s_max"], rep["s_rate"]), spread
    n = strain.shape[0]
    spread = spread or PhaseSpread.uniform(phase.K, n)
    if spread.bands != n:
        raise ValueError(f"the ensemble has {spread.bands} bands, the strain {n}")
    s_max0 = drivers["s_max"][0]
    rm_model, end_model = running_max(rep["s"], s_max0, rep["dt"], law)
    rows = {q: np.empty((n, len(rep["s"]))) for q in ("s", "s_max", "zeta", "s_rate")}
    s_max_end = np.empty(n)
    for j in range(n):
        s_j = np.tile(strain[j], n_repeat)
        rm_j, s_max_end[j] = running_max(s_j, s_max0 + spread.s_max[j], rep["dt"], law)
        same = np.array_equal(s_j, rep["s"])  # the model's own strain: its own drivers, bit for bit
        rows["s"][j] = s_j
        rows["s_max"][j] = rep["s_max"] + rm_j - rm_model
        rows["zeta"][j] = zeta if same else zeta_of(s_j, P)
        rows["s_rate"][j] = rep["s_rate"] if same else strain_rate_series(s_j, rep["dt"])
    # particle (k, j) at k * n + j: its class's state plus its deviation
    y = [np.ascontiguousarray(a) for a in _clipped([(a[:, None] + spread.states[q]).ravel()
                                                     for q, a in enumerate(states)])]
    advance_grouped(np.repeat(phase.R, n), *y, np.tile(np.arange(n), phase.K), rows["s"], rows["s_max"], P,
                    rep["chi"], rows["zeta"], rows["s_rate"], rep["dt"], law, T_K)
    stack = np.array(y).reshape(N_STATES, phase.K, n)
    mean = stack.mean(axis=2)
    return [mean[q] for q in range(N_STATES)], PhaseSpread(stack - mean[:, :, None], s_max_end - end_model)


def correct(phase, start, end, drivers: list, law, T_K: float, zeta_of, spread: PhaseSpread, strains: list):
    """The model's class states at the end of the solved cycles of one coupling step
    (``end``, 5 K-arrays) corrected for the spread across the layer: plus the mean of the
    particles advanced with their band strains from ``start`` (the class states the first
    of the cycles started from) less the class advanced with the model's strain, through
    every cycle in turn (``drivers`` and ``strains``, one per cycle; a strain None: no
    spread in that cycle). Returns (corrected states, spread)."""
    mean_field, banded = start, start
    for drv, strain in zip(drivers, strains):
        mean_field, _ = advance(phase, mean_field, drv, law, T_K, 1, zeta_of)
        banded, spread = advance(phase, banded, drv, law, T_K, 1, zeta_of, spread, strain)
    return _clipped([e + b - m for e, b, m in zip(end, banded, mean_field)]), spread


def _clipped(states):
    """States inside their ranges: 0 <= w <= z <= 1, void >= 0."""
    out = list(states)
    out[_Z] = np.clip(out[_Z], 0.0, 1.0)
    out[_W] = np.clip(out[_W], 0.0, out[_Z])
    out[_V] = np.maximum(out[_V], 0.0)
    return out
