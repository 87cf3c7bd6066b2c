"""Sweeps: a grid of conditions, run on local processes or a Dask cluster, stored in HDF5.

Speed by design: cases that share geometry, model and protocol form a group; the
parameters that differ inside a group (stack pressure, the binder's mechanical
properties) become PyBaMM input parameters, so each worker builds and discretises one
``pybamm.Simulation`` per group and solves its cases by changing inputs
(:class:`~ssbsim.simulator.simulation.CellRunner`).

Durability: every finished case is written to the HDF5 store as it completes
(:mod:`~ssbsim.simulator.store`); re-running the same sweep skips finished cases; a
failed case is stored with its error and the others go on. A second sweep on the same
file stops at once (``store.writer_lock``); local workers die with the sweep, whatever
kills it (:mod:`~ssbsim.simulator.sweep_workers`); on Ctrl-C, :class:`SweepInterrupted` says what was saved.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import numbers
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ssbsim.models.phases import phase_names

from . import cycle_life
from .errors import InputError, SsbsimError
from .files import check_writable
from .presets import get_preset
from .conditions import Conditions, parameter_values
from .results import CycleMetrics
from .simulation import CellRunner, fingerprint
from .store import SweepStore, writer_lock
from .sweep_workers import check_case_timeout, connect, execute, failed_record, progress_bar

#: The seed study: Kwon 2022, pristine vs vulcanized BR at 70 / 7 / 2 MPa, 0.1C, 1 cycle.
SEED = {"presets": ("kwon2022",), "binders": ("pristine", "vulcanized"), "pressures": (70.0, 7.0, 2.0)}
DEFAULT_OUT = Path("results") / "sweep.h5"
_GROUP_FREE = ("binder", "pressure_MPa")  # what may vary inside a group (as inputs)
_RUNNERS: OrderedDict = OrderedDict()  # per-process cache of built simulations, by group
_MAX_RUNNERS = 4  # a built DFN with mechanics holds three discretised models


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep: ``path``, ``n_saved`` of ``n_cases`` finished cases stored
    (``n_new`` of them by this run); re-running the same sweep resumes."""

    def __init__(self, path, n_saved, n_cases, n_new):
        super().__init__(f"{n_saved} of {n_cases} cases saved in {path}")
        self.path, self.n_saved, self.n_cases, self.n_new = Path(path), n_saved, n_cases, n_new


@dataclass
class SweepReport:
    """What :func:`sweep` did: the file, counts, and the failed cases with their errors."""

    path: Path
    n_cases: int
    n_run: int
    n_skipped: int
    failures: list = field(default_factory=list)
    figures: list = field(default_factory=list)


def build_grid(presets=None, binders=None, processes=None, binder_contents=None, pressures=None,
               c_rates=None, temperatures=None, cycles=None, model="DFN", mechanics=True,
               parameters=None, fixture=None) -> list[Conditions]:
    """All cases of the grid as :class:`Conditions`.

    ``None`` for a dimension means the preset's default; with every dimension ``None``
    the grid is the seed study (:data:`SEED`). A single value (``presets="kwon2022"``,
    ``pressures=2``) is a one-value dimension. Binders that a preset does not have are
    an error, so a typo never silently shrinks the grid.
    """
    presets, binders, processes, binder_contents, pressures, c_rates, temperatures, cycles = (
        _dimension(name, v) for name, v in (
            ("presets", presets), ("binders", binders), ("processes", processes),
            ("binder_contents", binder_contents), ("pressures", pressures), ("c_rates", c_rates),
            ("temperatures", temperatures), ("cycles", cycles)))
    if all(x is None for x in (presets, binders, processes, binder_contents, pressures,
                               c_rates, temperatures, cycles)):
        presets, binders, pressures = SEED["presets"], SEED["binders"], SEED["pressures"]
    presets = presets or ("kwon2022",)
    cases, seen = [], set()
    for preset in presets:
        get_preset(preset)
        dims = [binders or [None], processes or [None], binder_contents or [None], pressures or [None],
                c_rates or [None], temperatures or [None], cycles or [1]]
        for b, proc, w, p, c, t, n in itertools.product(*dims):
            cond = Conditions.resolve(preset, binder=b, process=proc, binder_content=w, pressure=p,
                                      c_rate=c, temperature=t, cycles=n, model=model, mechanics=mechanics,
                                      parameters=parameters, fixture=fixture)
            if cond not in seen:
                seen.add(cond)
                cases.append(cond)
    return cases


def _dimension(name: str, value):
    """A grid dimension as a tuple: None stays None, a single string or number becomes a
    one-value dimension, a sequence is taken as it is; else InputError naming it."""
    if value is None:
        return None
    if isinstance(value, (str, bytes, numbers.Number)):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        raise InputError(f"{name}={value!r} must be a value or a sequence of values (e.g. a list)") from None


def case_name(cond: Conditions) -> str:
    """A readable, unique HDF5 group name for a case."""
    digest = hashlib.sha1(cond.key.encode()).hexdigest()[:8]
    return f"{cond.preset}-{cond.binder}-{cond.pressure_MPa:g}MPa-{digest}"


#: Endings of the parameters PyBaMM builds the geometry and mesh from (electrode and
#: separator thicknesses, particle radii, the electrode's size): they cannot be inputs.
GEOMETRY_ENDINGS = ("thickness [m]", "radius [m]", "height [m]", "width [m]")


def geometry(cond: Conditions) -> dict:
    """The geometric parameter values of a case (:data:`GEOMETRY_ENDINGS`)."""
    pv = parameter_values(cond)
    return {k: fingerprint(pv[k]) for k in sorted(pv.keys()) if k.endswith(GEOMETRY_ENDINGS)}


def group_key(cond: Conditions, inputs=()) -> str:
    """Cases with the same key share one built model; what differs between them (binder,
    pressure, the set ``parameters`` named in ``inputs``) enters as inputs. A binder may
    also change the geometry (Choi 2025's electrodes differ in pristine thickness by
    binder), which no input can: the geometry is part of the key."""
    d = {k: v for k, v in cond.to_dict().items() if k not in _GROUP_FREE}
    if "parameters" in d:
        d["parameters"] = {k: v for k, v in d["parameters"].items() if k not in inputs}
    return json.dumps(d | {"geometry": geometry(cond)}, sort_keys=True)


def swept_inputs(conds: list[Conditions]) -> tuple[str, ...]:
    """Numeric parameters whose values differ between the cases of one group."""
    values = [parameter_values(c) for c in conds]
    names = []
    for name in values[0].keys():
        first = values[0][name]
        if isinstance(first, (int, float)) and any(v[name] != first for v in values[1:]):
            names.append(name)
    return tuple(sorted(names))


def grid_hash(conds: list[Conditions]) -> str:
    """Hash of the cases and of every parameter value they use (and the version)."""
    from ssbsim import __version__

    h = hashlib.sha256(__version__.encode())
    for cond in sorted(conds, key=lambda c: c.key):
        h.update(cond.key.encode())
        pv = parameter_values(cond)
        for k in sorted(pv.keys()):
            h.update(f"{k}={fingerprint(pv[k])}".encode())
    return h.hexdigest()


def run_case(cond: Conditions, input_names: tuple) -> dict:
    """Solve one case (in any process); never raises: a failure is recorded."""
    try:
        gk = (group_key(cond, input_names), input_names)
        if gk not in _RUNNERS:
            _RUNNERS[gk] = CellRunner(cond, input_names)
            while len(_RUNNERS) > _MAX_RUNNERS:
                _RUNNERS.popitem(last=False)
        _RUNNERS.move_to_end(gk)
        result = _RUNNERS[gk].run(cond, skipping=cycle_life.skip_control(cond.cycles))
    except Exception as e:  # noqa: BLE001 - a failed case is data, the sweep goes on
        msg = str(e) if isinstance(e, SsbsimError) else "".join(
            traceback.format_exception_only(type(e), e)).strip()
        return failed_record(cond, msg)
    record = {"key": cond.key, "conditions": cond.to_dict()}
    try:
        return record | _record(result, record["conditions"])
    except Exception as e:  # noqa: BLE001 - the case solved but its results could not be read: data too
        return failed_record(cond, "reading the results: " + "".join(
            traceback.format_exception_only(type(e), e)).strip())


def _record(result, conditions: dict) -> dict:
    """Status, summary and series of a solved case."""
    summary = {k: v for k, v in result.to_dict().items() if k not in conditions}
    if result.solution is not None and len(phase_names(result.solution.all_models[0].options, result.domain)) > 1:
        for ph, halves in result.phase_halves_mAh_g(0).items():  # first cycle, per phase
            summary |= {f"first_cycle_{ph}_phase_{h}_mAh_g": q for h, q in halves.items()}
    series = curve_series(result) | {"voltage_vs_counter_V": result.voltage_vs_counter_V}
    series.update(result.series)
    for f in dataclasses.fields(CycleMetrics):  # one value per cycle
        if f.name != "label":
            series[f"cycle_{f.name}"] = [float(getattr(c, f.name)) for c in result.cycles]
    return {"status": "ok", "summary": summary, "series": {k: np.asarray(v, dtype=float) for k, v in series.items()}}


def curve_series(result) -> dict:
    """A solved case's time [s], current [A], voltage [V] and capacity series
    (:func:`capacity_series_mAh_g`): what a half-cycle's curve is cut from."""
    return {"time_s": result.time_s, "current_A": result.current_A, "voltage_V": result.voltage_V,
            "capacity_mAh_g": capacity_series_mAh_g(result)}


def capacity_series_mAh_g(result) -> np.ndarray:
    """PyBaMM's discharge-capacity counter since the start, per gram of active material
    (falls while charging, rises while discharging)."""
    q = result.solution["Discharge capacity [A.h]"].entries
    return (q - q[0]) * 1e3 / result.electrode["active_mass_g"]


def sweep(presets=None, binders=None, processes=None, binder_contents=None, pressures=None,
          c_rates=None, temperatures=None, cycles=None, model="DFN", mechanics=True,
          out=DEFAULT_OUT, workers=None, scheduler=None, progress=None, overwrite=False,
          figures=True, parameters=None, fixture=None, case_timeout_s=None) -> SweepReport:
    """Run a grid of cases; see the module docstring. Returns a :class:`SweepReport`.

    Parameters
    ----------
    presets, binders, processes, binder_contents, pressures, c_rates, temperatures, cycles :
        sequences, or single values (``None``: preset defaults; all ``None``: the seed study).
    out : path of the HDF5 file (``summary.csv`` and figures go beside it).
    workers : local processes (default: all cores; 1 runs in this process).
    scheduler : address of a Dask distributed scheduler (``tcp://host:port``), or a
        ``distributed.Client``; needs ``pip install ssbsim[dask]``.
    progress : show a progress bar (default: only on a terminal).
    overwrite : start a new file even if ``out`` holds a sweep of another grid.
    figures : draw the figures when done.
    parameters : numeric PyBaMM parameters to set in every case (a parameter file's data).
    fixture : what holds every case's stack (``ssbsim.models.fixture``; default: each preset's).
    case_timeout_s : seconds after which a case that has not returned is recorded as failed
        and the sweep goes on (local workers; default: no limit;
        :mod:`~ssbsim.simulator.sweep_workers`).
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InputError(f"workers={workers!r} must be a whole number of at least 1")
    check_case_timeout(case_timeout_s, scheduler)
    conds = build_grid(presets, binders, processes, binder_contents, pressures, c_rates,
                       temperatures, cycles, model, mechanics, parameters, fixture)
    check_writable(out, "--out")
    client = connect(scheduler) if isinstance(scheduler, str) else scheduler
    try:
        with writer_lock(out):  # before anything is computed; held until the figures are drawn
            from ssbsim import __version__

            store = SweepStore(out, grid_hash(conds), len(conds), __version__, overwrite=overwrite)
            report = run_cases(conds, store, workers, client, progress, case_timeout_s)
            if figures and any(r.get("status") == "ok" for r in store.read()):
                from .figures import plot_sweep

                report.figures = plot_sweep(store.path)
            return report
    finally:
        if client is not scheduler:
            client.close()


def run_cases(conds: list[Conditions], store: SweepStore, workers=None, scheduler=None, progress=None,
              case_timeout_s=None) -> SweepReport:
    """Solve the cases of ``conds`` not yet finished in ``store``, writing each as it
    completes (grouped so that cases differing only in inputs share one built model; a
    case past ``case_timeout_s`` is written as failed). Ctrl-C raises
    :class:`SweepInterrupted` saying what was saved."""
    groups: dict[str, list] = {}
    for c in conds:
        groups.setdefault(group_key(c), []).append(c)
    inputs = {gk: swept_inputs(cs) if len(cs) > 1 else () for gk, cs in groups.items()}
    done = store.finished()
    todo = [(case_name(c), c, inputs[group_key(c)]) for c in conds if case_name(c) not in done]
    report = SweepReport(store.path, len(conds), len(todo), len(conds) - len(todo))
    n_new = 0
    try:
        with progress_bar(progress, len(conds), len(conds) - len(todo)) as advance:
            for name, record in execute(run_case, todo, workers, scheduler, case_timeout_s):
                store.write_case(name, record)
                n_new += record["status"] == "ok"
                if record["status"] != "ok":
                    report.failures.append((name, record["error"]))
                advance()
    except KeyboardInterrupt:
        raise SweepInterrupted(store.path, len(store.finished()), len(conds), n_new) from None
    return report
