"""What a fit is given: the parameters to fit (:class:`FitParameter`) and measured
scalar points (:class:`DataPoint`, read by :func:`load_points` from a CSV in the layout of
``tests/data/calibration_points.csv``). :mod:`ssbsim.simulator.fitting` fits them.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, parse_number
from .files import read_text

#: quantity in the data file -> (result key, unit the data must use)
QUANTITIES = {
    "discharge_capacity": ("discharge_capacity_mAh_g", {"mAh/g", "mAh/g_NCM", "mAh/g_AM", "mAh/g_SiC"}),
    "charge_capacity": ("charge_capacity_mAh_g", {"mAh/g", "mAh/g_NCM", "mAh/g_AM", "mAh/g_SiC"}),
    # the working electrode's half-cycles by name (anode papers report the delithiation)
    "lithiation_capacity": ("lithiation_capacity_mAh_g", {"mAh/g", "mAh/g_NCM", "mAh/g_AM", "mAh/g_SiC"}),
    "delithiation_capacity": ("delithiation_capacity_mAh_g", {"mAh/g", "mAh/g_NCM", "mAh/g_AM", "mAh/g_SiC"}),
    "coulombic_efficiency": ("coulombic_efficiency", {"-", "1"}),
    "average_discharge_voltage": ("average_discharge_voltage_V", {"V"}),
}
#: data-file column -> simulate() keyword
CONDITION_COLUMNS = {"binder": "binder", "process": "process", "binder_wt_pct": "binder_content",
                     "stack_pressure_MPa": "pressure", "c_rate": "c_rate", "temperature_C": "temperature"}
#: condition columns every fitted row must state: a capacity depends on each, and the
#: preset's default in their place would be a silent guess (binder, process and binder
#: content may be left out: the preset's binder is then the one of the data).
REQUIRED_CONDITIONS = ("stack_pressure_MPa", "c_rate", "temperature_C")
#: the cycles a row's optional ``cycle`` column may name (1: the first cycle the model runs
#: from the pristine cell); up to one after the most cycles a fit may start after
#: (:data:`~ssbsim.simulator.cycled_start.START_CYCLES_RANGE`), as each evaluation runs them all
CYCLE_RANGE = (1, 101)


@dataclass(frozen=True)
class FitParameter:
    """A numeric PyBaMM parameter to fit, within [lower, upper], optionally in log10."""

    name: str
    lower: float
    upper: float
    log: bool = False
    initial: float | None = None

    def __post_init__(self):
        if not (math.isfinite(self.lower) and math.isfinite(self.upper)):
            raise InputError(f"parameter {self.name!r}: bounds [{self.lower}, {self.upper}] must be finite numbers")
        if not self.lower < self.upper:
            raise InputError(f"parameter {self.name!r}: bounds [{self.lower}, {self.upper}] are not increasing")
        if self.log and self.lower <= 0:
            raise InputError(f"parameter {self.name!r}: log scaling needs positive bounds, got {self.lower}")
        if self.initial is not None and not self.lower <= self.initial <= self.upper:
            raise InputError(f"parameter {self.name!r}: initial {self.initial} is outside "
                             f"[{self.lower}, {self.upper}]")

    def to_u(self, x):
        return math.log10(x) if self.log else x

    def from_u(self, u):
        return 10.0 ** u if self.log else u

    @classmethod
    def parse(cls, spec: str) -> "FitParameter":
        """``"NAME:LOWER:UPPER[:log][:INITIAL]"`` (the CLI's --param; NAME may contain ':')."""
        parts, tail = spec.split(":"), []
        while parts and len(tail) < 4 and (_isparse_number(parts[-1]) or parts[-1] == "log"):
            tail.insert(0, parts.pop())
        log = "log" in tail
        numbers = [float(t) for t in tail if t != "log"]
        if not parts or len(numbers) not in (2, 3) or (log and tail.index("log") != 2):
            raise InputError(f"--param {spec!r} must be NAME:LOWER:UPPER[:log][:INITIAL]")
        return cls(":".join(parts), numbers[0], numbers[1], log, numbers[2] if len(numbers) == 3 else None)


def _isparse_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class DataPoint:
    conditions: dict  # simulate() keywords
    quantity: str
    value: float
    sigma: float
    where: str  # "file, line N"
    cycle: int | None = None  # 1-based cycle the value was measured in; None: the fit's own cycle


def load_points(path, source: str | None = None, binder_aliases: dict | None = None,
                skipped: dict | None = None) -> list[DataPoint]:
    """Scalar points from a CSV in the calibration-points layout.

    Required columns: ``quantity``, ``value``, ``unit`` and the run conditions
    :data:`REQUIRED_CONDITIONS` (filled in every fitted row); optional: ``uncertainty``
    (default 1 in the data's unit), ``source`` (filtered by ``source``), ``cycle`` (the
    1-based cycle of the value, within :data:`CYCLE_RANGE`; empty or absent: the cycle the
    fit compares, the first or the one after ``--start-after-cycles``) and the other
    condition columns (:data:`CONDITION_COLUMNS`). Rows of other quantities (porosity,
    retention, ...) are skipped and counted by quantity into ``skipped`` if given; a
    quantity that looks like a misspelt fitted one (``dischrage_capacity``) is refused with
    the closest name. Errors name the file, line and column. The file must be UTF-8 text.
    """
    path = Path(path)
    aliases = binder_aliases or {}
    with io.StringIO(read_text(path, "data file"), newline="") as fh:
        reader = csv.DictReader(fh)
        needed = ("quantity", "value", "unit", *REQUIRED_CONDITIONS)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)} (needed: {', '.join(needed)})")
        rows = [(line, row) for line, row in enumerate(reader, start=2) if not source or row.get("source") == source]
        from_zero = _counts_from_zero(rows)
        points = []
        for line, row in rows:
            where = f"{path}, line {line}"
            if row["quantity"] not in QUANTITIES:
                _check_unfitted_quantity(row["quantity"], where)
                if skipped is not None:
                    skipped[row["quantity"]] = skipped.get(row["quantity"], 0) + 1
                continue
            _, units = QUANTITIES[row["quantity"]]
            if row["unit"] not in units:
                raise InputError(f"{where}, column 'unit': {row['unit']!r} for {row['quantity']} "
                                 f"(expected one of {', '.join(sorted(units))})")
            value = parse_number(row["value"], where, "value")
            sigma = parse_number(row.get("uncertainty") or "1", where, "uncertainty")
            if sigma <= 0:
                raise InputError(f"{where}, column 'uncertainty': {sigma} must be positive")
            for col in REQUIRED_CONDITIONS:
                if not (row.get(col) or "").strip():
                    raise InputError(f"{where}, column {col!r} is empty: each fitted row must give its "
                                     f"{col} (no default is assumed)")
            cond = {}
            for col, kw in CONDITION_COLUMNS.items():
                if row.get(col):
                    cond[kw] = aliases.get(row[col], row[col]) if col in ("binder",) else (
                        row[col] if col == "process" else parse_number(row[col], where, col))
            cycle = _parse_cycle(row.get("cycle"), where, row.get("source") in from_zero)
            points.append(DataPoint(cond, row["quantity"], value, sigma, where, cycle))
    if not points:
        raise InputError(f"{path}: no rows with a supported quantity ({', '.join(QUANTITIES)})"
                         + (f" for source {source!r}" if source else ""))
    return points


def _check_unfitted_quantity(quantity: str, where: str):
    """InputError if ``quantity`` looks like a misspelling of a fitted quantity (a row the
    user meant to fit would otherwise be dropped); other quantities pass (to be skipped)."""
    norm = quantity.strip().lower().replace(" ", "_").replace("-", "_")
    close = [norm] if norm in QUANTITIES else difflib.get_close_matches(norm, QUANTITIES, n=1, cutoff=0.88)
    if close:
        raise InputError(f"{where}, column 'quantity': {quantity!r} is not a quantity the fit reads; "
                         f"did you mean {close[0]!r}? (allowed: {', '.join(QUANTITIES)})")


def _counts_from_zero(rows) -> set:
    """The sources (``source`` column; None without it) whose rows number their cycles
    from 0: a paper that counts its first (preconditioning) cycle as cycle 0 (Jo 2024 in
    the calibration points) counts every cycle one lower than the model, whose first
    cycle from the pristine cell is 1."""
    def is_zero(text):
        try:
            return float(text) == 0.0
        except (TypeError, ValueError):  # an empty or bad cell: _parse_cycle says so for its row
            return False

    return {row.get("source") for _, row in rows if is_zero(row.get("cycle"))}


def _parse_cycle(text, where: str, from_zero: bool = False) -> int | None:
    """The row's ``cycle`` cell as the model's 1-based cycle within :data:`CYCLE_RANGE`
    (``from_zero``: the row's source counts from 0, :func:`_counts_from_zero`), None if empty."""
    if text is None or not text.strip():
        return None
    x = parse_number(text, where, "cycle") + from_zero
    lo, hi = CYCLE_RANGE
    if x != int(x) or not lo <= x <= hi:
        first = 1 - from_zero
        raise InputError(f"{where}, column 'cycle': {text.strip()!r} is not a whole number from {first} to "
                         f"{hi - from_zero} ({first}: the first cycle run from the pristine cell, as its source "
                         f"counts{' from 0' if from_zero else ''})")
    return int(x)
