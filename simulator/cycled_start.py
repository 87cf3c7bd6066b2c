"""Fits that start from a cycled cell: N cycles of the preset's paper cycle first.

The N cycles are run by the machinery of :func:`~ssbsim.simulator.simulation.simulate`
(a :class:`~ssbsim.simulator.simulation.CellRunner` of the preset's default protocol: the
paper's cycle at the preset's C-rate, at the run's stack pressure and binder), with the
fitted parameters as PyBaMM inputs, so that the cycled state (isolated particles, voids,
stranded lithium) follows the parameters being fitted. Then:

* a measured **cycler curve** runs as one PyBaMM experiment step whose current is the
  measured current (an interpolant in the step's own time, from 0) and the parameter set's
  voltage cut-offs as its ends, continued from where the N-th cycle ended (at the end of
  its last step, without a rest); the model voltage is compared at the data's times, NaN
  after a cut-off, as from the pristine state
  (:func:`~ssbsim.simulator.cycler.model_voltage`);
* a scalar **point** (capacity, coulombic efficiency, mean voltage) is read from cycle
  N + 1 of the paper's cycle at the point's own conditions (:func:`cycle_value`).
"""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np
import pybamm

from .conditions import Conditions, parameter_values
from .errors import SimulationError, check_count
from .results import SimulationResult, cell_half_cycle
from .simulation import CellRunner
from .solving import idaklu_solver, quiet_solver

#: Cycles a fit may start after (each residual evaluation runs them all).
START_CYCLES_RANGE = (0, 100)


def check_start_cycles(cycles, option: str = "start_after_cycles") -> int:
    """``cycles`` as an int within :data:`START_CYCLES_RANGE`, else an InputError
    naming ``option``, the value and the allowed range."""
    return check_count(option, cycles, *START_CYCLES_RANGE, "cycles")


def cycle_value(result: SimulationResult, key: str, cycle: int) -> float:
    """The quantity ``key`` (a :data:`~ssbsim.simulator.fitting.QUANTITIES` result key,
    e.g. ``"discharge_capacity_mAh_g"``, ``"lithiation_capacity_mAh_g"``) of cycle
    ``cycle`` (0-based) of ``result``; NaN if that cycle did not complete."""
    if cycle >= result.cycles_completed:
        return float("nan")
    head, _, rest = key.partition("_")
    return float(getattr(result.cycles[cycle], f"{cell_half_cycle(head)}_{rest}"))


def measured_current(time_s, current_A):
    """The experiment-step value of a measured current: PyBaMM calls it with the step's
    own time, a symbol (the interpolant) or, to check it, the number 0."""
    def current(t):
        if isinstance(t, numbers.Number):
            return float(np.interp(t, time_s, current_A))
        return pybamm.Interpolant(time_s, current_A, t, name="measured current")

    return current


class CycledStart:
    """A measured curve run after ``cond.cycles`` paper cycles of the cell ``cond``.

    Parameters
    ----------
    cond : Conditions
        The run's conditions, ``cycles`` the cycles before the measured curve.
    input_names : iterable of str
        The fitted parameters (PyBaMM inputs of the cycles and of the curve).
    series : TimeSeries
        The measured curve (its current drives the model).
    solver : pybamm solver, optional
        Of the curve's step (the cycles use the runner's own); default IDAKLU at
        ssbsim's tolerances of the model.
    """

    def __init__(self, cond: Conditions, input_names, series, solver=None):
        self.cond = cond
        self.runner = CellRunner(cond, tuple(input_names))
        pv = parameter_values(cond)
        pv.update({name: "[input]" for name in self.runner.input_names})
        # the parameter set's voltage cut-offs end the step, as they end the pristine run
        # (an experiment moves the model's own cut-off events 1 V away)
        limits = [pybamm.step.VoltageTermination(pv["Upper voltage cut-off [V]"], ">"),
                  pybamm.step.VoltageTermination(pv["Lower voltage cut-off [V]"], "<")]
        step = pybamm.step.current(measured_current(series.time_s, series.current_A),
                                   duration=float(series.time_s[-1]), termination=limits)
        self.sim = pybamm.Simulation(self.runner.model, parameter_values=pv,
                                     experiment=pybamm.Experiment([step]),
                                     solver=solver or idaklu_solver(cond.model))

    def cycled(self, theta: dict) -> SimulationResult:
        """The N cycles with the parameters ``theta``; SimulationError if one stopped."""
        cond = dataclasses.replace(self.cond, parameters=dict(theta))
        result = self.runner.run(cond)
        if result.cycles_completed < cond.cycles:
            raise SimulationError(f"the {cond.cycles} cycles before the measured curve stopped after "
                                  f"{result.cycles_completed}: {'; '.join(result.notes)}")
        return result

    def solve(self, theta: dict):
        """(the cycled result, the solution of the curve's step, its time from 0 [s])."""
        cycled = self.cycled(theta)
        pv = parameter_values(dataclasses.replace(self.cond, parameters=dict(theta)))
        with quiet_solver():
            sol = self.sim.solve(inputs={name: pv[name] for name in self.runner.input_names},
                                 starting_solution=cycled.solution)
        if len(sol.cycles) <= len(cycled.solution.cycles):
            raise SimulationError(f"the measured curve did not start after the cycles ({sol.termination})")
        step = sol.cycles[-1]
        t = step["Time [s]"].entries
        return cycled, step, t - t[0]

    def voltage(self, series, theta: dict) -> np.ndarray:
        """Model voltage at the data's times; NaN after a cut-off ended the step."""
        _, step, t = self.solve(theta)
        v = np.interp(series.time_s, t, step["Voltage [V]"].entries)
        return np.where(series.time_s <= t[-1] * (1 + 1e-9) + 1e-9, v, np.nan)
