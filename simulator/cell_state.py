"""PyBaMM states patched between solves: cycles skipped by the contact law's ensemble,
and re-pressing.

The fast path of :mod:`~ssbsim.simulator.cycle_life` and the runner's protocol segments
start a solve from a one-point ``pybamm.Solution`` whose state vector this module edits
by variable name, in the variables' units (PyBaMM stores (value - reference) / scale):

* :func:`skip_state`: the size classes' contact states advanced through skipped cycles
  by the numba ensemble (``models.contact_kernel``) driven by a solved cycle's drivers
  (:func:`law_drivers`), the active-material fraction and stranded lithium that follow
  from the isolated fraction (:func:`_strand_lithium`), the SE reduction's film moved on parabolically
  (:func:`film_cycles`) and the throughput linearly, in a full cell the particles'
  lithium moved on with the film (conserved), the clock moved on;
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
from ssbsim.models.contact_kernel import advance_ensemble
from ssbsim.models.contact_ensemble import strain_rate_series
from ssbsim.models.contact_law import NUMPY, ContactLawParameters
from ssbsim.models.contact_law_sx import LENGTH_UNIT_M, STRAIN_UNIT, VECTOR_INPUTS, lognormal_classes
from ssbsim.models.layer_decohesion import decohered_fraction_of_strain

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
                                * pv["Electrode width [m]"])))
    return out


def _number(x) -> float:
    return float(x.evaluate()) if isinstance(x, pybamm.Symbol) else float(x)


class _State:
    """A discretised model's state vector by variable name, in the variables' units
    (PyBaMM stores (value - reference) / scale)."""

    def __init__(self, model, y):
        self.y = np.array(y, dtype=float)
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
    out = {"s": s, "s_max": s_max, "P_eff": P, "chi": np.full(n, phase.chi), "zeta": _zeta(s, P, phase, law),
           "s_rate": strain_rate_series(s, dt), "duration_s": float(t[-1] - t[0]), "dt": float(dt)}
    if stack_pressure:
        out["P_stack"] = on_grid("Stack pressure [Pa]")
    return out


def _zeta(s, P_eff, phase: _Phase, law: ContactLawParameters):
    """The layer's decohered fraction on the drivers' grid (``layer_decohesion``)."""
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
    (``parameter_sets.interphase``, PyBaMM's "ec reaction limited" law: rate
    ~ 1 / (1 / k + L / D)) is transport-limited below its onset, so it grows
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
               compliance_m_Pa: float | None = None):
    """The state after ``n_skipped`` cycles like ``cycle`` (its last state patched), as a
    one-point ``pybamm.Solution`` to start the next representative cycle from; and the
    seconds the ensemble took. ``dt_s``: the ensemble's step [s] (``implicit_step``
    needs dt x 1e-2 s-1 <= 1), refined to at most ``max_strain_step`` of radial strain per
    step (:func:`law_drivers`). ``compliance_m_Pa``: in a spring or rigid fixture, its
    compliance per area (``models.fixture.fixture_compliance``): the voids each skipped
    cycle adds thicken the stack and raise its pressure by their thickness over it, which
    the next skipped cycle's drivers feel (the stack never pulls: P >= 0)."""
    last = cycle.last_state
    model = last.all_models[-1]
    x = _State(model, last.all_ys[-1][:, -1])
    first = _State(model, cycle.first_state.all_ys[0][:, 0])
    t0 = time.perf_counter()
    units = {q: 1.0 if q.endswith("fraction") else LENGTH_UNIT_M for q in VECTOR_INPUTS}
    runs = []
    for ph in phases:
        drv = law_drivers(cycle, ph, law, dt_s, max_strain_step, stack_pressure=compliance_m_Pa is not None)
        names = {q: [f"{ph.name}size class {k} {q}" for k in range(ph.K)] for q in VECTOR_INPUTS}
        runs.append((ph, drv, names, *(np.array([x[n][0] * units[q] for n in names[q]]) for q in VECTOR_INPUTS)))
    duration = runs[-1][1]["duration_s"] if runs else 0.0
    z_old = [z.copy() for *_, z, _ in runs]  # each phase's isolated fraction before the skip
    if compliance_m_Pa is None:
        for ph, drv, _, c, d, v, z, w in runs:
            reps = {k: np.ascontiguousarray(np.tile(val, n_skipped)) for k, val in drv.items()
                    if isinstance(val, np.ndarray)}
            advance_ensemble(ph.R.copy(), c, d, v, z, w, reps["s"], reps["s_max"], reps["P_eff"], reps["chi"],
                             drv["dt"], law, zeta=reps["zeta"], T=T_K, s_rate=reps["s_rate"])
    else:
        dL = 0.0  # the stack's thickening by the skipped cycles' voids [m]
        for _ in range(n_skipped):
            dP = dL / compliance_m_Pa
            for ph, drv, _, c, d, v, z, w in runs:
                P = drv["P_eff"] + np.maximum(drv["P_stack"] + dP, 0.0) - drv["P_stack"]
                v_before = v.copy()
                advance_ensemble(ph.R.copy(), c, d, v, z, w, drv["s"], drv["s_max"], np.ascontiguousarray(P),
                                 drv["chi"], drv["dt"], law, zeta=_zeta(drv["s"], P, ph, law), T=T_K,
                                 s_rate=drv["s_rate"])
                dL += ph.layer[0] * ph.eps0 * float(ph.w_volume @ (3.0 * (v - v_before) / ph.R))
    for (ph, drv, names, c, d, v, z, w), z_prev in zip(runs, z_old):
        for q, arr in zip(VECTOR_INPUTS, (c, d, v, z, w)):
            for n, val in zip(names[q], arr):
                x[n] = val / units[q]
        _strand_lithium(x, first, ph, -ph.eps0 * float(ph.w_volume @ (z - z_prev)))
    films = _film_names(x._vars)
    n_film = film_cycles(sum(float(np.sum(first[n])) for n in films), sum(float(np.sum(x[n])) for n in films),
                         n_skipped) if films else float(n_skipped)
    for name in films:
        x[name] = x[name] + n_film * (x[name] - first[name])
    if "Throughput capacity [A.h]" in x:
        x["Throughput capacity [A.h]"] = x["Throughput capacity [A.h]"] + n_skipped * (
            x["Throughput capacity [A.h]"] - first["Throughput capacity [A.h]"])
    _move_free_lithium(cycle, x, n_film)
    seconds = time.perf_counter() - t0
    return _one_point(last, x.y, float(last.all_ts[-1][-1]) + n_skipped * duration), seconds


def _strand_lithium(x: _State, first: _State, ph: _Phase, d_eps: float) -> None:
    """The phase's active-material fraction moved by ``d_eps`` (the skipped cycles' net
    isolation, < 0, or reconnection, > 0) and its stranded lithium with it: isolated
    volume strands lithium per volume as the representative cycle did (bounded by
    (0, c_max)), reconnected volume returns the isolated particles' mean
    (``models.reconnected_lithium``), whose stoichiometry x_str is set to the pool's."""
    eps = f"X-averaged {ph.domain} electrode {ph.infix}active material volume fraction"
    lli = f"Loss of lithium due to loss of {ph.infix}active material in {ph.domain} electrode [mol]"
    x_str = f"{ph.name}mean stoichiometry of isolated particles"
    full = ph.volume_m3 * ph.c_max  # [mol] per unit active-material fraction at c_max
    cyc_eps, cyc_lli = x[eps][0] - first[eps][0], x[lli][0] - first[lli][0]
    if d_eps > 0:  # reconnected: the pool's mean
        per_eps = full * x[x_str][0]
    elif cyc_eps < -1e-14:  # isolated as in the representative cycle
        per_eps = min(max(-cyc_lli / cyc_eps, 0.0), full)
    else:  # the cycle reconnected on balance: the connected particles' mean
        per_eps = full * x[f"{ph.name}mean stoichiometry of connected particles"][0]
    x[eps] = x[eps] + d_eps
    x[lli] = x[lli] - per_eps * d_eps
    isolated = ph.eps0 - x[eps][0]
    if isolated > 1e-12 * ph.eps0:
        x[x_str] = np.clip(x[lli] / (full * isolated), 0.0, 1.0)


_PARTICLE_STATE = re.compile(r"^(X-averaged )?(positive|negative|Positive|Negative) (primary |secondary )?"
                             r"particle concentration \[mol\.m-3\]$")


def particle_states(names) -> list[tuple[str, str, str]]:
    """(domain, phase infix, state name) of every particle concentration state among
    ``names``: one per phase of each electrode with particles (DFN or SPM / SPMe)."""
    return [(m.group(2).lower(), m.group(3) or "", n) for n in names if (m := _PARTICLE_STATE.match(n))]


def _set_phase_lithium(x: _State, domain: str, infix: str, c_max: float, dc: float, dilution: float = 1.0) -> None:
    """c -> c dilution + dc [mol.m-3] for every concentration of the phase (DFN or SPM /
    SPMe state) and, with it, the contact law's mean stoichiometry of its connected
    particles (if the phase has contact mechanics): the two stay consistent."""
    state = next(n for d, i, n in particle_states(x._vars) if (d, i) == (domain, infix))
    x[state] = x[state] * dilution + dc
    sto = f"{domain.capitalize()} electrode {infix}mean stoichiometry of connected particles"
    if sto in x:
        x[sto] = x[sto] * dilution + dc / c_max


@dataclass(frozen=True)
class _PhaseLithium:
    """One particle phase's lithium over a representative cycle (:func:`_move_free_lithium`)."""

    domain: str
    infix: str
    total: float  # [mol] at the cycle's end
    eps_ratio: float  # active-material fraction after the skip over the cycle's end [-]
    free: float  # [mol] the particles' change plus what the cycle stranded
    correction: float  # [mol] removed with isolated volume, less counted as stranded


#: A cycle "feeds a film" when the lithium its side reactions took exceeds this share of
#: the lithium its particle phases exchanged between cycles (numerical noise stays far below).
FILM_DRIFT_THRESHOLD = 0.01


def _move_free_lithium(cycle, x: _State, n_film: float) -> None:
    """In a cell with particles in both electrodes (a full cell), keep particles + film
    + stranded lithium what it was across the skipped cycles.

    Per particle phase p, the free change over the representative cycle ``cycle`` is
    dN_p = the change of its lithium N = eps V <c> plus what the cycle stranded in
    particles it isolated (PyBaMM's ``"Loss of lithium due to loss of ... active
    material ..."``); the side reactions took F = -sum_p dN_p. Besides, :func:`skip_state`
    removed the isolated volume's lithium at the cycle's end concentration but counted
    as stranded the cycle's ratio of stranded lithium to isolated volume: the difference
    r_p is still cyclable.

    * A cycle that feeds a film (F > 0, the SE reduction of a full cell's anode; a full
      cell's inventory is finite): the film's states move on by ``n_film`` times their
      change (:func:`film_cycles`), and so does every phase's lithium, by ``n_film`` dN_p
      (plus its r_p), which takes n_film F out of the particles where the cycle took it.
    * A cycle without one: the cut-offs set where the lithium sits at the end of a
      cycle, and the next solved cycle puts it there; only sum_p r_p is placed, in the
      phases the cycle moved free lithium to.

    The change is a uniform shift of the phase's concentrations (and of the contact law's
    mean stoichiometry of connected particles); one that would leave a concentration
    outside (0, c_max) raises ``pybamm.SolverError``, and the fast path halves the skip.
    A Li half cell's counter electrode supplies the lithium, so there the working
    electrode's state is left as the cycle ended it.
    """
    states = particle_states(x._vars)
    if {d for d, _, _ in states} != {"positive", "negative"}:
        return
    phases = []
    for domain, infix, _ in states:
        phase = infix.strip() or "primary"
        total = np.ravel(cycle[f"Total lithium in {phase} phase in {domain} electrode [mol]"].entries)
        free, correction = total[-1] - total[0], 0.0
        stranded = f"Loss of lithium due to loss of {infix}active material in {domain} electrode [mol]"
        eps = f"X-averaged {domain} electrode {infix}active material volume fraction"
        eps_ratio = x[eps][0] / np.ravel(cycle[eps].entries)[-1] if eps in x else 1.0
        if stranded in x:
            lost = np.ravel(cycle[stranded].entries)
            free += lost[-1] - lost[0]
            # removed with the isolated volume, less counted as stranded
            correction = total[-1] * (1.0 - eps_ratio) - (x[stranded][0] - lost[-1])
        phases.append(_PhaseLithium(domain, infix, total[-1], eps_ratio, free, correction))
    film = -sum(p.free for p in phases)  # [mol] per cycle
    feeds_film = film > FILM_DRIFT_THRESHOLD * sum(abs(p.free) for p in phases)
    gained = sum(max(p.free, 0.0) for p in phases)
    returned = sum(p.correction for p in phases)
    for p in phases:
        if feeds_film:  # the phases' lithium drifts with the film: moved on like it
            change = n_film * p.free + p.correction
        else:  # where the cycle moved free lithium to
            change = returned * max(p.free, 0.0) / gained if gained > 0 else p.correction
        if p.total <= 0 or change == 0:
            continue
        Domain = p.domain.capitalize()
        c_mean = np.ravel(cycle[f"{Domain} electrode {p.infix}volume-averaged concentration [mol.m-3]"].entries)[-1]
        c_max = c_mean / np.ravel(cycle[f"{Domain} electrode {p.infix}stoichiometry"].entries)[-1]
        dc = change * c_mean / (p.total * p.eps_ratio)  # [mol.m-3]: eps_new V dc = change
        state = next(n for d, i, n in states if (d, i) == (p.domain, p.infix))
        if (x[state] + dc).min() <= 0 or (x[state] + dc).max() >= c_max:
            raise pybamm.SolverError(f"a skip of {n_film:.3g} cycles' film growth would move the {p.domain} electrode's "
                                     f"{p.infix}particle concentration out of (0, c_max)")
        _set_phase_lithium(x, p.domain, p.infix, c_max, dc)


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
        _set_phase_lithium(x, ph.domain, ph.infix, ph.c_max, dc, dilution=eps_old / eps_new)
        for k, zk in zip(keys, z_new):
            x[k] = zk
        x[eps] = eps_new
        x[lli] = x[lli] - li_back
    return _one_point(last, x.y, float(last.all_ts[-1][-1]))


def repress(last, pv, P_old_MPa: float, P_new_MPa: float) -> pybamm.Solution:
    """:func:`repress_state` with the phases and law constants of the parameters ``pv``."""
    return repress_state(last, contact_phases(last.all_models[-1], pv), ContactLawParameters.from_parameters(pv),
                         P_old_MPa * 1e6, P_new_MPa * 1e6)
