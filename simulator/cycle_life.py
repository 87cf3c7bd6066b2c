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
   stranded lithium to isolated volume); the SE reduction's film moves on parabolically
   (``cell_state.film_cycles``) and the throughput counter by J - 1 times its change
   over the representative cycle;
   the clock moves on by J - 1 cycle durations (the binder relaxes in time). In a full
   cell, whose lithium inventory is finite, a cycle that feeds the SE reduction's film
   moves each particle phase's lithium on with the film (``cell_state.film_cycles``
   times its free change over the cycle), so the film's lithium leaves the particles
   (lithium is conserved: ``cell_state.skip_state``). Everything else (potentials, the
   concentrations' profiles) is the end of the representative cycle, and the next
   representative cycle starts from it.

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
import time
from dataclasses import dataclass

import numpy as np
import pybamm

from ssbsim.models.contact_law import ContactLawParameters
from ssbsim.models.composite_cell import composite_electrodes
from ssbsim.models.fixture import fixture_compliance

from .errors import InputError
from .cell_state import contact_phases, retightened, skip_state
from .layer_cracks import layer_decohered_fraction
from .thickness_ensemble import DEFAULT_BANDS
from .results import CycleMetrics
from .solving import cycle_complete, quiet_solver, solver_tolerances

#: ``simulate(cycles=N)`` skips cycles by default above this many cycles.
SKIP_THRESHOLD_CYCLES = 50
#: Protocol entries with fewer repeats run cycle by cycle on the fast path too.
MIN_SKIPPED_BLOCK = 10


@dataclass(frozen=True)
class SkipControl:
    """Settings of cycle skipping.

    tolerance : relative difference [-] between a representative cycle's capacities and
        their linear extrapolation above which the jump is redone with half the skip.
    first_full : cycles of a block solved one by one before skipping starts (the first
        cycles latch isolation and the running maximum strain).
    max_jump : largest J (cycles from one representative cycle to the next).
    ensemble_dt_s : step of the ensemble [s] (``implicit_step`` needs dt * 1e-2 s-1 <= 1).
    ensemble_max_strain_step : the ensemble's step is refined until the radial strain
        moves by at most this much per step on average over the cycle [-]. The drivers
        are sampled on the ensemble's grid, so a phase that breathes far (Si) needs finer
        steps than its time scales alone would ask: on Choi 2025's anode (paper protocol,
        115 cycles) the fast path's largest capacity error against cycle by cycle is
        0.29 % with 20 s steps alone and 0.17 % at 3e-5 (with the step's gap taken at its
        end, ``contact_law.implicit_step``; 1.19 % and 0.08 % before, where two errors
        partly cancelled).
    thickness_bands : particles per size class across the electrode's thickness
        (``thickness_ensemble``), each cycling with the DFN's local stoichiometry; they
        correct every solved cycle's end and carry the spread through skipped cycles
        (0: the size classes alone, the mean field).
    coupling_cycles : solved cycles between two corrections for that spread (the
        operator split's step; a representative cycle that is skipped from always ends
        one).
    """

    tolerance: float = 2e-3
    first_full: int = 3
    max_jump: int = 64
    ensemble_dt_s: float = 20.0
    ensemble_max_strain_step: float = 3e-5
    thickness_bands: int = DEFAULT_BANDS
    coupling_cycles: int = 1


def skip_control(n_cycles: int, cycle_skipping=None) -> SkipControl | None:
    """The fast path's settings for a run of ``n_cycles``, or None (cycle by cycle):
    ``cycle_skipping`` a SkipControl, True / False, or None for the default (skipping
    above :data:`SKIP_THRESHOLD_CYCLES`)."""
    if isinstance(cycle_skipping, SkipControl):
        return cycle_skipping
    if cycle_skipping is not None and not isinstance(cycle_skipping, (bool, np.bool_)):
        raise InputError(f"cycle_skipping={cycle_skipping!r} is not one of True, False, None (the default: "
                         f"skipping above {SKIP_THRESHOLD_CYCLES} cycles) or a SkipControl")
    if cycle_skipping is None:
        cycle_skipping = n_cycles > SKIP_THRESHOLD_CYCLES
    return SkipControl() if cycle_skipping else None


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
    (``cell_state.skip_state``), and returns (metrics, cycle solution) or raises
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


def rehome(start, sim, inputs):
    """``start`` (a one-point solution, or None) as a state of ``sim``'s first step's
    model when both models lay out their states alike, so that the solve starts from its
    state vector as it is. A state of another simulation's model would reach the new one
    through PyBaMM's re-evaluation of the initial conditions by variable name, which
    changed the Si-graphite anode's next cycle by 17 % (Choi 2025, at the formation |
    rate-test boundary) where the cycle-by-cycle run, one simulation, has no boundary."""
    if start is None:
        return None
    sim.build_for_experiment(inputs=inputs)
    model = sim._get_built_experiment_model(sim.experiment.steps[0])  # PyBaMM 26.10's (private) step -> model map
    source = start.all_models[-1]
    if source is model or [v.name for v in source.y_slices] != [v.name for v in model.y_slices]:
        return start
    return pybamm.Solution(start.all_ts[-1][-1:], start.all_ys[-1][:, -1:], model, start.all_inputs[-1],
                           termination="final time")


@dataclass
class SkipRun:
    """What the fast path returns to the runner."""

    metrics: list
    representative_cycles: list
    last_cycle: object
    notes: list
    first_cycle: object = None
    ensemble_s: float = 0.0
    total_s: float = 0.0
    #: cycles solved only at the retry's 10x tighter tolerances
    retried: int = 0
    #: 1-based cycle number -> (its solution, summary variables, first state), for the
    #: cycles asked to be kept (PyBaMM's per-cycle records of a continuous solve)
    kept: dict = dataclasses.field(default_factory=dict)
    #: the ensemble's bands across the layer that ran (0: the size classes alone)
    bands: int = 0
    #: the state after the last cycle, corrected for the spread across the layer (a
    #: one-point solution; None without bands): where a continuation starts
    final_state: object = None
    #: the largest layer-decohered fraction of the solved cycles (``layer_cracks``)
    max_layer_decohered_fraction: float = 0.0


@dataclass(frozen=True)
class _Solved:
    """A solved cycle, the ensemble's spread across the layer at the start of its coupling
    step and the cycles solved in that step before it (not yet corrected for)."""

    solution: object
    spreads: dict | None
    pending: tuple = ()


def run_skipping(runner, pv, inputs: dict, mass_g: float, pressure_MPa: float, control: SkipControl = SkipControl(),
                 pressure_parameter: str = "Stack pressure [Pa]", domain: str = "positive",
                 keep=None) -> SkipRun:
    """Solve ``runner``'s protocol block by block: blocks of at least
    :data:`MIN_SKIPPED_BLOCK` cycles by :func:`skip_cycles`, shorter ones cycle by cycle.

    ``pv``: the case's numeric parameter values; ``inputs``: its input parameters;
    ``mass_g``: the working electrode's active mass (capacities per gram);
    ``pressure_MPa``: the case's stack pressure, which the protocol's entries without a
    pressure of their own run at (not the pressure of the case ``runner`` was built for:
    a sweep's cases share a runner with the pressure as an input); ``keep``: a
    callable telling which 1-based cycle numbers' solutions to keep in ``SkipRun.kept``
    (counted as solved, so meant for a run that skips nothing), or None.
    """
    from .results import cycle_metrics

    t_start = time.perf_counter()
    law = ContactLawParameters.from_parameters(pv)
    T_K = float(pv["Ambient temperature [K]"])
    working = runner.preset.working
    protocol = runner.protocol
    run = SkipRun([], [], None, [])
    block_start, block_spreads = None, None
    offset = 0
    previous_MPa = None
    fixed = {k: v for k, v in inputs.items() if k != pressure_parameter}  # see CellRunner.cycle_simulation
    compliance = None  # constant pressure: the skipped cycles feel the solved cycle's pressure
    if runner.fixture != "constant pressure":
        compliance = float(pv.evaluate(fixture_compliance(runner.fixture, composite_electrodes(runner.preset.cell))))
    phases = []  # the contact phases of the model, read from the first cycle that is skipped from
    bands = run.bands = control.thickness_bands if runner.model_name == "DFN" else 0  # SPM(e): no spread
    solved = [0]

    def moved_on(prev: _Solved, n_skipped: int):
        """The state ``n_skipped`` cycles after ``prev`` (its end corrected for the spread)."""
        if not phases:
            phases.extend(contact_phases(prev.solution.all_models[-1], pv))
        start, seconds, spreads = skip_state(prev.solution, phases, law, T_K, n_skipped, control.ensemble_dt_s,
                                             control.ensemble_max_strain_step, compliance, prev.spreads, bands,
                                             prev.pending)
        run.ensemble_s += seconds
        return start, spreads

    for i, (block, pressure) in enumerate(zip(protocol.blocks, protocol.pressures(pressure_MPa))):
        if block_start is None:
            P_0 = pressure * 1e6
        elif pressure != previous_MPa:  # the entry re-presses, or re-tightens the fixture
            block_start, P_0 = retightened(block_start, pv, runner.fixture, previous_MPa, pressure)
        # else the same pressure: the entry carries on from the last block's P_0
        previous_MPa = pressure
        block_inputs = {pressure_parameter: P_0} if pressure_parameter in runner.input_names else {}

        def solve_cycle(prev, n_skipped, block=block, block_inputs=block_inputs, i=i, pressure=pressure):
            pending = ()
            if prev is None:
                start, spreads = block_start, block_spreads
            elif n_skipped == 0 and not bands:
                start, spreads = prev.solution.last_state, None
            elif n_skipped == 0 and len(prev.pending) + 1 < control.coupling_cycles:  # within a coupling step
                start, spreads, pending = prev.solution.last_state, prev.spreads, (*prev.pending, prev.solution)
            else:
                start, spreads = moved_on(prev, n_skipped)
            for retry in (False, True):  # IDA can stall or fail: once more with tighter tolerances
                sim = runner.cycle_simulation(block.steps, retry, fixed)
                try:
                    with quiet_solver():
                        sol = sim.solve(starting_solution=rehome(start, sim, block_inputs), inputs=block_inputs)
                except pybamm.SolverError:
                    if retry:
                        raise
                    continue
                cycle = sol.cycles[-1] if sol.cycles else None
                if cycle is not None and cycle_complete(cycle, len(block.steps)):
                    run.retried += retry
                    break
            else:
                done = [] if cycle is None else [st.termination for st in cycle.steps]
                raise pybamm.SolverError(f"a step could not run (steps ended by: {done}; {sol.termination})")
            if run.first_cycle is None:
                run.first_cycle = cycle
            run.max_layer_decohered_fraction = max(run.max_layer_decohered_fraction,
                                                   float(layer_decohered_fraction(cycle, pv).max()))
            solved[0] += 1
            if keep is not None and keep(solved[0]):
                run.kept[solved[0]] = (cycle, sol.all_summary_variables[-1], sol.all_first_states[-1])
            m = cycle_metrics(cycle, sol.all_summary_variables[-1], mass_g, working, block=i, label=block.label,
                              pressure_MPa=pressure, domain=domain, fixture=runner.fixture)
            return m, _Solved(cycle, spreads, pending)

        ctrl = control if block.repeat >= MIN_SKIPPED_BLOCK else dataclasses.replace(control, first_full=block.repeat)
        metrics, reps, last, note = skip_cycles(solve_cycle, block.repeat, ctrl)
        run.metrics += metrics
        run.representative_cycles += [offset + r for r in reps]
        offset += block.repeat
        if last is not None:
            run.last_cycle = last.solution
            block_start, block_spreads = (moved_on(last, 0) if bands else (last.solution.last_state, None))
        if note:
            run.notes.append(note)
            break
    if bands and run.last_cycle is not None:
        run.final_state = block_start
    if run.retried:
        run.notes.append(f"{run.retried} cycle(s) solved on the retry, at tolerances "
                         f"{solver_tolerances(runner.model_name, True)}, after the first attempt failed")
    run.total_s = time.perf_counter() - t_start
    return run
