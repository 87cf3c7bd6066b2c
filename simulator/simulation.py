"""``ssbsim.simulate``: one preset cell under given conditions, the paper's protocol."""

from __future__ import annotations

import functools

import pybamm

from ssbsim.models import binder_coverage as bc
from ssbsim.models import composite_cell_model
from ssbsim.models.options import check_option

from .errors import InputError, SimulationError, check_range
from .params_file import check_overrides
from .presets import get_preset
from .protocol import experiment
from .results import SimulationResult, cycle_metrics, mechanics_series, mechanics_summary

PRESSURE_RANGE_MPA = (0.0, 500.0)
C_RATE_RANGE = (1e-3, 10.0)
CYCLES_RANGE = (1, 1000)
# IDAKLU tolerances per model, chosen so that the first-cycle discharge capacity is
# converged to < 0.05 mAh/g (Kwon 2022, 2-70 MPa; tests/test_simulation.py): the DFN is at
# PyBaMM's defaults; the SPM / SPMe at the defaults scatter by up to 0.4 mAh/g where the
# NCM's kinetic hindrance makes the end of discharge a cliff, which is larger than the
# differences between binders at high pressure. A failed solve is retried 10x tighter.
SOLVER_TOLERANCES = {"DFN": {"rtol": 1e-4, "atol": 1e-6},
                     "SPMe": {"rtol": 1e-5, "atol": 1e-7},
                     "SPM": {"rtol": 1e-5, "atol": 1e-7}}
RETRY_FACTOR = 0.1


def solver_tolerances(model: str, retry: bool = False) -> dict:
    """IDAKLU ``rtol``/``atol`` ssbsim uses for ``model`` (10x tighter on a retry)."""
    tol = SOLVER_TOLERANCES[model]
    return {k: v * RETRY_FACTOR for k, v in tol.items()} if retry else dict(tol)


@functools.lru_cache(maxsize=32)
def _model(model: str, cell: str, positive_phases: int, negative_phases: int, mechanics: bool):
    """Built (not discretised) models are reused: PyBaMM copies them on processing."""
    return composite_cell_model(model, cell, positive_phases, negative_phases, mechanics=mechanics)


def resolve_conditions(preset: str, *, binder=None, process=None, binder_content=None,
                       pressure=None, c_rate=None, cycles=1, temperature=None, model="DFN",
                       mechanics=True, parameters=None) -> dict:
    """Validate and complete the user's conditions with the preset's defaults.

    Raises :class:`InputError` naming the parameter, its value and what is allowed.
    """
    p = get_preset(preset)
    if process is not None and process not in bc.PROCESSES:
        raise InputError(f"process={process!r} is not one of {', '.join(bc.PROCESSES)}")
    check_consistent(p, binder, process)
    if binder is None and process is not None:
        # the preset's binder made by that process, if it has one (emley2023: dry -> ptfe)
        binder = next((n for n, b in p.binders.items() if b.process == process), None)
    binder, choice = p.binder(binder)
    process = process or choice.process
    if binder_content is None:
        binder_content = 0.0 if process == "none" else choice.content_wt_pct
    lo, hi = bc.BINDER_CONTENT_RANGE_WT_PCT
    binder_content = check_range("binder content", binder_content, lo, hi, "wt%")
    if process == "none" and binder_content != 0:
        raise InputError(f"binder content={binder_content:g} wt% must be 0 with process 'none'")
    try:
        model = check_option("model", model)
    except ValueError as e:
        raise InputError(str(e)) from None
    if isinstance(cycles, bool) or not isinstance(cycles, int):
        raise InputError(f"cycles={cycles!r} is not a whole number; allowed: 1 to {CYCLES_RANGE[1]}")
    cond = {
        "preset": p.name,
        "parameter_set": p.parameter_set,
        "model": model,
        "binder": binder,
        "process": process,
        "binder_content_wt_pct": binder_content,
        "pressure_MPa": check_range("pressure", p.pressure_MPa if pressure is None else pressure,
                                    *PRESSURE_RANGE_MPA, "MPa"),
        "c_rate": check_range("C-rate", p.c_rate if c_rate is None else c_rate, *C_RATE_RANGE, "C"),
        "temperature_C": check_range(
            "temperature", p.temperature_C if temperature is None else temperature,
            *p.temperature_range_C, "C", where=f"of parameter set {p.parameter_set}"),
        "cycles": int(check_range("cycles", cycles, *CYCLES_RANGE)),
        "mechanics": bool(mechanics),
    } | ({"parameters": check_overrides(parameters)} if parameters else {})
    if parameters:
        parameter_values(cond)  # unknown or function-valued names fail here, not mid-sweep
    return cond


def check_consistent(p, binder, process) -> None:
    """InputError naming both options when the user's binder and process contradict each
    other or the preset: a binder with process 'none' (binder-free), a process none of
    the preset's binders is made by, or a binder with another binder's process.

    The binder content is used by every preset's parameter set (it sets the electrode's
    volume fractions, coverage and conduction laws); it is ignored only without binder,
    where :func:`resolve_conditions` refuses a content other than 0.
    """
    if process is None:
        return
    made = {}
    for name, b in p.binders.items():
        made.setdefault(b.process, []).append(name)
    if process == "none" and binder is not None:
        raise InputError(f"--process none (binder-free) contradicts --binder {binder}: give one of them")
    if process != "none" and process not in made:
        listed = "; ".join(f"{k} ({', '.join(v)})" for k, v in made.items())
        raise InputError(f"--process {process}: preset {p.name!r} has no binder made by it; its processes: "
                         f"{listed}; none (binder-free)")
    if binder in p.binders and process != "none" and p.binders[binder].process != process:
        raise InputError(f"--binder {binder} is made by the {p.binders[binder].process} process, not "
                         f"--process {process}; the {process} binder of {p.name!r}: {', '.join(made[process])}")


def parameter_values(conditions: dict) -> pybamm.ParameterValues:
    """The PyBaMM parameter values of a resolved set of conditions."""
    p = get_preset(conditions["preset"])
    values = p.parameters(conditions["binder"], conditions["binder_content_wt_pct"],
                          conditions["process"], conditions["pressure_MPa"])
    T = 273.15 + conditions["temperature_C"]
    values.update({"Ambient temperature [K]": T, "Initial temperature [K]": T})
    for name, value in conditions.get("parameters", {}).items():
        if name not in values:
            raise InputError(f"parameter {name!r} is not in parameter set {p.parameter_set}")
        if callable(values[name]):
            raise InputError(f"parameter {name!r} is a function in parameter set {p.parameter_set}; "
                             "a parameter file can only set numbers")
        values[name] = value
    return pybamm.ParameterValues(values)


def simulate(preset: str, *, binder=None, process=None, binder_content=None, pressure=None,
             c_rate=None, cycles=1, temperature=None, model="DFN", mechanics=True,
             parameters=None, solver=None) -> SimulationResult:
    """Simulate a preset cell with the paper's protocol.

    Parameters
    ----------
    preset : str
        One of ``ssbsim.simulator.presets.PRESETS`` (e.g. ``"kwon2022"``).
    binder : str, optional
        A binder of the preset (default: the preset's first).
    process : {"wet", "dry", "none"}, optional
        Electrode process; ``none`` is binder-free. Default: the binder's.
    binder_content : float, optional
        Binder content [wt%], 0 ... 10. Default: the paper's.
    pressure : float, optional
        Stack pressure [MPa], 0 ... 500 (0: a pouch cell without external pressure).
    c_rate : float, optional
        C-rate of the CC steps (1C as defined in the paper). Default: the paper's.
    cycles : int
        Number of cycles, 1 ... 1000.
    temperature : float, optional
        Temperature [C], within the parameter set's range (-20 ... 80 C).
    model : {"DFN", "SPMe", "SPM"}
    mechanics : bool
        Contact loss, voids, delamination and binder mechanics (default); False gives
        the composite model with perfect contact.
    parameters : dict, optional
        Numeric PyBaMM parameters to set (e.g. fitted values; ``params_file``).
    solver : pybamm solver, optional
        Default ``pybamm.IDAKLUSolver`` with the model's ``SOLVER_TOLERANCES``.

    Returns
    -------
    SimulationResult
    """
    cond = resolve_conditions(preset, binder=binder, process=process, binder_content=binder_content,
                              pressure=pressure, c_rate=c_rate, cycles=cycles,
                              temperature=temperature, model=model, mechanics=mechanics,
                              parameters=parameters)
    return CellRunner(cond, solver=solver).run(cond)


class CellRunner:
    """One built ``pybamm.Simulation`` that solves any case of its group.

    Cases of a group share geometry, model and protocol; the parameters named in
    ``input_names`` (e.g. the stack pressure and the binder's mechanical properties)
    become ``pybamm.InputParameter`` s, so that a sweep builds and discretises once.

    Parameters
    ----------
    cond : dict
        Resolved conditions (:func:`resolve_conditions`) of any case of the group.
    input_names : iterable of str
        Parameters that vary between the group's cases.
    solver : pybamm solver, optional
    """

    def __init__(self, cond: dict, input_names=(), solver=None):
        self.preset = get_preset(cond["preset"])
        p = self.preset
        self.input_names = tuple(sorted(input_names))
        pv = parameter_values(cond)
        pv.update({name: "[input]" for name in self.input_names})
        self._pv = pv
        self.model_name = cond["model"]
        self.model = _model(cond["model"], p.cell, p.positive_phases, p.negative_phases, cond["mechanics"])
        self.experiment = experiment(p.working, cond["c_rate"], *p.window_V, cond["cycles"], p.cv_hold)
        self.user_solver = solver
        self._sims = {}

    def _simulation(self, retry=False):
        if retry not in self._sims:
            solver = self.user_solver if not retry and self.user_solver else \
                pybamm.IDAKLUSolver(**solver_tolerances(self.model_name, retry))
            # PyBaMM's default ("legacy") experiment mode, one discretised model per step.
            # Its "unified" mode (one model, step index as an input) halves the first
            # solve (Kwon DFN 1.9 -> 1.1 s) but makes every warm solve 1.4-1.8x slower
            # (measured on SPM, SPMe and DFN with mechanics), which sweeps and fits pay per case.
            self._sims[retry] = pybamm.Simulation(self.model, parameter_values=self._pv,
                                                  experiment=self.experiment, solver=solver)
        return self._sims[retry]

    def _solve(self, cond, inputs, retry=False):
        try:
            sol = self._simulation(retry).solve(inputs=inputs)
        except pybamm.SolverError as e:
            raise SimulationError(f"solve failed for {cond}: {e}") from e
        n_steps = len(self.experiment.cycles[0])
        cycles = getattr(sol, "cycles", None) or []  # EmptySolution: infeasible first step
        done = [c for c in cycles if c is not None and len(c.steps) == n_steps
                and not any(isinstance(st, pybamm.EmptySolution) for st in c.steps)]  # skipped step
        return sol, done

    def run(self, cond: dict) -> SimulationResult:
        """Solve the case ``cond`` (resolved conditions of this group)."""
        pv = parameter_values(cond)
        inputs = {name: pv[name] for name in self.input_names}
        notes = []
        sol, cycles_done = self._solve(cond, inputs)
        if len(cycles_done) < cond["cycles"] and self.user_solver is None:
            # IDA can stall where particles empty under strong polarisation: one retry
            # with tighter tolerances before reporting what completed.
            sol2, done2 = self._solve(cond, inputs, retry=True)
            if len(done2) > len(cycles_done):
                sol, cycles_done = sol2, done2
                notes.append(f"solved with tighter tolerances {solver_tolerances(cond['model'], True)} "
                             "after a solver failure")
        if not cycles_done:
            hint = "" if cond["model"] == "DFN" else (
                f"; the {cond['model']} reacts uniformly through the electrode thickness, which"
                " fails where ionic transport in the composite limits the cell (high rate or"
                " binder content): try model='DFN'")
            raise SimulationError(f"the first cycle did not complete for {cond}: "
                                  f"{getattr(sol, 'termination', 'no solution')}{hint}")
        return _result(self.preset, dict(cond), pv, sol, cycles_done, notes)


def _result(p, cond, pv, sol, cycles_done, notes) -> SimulationResult:
    """Metrics, electrode properties and series of a solved case."""
    domain = "Positive" if p.working == "cathode" or p.cell == "half" else "Negative"
    area_m2 = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    mass_g = pv[f"{domain} electrode active material mass loading [kg.m-2]"] * area_m2 * 1e3
    metrics = [cycle_metrics(c, mass_g, p.working) for c in cycles_done]
    eps = pv[f"{domain} electrode porosity"]
    tau = pv[f"{domain} electrode tortuosity factor (electrolyte)"]
    sigma_se = pv["Electrolyte conductivity [S.m-1]"](1000.0, 303.15).evaluate().item()
    theta = pv[f"{domain} electrode binder coverage"]
    series = mechanics_series(sol, pv, domain) if cond["mechanics"] else {}
    if len(metrics) < cond["cycles"]:
        notes.append(f"only {len(metrics)} of {cond['cycles']} cycles completed ({sol.termination})")
        cond["cycles_completed"] = len(metrics)
    if not cond["mechanics"]:
        notes.append("contact mechanics off: perfect contact at any pressure")
    return SimulationResult(
        conditions=cond,
        cycles=metrics,
        electrode={
            "active_mass_g": mass_g,
            "binder_coverage": theta,
            "active_area_fraction": 1.0 - theta,
            "effective_ionic_conductivity_30C_S_cm": sigma_se * eps / tau / 100.0,
            "effective_electronic_conductivity_S_cm": pv[f"{domain} electrode conductivity [S.m-1]"] / 100.0,
        } | (mechanics_summary(series) if series else {}),
        time_s=sol["Time [s]"].entries,
        current_A=sol["Current [A]"].entries,
        voltage_V=sol["Voltage [V]"].entries,
        voltage_vs_counter_V=sol["Voltage vs counter electrode [V]"].entries,
        voltage_reference="Li/Li+" if p.cell == "half" else "cell",
        series=series,
        solution=sol,
        notes=notes,
        domain=domain.lower(),
        working=p.working,
    )
