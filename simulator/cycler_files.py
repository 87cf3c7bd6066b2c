"""Cycler files in: BioLogic .mpr / .mpt, Neware .nda / .ndax, Arbin .res and CSV, as one tidy table.

The binary and vendor-text formats are read by maintained libraries, imported only
when such a file is read (``pip install ssbsim[cycler]``):

* BioLogic EC-Lab ``.mpr`` (binary) and ``.mpt`` (text export): ``galvani``
  (echemdata/galvani, GPL-3.0-or-later). EC-Lab writes ``.mpt`` with CRLF line ends;
  a file whose line ends were changed to LF (e.g. by git) is read all the same.
* Neware ``.nda`` / ``.ndax``: ``NewareNDA`` (Solid-Energy-Systems/NewareNDA, BSD-3).
* Arbin ``.res`` (MITS Pro; a Jet-4 Microsoft Access database): ``access-parser``
  (ClarotyICS/access_parser, Apache-2.0, pure Python; no ``mdbtools`` program needed).
  Its ``Channel_Normal_Table`` (``Test_Time`` [s], ``Current`` [A], ``Voltage`` [V],
  ``Cycle_Index``, ``Step_Index``) is taken in ``Data_Point`` order (the database
  stores rows in page order); a table holding fewer rows than its definition declares
  is a truncated or corrupt file. A file of several tests is refused.
* CSV: :func:`ssbsim.simulator.cycler.load_cycler_csv` (named columns and units).

The tidy table (:class:`CyclerData`) has time [s] from the first record, current [A],
voltage [V], cycle and step numbers (from 1) and, if a pressure channel is named,
stack pressure [MPa].

Sign convention: **current > 0 discharges the cell** (PyBaMM's convention: in a half
cell with the composite as working electrode, > 0 lithiates a cathode or an anode).
BioLogic, Neware and Arbin count oxidation of the working electrode (charge of a cathode)
as positive, so their currents are negated.

Time may repeat only where a step ends and the next begins (Neware stores both
records at one instant); time that decreases is an error naming the file and row.
Nothing here evaluates or unpickles a file.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import InputError

SIGN_CONVENTION = "current_A > 0 on discharge (PyBaMM); BioLogic/Neware/Arbin charge-positive currents negated"
#: Pressure units a pressure channel may be declared in, as MPa per unit.
PRESSURE_UNITS = {"MPa": 1.0, "kPa": 1e-3, "bar": 0.1, "psi": 6.894757e-3, "N/mm2": 1.0}
FORMATS = {".mpr": "BioLogic .mpr", ".mpt": "BioLogic .mpt", ".nda": "Neware .nda",
           ".ndax": "Neware .ndax", ".res": "Arbin .res", ".csv": "CSV"}
#: Suffixes read by a vendor reader; anything else given to a fit is CSV.
VENDOR_SUFFIXES = (".mpr", ".mpt", ".nda", ".ndax", ".res")
_MAGIC = {".mpr": (b"BIO-LOGIC MODULAR FILE",), ".mpt": (b"EC-Lab ASCII FILE", b"BT-Lab ASCII FILE"),
          ".nda": (b"NEWARE",), ".ndax": (b"PK\x03\x04",), ".res": (b"\x00\x01\x00\x00Standard Jet DB",)}


@dataclass(frozen=True)
class CyclerData:
    """A cycler run as a tidy table (SI units; current > 0 on discharge)."""

    time_s: np.ndarray
    current_A: np.ndarray
    voltage_V: np.ndarray
    cycle: np.ndarray  # int, from 1
    step: np.ndarray  # int, from 1: a running count of the protocol's steps
    source: str
    format: str
    columns: dict = field(default_factory=dict)  # tidy name -> the file's column
    pressure_MPa: np.ndarray | None = None

    def __len__(self):
        return len(self.time_s)

    def capacities_mAh(self) -> list[dict]:
        """Charge and discharge capacity of each cycle [mAh]: the trapezoidal integral of
        the current within each step (a step change is never integrated across),

        .. math:: Q_{dis} = \\int \\max(I, 0)\\, dt,\\quad Q_{ch} = \\int \\max(-I, 0)\\, dt
        """
        out = []
        for c in np.unique(self.cycle):
            q = {"charge": 0.0, "discharge": 0.0}
            for s in np.unique(self.step[self.cycle == c]):
                m = (self.cycle == c) & (self.step == s)
                t, i = self.time_s[m], self.current_A[m]
                q["discharge"] += float(np.trapezoid(np.clip(i, 0, None), t))
                q["charge"] += float(np.trapezoid(np.clip(-i, 0, None), t))
            out.append({"cycle": int(c), "charge_mAh": q["charge"] / 3.6, "discharge_mAh": q["discharge"] / 3.6})
        return out

    def to_timeseries(self):
        """The (time, current, voltage) series of :mod:`ssbsim.simulator.cycler` for a fit:
        of records sharing one instant (a step boundary) the later one is kept."""
        from .cycler import TimeSeries

        keep = np.append(np.diff(self.time_s) > 0, True)
        return TimeSeries(self.time_s[keep], self.current_A[keep], self.voltage_V[keep], self.source)

    def summary(self) -> dict:
        """What was read: rows, duration, columns mapped, cycles and their capacities."""
        return {
            "file": self.source, "format": self.format, "rows": len(self),
            "duration_h": float(self.time_s[-1] / 3600.0),
            "columns": dict(self.columns), "sign_convention": SIGN_CONVENTION,
            "cycles": int(len(np.unique(self.cycle))), "steps": int(len(np.unique(self.step))),
            "voltage_range_V": [float(self.voltage_V.min()), float(self.voltage_V.max())],
            "current_range_A": [float(self.current_A.min()), float(self.current_A.max())],
            "pressure_range_MPa": None if self.pressure_MPa is None else
            [float(np.nanmin(self.pressure_MPa)), float(np.nanmax(self.pressure_MPa))],
            "capacities": self.capacities_mAh(),
        }


def read_cycler_file(path, *, pressure_column: str | None = None, pressure_unit: str = "MPa",
                     csv_columns=("time", "current", "voltage"), csv_units=("s", "A", "V"),
                     charge_positive: bool = False, cycle_column: str | None = None,
                     step_column: str | None = None) -> CyclerData:
    """Read a cycler file into a :class:`CyclerData`, the format chosen by its suffix.

    Parameters
    ----------
    path : path of a ``.mpr``, ``.mpt``, ``.nda``, ``.ndax``, ``.res`` or ``.csv`` file.
    pressure_column, pressure_unit : a channel holding the stack pressure and its unit
        (one of :data:`PRESSURE_UNITS`), e.g. a BioLogic ``"Analog IN 1/V"`` already
        scaled by the cycler.
    csv_columns, csv_units, charge_positive, cycle_column, step_column : CSV only: the
        time, current and voltage columns, their units, whether the cycler counts
        charge as positive, and optional cycle / step columns.

    Raises
    ------
    InputError
        In one line naming the file and what is wrong: missing, unknown suffix, contents
        of another format, truncated, a missing channel, time that decreases.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"cycler file {path}: unknown format {path.suffix or '(no suffix)'!r}; "
                         f"allowed: {', '.join(FORMATS)}")
    if not path.exists():
        raise InputError(f"cycler file {path} does not exist")
    if path.is_dir():
        raise InputError(f"cycler file {path} is a folder, not a file")
    if pressure_unit not in PRESSURE_UNITS:
        raise InputError(f"pressure unit={pressure_unit!r} is not one of {', '.join(PRESSURE_UNITS)}")
    if suffix == ".csv":
        return _read_csv(path, csv_columns, csv_units, charge_positive, cycle_column, step_column,
                         pressure_column, pressure_unit)
    with open(path, "rb") as fh:
        head = fh.read(32)
    if not any(head.startswith(m) for m in _MAGIC[suffix]):
        article = "an" if FORMATS[suffix][0] in "AEIOU" else "a"
        raise InputError(f"cycler file {path} is not {article} {FORMATS[suffix]} file (it starts with "
                         f"{head[:20]!r}); check the suffix")
    reader = {".mpr": _biologic, ".mpt": _biologic, ".nda": _neware, ".ndax": _neware, ".res": _arbin}[suffix]
    table, columns = reader(path, suffix)
    return _tidy(path, FORMATS[suffix], table, columns, pressure_column, pressure_unit)


def _need(module: str, path):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"cycler file {path}: reading it needs the Python package {module!r} "
                         "(pip install 'ssbsim[cycler]')") from None


def _corrupt(path, kind, e) -> InputError:
    why = " ".join(str(e).split())[:160]
    return InputError(f"cycler file {path} cannot be read as {kind} (truncated or corrupt?): "
                      f"{type(e).__name__}: {why}")


def _biologic(path, suffix):
    """galvani's record array as {column: array}; the columns mapped onto the tidy table."""
    BioLogic = _need("galvani.BioLogic", path)
    raw = path.read_bytes()
    try:
        if suffix == ".mpr":
            data = BioLogic.MPRfile(io.BytesIO(raw)).data
        else:  # galvani expects EC-Lab's CRLF line ends
            raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            data, _ = BioLogic.MPTfile(io.BytesIO(raw), encoding="latin-1")
    except Exception as e:  # any failure of the third-party parser is a bad file to the user
        raise _corrupt(path, FORMATS[suffix], e) from None
    table = {name: np.asarray(data[name]) for name in data.dtype.names}
    current = next((c for c in ("I/mA", "<I>/mA", "control/mA", "control/V/mA") if c in table), None)
    cols = {"time": "time/s", "voltage": "Ewe/V", "current": current}
    if current is not None:
        table[current] = -1e-3 * table[current]  # mA, charge > 0 -> A, discharge > 0
    if "cycle number" in table:
        cols["cycle"] = "cycle number"
    elif "half cycle" in table:
        table["cycle (from half cycle)"] = table["half cycle"] // 2
        cols["cycle"] = "cycle (from half cycle)"
    cols["step"] = "Ns" if "Ns" in table else None
    return table, cols


def _neware(path, suffix):
    NewareNDA = _need("NewareNDA", path)
    logging.getLogger("NewareNDA").setLevel(logging.CRITICAL)
    try:
        df = NewareNDA.read(str(path), log_level="CRITICAL")
    except Exception as e:
        raise _corrupt(path, FORMATS[suffix], e) from None
    table = {c: df[c].to_numpy() for c in df.columns if df[c].dtype.kind in "biuf"}
    if not {"Time", "Step"} <= table.keys():
        return table, {"time": None}
    # NewareNDA's "Time" restarts at 0 in each step: add the durations of the steps before
    t, step = table["Time"].astype(float), table["Step"]
    start = np.flatnonzero(np.r_[True, step[1:] != step[:-1]])
    offset = np.zeros_like(t)
    for k in range(1, len(start)):
        offset[start[k]:] += t[start[k] - 1]
    table["test time (from step Time)"] = t + offset
    if "Current(mA)" in table:
        table["Current(mA)"] = -1e-3 * table["Current(mA)"]
    cols = {"time": "test time (from step Time)", "voltage": "Voltage" if "Voltage" in table else None,
            "current": "Current(mA)" if "Current(mA)" in table else None, "cycle": "Cycle", "step": "Step"}
    return table, cols


def _arbin(path, suffix):
    """Arbin's ``Channel_Normal_Table`` through access-parser, in ``Data_Point`` order."""
    AccessParser = _need("access_parser", path).AccessParser
    logging.getLogger("access_parser").setLevel(logging.CRITICAL)  # damage is checked below
    name = "Channel_Normal_Table"
    try:
        db = AccessParser(str(path))
        access = db.get_table(name) if name in db.catalog else None
        if access is not None:
            declared, raw = access.table_header.number_of_rows, access.parse()
    except Exception as e:
        raise _corrupt(path, FORMATS[suffix], e) from None
    if access is None:
        raise InputError(f"cycler file {path} is an Access database without Arbin's {name} "
                         f"(tables: {', '.join(sorted(db.catalog)) or 'none'}); not an Arbin .res, or truncated")
    table = {c: np.asarray(v) for c, v in raw.items() if isinstance(v, list)}
    table = {c: v for c, v in table.items() if v.dtype.kind in "biuf"}
    n = len(next(iter(table.values()), []))
    if n != declared:
        raise InputError(f"cycler file {path} cannot be read as {FORMATS[suffix]} (truncated or corrupt?): "
                         f"{name} holds {n} of the {declared} records it declares")
    tests = np.unique(table.get("Test_ID", [1]))
    if len(tests) > 1:
        raise InputError(f"cycler file {path} holds {len(tests)} Arbin tests (Test_ID {tests.tolist()}); "
                         "export each test on its own")
    if "Data_Point" in table:
        order = np.argsort(table["Data_Point"], kind="stable")
        table = {c: v[order] for c, v in table.items()}
    if "Current" in table:
        table["Current"] = -table["Current"]  # A, charge > 0 -> discharge > 0
    cols = {k: c if c in table else None for k, c in (("time", "Test_Time"), ("current", "Current"),
                                                     ("voltage", "Voltage"), ("cycle", "Cycle_Index"),
                                                     ("step", "Step_Index"))}
    return table, cols


def _tidy(path, kind, table, cols, pressure_column, pressure_unit) -> CyclerData:
    for channel in ("time", "current", "voltage"):
        if cols.get(channel) is None:
            raise InputError(f"cycler file {path} ({kind}) has no {channel} channel; columns found: "
                             f"{', '.join(table) or 'none'}")
    n = len(table[cols["time"]])
    if n < 2:
        raise InputError(f"cycler file {path} ({kind}) holds {n} record(s); at least two are needed")
    t = np.asarray(table[cols["time"]], float)
    step = _running_count(table[cols["step"]]) if cols.get("step") else np.ones(n, int)
    cycle = (_from_one(table[cols["cycle"]]) if cols.get("cycle") else np.ones(n, int))
    mapped = {k: v for k, v in cols.items() if v}
    pressure = None
    if pressure_column is not None:
        if pressure_column not in table:
            raise InputError(f"cycler file {path} ({kind}) has no pressure column {pressure_column!r}; "
                             f"columns found: {', '.join(table)}")
        pressure = np.asarray(table[pressure_column], float) * PRESSURE_UNITS[pressure_unit]
        mapped["pressure"] = f"{pressure_column} [{pressure_unit}]"
    check_time(t, step, path)
    current, voltage = (np.asarray(table[cols[c]], float) for c in ("current", "voltage"))
    for name, x in (("current", current), ("voltage", voltage)):
        bad = np.flatnonzero(~np.isfinite(x))
        if bad.size:
            raise InputError(f"cycler file {path}, record {bad[0] + 1}: {name} is not finite")
    return CyclerData(t - t[0], current, voltage, cycle, step, str(path), kind, mapped, pressure)


def check_time(t, step, path):
    """InputError naming the record where time decreases, or repeats within a step."""
    dt = np.diff(t)
    bad = np.flatnonzero((dt < 0) | ((dt == 0) & (step[1:] == step[:-1])) | ~np.isfinite(dt))
    if bad.size:
        k = bad[0] + 1
        raise InputError(f"cycler file {path}, record {k + 1}: time {t[k]:g} s does not increase "
                         f"(previous {t[k - 1]:g} s); time must increase within a step")


def _running_count(x) -> np.ndarray:
    """1, 2, ... incremented wherever ``x`` changes (a step index that loops counts on)."""
    x = np.asarray(x)
    return 1 + np.r_[0, np.cumsum(x[1:] != x[:-1])]


def _from_one(x) -> np.ndarray:
    x = np.asarray(x).astype(int)
    return x - x.min() + 1


def _read_csv(path, columns, units, charge_positive, cycle_column, step_column, pressure_column,
              pressure_unit) -> CyclerData:
    """CSV through :func:`cycler.read_csv_columns` (the file read once): the channels of
    :func:`cycler.load_cycler_csv` and the optional cycle/step/pressure columns."""
    from .cycler import check_units, read_csv_columns, series_from_columns

    check_units(*units)
    extra = {k: c for k, c in (("cycle", cycle_column), ("step", step_column),
                               ("pressure", pressure_column)) if c}
    mapped = dict(zip(("time", "current", "voltage"), columns)) | extra
    values = read_csv_columns(path, mapped, increasing="time")
    ts = series_from_columns(path, values, columns, units, charge_positive)
    n = len(ts.time_s)
    pressure = (np.array(values["pressure"]) * PRESSURE_UNITS[pressure_unit]) if "pressure" in extra else None
    return CyclerData(ts.time_s, ts.current_A, ts.voltage_V,
                      _from_one(values["cycle"]) if "cycle" in extra else np.ones(n, int),
                      _running_count(values["step"]) if "step" in extra else np.ones(n, int),
                      str(path), "CSV", mapped, pressure)


def load_series(path, columns=("time", "current", "voltage"), units=("s", "A", "V"),
                charge_positive=False, capacity_Ah: float | None = None):
    """A cycler file of any supported format as the (time, current, voltage)
    :class:`~ssbsim.simulator.cycler.TimeSeries` a fit compares with: CSV through
    :func:`~ssbsim.simulator.cycler.load_cycler_csv` (``columns``, ``units``,
    ``charge_positive``), vendor files through :func:`read_cycler_file`; the channels
    are checked against the cell's nominal capacity ``capacity_Ah``
    (:func:`~ssbsim.simulator.cycler.check_plausible`)."""
    from .cycler import check_plausible, load_cycler_csv

    if Path(path).suffix.lower() not in VENDOR_SUFFIXES:  # CSV, whatever its suffix (as before)
        return load_cycler_csv(path, *columns, *units, charge_positive=charge_positive, capacity_Ah=capacity_Ah)
    d = read_cycler_file(path)
    ts = d.to_timeseries()
    check_plausible(ts, (d.columns["current"], "A"), (d.columns["voltage"], "V"), capacity_Ah, unit_hints=False)
    return ts
