"""Hundreds of cycles fast: cycle skipping, with the contact law's ensemble carrying the
slow contact state across the skipped cycles.

A long block of identical cycles (a protocol entry repeated many times) is not solved
cycle by cycle. PyBaMM solves *representative* cycles; between two of them, J - 1
cycles are skipped:

1. From the last representative cycle, the drivers of the contact law - the connected
   particles' radial strain s(t), |ds/dt|, its running maximum, the effective pressure
   P_eff(t) and the layer's decohered fraction zeta(t) - are resampled on a uniform grid
   (``ensemble_dt_s``).
2. The numba ensemble (``models.contact_kernel.advance_ensemble``, the law of
   ``models.contact_law``, written once) advances every size class's closure, damage
   opening, void and isolated fraction through the J - 1 skipped cycles, driven by those
   drivers repeated. The law is nonlinear in its states (latch, saturation (1 - z), creep
   1 / (g + g_s)), so it is integrated, not extrapolated.
3. The PyBaMM state at the end of the representative cycle is patched: the size-class
   states, the active-material volume fraction eps = eps_0 (1 - sum w_V z) and the
   lithium stranded in isolated particles (in the representative cycle's ratio of
   stranded lithium to isolated volume); states of other slow processes (SEI) and the
   throughput counter move by J - 1 times their change over the representative cycle;
   the clock moves on by J - 1 cycle durations (the binder relaxes in time). Everything
   else (concentrations, potentials) is the end of the representative cycle, and the
   next representative cycle starts from it.

**Error control.** Each representative cycle's discharge and charge capacities are
compared with their linear extrapolation from the two before it; if they differ by more
than ``tolerance`` (relative), the jump is rejected and redone with half the skip; else
the skip doubles, up to ``max_jump``. The last cycle of a block is always solved.
Skipped cycles' metrics are interpolated linearly between representative cycles and
flagged ``interpolated``.

Frozen drivers are the approximation: within a skip the electrochemistry (how deep the
particles cycle) does not feel the fade. The tests compare against cycle-by-cycle runs.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

import numpy as np
import pybamm

from ssbsim.models import binder_laws
from ssbsim.models.contact_kernel import advance_ensemble
from ssbsim.models.contact_law import NUMPY, ContactLawParameters, strain_rate_series
from ssbsim.models.contact_law_sx import LENGTH_UNIT_M, STRAIN_UNIT, VECTOR_INPUTS, lognormal_classes
from ssbsim.models.layer_decohesion import decohered_fraction, energy_release_rate

from .protocol import experiment_of
from .results import CycleMetrics

#: ``simulate(cycles=N)`` skips cycles by default above this many cycles.
SKIP_THRESHOLD_CYCLES = 50
#: Protocol entries with fewer repeats run cycle by cycle on the fast path too.
MIN_SKIPPED_BLOCK = 10
_CLASS_STATE = re.compile(r"^(.*)size class (\d+) closure \[10 nm\]$")


@dataclass(frozen=True)
class SkipControl:
    """Settings of cycle skipping.

    tolerance : relative difference [-] between a representative cycle's capacities and
        their linear extrapolation above which the jump is redone with half the skip.
    first_full : cycles of a block solved one by one before skipping starts (the first
        cycles latch isolation and the running maximum strain).
    max_jump : largest J (cycles from one representative cycle to the next).
    ensemble_dt_s : step of the ensemble [s] (``implicit_step`` needs dt * 1e-2 s-1 <= 1).
    """

    tolerance: float = 2e-3
    first_full: int = 3
    max_jump: int = 64
    ensemble_dt_s: float = 20.0


@dataclass
class _Phase:
    """What the ensemble needs of one particle phase with contact mechanics."""

    name: str  # variable prefix, e.g. "Positive electrode " or "Negative electrode primary "
    K: int
    R: np.ndarray
    w_volume: np.ndarray
    eps0: float
    chi: float
    layer: tuple  # (L, E_layer, Gamma, w_G)
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
                           float(pv["Layer fracture energy scatter"])), Domain.lower(), infix,
                          float(pv[f"{pre}Maximum concentration in {Domain.lower()} electrode [mol.m-3]"]),
                          float(pv[f"{Domain} electrode thickness [m]"] * pv["Electrode height [m]"]
                                * pv["Electrode width [m]"])))
    return out


def _state_slices(model) -> dict:
    return {var.name: sl[0] for var, sl in model.y_slices.items()}


def _drivers(cycle, phase: _Phase, law: ContactLawParameters, dt: float) -> dict:
    """The law's drivers over one solved cycle, on a uniform grid of step ``dt``."""
    t = cycle["Time [s]"].entries
    n = max(int(math.ceil((t[-1] - t[0]) / dt)), 1)
    grid = t[0] + dt * np.arange(n)

    def on_grid(name):
        return np.ascontiguousarray(np.interp(grid, t, np.ravel(cycle[name].entries)), dtype=np.float64)

    s = on_grid(f"{phase.name}radial strain")
    s_max = STRAIN_UNIT * on_grid(f"{phase.name}running maximum radial strain [%]")
    P = on_grid(f"{phase.domain.capitalize()} electrode effective pressure [Pa]")
    L, E_layer, Gamma, w_G = phase.layer
    h = law.strain_smoothing
    G = energy_release_rate(NUMPY.relu_h(s, h), P, E_layer, L)
    zeta = np.ascontiguousarray(decohered_fraction(NUMPY.relu_h(G, h), Gamma, w_G, power=np.power))
    return {"s": s, "s_max": s_max, "P_eff": P, "chi": np.full(n, phase.chi), "zeta": zeta,
            "s_rate": strain_rate_series(s, dt), "duration_s": float(t[-1] - t[0])}


def _slow_names(slices: dict) -> list[str]:
    """States of slow processes other than contact (SEI) and the throughput counter:
    moved on by their change over the representative cycle times the skipped cycles."""
    return [n for n in slices if "SEI" in n or n == "Throughput capacity [A.h]"]


def skip_state(cycle, phases, law, T_K: float, n_skipped: int, control: SkipControl):
    """The state after ``n_skipped`` cycles like ``cycle`` (its last state patched), as a
    one-point ``pybamm.Solution`` to start the next representative cycle from; and the
    seconds the ensemble took."""
    import time

    last = cycle.last_state
    model = last.all_models[-1]
    slices = _state_slices(model)
    y = np.array(last.all_ys[-1][:, -1], dtype=float)
    y_first = np.asarray(cycle.first_state.all_ys[0][:, 0], dtype=float)
    t0 = time.perf_counter()
    duration = 0.0
    for ph in phases:
        drv = _drivers(cycle, ph, law, control.ensemble_dt_s)
        duration = drv["duration_s"]
        states = {}
        for q in VECTOR_INPUTS:
            unit = 1.0 if q == "isolated fraction" else LENGTH_UNIT_M
            states[q] = np.array([y[slices[f"{ph.name}size class {k} {q}"]][0] * unit for k in range(ph.K)])
        z_old = states["isolated fraction"].copy()
        reps = {k: np.ascontiguousarray(np.tile(v, n_skipped)) for k, v in drv.items() if k != "duration_s"}
        c, d, v, z = (np.ascontiguousarray(states[q]) for q in VECTOR_INPUTS)
        advance_ensemble(ph.R.copy(), c, d, v, z, reps["s"], reps["s_max"], reps["P_eff"], reps["chi"],
                         control.ensemble_dt_s, law, zeta=reps["zeta"], T=T_K, s_rate=reps["s_rate"])
        for q, arr in zip(VECTOR_INPUTS, (c, d, v, z)):
            unit = 1.0 if q == "isolated fraction" else LENGTH_UNIT_M
            for k in range(ph.K):
                y[slices[f"{ph.name}size class {k} {q}"]] = arr[k] / unit
        eps_name = f"X-averaged {ph.domain} electrode {ph.infix}active material volume fraction"
        lli_name = f"Loss of lithium due to loss of {ph.infix}active material in {ph.domain} electrode [mol]"
        d_eps = -ph.eps0 * float(ph.w_volume @ (z - z_old))
        cyc_eps = y[slices[eps_name]][0] - y_first[slices[eps_name]][0]
        cyc_lli = y[slices[lli_name]][0] - y_first[slices[lli_name]][0]
        y[slices[eps_name]] += d_eps
        if abs(cyc_eps) > 1e-14:  # Li stranded per isolated volume as in the representative cycle
            y[slices[lli_name]] += cyc_lli / cyc_eps * d_eps
    for name in _slow_names(slices):
        y[slices[name]] += n_skipped * (y[slices[name]] - y_first[slices[name]])
    seconds = time.perf_counter() - t0
    return _one_point(last, y, float(last.all_ts[-1][-1]) + n_skipped * duration), seconds


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
    model = last.all_models[-1]
    slices = _state_slices(model)
    y = np.array(last.all_ys[-1][:, -1], dtype=float)
    p = law.constants()
    for ph in phases:
        P_eff = float(np.ravel(last[f"{ph.domain.capitalize()} electrode effective pressure [Pa]"].entries)[-1])
        r_old = NUMPY.closure_ratio(P_eff, p)
        r_new = NUMPY.closure_ratio(P_eff + P_new_Pa - P_old_Pa, p)
        keys = [slices[f"{ph.name}size class {k} isolated fraction"] for k in range(ph.K)]
        z = np.array([y[k][0] for k in keys])
        z_new = NUMPY.repressed_isolation(z, ph.R * r_old, ph.R * r_new, p)
        iso, back = float(ph.w_volume @ z), float(ph.w_volume @ (z - z_new))
        if back <= 0 or iso <= 0:
            continue
        eps = slices[f"X-averaged {ph.domain} electrode {ph.infix}active material volume fraction"]
        lli = slices[f"Loss of lithium due to loss of {ph.infix}active material in {ph.domain} electrode [mol]"]
        li_back = y[lli][0] * back / iso  # [mol]
        eps_new = y[eps][0] + ph.eps0 * back
        dc = li_back / (eps_new * ph.volume_m3)  # [mol.m-3] of connected active material
        conc = slices[f"{ph.domain.capitalize()} {ph.infix}particle concentration [mol.m-3]"]
        sto = slices[f"{ph.name}mean stoichiometry of connected particles"]
        # the connected particles' lithium (eps V c) and the returning lithium, over eps_new V
        y[conc] = y[conc] * y[eps][0] / eps_new + dc
        y[sto] = y[sto] * y[eps][0] / eps_new + dc / ph.c_max
        for k, zk in zip(keys, z_new):
            y[k] = zk
        y[eps] = eps_new
        y[lli] -= li_back
    return _one_point(last, y, float(last.all_ts[-1][-1]))


def repress(last, pv, P_old_MPa: float, P_new_MPa: float) -> pybamm.Solution:
    """:func:`repress_state` with the phases and law constants of the parameters ``pv``."""
    return repress_state(last, contact_phases(last.all_models[-1], pv), ContactLawParameters.from_parameters(pv),
                         P_old_MPa * 1e6, P_new_MPa * 1e6)


def interpolate_metrics(a: CycleMetrics, b: CycleMetrics, fraction: float) -> CycleMetrics:
    """Metrics of a skipped cycle: linear between two representative cycles."""
    values = {}
    for f in dataclasses.fields(CycleMetrics):
        x, y = getattr(a, f.name), getattr(b, f.name)
        numeric = isinstance(x, (int, float, np.floating)) and not isinstance(x, bool) and f.name != "block"
        values[f.name] = float(x + fraction * (y - x)) if numeric else x
    values["interpolated"] = True
    return CycleMetrics(**values)


def skip_cycles(solve_cycle, n_cycles: int, control: SkipControl):
    """Run ``n_cycles`` identical cycles, skipping where the error control allows.

    ``solve_cycle(previous, n_skipped)`` solves one cycle after ``previous`` (a cycle
    solution; None: from where the run stands), ``n_skipped`` cycles after it
    (:func:`skip_state`), and returns (metrics, cycle solution) or raises
    ``pybamm.SolverError``.

    Returns (metrics of every cycle up to the last solved one, the representative cycle
    numbers (1-based), the last cycle solution, a note if a cycle failed, else None).
    """
    metrics: dict[int, CycleMetrics] = {}
    prev, note, k, jump = None, None, 0, 2
    while k < n_cycles:
        J = 1 if k < control.first_full else min(jump, control.max_jump, n_cycles - k)
        try:
            m, cycle = solve_cycle(prev, J - 1)
        except pybamm.SolverError as e:
            if J > 1:
                jump = max(J // 2, 1)
                continue
            note = f"cycle {k + 1} failed: {e}"
            break
        reps = sorted(metrics)
        if J > 1 and len(reps) >= 2 and not _predicted(metrics, reps, k + J, m, control.tolerance):
            jump = max(J // 2, 1)  # rejected: redo from the same cycle with half the skip
            continue
        k += J
        metrics[k] = m
        prev = cycle
        if J > 1 or k >= control.first_full:
            jump = min(2 * J, control.max_jump)
    return _fill(metrics), sorted(metrics), prev, note


def _predicted(metrics, reps, n, m: CycleMetrics, tol: float) -> bool:
    """Whether cycle ``n``'s capacities are within ``tol`` of the line through the last two
    representative cycles."""
    a, b = reps[-2], reps[-1]
    for key in ("discharge_capacity_mAh_g", "charge_capacity_mAh_g"):
        qa, qb, q = getattr(metrics[a], key), getattr(metrics[b], key), getattr(m, key)
        guess = qb + (qb - qa) / (b - a) * (n - b)
        if abs(q - guess) > tol * abs(q):
            return False
    return True


def _fill(metrics: dict) -> list[CycleMetrics]:
    """Every cycle up to the last representative one; skipped ones interpolated."""
    reps = sorted(metrics)
    out = []
    for a, b in zip([0] + reps[:-1], reps):
        for n in range(a + 1, b):
            out.append(interpolate_metrics(metrics[a], metrics[b], (n - a) / (b - a)))
        out.append(metrics[b])
    return out


def one_cycle_experiment(steps) -> pybamm.Experiment:
    """The experiment of one cycle of ``steps``."""
    return experiment_of([steps])


@dataclass
class SkipRun:
    """What the fast path returns to the runner."""

    metrics: list
    representative_cycles: list
    last_cycle: object
    notes: list
    ensemble_s: float = 0.0
    total_s: float = 0.0


def run_skipping(runner, pv, inputs: dict, mass_g: float, control: SkipControl = SkipControl(),
                 pressure_parameter: str = "Stack pressure [Pa]", domain: str = "positive") -> SkipRun:
    """Solve ``runner``'s protocol block by block: blocks of at least
    :data:`MIN_SKIPPED_BLOCK` cycles by :func:`skip_cycles`, shorter ones cycle by cycle.

    ``pv``: the case's numeric parameter values; ``inputs``: its input parameters;
    ``mass_g``: the working electrode's active mass (capacities per gram).
    """
    import time

    from .results import cycle_metrics
    from .simulation import cycle_complete, quiet_solver

    t_start = time.perf_counter()
    law = ContactLawParameters.from_parameters(pv)
    T_K = float(pv["Ambient temperature [K]"])
    working = runner.preset.working
    protocol = runner.protocol
    run = SkipRun([], [], None, [])
    block_start = None
    offset = 0
    previous_MPa = None
    for i, (block, pressure) in enumerate(zip(protocol.blocks, protocol.pressures(runner.pressure_MPa))):
        if block_start is not None and pressure > previous_MPa:
            block_start = repress(block_start, pv, previous_MPa, pressure)
        previous_MPa = pressure
        block_inputs = inputs | ({pressure_parameter: pressure * 1e6} if pressure_parameter in runner.input_names
                                 else {})
        phases = []

        def solve_cycle(prev, n_skipped, block=block, block_inputs=block_inputs, phases=phases, i=i,
                        pressure=pressure):
            if prev is None:
                start = block_start
            elif n_skipped == 0:
                start = prev.last_state
            else:
                if not phases:
                    phases.extend(contact_phases(prev.all_models[-1], pv))
                start, seconds = skip_state(prev, phases, law, T_K, n_skipped, control)
                run.ensemble_s += seconds
            for retry in (False, True):  # IDA can stall: once more with tighter tolerances
                with quiet_solver():
                    sol = runner.cycle_simulation(block.steps, retry).solve(starting_solution=start,
                                                                             inputs=block_inputs)
                cycle = sol.cycles[-1] if sol.cycles else None
                if cycle is not None and cycle_complete(cycle, len(block.steps)):
                    break
            else:
                done = [] if cycle is None else [st.termination for st in cycle.steps]
                raise pybamm.SolverError(f"a step could not run (steps ended by: {done}; {sol.termination})")
            m = cycle_metrics(cycle, sol.all_summary_variables[-1], mass_g, working, block=i, label=block.label,
                              pressure_MPa=pressure, domain=domain)
            return m, cycle

        ctrl = control if block.repeat >= MIN_SKIPPED_BLOCK else dataclasses.replace(control, first_full=block.repeat)
        metrics, reps, last, note = skip_cycles(solve_cycle, block.repeat, ctrl)
        run.metrics += metrics
        run.representative_cycles += [offset + r for r in reps]
        offset += block.repeat
        if last is not None:
            run.last_cycle = last
            block_start = last.last_state
        if note:
            run.notes.append(note)
            break
    run.total_s = time.perf_counter() - t_start
    return run
