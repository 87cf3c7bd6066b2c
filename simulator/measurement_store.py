"""Virtual measurements (``ssbsim characterise``) in HDF5 (h5py): one group per run.

Layout::

    /                              attrs: format="ssbsim-measurements", format_version,
                                          ssbsim_version
    /<measurement>/run_<k>         attrs: computed_at, the result's scalars
                                          (resistance_Ohm, soc, ...), and its mappings
                                          and text lists as JSON (conditions_json,
                                          settings_json, notes_json)
    /<measurement>/run_<k>/<name>  1-D datasets: the result's number lists
                                          (frequency_Hz, Z_real_Ohm, Z_imag_Ohm, ...)
    /<measurement>/run_<k>/<table>/<column>
                                   a list of records (DC-IR and GITT pulses, GITT
                                   area rows): one 1-D dataset per numeric column,
                                   the others as JSON attributes of the table

``<measurement>`` is the result's ``"measurement"`` with spaces as underscores
(``EIS``, ``DC-IR``, ``GITT_active_area``, ``blocking_cells``); runs are numbered in the
order they were written. Each run opens, writes and closes the file under the sweep
store's writer lock (:func:`ssbsim.simulator.store.writer_lock`), so a crash loses no
run written before; a file that is not an ssbsim measurements file is refused, never
overwritten. :func:`read_measurement` gives a run back as the dict it was written from.
"""

from __future__ import annotations

import json
import numbers
import time
from pathlib import Path

import h5py
import numpy as np

from .store import StoreError, writer_lock

FORMAT = "ssbsim-measurements"
FORMAT_VERSION = 1


def _numeric(values) -> bool:
    return bool(values) and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values)


def _put(group, key: str, value) -> None:
    if isinstance(value, (str, numbers.Real)):  # bool is a Real
        group.attrs[key] = value
    elif isinstance(value, (list, tuple)) and _numeric(value):
        group.create_dataset(key, data=np.asarray(value, dtype=float))
    elif isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
        table = group.create_group(key)
        table.attrs["rows"] = len(value)
        for column in dict.fromkeys(k for row in value for k in row):
            cells = [row.get(column) for row in value]
            if _numeric(cells):
                table.create_dataset(column, data=np.asarray(cells, dtype=float))
            else:
                table.attrs[f"{column}_json"] = json.dumps(cells)
    else:  # mappings, text lists, None, empty lists
        group.attrs[f"{key}_json"] = json.dumps(value)


def check_file(path) -> None:
    """StoreError unless ``path`` is absent or an ssbsim measurements file (checked
    before a measurement is computed, so a foreign file costs no run)."""
    path = Path(path)
    if not path.exists():
        return
    try:
        with h5py.File(path, "r") as f:
            fmt = f.attrs.get("format")
    except OSError as exc:
        raise StoreError(f"{path}: not an HDF5 file ({exc}); give a new file for the measurements") from None
    if fmt != FORMAT:
        raise StoreError(f"{path}: not an ssbsim measurements file (format={fmt!r}); give a new file")


def write_measurement(path, result: dict) -> str:
    """Append ``result`` (a dict of ``ssbsim.simulator.characterise`` or
    ``characterise_cells``) to the HDF5 file ``path`` as a new run; returns its group's
    path in the file."""
    path = Path(path)
    kind = str(result.get("measurement", "measurement")).replace(" ", "_")
    with writer_lock(path, "--h5", "measurement"):
        check_file(path)
        from ssbsim import __version__

        with h5py.File(path, "a") as f:
            f.attrs.update({"format": FORMAT, "format_version": FORMAT_VERSION, "ssbsim_version": __version__})
            parent = f.require_group(kind)
            name = f"run_{len(parent) + 1:03d}"
            group = parent.create_group(name)
            group.attrs["computed_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            for key, value in result.items():
                _put(group, key, value)
            return group.name


def _get(node) -> dict:
    out = {}
    for key, value in node.attrs.items():
        if key.endswith("_json"):
            out[key[:-5]] = json.loads(value)
        elif key not in ("computed_at", "rows"):
            out[key] = value.item() if isinstance(value, np.generic) else value
    for key, child in node.items():
        if isinstance(child, h5py.Dataset):
            out[key] = child[()].tolist()
        else:
            columns = _get(child)
            out[key] = [{c: columns[c][i] for c in columns} for i in range(int(child.attrs["rows"]))]
    return out


def read_measurement(path, group: str) -> dict:
    """The run at ``group`` (as :func:`write_measurement` returned it) as a dict."""
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != FORMAT:
            raise StoreError(f"{path}: not an ssbsim measurements file")
        return _get(f[group])
