"""Cycler time series (time, current, voltage) from CSV, and the model run under them.

Column names and units are mapped by options; the data are converted to SI with
PyBaMM's sign (current > 0 on discharge). Checks name the file, line and column: a
missing column, an unknown unit, a value that is not a number, a time column that does
not increase, a file that is not UTF-8 text, and a channel whose magnitude does not fit
its declared unit (:func:`check_plausible`: a voltage in mV declared as V, a current in
mA declared as A). The model is run with the measured current as an interpolated current
function from the pristine state of the preset's cell, and its voltage is compared at
the data's times (:func:`model_voltage`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pybamm

from .errors import InputError, parse_number
from .files import read_text

TIME_UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0}
CURRENT_UNITS = {"A": 1.0, "mA": 1e-3}
VOLTAGE_UNITS = {"V": 1.0, "mV": 1e-3}
#: plausible |voltage| of a lithium cell or half cell [V]: its largest value lies above
#: 50 mV (every preset's window ends above 1.5 V) and no value exceeds 10 V.
VOLTAGE_BOUNDS_V = (0.05, 10.0)
#: plausible largest |current| as C-rates of the cell's nominal capacity: above C/1000
#: (a 1000 h half-cycle) and at most 20C (beyond any sulfide cell's rate capability).
CURRENT_BOUNDS_C = (1e-3, 20.0)


@dataclass(frozen=True)
class TimeSeries:
    """A measured curve in SI units: time [s] from 0, current [A] (> 0 discharge), voltage [V]."""

    time_s: np.ndarray
    current_A: np.ndarray
    voltage_V: np.ndarray
    source: str


def load_cycler_csv(path, time="time", current="current", voltage="voltage", time_unit="s",
                    current_unit="A", voltage_unit="V", charge_positive=False,
                    capacity_Ah: float | None = None) -> TimeSeries:
    """Read a cycler CSV; ``charge_positive`` flips cyclers that count charge as positive.

    The channels are checked against their declared units (:func:`check_plausible`);
    the current only if the cell's nominal capacity ``capacity_Ah`` is given.
    """
    check_units(time_unit, current_unit, voltage_unit)
    data = read_csv_columns(path, {"time": time, "current": current, "voltage": voltage}, increasing="time")
    return series_from_columns(path, data, (time, current, voltage), (time_unit, current_unit, voltage_unit),
                               charge_positive, capacity_Ah)


def check_units(time_unit: str, current_unit: str, voltage_unit: str) -> None:
    """InputError for a unit of a cycler channel that is not one of the allowed."""
    for option, unit, allowed in (("time unit", time_unit, TIME_UNITS), ("current unit", current_unit,
                                  CURRENT_UNITS), ("voltage unit", voltage_unit, VOLTAGE_UNITS)):
        if unit not in allowed:
            raise InputError(f"{option}={unit!r} is not one of {', '.join(allowed)}")


def read_csv_columns(path, columns: dict, increasing: str | None = None) -> dict:
    """{key: [numbers]} of a CSV's ``columns`` ({key: header}), the file read once.

    One-line errors name the file for a missing column, a cell that is not a number, and
    (``increasing``: a key) a value that does not increase."""
    path = Path(path)
    data = {k: [] for k in columns}
    with io.StringIO(read_text(path, "cycler file"), newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns.values() if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(map(repr, missing))} "
                             f"(columns found: {', '.join(reader.fieldnames or [])})")
        for line, row in enumerate(reader, start=2):
            for key, col in columns.items():
                x = parse_number(row[col], f"{path}, line {line}", col)
                if key == increasing and data[key] and x <= data[key][-1]:
                    raise InputError(f"{path}, line {line}, column {col!r}: time {x} does not increase "
                                     f"(previous {data[key][-1]})")
                data[key].append(x)
    return data


def series_from_columns(path, data: dict, names, units, charge_positive=False,
                        capacity_Ah: float | None = None) -> TimeSeries:
    """The :class:`TimeSeries` of ``data``'s "time", "current" and "voltage" lists
    (:func:`read_csv_columns`) in SI, time from 0; ``names`` and ``units`` are the
    columns' headers and declared units (checked by :func:`check_plausible`)."""
    (_, current, voltage), (time_unit, current_unit, voltage_unit) = names, units
    if len(data["time"]) < 2:
        raise InputError(f"{path}: needs at least two rows of data")
    t = np.array(data["time"]) * TIME_UNITS[time_unit]
    sign = -1.0 if charge_positive else 1.0
    ts = TimeSeries(t - t[0], sign * np.array(data["current"]) * CURRENT_UNITS[current_unit],
                    np.array(data["voltage"]) * VOLTAGE_UNITS[voltage_unit], str(path))
    check_plausible(ts, (current, current_unit), (voltage, voltage_unit), capacity_Ah)
    return ts


def check_plausible(ts: TimeSeries, current=("current", "A"), voltage=("voltage", "V"),
                    capacity_Ah: float | None = None, unit_hints: bool = True):
    """InputError naming file, column, unit and the observed range if the voltage's
    largest magnitude is outside :data:`VOLTAGE_BOUNDS_V`, or (given the nominal
    capacity) the current's outside :data:`CURRENT_BOUNDS_C` times 1C. ``unit_hints``:
    suggest the ``--cycler-units`` a CSV may have been read with (not for vendor files,
    whose units the reader takes from the file)."""
    def refuse(col, unit, values, scale, lo, hi, si, context, unit_hint):
        raw = values / scale
        how = "declared in" if unit_hints else "read as"
        raise InputError(f"{ts.source}, column {col!r} {how} {unit}: values {raw.min():.4g} to "
                         f"{raw.max():.4g} {unit} ({abs(values).max():.3g} {si} at most) are implausible "
                         f"(expected a largest magnitude of {lo:.3g} to {hi:.3g} {si}){context}"
                         + (unit_hint if unit_hints else ""))

    col, unit = voltage
    vmax, (lo, hi) = float(np.max(np.abs(ts.voltage_V))), VOLTAGE_BOUNDS_V
    if not lo <= vmax <= hi:
        refuse(col, unit, ts.voltage_V, VOLTAGE_UNITS[unit], lo, hi, "V", "",
               ": is it in mV? (--cycler-units ...,mV)" if vmax > hi else ": is it in V, not mV?")
    if capacity_Ah:
        col, unit = current
        imax = float(np.max(np.abs(ts.current_A)))
        lo, hi = (c * capacity_Ah for c in CURRENT_BOUNDS_C)
        if not lo <= imax <= hi:
            refuse(col, unit, ts.current_A, CURRENT_UNITS[unit], lo, hi, "A",
                   f" for a cell of {capacity_Ah * 1e3:.3g} mAh (C/1000 to 20C)",
                   ": is it in mA? (--cycler-units ...,mA,...)" if imax > hi else ": is it in A, not mA?")


#: How far beyond the parameter set's voltage cut-offs a measured-current run may go [V],
#: as PyBaMM's experiments widen theirs: a measured CV hold sits at the cut-off, and a model
#: that touches it there would end the solve and leave the rest of the curve unfitted.
CUTOFF_MARGIN_V = 1.0


def current_driven_simulation(model, parameter_values, series: TimeSeries, input_names=(), solver=None):
    """A ``pybamm.Simulation`` driven by the measured current (interpolated), with the
    voltage cut-offs :data:`CUTOFF_MARGIN_V` beyond the parameter set's; ``solver``
    defaults to ``pybamm.IDAKLUSolver()``."""
    pv = parameter_values.copy()
    pv.update({"Lower voltage cut-off [V]": pv["Lower voltage cut-off [V]"] - CUTOFF_MARGIN_V,
               "Upper voltage cut-off [V]": pv["Upper voltage cut-off [V]"] + CUTOFF_MARGIN_V})
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
