"""``ssbsim.simulate``: one preset cell under given conditions, the paper's protocol."""

from __future__ import annotations

import dataclasses
import functools
import inspect

import pybamm

from ssbsim.models.composite_cell import composite_cell_model, hysteresis_phases

from . import long_runs
from .conditions import Conditions, parameter_values
from .errors import InputError, SimulationError, check_count
from .overrides import derived_inputs
from .presets import reduced_model_warning
from .protocol import Protocol, experiment_of
from . import cell_state, cycle_life
from .case_result import electrode_properties, metrics_of_cycles, result_of_case, working_domain
from .results import SimulationResult, summary_variable_names
from .solving import compiled, cycle_complete, idaklu_solver, quiet_solver, solver_tolerances


@functools.lru_cache(maxsize=32)
def _model(model: str, cell: str, positive_phases: int, negative_phases: int, mechanics: bool,
           interphase_domains: tuple = (), fixture: str = "constant pressure", coverage_entry: str = "none",
           hysteresis: tuple = (), surface_form: str | None = None):
    """Built (not discretised) models are reused: PyBaMM copies them on processing. The capacity counter
    is a summary variable, so cycles whose full solution is not kept still give their capacities."""
    options = {"coverage entry": coverage_entry} | ({"surface form": surface_form} if surface_form else {})
    m = composite_cell_model(model, cell, positive_phases, negative_phases, mechanics=mechanics,
                             interphase_domains=interphase_domains, fixture=fixture, hysteresis=hysteresis,
                             extra_options=options)
    extra = ["Discharge capacity [A.h]"] + [n for d in ("positive", "negative") for n in summary_variable_names(d)
                                            if n in m.variables and n not in m.summary_variables]
    m.summary_variables = [*m.summary_variables, *dict.fromkeys(extra)]
    return m


def cell_model(cond: Conditions, pv, surface_form: str | None = None):
    """The built model of ``cond``'s cell (:func:`_model`): its preset's phases and SE reduction, the
    OCP branches ``pv`` holds (``composite_cell.hysteresis_phases``), ``"surface form"`` if given."""
    p = cond.preset_data
    return _model(cond.model, p.cell, p.positive_phases, p.negative_phases, cond.mechanics, p.interphase_domains,
                  cond.fixture, cond.coverage_entry, hysteresis_phases(pv), surface_form)


def resolve_conditions(preset: str, **options) -> Conditions:
    """:meth:`Conditions.resolve`: the user's options completed with the preset's defaults."""
    return Conditions.resolve(preset, **options)


def simulate(preset: str | Conditions, *, binder=None, process=None, binder_content=None, pressure=None,
             c_rate=None, cycles=None, temperature=None, model="DFN", mechanics=True,
             parameters=None, protocol=None, solver=None, cycle_skipping=None, fixture=None,
             coverage_entry=None, thickness_bands=None) -> SimulationResult:
    """Simulate a preset cell with the paper's protocol, or any other.

    Parameters
    ----------
    preset : str or Conditions
        One of ``ssbsim.simulator.presets.PRESETS`` (e.g. ``"kwon2022"``) with the
        options below, or a :class:`~ssbsim.simulator.conditions.Conditions` (alone).
    binder : str, optional
        A binder of the preset (default: the preset's first).
    process : {"wet", "dry", "none"}, optional
        Electrode process; ``none`` is binder-free. Default: the binder's.
    binder_content : float, optional
        Binder content [wt%], 0 ... 10. Default: the paper's.
    pressure : float, optional
        Stack pressure [MPa], 0 ... 500 (0: a pouch cell without external pressure).
    c_rate : float, optional
        C-rate of the default protocol's CC steps (1C as defined in the paper). Default:
        the paper's.
    cycles : int, optional
        Cycles of the default protocol, 1 ... 1000 (default 1).
    temperature : float, optional
        Temperature [C], within the parameter set's range (-20 ... 80 C).
    model : {"DFN", "SPMe", "SPM"}
    mechanics : bool
        Contact loss, voids, delamination and binder mechanics (default); False gives
        the composite model with perfect contact.
    parameters : dict, optional
        Numeric PyBaMM parameters to set (e.g. fitted values; ``params_file``).
    protocol : dict, Protocol or str, optional
        Instead of the default cycle: ``{"cycles": [{"steps": [...], "repeat": N,
        "pressure_MPa": P}, ...]}`` (:mod:`~ssbsim.simulator.protocol`), or the name of one
        of the preset's paper protocols (``Preset.protocols``).
    solver : pybamm solver, optional
        Default ``pybamm.IDAKLUSolver`` with the model's ``SOLVER_TOLERANCES``, compiled
        where ``SSBSIM_COMPILE=1`` (:func:`~ssbsim.simulator.solving.idaklu_solver`).
    cycle_skipping : bool or SkipControl, optional
        Solve representative cycles and let the contact law's ensemble carry the contact
        state across the others (:mod:`~ssbsim.simulator.cycle_life`). Default: for runs
        of more than ``cycle_life.SKIP_THRESHOLD_CYCLES`` cycles. Either way a DFN with
        mechanics run for more than one cycle is solved one cycle per call, each
        cycle's end corrected by the particle ensemble across the layer
        (:mod:`~ssbsim.simulator.thickness_ensemble`; a SkipControl sets its bands and
        coupling). The result's ``cycle_path`` says which path ran.
    fixture : {"constant pressure", "spring", "rigid"}, optional
        What holds the stack (``ssbsim.models.fixture``; ``pressure`` is then the pressure
        at assembly). Default: the preset's (rigid for the pouch cell).
    coverage_entry : {"none", "effective diffusivity"}, optional
        What the binder-covered surface blocks besides charge transfer
        (``ssbsim.models.covered_entry``): nothing (default), or Li entry into the
        particles too (particle diffusivity D (1 - theta)^2).
    thickness_bands : int, optional
        Particles per size class across the electrode's thickness in the contact law's
        ensemble (:mod:`~ssbsim.simulator.thickness_ensemble`; a DFN with mechanics run
        for more than one cycle), 0 ... 20 (the DFN's nodes). Default
        ``thickness_ensemble.DEFAULT_BANDS``; 0: the size classes alone (the mean field,
        cycle by cycle in one solve).

    Returns
    -------
    SimulationResult

    A cell built before in this process (same conditions and solver) is reused: its
    discretised model and solver set-up are not built again.
    """
    options = dict(binder=binder, process=process, binder_content=binder_content, pressure=pressure,
                   c_rate=c_rate, cycles=cycles, temperature=temperature, model=model, mechanics=mechanics,
                   parameters=parameters, protocol=protocol, fixture=fixture, coverage_entry=coverage_entry)
    if isinstance(preset, Conditions):
        defaults = inspect.signature(Conditions.resolve).parameters
        given = [k for k, v in options.items() if v != defaults[k].default]
        if given:
            raise InputError(f"simulate(conditions, {', '.join(given)}=...): set them in the conditions "
                             "(dataclasses.replace) instead")
    cond = preset if isinstance(preset, Conditions) else Conditions.resolve(preset, **options)
    if thickness_bands is not None:
        thickness_bands = check_count("thickness_bands", thickness_bands, 0, MAX_THICKNESS_BANDS)
    return _runner(cond, solver).run(cond, skipping=cycle_life.skip_control(cond.cycles, cycle_skipping),
                                     bands=thickness_bands)


#: More bands than the DFN's 20 nodes across an electrode only interpolate between them.
MAX_THICKNESS_BANDS = 20


_RUNNERS: dict = {}
_MAX_RUNNERS = 8


def _runner(cond: Conditions, solver) -> "CellRunner":
    """The built runner of these conditions, parameter values and compile setting (kept for
    the last few), or a new one: a parameter set changed in the process builds anew."""
    if solver is not None:
        return CellRunner(cond, solver=solver)
    pv = parameter_values(cond)
    key = (cond, compiled(), tuple((k, fingerprint(pv[k])) for k in sorted(pv.keys())))
    if key not in _RUNNERS:
        if len(_RUNNERS) >= _MAX_RUNNERS:
            _RUNNERS.pop(next(iter(_RUNNERS)))
        _RUNNERS[key] = CellRunner(cond)
    return _RUNNERS[key]


def fingerprint(value) -> str:
    """A parameter value as the same text in every process: a function's name, an
    expression's formula (a PyBaMM symbol's repr holds its id), or the value's repr.
    A method of a record (``ActiveMaterial.diffusivity``) includes the record's fields,
    nested, so that changing a constant of the record (NCM's diffusivity scale) is a
    new value, not the built runner or stored sweep of the old one."""
    if isinstance(value, pybamm.Symbol):
        return str(value)
    if inspect.ismethod(value):
        return f"{value.__qualname__}@{fingerprint(value.__self__)}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ", ".join(f"{f.name}={fingerprint(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__qualname__}({fields})"
    return getattr(value, "__qualname__", None) or repr(value)


class CellRunner:
    """Built ``pybamm.Simulation`` s that solve any case of their group.

    Cases of a group share geometry, model and protocol; the parameters named in ``input_names``
    (e.g. the stack pressure, the binder's mechanical properties; with the nominal capacity they
    set, ``overrides.derived_inputs``) become ``pybamm.InputParameter`` s: a sweep builds once.
    A protocol whose entries change the stack pressure runs as consecutive segments, one per
    pressure (an input wherever an entry's is not the run's), each from the last one's end.

    Parameters
    ----------
    cond : Conditions
        The conditions of any case of the group.
    input_names : iterable of str
        Parameters that vary between the group's cases.
    solver : pybamm solver, optional
    """

    def __init__(self, cond: Conditions, input_names=(), solver=None):
        self.preset = p = cond.preset_data
        self.protocol = cond.run_protocol
        pv = parameter_values(cond)  # inputs: also the nominal capacity where they set it (overrides)
        names = set(input_names) | derived_inputs(input_names, pv)
        if set(self.protocol.pressures(cond.pressure_MPa)) != {cond.pressure_MPa}:
            names.add(PRESSURE_PARAMETER)  # else one entry at 2 MPa would run at the run's 70
        self.input_names = tuple(sorted(names))
        pv.update({name: "[input]" for name in self.input_names})
        self._pv = pv
        self.model_name = cond.model
        self.fixture = cond.fixture
        self.model = cell_model(cond, pv)
        self.user_solver = solver
        self._sims = {}
        # The DFN starts with the retry's tolerances where rtol 1e-4 is not converged: a spring or
        # rigid fixture makes IDA stall near some step ends (3 of 8 three-cycle Kwon runs at ~2 MPa),
        # and a two-phase electrode's third formation delithiation reads 463.5 mAh/g at 1e-4 (479.5 at 1e-5, 1e-6).
        self._tight = self.model_name == "DFN" and (self.fixture != "constant pressure"
                                                    or max(p.positive_phases, p.negative_phases) > 1)

    #: Sets of fixed input values whose cycle simulations a runner keeps built.
    FIXED_SETS_KEPT = 2

    def cycle_simulation(self, steps, retry=False, fixed=None):
        """A built ``pybamm.Simulation`` of one cycle of ``steps`` (the fast path's);
        ``retry``: with 10x tighter tolerances; ``fixed``: input parameters set to these
        numbers (a case's own values). A simulation with more than one input parameter
        fails to continue from a previous ``solve`` call's state in PyBaMM 26.10 (IDA at
        h ~ 1e-62 at once; one input, or the same steps within one call, are fine), and
        the fast path solves each cycle in its own call, so it fixes the swept inputs."""
        fixed = tuple(sorted(dict(fixed or {}).items()))
        key = ("cycle", tuple(steps), retry, fixed)
        if key not in self._sims:
            # each set of fixed values builds its own simulations (which hold their last
            # solution): keep those of the latest few sets only, or a sweep or fit that
            # runs many values through one runner grows without bound (~60 MB per
            # 150-cycle case)
            sets = list(dict.fromkeys(k[3] for k in self._sims if k[0] == "cycle"))
            if fixed not in sets and len(sets) >= self.FIXED_SETS_KEPT:
                old = sets[0]
                for k in [k for k in self._sims if k[0] == "cycle" and k[3] == old]:
                    del self._sims[k]
            pv = self._pv.copy()
            pv.update(dict(fixed))
            self._sims[key] = pybamm.Simulation(self.model, parameter_values=pv,
                                                experiment=experiment_of([steps]), solver=self._solver(retry))
        return self._sims[key]

    def _solver(self, retry: bool):
        """The user's solver, or IDAKLU at ssbsim's tolerances (10x tighter on a retry)."""
        if self.user_solver and not retry:
            return self.user_solver
        return idaklu_solver(self.model_name, retry or self._tight)

    def _simulation(self, segment: int, steps, retry=False):
        if (segment, retry) not in self._sims:
            # PyBaMM's default ("legacy") experiment mode, one discretised model per step.
            # Its "unified" mode (one model, step index as an input) halves the first
            # solve (Kwon DFN 1.9 -> 1.1 s) but makes every warm solve 1.4-1.8x slower
            # (measured on SPM, SPMe and DFN with mechanics), which sweeps and fits pay per case.
            self._sims[segment, retry] = pybamm.Simulation(
                self.model, parameter_values=self._pv, experiment=experiment_of(steps), solver=self._solver(retry))
        return self._sims[segment, retry]

    def _solve(self, cond, inputs, retry=False, pv=None):
        sol = None
        previous_MPa = None
        for k, (pressure_MPa, steps) in enumerate(self.protocol.segments(cond.pressure_MPa)):
            P_0 = pressure_MPa * 1e6
            if sol is not None and cond.mechanics:
                # re-pressed / re-tightened (cell_state.retightened): the next segment starts there
                sol._last_state, P_0 = cell_state.retightened(sol.last_state, pv, self.fixture, previous_MPa,
                                                              pressure_MPa)
            previous_MPa = pressure_MPa
            seg_inputs = inputs | ({PRESSURE_PARAMETER: P_0} if PRESSURE_PARAMETER in self.input_names else {})
            kept = long_runs.saved_cycles(self.protocol)  # None: every cycle kept whole
            try:
                with quiet_solver():
                    sol = self._simulation(k, steps, retry).solve(
                        inputs=seg_inputs, starting_solution=sol, save_at_cycles=kept,
                        callbacks=[long_runs.CompactCycleStates()] if kept else None)
            except pybamm.SolverError as e:
                if sol is None:
                    raise SimulationError(f"solve failed for {_describe(cond)}: {e}") from e
                break  # report the cycles that completed before the failing segment
            if len(_complete_cycles(sol, self.protocol)) < len(getattr(sol, "cycles", None) or []) \
                    or isinstance(sol, pybamm.EmptySolution):
                break  # a step could not run: later segments would start from a broken cycle
        return sol, _complete_cycles(sol, self.protocol)

    def run(self, cond: Conditions, skipping: "cycle_life.SkipControl | None" = None,
            continuous: bool = False, bands: int | None = None) -> SimulationResult:
        """Solve the case ``cond`` (conditions of this group): by cycle skipping
        (``skipping``), or cycle by cycle - a DFN with mechanics one solve per cycle, each
        cycle's end corrected for the particles' spread across the layer
        (``thickness_ensemble``), unless ``continuous`` or ``bands`` is 0 (one solve, the
        mean field). ``bands``: the ensemble's bands, instead of the control's."""
        pv = parameter_values(cond)
        inputs = {name: pv[name] for name in self.input_names}
        notes = [w for w in [reduced_model_warning(cond.preset, cond.model)] if w]
        if skipping is None and cond.mechanics and cond.model == "DFN" and self.protocol.n_cycles > 1 \
                and not continuous and bands != 0:
            # the particles' spread across the layer corrects each cycle's end (thickness_ensemble)
            skipping = dataclasses.replace(cycle_life.SkipControl(), first_full=self.protocol.n_cycles)
        if skipping is not None and bands is not None:
            skipping = dataclasses.replace(skipping, thickness_bands=bands)
        if skipping is not None and cond.mechanics:
            fast = self._run_skipping(cond, pv, inputs, notes, skipping)
            if fast.cycles_completed >= cond.cycles:
                return fast
            # a one-cycle solve that fails from a state solved one cycle per call can pass
            # in a continuous run: the robust path
            slow = self.run(cond, continuous=True)
            if slow.cycles_completed <= fast.cycles_completed:
                return fast
            path = "fast" if fast.cycle_path == "cycle skipping" else "one-solve-per-cycle"
            slow.notes.append(f"run cycle by cycle in one solve: the {path} path stopped after "
                              f"{fast.cycles_completed} cycles ({'; '.join(n for n in fast.notes if 'failed' in n)})")
            return slow
        try:
            sol, cycles_done = self._solve(cond, inputs, pv=pv)
        except SimulationError:
            if self.user_solver is not None:
                raise
            sol, cycles_done = None, []  # the first step failed: the retry below decides
        if len(cycles_done) < cond.cycles and self.user_solver is None:
            # IDA can stall where particles empty under strong polarisation, or fail in
            # its first step: one retry with tighter tolerances before reporting what
            # completed (or, if nothing did, the retry's own error).
            try:
                sol2, done2 = self._solve(cond, inputs, retry=True, pv=pv)
            except SimulationError:
                if sol is None:
                    raise
                sol2, done2 = None, []
            if len(done2) > len(cycles_done):
                sol, cycles_done = sol2, done2
                notes.append(f"solved with tighter tolerances {solver_tolerances(cond.model, True)} "
                             "after a solver failure")
        if not cycles_done:
            hint = "" if cond.model == "DFN" else (
                f"; the {cond.model} reacts uniformly through the electrode thickness, which"
                " fails where ionic transport in the composite limits the cell (high rate or"
                " binder content): try model='DFN'")
            raise SimulationError(f"the first cycle did not complete for {_describe(cond)}: "
                                  f"{getattr(sol, 'termination', 'no solution')}{hint}")
        electrode = electrode_properties(cond, pv)
        metrics = metrics_of_cycles(self.preset, cond, electrode["active_mass_g"], cycles_done, self.protocol)
        return result_of_case(self.preset, cond, pv, electrode, sol, metrics, notes)

    def _run_skipping(self, cond, pv, inputs, notes, control) -> SimulationResult:
        electrode = electrode_properties(cond, pv)
        every = control.first_full >= self.protocol.n_cycles  # nothing skipped
        kept = long_runs.saved_cycles(self.protocol)
        run = cycle_life.run_skipping(self, pv, inputs, electrode["active_mass_g"], cond.pressure_MPa, control,
                                      PRESSURE_PARAMETER, working_domain(self.preset),
                                      keep=(lambda n: kept is None or n in kept) if every else None)
        if run.last_cycle is None:
            raise SimulationError(f"the first cycle did not complete for {_describe(cond)}: {run.notes}")
        bands = f"; particles in {run.bands} bands across the layer" if run.bands else ""
        if every:
            sol = run.last_cycle
            if kept is None:  # every cycle kept: one solution, as a continuous run gives
                cycles, summaries, firsts = (list(r) for r in zip(*(run.kept[n] for n in sorted(run.kept))))
                sol = functools.reduce(lambda a, b: a + b, cycles)
                sol.cycles, sol.all_summary_variables, sol.all_first_states = cycles, summaries, firsts
                if run.final_state is not None:  # a continuation starts from the corrected end
                    sol._last_state = run.final_state
            result = result_of_case(self.preset, cond, pv, electrode, sol, run.metrics, notes + run.notes,
                                    run.max_layer_decohered_fraction)
            result.cycle_path = "cycle by cycle"
            result.cycle_solutions = {n - 1: r[0] for n, r in run.kept.items()}
            result.notes.append(f"cycle by cycle, one solve per cycle{bands}")
        else:
            result = result_of_case(self.preset, cond, pv, electrode, run.last_cycle, run.metrics,
                                    notes + run.notes, run.max_layer_decohered_fraction)
            result.cycle_path = "cycle skipping"
            result.cycle_solutions = {0: run.first_cycle, len(run.metrics) - 1: run.last_cycle}
            n_rep, n = len(run.representative_cycles), len(run.metrics)
            result.notes.append(f"cycle skipping: {n_rep} of {n} cycles solved by PyBaMM, " + (
                "the others interpolated" if n_rep < n else "none to skip") + f"; time series of the last cycle only{bands}")
        result.representative_cycles = run.representative_cycles
        result.timings = {"total_s": run.total_s, "ensemble_s": run.ensemble_s}
        return result


#: The parameter that protocol entries with their own ``pressure_MPa`` change.
PRESSURE_PARAMETER = "Stack pressure [Pa]"


def _complete_cycles(sol, protocol: Protocol) -> list:
    """The leading cycles of ``sol`` that ran every step of their protocol entry, each as
    (its solution or None where it was not kept, its summary variables)."""
    expected = [len(protocol.blocks[b].steps) for b in protocol.cycle_blocks()]
    done = []
    cycles = getattr(sol, "cycles", None) or []  # EmptySolution: none
    for c, summary, n in zip(cycles, getattr(sol, "all_summary_variables", []), expected):
        if c is not None and not cycle_complete(c, n):
            break  # a kept cycle that stopped early; a cycle not kept completed
        done.append((c, summary))
    return done


def _describe(cond: Conditions) -> dict:
    """The conditions for an error message, the protocol shortened to its size."""
    return cond.to_dict() | {"protocol": f"{len(cond.run_protocol.blocks)} entries, {cond.cycles} cycles"}
