"""PyBaMM states patched between solves: cycles skipped by the contact law's ensemble,
and re-pressing.

The fast path of :mod:`~ssbsim.simulator.cycle_life` and the runner's protocol segments
start a solve from a one-point ``pybamm.Solution`` whose state vector this module edits
by variable name, in the variables' units (PyBaMM stores (value - reference) / scale):

* :func:`skip_state`: a solved cycle's end corrected for the particles' spread across
  the layer, and the size classes' contact states advanced through skipped cycles by the
  numba ensemble (``simulator.thickness_ensemble``, ``models.contact_kernel``) driven by
  the cycle's drivers (:func:`law_drivers`); the active-material fraction and stranded
  lithium that follow from the isolated fraction (:func:`_strand_lithium`), the SE
  reduction's film moved on parabolically (:func:`film_cycles`) and the throughput
  linearly, in a full cell the particles' lithium moved on with the film (conserved,
  ``simulator.cell_lithium``), the clock moved on;
* :func:`repress_state`: isolated particles reconnect when the stack pressure rises
  (``contact_law.repressed_isolation``), their lithium rejoining the connected ones.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

import numpy as np
import pybamm

from ssbsim.models import binder_laws
from ssbsim.models.contact_ensemble import strain_rate_series
from ssbsim.models.contact_law import NUMPY, ContactLawParameters
from ssbsim.models.contact_law_sx import LENGTH_UNIT_M, STRAIN_UNIT, VECTOR_INPUTS, lognormal_classes
from ssbsim.models.layer_decohesion import decohered_fraction_of_strain

from . import thickness_ensemble
from .cell_lithium import move_free_lithium, set_phase_lithium

_CLASS_STATE = re.compile(r"^(.*)size class (\d+) closure \[10 nm\]$")


@dataclass
class _Phase:
    """What the ensemble needs of one particle phase with contact mechanics."""

    name: str  # variable prefix, e.g. "Positive electrode " or "Negative electrode primary "
    K: int
    R: np.ndarray
    w_volume: np.ndarray
    eps0: float
    chi: float
    layer: tuple  # (L, E_layer, Gamma, w_G, phi_layer)
    domain: str
    infix: str
    c_max: float  # [mol.m-3]
    volume_m3: float  # electrode volume L A
    eps_v: object = None  # volumetric strain of stoichiometry (NumPy in, NumPy out)


def contact_phases(model, pv) -> list[_Phase]:
    """The phases of a discretised model whose size classes the ensemble advances."""
    found = {}
    for var in model.y_slices:
        m = _CLASS_STATE.match(var.name)
        if m:
            found[m.group(1)] = max(found.get(m.group(1), 0), int(m.group(2)) + 1)
    out = []
    for name, K in found.items():
        Domain, rest = name.split(" electrode ", 1)
        infix = rest
        pre = f"{infix.strip().capitalize()}: " if infix else ""
        xi, w = lognormal_classes(K)
        R = pv[f"{pre}{Domain} particle contact radius [m]"] * np.exp(
            pv[f"{pre}{Domain} particle size log-standard deviation"] * xi)
        wV = w * R ** 3
        binder = binder_laws.electrode_values(pv, Domain.lower())  # chi and Gamma, as the model evaluates them
        out.append(_Phase(name, K, R, wV / wV.sum(), float(pv[f"{pre}{Domain} electrode active material volume fraction"]),
                          binder["void nucleation factor"],
                          (float(pv[f"{Domain} electrode thickness [m]"]), float(pv["Composite layer modulus [Pa]"]),
                           binder["cohesive fracture energy [J.m-2]"],
                           float(pv["Layer fracture energy scatter"]),
                           float(pv[f"{pre}{Domain} electrode swelling particle volume fraction"])), Domain.lower(), infix,
                          float(pv[f"{pre}Maximum concentration in {Domain.lower()} electrode [mol.m-3]"]),
                          float(pv[f"{Domain} electrode thickness [m]"] * pv["Electrode height [m]"]
                                * pv["Electrode width [m]"]), pv[f"{pre}{Domain} electrode volumetric strain"]))
    return out


def _number(x) -> float:
    return float(x.evaluate()) if isinstance(x, pybamm.Symbol) else float(x)


class _State:
    """A discretised model's state vector by variable name, in the variables' units
    (PyBaMM stores (value - reference) / scale)."""

    def __init__(self, model, y):
        self.y = np.array(y, dtype=float)
        self.shifts = {}  # (domain, infix) -> (dilution, shift): c -> c dilution + shift (cell_lithium)
        self._vars = {var.name: (sl[0], _number(var.scale), _number(var.reference)) for var, sl in model.y_slices.items()}

    def __contains__(self, name):
        return name in self._vars

    def __getitem__(self, name):
        sl, scale, ref = self._vars[name]
        return self.y[sl] * scale + ref

    def __setitem__(self, name, value):
        sl, scale, ref = self._vars[name]
        self.y[sl] = (np.asarray(value, dtype=float) - ref) / scale


def law_drivers(cycle, phase: _Phase, law: ContactLawParameters, dt: float, max_strain_step: float = math.inf,
                stack_pressure: bool = False) -> dict:
    """The law's drivers over one solved cycle, on a uniform grid of step ``dt`` or finer:
    fine enough that the radial strain moves by at most ``max_strain_step`` per step on
    average over the cycle (its total variation over the steps); with ``stack_pressure``
    also the stack pressure (``"P_stack"``, a fixture's)."""
    t = cycle["Time [s]"].entries
    strain = np.ravel(cycle[f"{phase.name}radial strain"].entries)
    swing = float(np.abs(np.diff(strain)).sum())
    n = max(int(math.ceil((t[-1] - t[0]) / dt)), int(math.ceil(swing / max_strain_step)), 1)
    dt = (t[-1] - t[0]) / n  # n steps span the cycle exactly
    grid = t[0] + dt * np.arange(n)

    def on_grid(name):
        return np.ascontiguousarray(np.interp(grid, t, np.ravel(cycle[name].entries)), dtype=np.float64)

    s = np.ascontiguousarray(np.interp(grid, t, strain), dtype=np.float64)
    s_max = STRAIN_UNIT * on_grid(f"{phase.name}running maximum radial strain [%]")
    P = on_grid(f"{phase.domain.capitalize()} electrode effective pressure [Pa]")
    out = {"s": s, "s_max": s_max, "P_eff": P, "chi": np.full(n, phase.chi), "zeta": layer_zeta(s, P, phase, law),
           "s_rate": strain_rate_series(s, dt), "duration_s": float(t[-1] - t[0]), "dt": float(dt)}
    if stack_pressure:
        out["P_stack"] = on_grid("Stack pressure [Pa]")
    return out


def layer_zeta(s, P_eff, phase: _Phase, law: ContactLawParameters):
    """The layer's decohered fraction at the radial strains ``s`` and effective pressures
    ``P_eff`` of ``phase`` (``layer_decohesion``; the drivers' grid, a solved run's)."""
    L, E_layer, Gamma, w_G, phi_layer = phase.layer
    h = law.strain_smoothing
    return np.ascontiguousarray(decohered_fraction_of_strain(s, P_eff, E_layer, L, Gamma, w_G, phi_layer,
                                                             positive=lambda y: NUMPY.relu_h(y, h), power=np.power))


def _film_names(slices: dict) -> list[str]:
    """The film states of the SE's reduction (PyBaMM's SEI concentrations)."""
    return [n for n in slices if "SEI" in n]


def film_cycles(before: float, after: float, n_skipped: int) -> float:
    """Cycles' worth of the representative cycle's film growth that ``n_skipped`` cycles
    like it add to a passivating film: the film's amount A (mol per electrode volume)
    grew from ``before`` to ``after`` over the cycle. The SE's reduction film
    (``parameter_sets.interphase``, PyBaMM's "interstitial-diffusion limited" law:
    rate ~ exp(-F phi / RT) / L) is transport-limited, so at a given potential it grows
    parabolically, A^2 linear in time (Ploehn, Ramadass, White, J. Electrochem. Soc. 151
    (2004) A456): after n cycles A = sqrt(after^2 + n (after^2 - before^2)), i.e.
    (A - after) / (after - before) cycles' worth; n if the film did not grow. A linear
    move-on overstates the growth as the film thickens: over 16 cycles of Jo 2024's full
    cell (from cycle 23) the film grew 5.68 mol/m3, the parabola gives 5.98 and the line
    6.84. The SE's inventory running out slows it further, so the parabola is an upper
    bound, as the line is for it."""
    grown = after - before
    if not (grown > 1e-12 * max(abs(after), 1e-300) and before >= 0):
        return float(n_skipped)
    return (math.sqrt(after * after + n_skipped * (after * after - before * before)) - after) / grown


def skip_state(cycle, phases, law, T_K: float, n_skipped: int, dt_s: float, max_strain_step: float = math.inf,
               compliance_m_Pa: float | None = None, spreads: dict | None = None, bands: int = 0,
               cycles_before: tuple = ()):
    """The state after ``n_skipped`` cycles like ``cycle`` (its last state patched), as a
    one-point ``pybamm.Solution`` to start the next representative cycle from; the
    seconds the ensemble took; and the ensemble's spread across the layer at that state.

    ``dt_s``: the ensemble's step [s] (``implicit_step`` needs dt x 1e-2 s-1 <= 1),
    refined to at most ``max_strain_step`` of radial strain per step
    (:func:`law_drivers`). ``compliance_m_Pa``: in a spring or rigid fixture, its
    compliance per area (``models.fixture.fixture_compliance``): the voids each skipped
    cycle adds thicken the stack and raise its pressure by their thickness over it, which
    the next skipped cycle's drivers feel (the stack never pulls: P >= 0). ``bands``:
    particles per size class across the layer (``thickness_ensemble``; 0: the classes
    alone), whose deviations at the cycle's start are ``spreads`` (phase name ->
    ``PhaseSpread``; None: a uniform layer): the cycle's end is corrected for them over
    the coupling step - the solved ``cycles_before`` it (since the last correction) and
    ``cycle`` - and they are advanced through the skipped cycles (``n_skipped`` may then
    be 0)."""
    last = cycle.last_state
    model = last.all_models[-1]
    x = _State(model, last.all_ys[-1][:, -1])
    first = _State(model, cycle.first_state.all_ys[0][:, 0])
    t0 = time.perf_counter()
    units = {q: 1.0 if q.endswith("fraction") else LENGTH_UNIT_M for q in VECTOR_INPUTS}

    def class_states(state, names):
        return [np.array([state[n][0] * units[q] for n in names[q]]) for q in VECTOR_INPUTS]

    runs, z_old = [], []  # z_old: each phase's isolated fraction as the model ended the cycle
    for ph in phases:
        drv = law_drivers(cycle, ph, law, dt_s, max_strain_step, stack_pressure=compliance_m_Pa is not None)
        names = {q: [f"{ph.name}size class {k} {q}" for k in range(ph.K)] for q in VECTOR_INPUTS}
        end = class_states(x, names)
        z_old.append(end[3].copy())
        strain = thickness_ensemble.band_strain(cycle, ph, drv, bands) if bands else None
        spread = (spreads or {}).get(ph.name)

        def zeta_of(s, P, ph=ph):
            return layer_zeta(s, P, ph, law)

        step = [(law_drivers(c, ph, law, dt_s, max_strain_step), c) for c in cycles_before] if bands else []
        step = [(d, thickness_ensemble.band_strain(c, ph, d, bands)) for d, c in step] + [(drv, strain)]
        if any(st is not None for _, st in step):
            start_state = first if not cycles_before else _State(model, cycles_before[0].first_state.all_ys[0][:, 0])
            start = class_states(start_state, names)
            end, spread = thickness_ensemble.correct(ph, start, end, [d for d, _ in step], law, T_K, zeta_of,
                                                     spread or thickness_ensemble.PhaseSpread.uniform(ph.K, bands),
                                                     [st for _, st in step])
        runs.append([ph, drv, names, end, strain, spread, zeta_of])
    duration = runs[-1][1]["duration_s"] if runs else 0.0
    z_end = [run[3][3].copy() for run in runs]  # after the correction, before the skip
    if compliance_m_Pa is None:
        for run in runs:
            ph, drv, _, states, strain, spread, zeta_of = run
            if n_skipped:
                run[3], run[5] = thickness_ensemble.advance(ph, states, drv, law, T_K, n_skipped, zeta_of, spread,
                                                            strain)
    else:
        dL = 0.0  # the stack's thickening by the skipped cycles' voids [m]
        for _ in range(n_skipped):
            dP = dL / compliance_m_Pa
            for run in runs:
                ph, drv, _, states, strain, spread, zeta_of = run
                P = drv["P_eff"] + np.maximum(drv["P_stack"] + dP, 0.0) - drv["P_stack"]
                run[3], run[5] = thickness_ensemble.advance(ph, states, drv, law, T_K, 1, zeta_of, spread, strain,
                                                            P_eff=P)
                dL += ph.layer[0] * ph.eps0 * float(ph.w_volume @ (3.0 * (run[3][2] - states[2]) / ph.R))
    for (ph, _, names, states, *_), z_prev, z_corr in zip(runs, z_old, z_end):
        share = _isolating_share(x, first, ph, at_end=False)  # the representative cycle's, before any patch
        for q, arr in zip(VECTOR_INPUTS, states):
            for n, val in zip(names[q], arr):
                x[n] = val / units[q]
        _strand_lithium(x, ph, -ph.eps0 * float(ph.w_volume @ (z_corr - z_prev)), _isolating_share(x, first, ph, True),
                        mix=True)
        _strand_lithium(x, ph, -ph.eps0 * float(ph.w_volume @ (states[3] - z_corr)), share)
    films = _film_names(x._vars)
    n_film = film_cycles(sum(float(np.sum(first[n])) for n in films), sum(float(np.sum(x[n])) for n in films),
                         n_skipped) if films else float(n_skipped)
    for name in films:
        x[name] = x[name] + n_film * (x[name] - first[name])
    if "Throughput capacity [A.h]" in x:
        x["Throughput capacity [A.h]"] = x["Throughput capacity [A.h]"] + n_skipped * (
            x["Throughput capacity [A.h]"] - first["Throughput capacity [A.h]"])
    move_free_lithium(cycle, x, n_film)
    seconds = time.perf_counter() - t0
    new_spreads = {ph.name: spread for ph, _, _, _, _, spread, _ in runs if spread is not None}
    return _one_point(last, x.y, float(last.all_ts[-1][-1]) + n_skipped * duration), seconds, new_spreads


def _isolating_share(x: _State, first: _State, ph: _Phase, at_end: bool) -> float:
    """Lithium [mol] per unit active-material fraction that newly isolated volume strands:
    at a solved cycle's end (``at_end``, the spread's correction) the connected particles'
    mean, which conserves the phase's lithium; across skipped cycles as the
    representative cycle did (bounded by (0, c_max); the connected mean where the cycle
    reconnected on balance)."""
    eps = f"X-averaged {ph.domain} electrode {ph.infix}active material volume fraction"
    lli = f"Loss of lithium due to loss of {ph.infix}active material in {ph.domain} electrode [mol]"
    full = ph.volume_m3 * ph.c_max  # [mol] per unit active-material fraction at c_max
    cyc_eps, cyc_lli = x[eps][0] - first[eps][0], x[lli][0] - first[lli][0]
    if not at_end and cyc_eps < -1e-14:
        return min(max(-cyc_lli / cyc_eps, 0.0), full)
    return full * x[f"{ph.name}mean stoichiometry of connected particles"][0]


def _strand_lithium(x: _State, ph: _Phase, d_eps: float, per_isolated: float, mix: bool = False) -> None:
    """The phase's active-material fraction moved by ``d_eps`` (net isolation, < 0, or
    reconnection, > 0) and its stranded lithium with it: isolated volume strands
    ``per_isolated`` (:func:`_isolating_share`), reconnected volume returns the isolated
    particles' mean (``models.reconnected_lithium``), whose stoichiometry x_str is set to
    the pool's.

    With ``mix`` (a solved cycle's end, where the lithium must balance the charge passed)
    the returned lithium joins the connected particles as in the model
    (``models.reconnected_lithium``): eps_new c_new = eps_old c + d_eps c_max x_str, so
    particles + stranded lithium is unchanged. Without it the particles keep their
    concentration over the grown volume (the fast path's skipped cycles, whose lithium
    ``cell_lithium.move_free_lithium`` accounts for); at the cycle's end that made
    d_eps V (c - c_max x_str) of lithium (0.017 mAh/g per cycle in Kwon 2022's cathode at
    2 MPa, DFN)."""
    eps = f"X-averaged {ph.domain} electrode {ph.infix}active material volume fraction"
    lli = f"Loss of lithium due to loss of {ph.infix}active material in {ph.domain} electrode [mol]"
    x_str = f"{ph.name}mean stoichiometry of isolated particles"
    if d_eps == 0.0:
        return
    full = ph.volume_m3 * ph.c_max
    per_eps = full * x[x_str][0] if d_eps > 0 else per_isolated
    if mix and d_eps > 0:
        eps_old, eps_new = x[eps][0], x[eps][0] + d_eps
        set_phase_lithium(x, ph.domain, ph.infix, ph.c_max, per_eps * d_eps / (eps_new * ph.volume_m3),
                          dilution=eps_old / eps_new)
    x[eps] = x[eps] + d_eps
    x[lli] = x[lli] - per_eps * d_eps
    isolated = ph.eps0 - x[eps][0]
    if isolated > 1e-12 * ph.eps0:
        x[x_str] = np.clip(x[lli] / (full * isolated), 0.0, 1.0)


def _one_point(last, y, t_s: float) -> pybamm.Solution:
    """A one-point solution at ``t_s`` with state ``y`` (the model and inputs of ``last``),
    to start the next solve from."""
    return pybamm.Solution(np.array([t_s]), y.reshape(-1, 1), last.all_models[-1], last.all_inputs[-1],
                           termination="final time")


def repress_state(last, phases, law, P_old_Pa: float, P_new_Pa: float) -> pybamm.Solution:
    """The state ``last`` (a one-point solution) right after the stack pressure rises from
    ``P_old_Pa`` to ``P_new_Pa``: isolated particles whose gap the higher closure bridges
    reconnect (``contact_law.repressed_isolation``), with the lithium stranded in them,
    which joins the connected particles (spread evenly over them); lithium is conserved."""
    x = _State(last.all_models[-1], last.all_ys[-1][:, -1])
    p = law.constants()
    for ph in phases:
        P_eff = float(np.ravel(last[f"{ph.domain.capitalize()} electrode effective pressure [Pa]"].entries)[-1])
        r_old = NUMPY.closure_ratio(P_eff, p)
        r_new = NUMPY.closure_ratio(P_eff + P_new_Pa - P_old_Pa, p)
        keys = [f"{ph.name}size class {k} isolated fraction" for k in range(ph.K)]
        z = np.array([x[k][0] for k in keys])
        w = np.array([x[f"{ph.name}size class {k} unloaded fraction"][0] for k in range(ph.K)])
        z_new = NUMPY.repressed_isolation(z, w, ph.R * r_old, ph.R * r_new, p)
        iso, back = float(ph.w_volume @ z), float(ph.w_volume @ (z - z_new))
        if back <= 0 or iso <= 0:
            continue
        eps = f"X-averaged {ph.domain} electrode {ph.infix}active material volume fraction"
        lli = f"Loss of lithium due to loss of {ph.infix}active material in {ph.domain} electrode [mol]"
        eps_old = x[eps][0]
        li_back = x[lli][0] * back / iso  # [mol]
        eps_new = eps_old + ph.eps0 * back
        dc = li_back / (eps_new * ph.volume_m3)  # [mol.m-3] of connected active material
        # the connected particles' lithium (eps V c) and the returning lithium, over eps_new V
        set_phase_lithium(x, ph.domain, ph.infix, ph.c_max, dc, dilution=eps_old / eps_new)
        for k, zk in zip(keys, z_new):
            x[k] = zk
        x[eps] = eps_new
        x[lli] = x[lli] - li_back
    return _one_point(last, x.y, float(last.all_ts[-1][-1]))


def repress(last, pv, P_old_MPa: float, P_new_MPa: float) -> pybamm.Solution:
    """:func:`repress_state` with the phases and law constants of the parameters ``pv``."""
    return repress_state(last, contact_phases(last.all_models[-1], pv), ContactLawParameters.from_parameters(pv),
                         P_old_MPa * 1e6, P_new_MPa * 1e6)


def retightened(last, pv, fixture: str, P_old_MPa: float, P_new_MPa: float) -> tuple[pybamm.Solution, float]:
    """The start of a protocol entry that sets the stack pressure ``P_new_MPa`` after a
    run at ``P_old_MPa``: (its start state, its ``"Stack pressure [Pa]"`` P_0 [Pa]).

    At constant pressure P_0 is the entry's pressure. In a spring or rigid fixture the
    entry re-tightens the fixture: the stack feels P_new + P_amb at the entry's start,
    so P_0 = P_new - Delta L / (c_s + A / k_f) with the thickness change so far
    (``models.fixture``), and the felt pressure steps from the last solved one. Where
    the felt pressure rises, isolated particles whose gap the higher closure bridges
    reconnect (:func:`repress`)."""
    if fixture == "constant pressure":
        P_0, felt_old, felt_new = P_new_MPa * 1e6, P_old_MPa * 1e6, P_new_MPa * 1e6
    else:
        from ssbsim.models.fixture import AMBIENT_PRESSURE, THICKNESS_PRESSURE

        P_0 = P_new_MPa * 1e6 - float(np.ravel(last[THICKNESS_PRESSURE].entries)[-1])
        felt_old = float(np.ravel(last["Stack pressure [Pa]"].entries)[-1])
        felt_new = P_new_MPa * 1e6 + float(pv[AMBIENT_PRESSURE])
    if felt_new > felt_old:
        last = repress(last, pv, felt_old / 1e6, felt_new / 1e6)
    return last, P_0
