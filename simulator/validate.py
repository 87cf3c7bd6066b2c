"""``ssbsim validate``: every catalogued measurement simulated as the paper ran it.

The catalogue (:mod:`~ssbsim.simulator.catalogue`) names the cell, conditions,
protocol and derivation of each measured row. The cases run through the sweep engine
(grouped, in parallel, each finished case written to an HDF5 store named after the
run's settings, so an interrupted run resumes); rows derived from the electrode as built
or from a virtual measurement (``kind = "characterise"``, e.g. Emley's blocking cells)
are computed in this process, outside the store. Each row is labelled ``calibration``
when a constant of the model was fitted on it
(:func:`ssbsim.parameter_sets.provenance.fitted_rows`) and ``validation`` otherwise;
the score counts the rows within their tolerance and the RMS relative error of the
``validation`` rows only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .calibration_domain import outside_text
from .catalogue import Entry, load_catalogue
from .errors import InputError, SimulationError
from .results import cell_half_cycle
from .conditions import Conditions
from .simulation import electrode_properties, resolve_conditions
from .files import check_writable
from .plateau_split import derived_split
from .store import SweepStore, writer_lock
from .sweep import case_name, grid_hash, run_cases

QUICK_MODEL = "SPMe"


@dataclass
class ValidationReport:
    rows: list[dict]
    score: dict
    path: Path | None = None
    files: list = field(default_factory=list)
    lopo: dict | None = None  # the leave-one-paper-out check (ssbsim.simulator.lopo), when run

    def to_dict(self) -> dict:
        out = {"rows": self.rows, "score": self.score}
        return out | ({"leave_one_paper_out": self.lopo} if self.lopo is not None else {})


def validate(only=None, quick: bool = False, model: str | None = None, out="results/validation",
             workers=None, progress=None, report: bool = True, leave_one_paper_out: bool = False,
             case_timeout_s=None) -> ValidationReport:
    """Run the catalogue; see the module docstring.

    Parameters
    ----------
    only : sequence of str, optional
        Papers to run (``kwon2022``, ``jo2024``, ``emley2023``, ``choi2025``,
        ``kimkwonjung2022``), case-insensitive; default all.
    quick : bool
        The entries marked ``quick`` on the fast model (SPMe unless ``model``).
    model : {"DFN", "SPMe", "SPM"}, optional
        Default DFN (SPMe with ``quick``).
    out : path
        Folder of the HDF5 store, ``validation.md`` and the figures.
    report : bool
        Write ``validation.md``, ``validation.json`` and the figures.
    leave_one_paper_out : bool
        Also run :func:`ssbsim.simulator.lopo.leave_one_paper_out` (all papers, on
        ``model``); with ``report``, its ``lopo.json`` / ``lopo.md`` and a section of
        ``validation.md``.
    case_timeout_s : float, optional
        Seconds after which a case that has not returned is recorded as failed and the
        run goes on (``ssbsim.simulator.sweep_workers``); default no limit.
    """
    from ssbsim.parameter_sets.experiments import PAPERS

    model = model or (QUICK_MODEL if quick else "DFN")
    papers = None
    if only:
        papers = [p.lower() for p in only]
        for p in papers:
            if p not in PAPERS:
                raise InputError(f"only={p!r} is not a paper of the catalogue; allowed: {', '.join(PAPERS)}")
    entries = [e for e in load_catalogue(papers) if e.quick or not quick]
    plan = {e.id: _plan(e, model) for e in entries}
    conds = list(dict.fromkeys(c for p in plan.values() for c in p.get("cases", [])))
    out = check_writable(out, "--out", folder=True)
    results, series = {}, {}
    if conds:
        from ssbsim import __version__

        digest = grid_hash(conds)
        path = out / f"validation-{digest[:10]}.h5"
        with writer_lock(path):  # a second run on the same store exits at once, before computing
            store = SweepStore(path, digest, len(conds), __version__)
            run_cases(conds, store, workers=workers, progress=progress, case_timeout_s=case_timeout_s)
        results = {r["name"]: r for r in store.read()}
        series = {name: store.series(name) for name, r in results.items() if r.get("status") == "ok"}
    from ssbsim.parameter_sets.provenance import fitted_rows

    fitted = fitted_rows()
    rows = [_row(e, plan[e.id], results, series, e.id in fitted, model) for e in entries]
    rep = ValidationReport(rows, score(rows))
    if leave_one_paper_out:
        from .lopo import leave_one_paper_out as lopo

        rep.lopo = lopo(model=model, log=None)
    if report:
        from .validation_report import write_report

        rep.path = out / "validation.md"
        rep.files = write_report(rep, entries, results, series, out)
    return rep


def _plan(e: Entry, model: str, parameters: dict | None = None) -> dict:
    """The cases an entry needs (resolved conditions, with the PyBaMM ``parameters`` set
    on each), or what it derives without a solve."""
    if e.unsupported:
        return {}
    base = dict(preset=e.preset, model=model, **e.conditions) | ({"parameters": parameters} if parameters else {})
    if e.protocol:
        base["protocol"] = e.protocol
    others = [base | e.derive["compare"]["conditions"]] if "compare" in e.derive else []
    curve = [base | {"pressure": p} for p in e.curve.get("pressure_MPa", [])]
    if e.derive["kind"] == "electrode":
        ref = e.derive.get("relative_to")
        return {"electrode": [base] + others + ([base | ref] if ref else [])}
    if e.derive["kind"] == "characterise":
        return {"characterise": [base] + others}
    return {"cases": [resolve_conditions(**c) for c in [base] + others + curve]}


def absolute_cycles(cycles, n_cycles: int) -> list[int]:
    """1-based cycle numbers; negative ones count from the protocol's end (-1: the last)."""
    return [c if c > 0 else n_cycles + 1 + c for c in cycles]


def _cycle_value(cond: Conditions, s: dict, half: str, cycles) -> float:
    """Mean capacity of ``cycles`` (1-based; negative: counted from the protocol's end)."""
    values = np.asarray(s[f"cycle_{cell_half_cycle(half)}_capacity_mAh_g"])
    wanted = absolute_cycles(cycles, cond.cycles)
    if max(wanted) > len(values):
        raise _NotDerived(f"only {len(values)} of {cond.cycles} cycles completed")
    return float(np.mean([values[c - 1] for c in wanted]))


class _NotDerived(Exception):
    pass


def _derive_one(e: Entry, cond: Conditions, summary: dict, s: dict) -> float:
    d = e.derive
    kind = d["kind"]
    if kind == "capacity":
        return _cycle_value(cond, s, d["half"], d.get("cycles", [d.get("cycle", 1)]))
    if kind == "coulombic_efficiency":
        ce = np.asarray(s["cycle_coulombic_efficiency"])
        (c,) = absolute_cycles([d.get("cycle", 1)], cond.cycles)
        if c > len(ce):
            raise _NotDerived(f"only {len(ce)} of {cond.cycles} cycles completed")
        return float(ce[c - 1])
    if kind == "retention":
        return _cycle_value(cond, s, d["half"], d["cycles"]) / _cycle_value(cond, s, d["half"], d["reference_cycles"])
    if kind == "phase":
        key = f"first_cycle_{d['phase']}_phase_{d['half']}_mAh_g"
        if d.get("cycle", 1) != 1 or key not in summary:
            raise _NotDerived(f"no {key!r} in the results (first cycle of a two-phase electrode only)")
        return float(summary[key])
    if kind == "plateau_split":
        try:
            split = derived_split(s, d)[2]
        except InputError as err:
            raise _NotDerived(str(err)) from None
        return split.above if d["part"] == "above" else split.below
    if kind == "last_cycle":  # a per-cycle metric (CycleMetrics field) at the end of the last cycle
        values = s.get(f"cycle_{d['key']}")
        if values is None or len(values) < cond.cycles:
            raise _NotDerived(f"only {0 if values is None else len(values)} of {cond.cycles} cycles completed")
        return float(np.asarray(values)[-1])
    if kind == "final":
        if d["key"] not in s:
            raise _NotDerived(f"no {d['key']!r} series (contact mechanics off?)")
        if len(s["cycle_charge_capacity_mAh_g"]) < cond.cycles:
            raise _NotDerived(f"only {len(s['cycle_charge_capacity_mAh_g'])} of {cond.cycles} cycles completed")
        x = np.asarray(s[d["key"]])
        if d.get("change") and s["time_s"][0] > 0:
            raise _NotDerived("the series start at the last cycle (the fast path keeps its time series only): "
                              "a change from the pristine cell needs derive kind last_cycle")
        return float(x[-1] - x[0]) if d.get("change") else float(x[-1])
    raise InputError(f"catalogue entry {e.id}: cannot derive kind {kind!r}")


def _row(e: Entry, plan: dict, results: dict, series: dict, fitted: bool, model: str) -> dict:
    row = {"id": e.id, "source": e.source, "quantity": e.quantity, "conditions": _conditions(e),
           "measured": e.measured_text if e.range else _num(e.measured), "model": None,
           "unit": e.unit, "role": "calibration" if fitted else "validation",
           "within_tolerance": None, "tolerance": e.tolerance_text(), "model_name": model, "note": ""}
    scale = 100.0 if e.unit == "%" else 1.0
    try:
        if e.unsupported:
            raise _NotDerived(f"not simulated: {e.unsupported}")
        if "electrode" in plan:
            vals = [electrode_properties(resolve_conditions(**c))[e.derive["key"]] for c in plan["electrode"]]
            value = vals[0] / vals[-1] if e.derive.get("relative_to") else vals[0]
            if "compare" in e.derive:
                value = _combine(vals[0], vals[1], e.derive["compare"]["op"])
        elif "characterise" in plan:
            vals = [measure(e.derive, c) for c in plan["characterise"]]
            value = _combine(vals[0], vals[1], e.derive["compare"]["op"]) if "compare" in e.derive else vals[0]
        else:
            values = []
            for cond in plan["cases"][:2 if "compare" in e.derive else 1]:
                name = case_name(cond)
                r = results.get(name, {})
                if r.get("status") != "ok":
                    raise _NotDerived(f"simulation failed: {r.get('error', 'not run')}")
                values.append(_derive_one(e, cond, r, series[name]))
            value = _combine(values[0], values[1], e.derive["compare"]["op"]) if "compare" in e.derive else values[0]
            row["note"] = "; ".join(filter(None, dict.fromkeys(outside_text(c) for c in plan["cases"][:len(values)])))
        row["model"] = _num(value * scale)
        row["within_tolerance"] = e.within(value * scale)
        known = f"known limit: {e.known_limit}" if e.known_limit and not row["within_tolerance"] else ""
        noted = f"measured as the data row's note states it: '{e.from_note}'" if e.from_note else ""
        row["note"] = "; ".join(filter(None, (known, noted, row["note"])))
    except _NotDerived as err:
        row["note"] = str(err)
    return row


def measure(derive: dict, conditions: dict) -> float:
    """What the virtual measurement of ``derive`` (``kind = "characterise"``) returns for
    the cell of ``conditions`` (preset, model and the options of ``ssbsim characterise``)."""
    from . import characterise_cells

    run = getattr(characterise_cells, derive["measurement"])  # a name of catalogue.MEASUREMENTS
    c = dict(conditions)
    try:
        return run(c.pop("preset"), **c)[derive["key"]]
    except SimulationError as err:
        raise _NotDerived(f"virtual {derive['measurement']} measurement failed: {err}") from None


def _combine(a: float, b: float, op: str) -> float:
    if op == "ratio":
        return a / b
    if op == "difference":
        return a - b
    raise InputError(f"compare.op={op!r}; allowed: ratio, difference")


def _conditions(e: Entry) -> dict:
    c = {"preset": e.preset, **e.conditions}
    if e.protocol:
        c["protocol"] = e.protocol
    if "compare" in e.derive:
        c["compared_with"] = e.derive["compare"]["conditions"]
    return c


def _num(x):
    """A finite float to 6 significant digits (None for NaN / missing)."""
    return None if x is None or not math.isfinite(x) else float(f"{float(x):.6g}")


def score(rows: list[dict]) -> dict:
    """How many rows are within tolerance, and the RMS relative error of validation rows."""
    scored = [r for r in rows if r["model"] is not None]
    val = [r for r in scored if r["role"] == "validation" and isinstance(r["measured"], (int, float))
           and r["measured"] != 0]
    rel = [(r["model"] - r["measured"]) / abs(r["measured"]) for r in val]
    return {
        "rows": len(rows), "simulated": len(scored),
        "within_tolerance": sum(bool(r["within_tolerance"]) for r in scored),
        "validation_rows": sum(r["role"] == "validation" for r in rows),
        "validation_within_tolerance": sum(bool(r["within_tolerance"]) for r in scored if r["role"] == "validation"),
        "calibration_rows": sum(r["role"] == "calibration" for r in rows),
        "calibration_within_tolerance": sum(bool(r["within_tolerance"]) for r in scored if r["role"] == "calibration"),
        "validation_rms_relative_error": _num(math.sqrt(sum(x * x for x in rel) / len(rel))) if rel else None,
    }


def score_line(s: dict) -> str:
    rms = "n/a" if s["validation_rms_relative_error"] is None else f"{100 * s['validation_rms_relative_error']:.1f} %"
    return (f"score: {s['within_tolerance']}/{s['simulated']} simulated rows within tolerance "
            f"(validation {s['validation_within_tolerance']}/{s['validation_rows']}, calibration "
            f"{s['calibration_within_tolerance']}/{s['calibration_rows']}); validation RMS relative error {rms}"
            + (f"; {s['rows'] - s['simulated']} rows not simulated" if s["rows"] > s["simulated"] else ""))

