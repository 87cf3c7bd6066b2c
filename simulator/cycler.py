"""Cycler time series (time, current, voltage) from CSV, and the model run under them.

Column names and units are mapped by options; the data are converted to SI with
PyBaMM's sign (current > 0 on discharge). Checks name the file, line and column: a
missing column, an unknown unit, a value that is not a number, a time column that does
not increase. The model is run with the measured current as an interpolated current
function from the pristine state of the preset's cell, and its voltage is compared at
the data's times (:func:`model_voltage`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pybamm

from .errors import InputError, parse_number

TIME_UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0}
CURRENT_UNITS = {"A": 1.0, "mA": 1e-3}
VOLTAGE_UNITS = {"V": 1.0, "mV": 1e-3}


@dataclass(frozen=True)
class TimeSeries:
    """A measured curve in SI units: time [s] from 0, current [A] (> 0 discharge), voltage [V]."""

    time_s: np.ndarray
    current_A: np.ndarray
    voltage_V: np.ndarray
    source: str


def load_cycler_csv(path, time="time", current="current", voltage="voltage", time_unit="s",
                    current_unit="A", voltage_unit="V", charge_positive=False) -> TimeSeries:
    """Read a cycler CSV; ``charge_positive`` flips cyclers that count charge as positive."""
    path = Path(path)
    for option, unit, allowed in (("time unit", time_unit, TIME_UNITS), ("current unit", current_unit,
                                  CURRENT_UNITS), ("voltage unit", voltage_unit, VOLTAGE_UNITS)):
        if unit not in allowed:
            raise InputError(f"{option}={unit!r} is not one of {', '.join(allowed)}")
    if not path.exists():
        raise InputError(f"cycler file {path} does not exist")
    cols = {"time": time, "current": current, "voltage": voltage}
    data = {k: [] for k in cols}
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in cols.values() if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(map(repr, missing))} "
                             f"(columns found: {', '.join(reader.fieldnames or [])})")
        for line, row in enumerate(reader, start=2):
            for key, col in cols.items():
                x = parse_number(row[col], f"{path}, line {line}", col)
                if key == "time" and data["time"] and x <= data["time"][-1]:
                    raise InputError(f"{path}, line {line}, column {col!r}: time {x} does not increase "
                                     f"(previous {data['time'][-1]})")
                data[key].append(x)
    if len(data["time"]) < 2:
        raise InputError(f"{path}: needs at least two rows of data")
    t = np.array(data["time"]) * TIME_UNITS[time_unit]
    sign = -1.0 if charge_positive else 1.0
    return TimeSeries(t - t[0], sign * np.array(data["current"]) * CURRENT_UNITS[current_unit],
                      np.array(data["voltage"]) * VOLTAGE_UNITS[voltage_unit], str(path))


def current_driven_simulation(model, parameter_values, series: TimeSeries, input_names=(), solver=None):
    """A ``pybamm.Simulation`` driven by the measured current (interpolated); ``solver``
    defaults to ``pybamm.IDAKLUSolver()``."""
    pv = parameter_values.copy()
    pv["Current function [A]"] = pybamm.Interpolant(series.time_s, series.current_A, pybamm.t,
                                                    name="measured current")
    pv.update({name: "[input]" for name in input_names})
    return pybamm.Simulation(model, parameter_values=pv, solver=solver or pybamm.IDAKLUSolver())


def model_voltage(sim, series: TimeSeries, inputs=None) -> np.ndarray:
    """Model voltage at the data's times; NaN after a cut-off event ended the solve."""
    sol = sim.solve([0.0, float(series.time_s[-1])], t_interp=series.time_s, inputs=inputs or {})
    v = np.full(series.time_s.shape, np.nan)
    t = sol["Time [s]"].entries
    v[: len(t)] = np.interp(series.time_s[: len(t)], t, sol["Voltage [V]"].entries)
    return v
