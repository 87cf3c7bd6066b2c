"""Durable sweep results in HDF5 (h5py), plus ``summary.csv`` beside the file.

Layout::

    /                     attrs: format="ssbsim-sweep", format_version, ssbsim_version,
                                 grid_hash (cases + parameter fingerprint), n_cases
    /cases/<name>         attrs: the case's conditions (pressure_MPa, binder, c_rate, ...),
                                 status ("ok" | "failed"), error, computed_at, key,
                                 notes (a JSON list of the result's notes: extrapolation,
                                 solver), and the scalar results (discharge_capacity_mAh_g, ...)
    /summary              one row per case: conditions, status, scalar results,
                          fixture, parameters set (JSON text), error and notes
                          (text, joined with "; "), as summary.csv
    /cases/<name>/<series>  1-D datasets: time_s, current_A, voltage_V,
                                 voltage_vs_counter_V, capacity_mAh_g, and with mechanics
                                 contact_fraction, isolated_fraction, porosity,
                                 interface_contact_fraction, stack_pressure_MPa (the
                                 pressure the cell felt, ``models.fixture``),
                                 stack_pressure_change_MPa, thickness_change_um,
                                 layer_decohered_fraction, and
                                 per cycle cycle_<metric> (e.g. cycle_max_stack_pressure_MPa)

Each finished case is written by opening, writing and closing the file, so a crash or
Ctrl-C loses at most the cases in flight and never leaves a half-written file open.
A file that is not an ssbsim sweep, or is unreadable, is never overwritten; a file made
for another grid or parameter set is refused instead of being mixed. One sweep writes a
file at a time (:func:`writer_lock`): a second one on the same file stops at once,
before computing anything.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no lock
    fcntl = None

import h5py
import numpy as np

from .conditions import SUMMARY_COLUMNS as CONDITION_COLUMNS
from .errors import SsbsimError
from .presets import PRESETS

FORMAT = "ssbsim-sweep"
FORMAT_VERSION = 1
SUMMARY_FIELDS = (
    "charge_capacity_mAh_g", "discharge_capacity_mAh_g", "coulombic_efficiency",
    "average_discharge_voltage_V", "final_contact_fraction", "final_isolated_fraction",
    "final_porosity", "final_interface_contact_fraction", "min_stack_pressure_MPa",
    "max_stack_pressure_MPa", "max_stack_pressure_change_MPa", "max_thickness_change_um",
    "max_layer_decohered_fraction",
)


_TEXT_FIELDS = {"name", "preset", "model", "binder", "process", "fixture", "parameters", "status", "error",
                "notes"}
#: the columns of ``summary.csv`` and ``/summary``: the conditions, status, results, what
#: held the stack (``fixture``, the preset's where the case did not set one), the PyBaMM
#: parameters set (``parameters``, JSON text, "" for none), error and the case's notes
#: joined with "; "
_SUMMARY_COLUMNS = ["name", *CONDITION_COLUMNS, "status", *SUMMARY_FIELDS, "fixture", "parameters", "error",
                    "notes"]


class StoreError(SsbsimError):
    """The results file cannot be used (foreign, corrupted, or for another grid)."""


def lock_path(path) -> Path:
    """The sibling lock file of a sweep file (``sweep.h5`` -> ``sweep.h5.lock``)."""
    path = Path(path)
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def writer_lock(path, option: str = "--out", writer: str = "sweep"):
    """Hold an exclusive lock on ``path``'s sibling lock file for the ``with`` block, or
    raise StoreError at once if another process holds it (flock, non-blocking); the
    messages name the file's ``option`` and its ``writer``.

    The lock file stays in place (removing it would let a third sweep lock a new file
    while a second still holds the old one); it holds the writer's pid while locked.
    The kernel releases the lock when the holder dies, also on kill -9.
    """
    if fcntl is None:
        yield
        return
    lp = lock_path(path)
    try:
        Path(lp).parent.mkdir(parents=True, exist_ok=True)  # a new --out folder (e.g. results/)
        fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise StoreError(f"cannot create the lock file {lp} ({e.strerror}): choose another {option}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise StoreError(f"{path} is being written by another {writer}{f' (pid {pid})' if pid else ''}; "
                             f"wait for it to finish or choose another {option} (lock: {lp})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


class SweepStore:
    """A sweep's HDF5 file; creates it, or opens it to resume the same grid."""

    def __init__(self, path, grid_hash: str, n_cases: int, version: str, overwrite: bool = False):
        self.path = Path(path)
        self.grid_hash = grid_hash
        if self.path.exists() and not overwrite:
            self._check_existing()
        else:
            if self.path.exists():
                self._check_ours()  # --overwrite replaces only an ssbsim sweep file
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with h5py.File(self.path, "w") as f:
                f.attrs.update({"format": FORMAT, "format_version": FORMAT_VERSION,
                                "ssbsim_version": version, "grid_hash": grid_hash,
                                "n_cases": n_cases})
                f.create_group("cases")
            self.summary_csv.unlink(missing_ok=True)

    @classmethod
    def open(cls, path) -> "SweepStore":
        """An existing sweep file, checked to be an ssbsim sweep, for reading."""
        store = cls.__new__(cls)
        store.path, store.grid_hash = Path(path), None
        if not store.path.exists():
            raise StoreError(f"{store.path} does not exist")
        store._check_ours()
        return store

    @property
    def summary_csv(self) -> Path:
        return self.path.with_name("summary.csv") if self.path.name == "sweep.h5" else \
            self.path.with_suffix(".summary.csv")

    def _open_read(self):
        try:
            return h5py.File(self.path, "r")
        except OSError as e:
            raise StoreError(f"{self.path} is not a readable HDF5 file ({e}); it was left untouched: "
                             "for a sweep, choose another --out; for plot, give a sweep's .h5 file") from None

    def _check_ours(self):
        with self._open_read() as f:
            if f.attrs.get("format") != FORMAT:
                raise StoreError(f"{self.path} is an HDF5 file but not an ssbsim sweep; it was left "
                                 "untouched: for a sweep, choose another --out; for plot, give a sweep's .h5 file")

    def _check_existing(self):
        self._check_ours()
        with self._open_read() as f:
            if f.attrs.get("grid_hash") != self.grid_hash:
                raise StoreError(
                    f"{self.path} holds a sweep of another grid or parameter set; resuming would "
                    "mix them: use another --out, or --overwrite to start again")

    def finished(self) -> set[str]:
        """Names of the cases already stored as finished (ok)."""
        with self._open_read() as f:
            return {n for n, g in f["cases"].items() if g.attrs.get("status") == "ok"}

    def write_case(self, name: str, record: dict):
        """Store one case (``record`` from ``sweep.run_case``) and refresh the summaries,
        in one opening of the file."""
        with h5py.File(self.path, "a") as f:
            cases = f["cases"]
            if name in cases:
                del cases[name]  # a failed case being retried
            g = cases.create_group(name)
            g.attrs.update({k: _attr(v) for k, v in record["conditions"].items()})
            g.attrs.update({"status": record["status"], "error": record.get("error", ""),
                            "computed_at": time.time(), "key": record["key"]})
            g.attrs.update({k: v for k, v in record.get("summary", {}).items()
                            if isinstance(v, (int, float))})
            g.attrs["notes"] = json.dumps(record.get("summary", {}).get("notes", []))
            for k, v in record.get("series", {}).items():
                g.create_dataset(k, data=np.asarray(v, dtype=float), compression="gzip")
            rows = _rows(f)
            if "summary" in f:
                del f["summary"]
            f.create_dataset("summary", data=_summary_table(rows))
            f.flush()
        self._write_csv(rows)

    def read(self) -> list[dict]:
        """All cases: conditions and scalar results as dicts (series not loaded)."""
        with self._open_read() as f:
            return _rows(f)

    def series(self, name: str) -> dict:
        with self._open_read() as f:
            return {k: d[()] for k, d in f["cases"][name].items()}

    def _write_csv(self, rows):
        tmp = self.summary_csv.with_suffix(".tmp")
        with open(tmp, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=_SUMMARY_COLUMNS, extrasaction="ignore")
            w.writeheader()
            w.writerows(_summary_row(r) for r in rows)
        tmp.replace(self.summary_csv)


def _rows(f) -> list[dict]:
    return [dict(name=n, **{k: _plain(v) for k, v in g.attrs.items()}) for n, g in sorted(f["cases"].items())]


def case_notes(row: dict) -> list[str]:
    """The notes of a stored case (a row of :meth:`SweepStore.read`, where they are the
    JSON text of the ``notes`` attribute) as a list; [] for a case without."""
    text = row.get("notes") or "[]"
    notes = json.loads(text) if isinstance(text, str) else list(text)
    return [str(n) for n in notes]


def _summary_row(row: dict) -> dict:
    """A stored case as a row of the summaries: its notes as one text, "; "-joined, and
    the fixture that held it (stored only where it is not the preset's)."""
    preset = PRESETS.get(row.get("preset"))  # none: a file of a preset this version does not have
    fixture = row.get("fixture") or (preset.resolve_fixture(None, bool(row.get("mechanics", True))) if preset
                                     else "")
    return row | {"notes": "; ".join(case_notes(row)), "fixture": fixture}


def _summary_table(rows) -> np.ndarray:
    """The summary as a structured array (one row per case) for ``/summary``; text
    columns as variable-length UTF-8 strings (h5py reads them back as bytes)."""
    dtype = [(c, h5py.string_dtype()) if c in _TEXT_FIELDS else (c, "f8") for c in _SUMMARY_COLUMNS]
    table = np.zeros(len(rows), dtype=dtype)
    for i, r in enumerate(map(_summary_row, rows)):
        for c in _SUMMARY_COLUMNS:
            v = r.get(c, "" if c in _TEXT_FIELDS else np.nan)
            table[c][i] = str(v) if c in _TEXT_FIELDS else (float(v) if v != "" else np.nan)
    return table


def open_results(path) -> "SweepStore":
    """An existing sweep file for reading (clear error if it is not one)."""
    return SweepStore.open(path)


def _attr(v):
    """An HDF5 attribute value: nested conditions (a parameter file's values, a
    protocol) as JSON text, None as ""."""
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, sort_keys=True)
    return "" if v is None else v


def _plain(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.generic):
        return v.item()
    return v
