"""Constants fitted on catalogue rows, measured as ``ssbsim validate`` measures them.

A fit on rows of the catalogue (``parameter_sets/experiments/*.toml``) must compare the
numbers ``validate`` reports for those rows: the paper's cell, conditions and protocol,
and the row's own derivation (a retention over the right cycles, the thickness at the
end of the last cycle). :class:`RowModel` gives them for any values of named PyBaMM
parameters: it plans the rows' cases as ``validate`` does, runs them with the named
parameters as inputs of models built once per group of cases (each group stays in one
worker process, which keeps its build between calls), and derives each row with
``validate``'s derivation. :meth:`RowModel.errors` returns each row's error in units of
its tolerance (``catalogue.Entry.tolerance_error``: within the tolerance is
``|error| <= 1``), the residual a least-squares fit across rows of different units and
uncertainties needs (``scripts/calibrate_cycle_life.py``).
"""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .catalogue import load_catalogue
from .errors import InputError


class RowModel:
    """The model's values of the catalogue rows ``ids`` as functions of the PyBaMM
    parameters ``names``.

    Parameters
    ----------
    ids : sequence of str
        Catalogue row ids whose values come from solved cases (not from the electrode
        as built or from a virtual measurement).
    names : iterable of str
        The PyBaMM parameters the calls set (inputs of the built models).
    model : {"DFN", "SPMe", "SPM"}
        As ``validate``'s ``model``; default DFN.
    workers : int
        Worker processes; the groups of cases are dealt to them in turn.
    """

    def __init__(self, ids, names, model: str = "DFN", workers: int = 2):
        from .validate import _plan

        entries = {e.id: e for e in load_catalogue()}
        unknown = [i for i in ids if i not in entries]
        if unknown:
            raise InputError(f"rows {unknown} are not in the catalogue")
        self.entries = [entries[i] for i in ids]
        for e in self.entries:
            if "cases" not in _plan(e, model) or "compare" in e.derive:
                raise InputError(f"row {e.id} is not derived from one solved case; RowModel cannot fit on it")
        self.names, self.model = tuple(sorted(names)), model
        self.measured = np.array([e.measured for e in self.entries])
        self._pools = [ProcessPoolExecutor(max_workers=1) for _ in range(max(1, int(workers)))]
        self._groups: dict = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for pool in self._pools:
            pool.shutdown()

    def values(self, parameters: dict) -> np.ndarray:
        """Each row's model value (in the row's unit, as ``validate`` reports it) with
        ``parameters`` set; NaN where a case failed or the row cannot be derived."""
        from .sweep import group_key, run_case
        from .validate import _derive_one, _NotDerived, _plan

        differ = set(self.names) ^ set(parameters)
        if differ:
            raise InputError(f"parameters must be exactly {list(self.names)}; differ in {sorted(differ)}")
        conds = [_plan(e, self.model, dict(parameters))["cases"][0] for e in self.entries]
        futures = {}
        for cond in dict.fromkeys(conds):
            g = self._groups.setdefault(group_key(cond, self.names), len(self._groups))
            futures[cond] = self._pools[g % len(self._pools)].submit(run_case, cond, self.names)
        records = {cond: f.result() for cond, f in futures.items()}
        out = []
        for e, cond in zip(self.entries, conds):
            rec = records[cond]
            try:
                if rec.get("status") != "ok":
                    raise _NotDerived(rec.get("error", "failed"))
                value = _derive_one(e, cond, rec["summary"], rec["series"]) * (100.0 if e.unit == "%" else 1.0)
            except _NotDerived:
                value = math.nan
            out.append(value)
        return np.array(out)

    def errors(self, values) -> np.ndarray:
        """Each row's error in units of its tolerance (``Entry.tolerance_error``)."""
        return np.array([e.tolerance_error(v) for e, v in zip(self.entries, values)])
