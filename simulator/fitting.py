"""``ssbsim.simulator.fitting``: fit named parameters of a preset to measured points.

Scalar points (capacities, coulombic efficiency, mean discharge voltage of the row's
``cycle``, by default the first or the one after ``start_after_cycles``) in the layout of
``tests/data/calibration_points.csv`` (columns ``source``, conditions, ``quantity``,
``value``, ``unit``, optional ``uncertainty`` and ``cycle``) are fitted jointly across their
conditions with ``scipy.optimize.least_squares`` (trust-region reflective, bounds) on
residuals (model - measured) / sigma, in log coordinates where asked, from several
starts (the given one plus a Latin-hypercube sample of the bounds). The fitted
parameters are PyBaMM inputs of one built simulation per geometry, so every
evaluation only re-solves.

Uncertainty: the covariance (J^T J)^-1 of the transformed parameters at the optimum
(scaled by the reduced chi-square when it exceeds 1), 95 % intervals mapped back
through the transform; a parameter whose interval spans more than a factor 10 (log) or
more than its own value (linear), or a near-singular J^T J, gets a non-identifiability
warning.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass, field

import numpy as np
import pybamm
from scipy.optimize import least_squares
from scipy.stats import qmc

from .errors import InputError, SimulationError, SsbsimError
from .fit_inputs import (CONDITION_COLUMNS, QUANTITIES, REQUIRED_CONDITIONS, DataPoint,  # noqa: F401
                         FitParameter, load_points)
from .overrides import apply_overrides
from .presets import get_preset, recommended_model
from .cycled_start import CycledStart, check_start_cycles, cycle_value
from .fit_figure import plot_fit  # noqa: F401  (ssbsim.simulator.fitting.plot_fit)
from .cycler import CUTOFF_MARGIN_V, TimeSeries, current_driven_simulation, model_voltage
from .simulation import CellRunner, cell_model, parameter_values, resolve_conditions
from .solving import idaklu_solver
from .sweep import group_key, swept_inputs


@dataclass
class FitResult:
    parameters: dict
    ci95: dict
    residuals: list
    cost: float
    n_evaluations: int
    warnings: list = field(default_factory=list)
    start_after_cycles: int = 0  # paper cycles run before the fitted experiments
    posterior: dict | None = None  # posterior.sample_posterior's summary, if one was drawn
    posterior_samples: np.ndarray | None = field(default=None, repr=False)  # its samples, model units
    #: each fitted cycler curve at the best parameters: source, time_s, measured_V, model_V
    curves: list = field(default_factory=list, repr=False)

    def to_dict(self):
        return {"parameters": self.parameters, "ci95": self.ci95, "residuals": self.residuals,
                "cost": self.cost, "n_evaluations": self.n_evaluations, "warnings": self.warnings,
                "start_after_cycles": self.start_after_cycles, "posterior": self.posterior}

    def save(self, path, preset: str):
        """A parameter file (``params_file``) with the fit's intervals and residuals as meta."""
        from .params_file import save_parameters

        return save_parameters(path, self.parameters, {"preset": preset, "fit": self.to_dict()})


class _Problem:
    """Residuals of all points (and time series) as a function of the transformed
    parameters u."""

    def __init__(self, preset, points, params, model, mechanics, series=(), start_after_cycles=0):
        self.points, self.params, self.start_after_cycles = points, params, start_after_cycles
        names = tuple(sorted({p.name for p in params}))
        self.series = []
        self.series_conds = [resolve_conditions(preset, model=model, mechanics=mechanics, **kw) for kw, _, _ in series]
        for cond_kw, ts, sigma_V in series:
            idx = np.unique(np.linspace(0, len(ts.time_s) - 1, min(len(ts.time_s), 100)).astype(int))
            sub = TimeSeries(ts.time_s[idx], ts.current_A[idx], ts.voltage_V[idx], ts.source)
            self.series.append((_series_voltage(preset, model, mechanics, cond_kw, ts, names, start_after_cycles),
                                sub, sigma_V))
        self.cycles = [_point_cycle(pt, start_after_cycles) for pt in points]  # 1-based, compared
        self.conds = []
        for pt, n in zip(points, self.cycles):
            try:
                self.conds.append(resolve_conditions(preset, model=model, mechanics=mechanics,
                                                     **({"cycles": n} if n > 1 else {}), **pt.conditions))
            except InputError as err:  # a condition out of range: name the row and its column
                said = {"c_rate": "C-rate", "binder_content": "binder content"}  # how the errors name them
                col = next((c for c, kw in CONDITION_COLUMNS.items() if str(err).startswith(f"{said.get(kw, kw)}=")),
                           None)
                raise InputError(f"{pt.where}{f', column {col!r}' if col else ''}: {err}") from None
        groups = {}
        for c in self.conds:
            groups.setdefault(group_key(c), []).append(c)
        self.runners = {gk: CellRunner(cs[0], tuple(sorted(set(swept_inputs(cs) if len(cs) > 1 else ()) | set(names))))
                        for gk, cs in groups.items()}
        self.n_evaluations = 0

    def model_values(self, u):
        theta = {p.name: p.from_u(ui) for p, ui in zip(self.params, u)}
        out = []
        if not self.points:
            self.n_evaluations += 1
            return np.array(out)
        for pt, cond, n in zip(self.points, self.conds, self.cycles):
            try:
                res = self.runners[group_key(cond)].run(dataclasses.replace(cond, parameters=theta))
                out.append(cycle_value(res, QUANTITIES[pt.quantity][0], n - 1))
            except SsbsimError:
                out.append(np.nan)
        self.n_evaluations += 1
        return np.array(out)

    def series_values(self, u):
        theta = {p.name: p.from_u(ui) for p, ui in zip(self.params, u)}
        out = []
        for voltage, ts, _ in self.series:
            try:
                out.append(voltage(ts, theta))
            except Exception:  # noqa: BLE001 - a failed solve is a large residual
                out.append(np.full(ts.time_s.shape, np.nan))
        return out

    def residuals(self, u):
        r = (self.model_values(u) - [p.value for p in self.points]) / [p.sigma for p in self.points]
        parts = [r] + [(v - ts.voltage_V) / sigma for v, (_, ts, sigma) in zip(self.series_values(u), self.series)]
        r = np.concatenate(parts)
        return np.where(np.isfinite(r), r, 1e3)  # a failed solve pushes the optimiser away


def _point_cycle(pt: DataPoint, start_after_cycles: int) -> int:
    """The 1-based cycle the model value of ``pt`` is read from: the row's own ``cycle``,
    else the one after ``start_after_cycles``; a row of another cycle than that one with
    ``start_after_cycles`` is refused (the option says which cycle the points are of)."""
    if pt.cycle is None:
        return start_after_cycles + 1
    if start_after_cycles and pt.cycle != start_after_cycles + 1:
        raise InputError(f"{pt.where}, column 'cycle': {pt.cycle}, but start_after_cycles={start_after_cycles} "
                         f"compares points with cycle {start_after_cycles + 1}: give rows of that cycle, leave "
                         "the column empty, or fit without start_after_cycles (each row is then read at its cycle)")
    return pt.cycle


def _series_voltage(preset, model, mechanics, cond_kw, ts, input_names, start_after_cycles):
    """voltage(series, theta) of the model run under the measured current ``ts``: from the
    pristine cell, or after ``start_after_cycles`` paper cycles (:mod:`.cycled_start`)."""
    solver = idaklu_solver(model)
    if start_after_cycles:
        cond = resolve_conditions(preset, model=model, mechanics=mechanics, cycles=start_after_cycles, **cond_kw)
        return CycledStart(cond, input_names, ts, solver).voltage
    cond = resolve_conditions(preset, model=model, mechanics=mechanics, **cond_kw)
    pv = parameter_values(cond)
    sim = current_driven_simulation(cell_model(cond, pv), pv, ts, input_names, solver)
    return lambda series, theta: model_voltage(sim, series, theta)


def residual_problem(preset: str, points: list[DataPoint], parameters: list[FitParameter], model="SPM",
                     mechanics=True, series=(), start_after_cycles=0) -> _Problem:
    """The residuals :func:`fit` minimises, for driving them with another optimiser.

    Builds the simulations once (as :func:`fit` does) and returns an object with
    ``residuals(u)``: the vector (model - measured) / sigma of every point, then of every
    ``series`` sample, with 1e3 where a solve failed; ``model_values(u)``: the points'
    model values; and the counter ``n_evaluations`` (one per call of either). ``u`` holds
    the parameters in the order of ``parameters``, each transformed by
    :meth:`FitParameter.to_u` (log10 where ``log``). Arguments as for :func:`fit`.
    """
    p = get_preset(preset)
    if not points and not series:
        raise InputError("nothing to fit: give data points and/or cycler time series")
    check_fit_parameters(preset, parameters, model, mechanics)
    lo, hi = p.window_V[0] - CUTOFF_MARGIN_V, p.window_V[1] + CUTOFF_MARGIN_V
    for _, ts, _ in series:  # a curve of another cell (or counter electrode) cannot be this preset's
        v = ts.voltage_V
        if v.min() < lo or v.max() > hi:
            ref = "vs Li/Li+" if p.cell == "half" else "cell voltage"
            raise InputError(f"{ts.source}: voltage {v.min():.4g} to {v.max():.4g} V is outside the window of preset "
                             f"{preset!r}, {p.window_V[0]:g}-{p.window_V[1]:g} V ({ref}), by more than "
                             f"{CUTOFF_MARGIN_V:g} V: not a curve of this cell")
    return _Problem(preset, points, parameters, model, mechanics, series, check_start_cycles(start_after_cycles))


def check_fit_parameters(preset: str, parameters: list[FitParameter], model=None, mechanics=True):
    """Each parameter is a number of the preset's parameter set (not a function, not a
    run condition, not a value derived from the geometry) and its bounds are within its
    physical range and leave the electrode's volume fractions summing to at most 1; else
    InputError naming it, with the closest names. Runs before anything is solved."""
    from .params_file import check_value

    p = get_preset(preset)
    pv = parameter_values(resolve_conditions(preset, model=model or recommended_model(preset), mechanics=mechanics))
    numeric = [k for k, v in pv.items() if isinstance(v, (int, float))]
    for fp in parameters:
        if fp.name not in pv:
            close = difflib.get_close_matches(fp.name, numeric, n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else \
                "; the names are those of pybamm.ParameterValues of the preset"
            raise InputError(f"--param {fp.name!r} is not a parameter of preset {p.name!r} "
                             f"(parameter set {p.parameter_set}){hint}")
        if isinstance(pv[fp.name], pybamm.Symbol):  # e.g. a binder law's value in an electrode
            raise InputError(f"--param {fp.name!r} is an expression of other parameters in parameter set "
                             f"{p.parameter_set}; fit one of {', '.join(map(repr, _numeric_leaves(pv, fp.name)))}")
        if fp.name not in numeric:
            raise InputError(f"--param {fp.name!r} is a function in parameter set {p.parameter_set}; "
                             "only numeric parameters can be fitted")
        for bound in (fp.lower, fp.upper):
            check_value(fp.name, bound, source=f"--param {fp.name!r} bound")
            try:  # e.g. a volume fraction that overfills the electrode
                apply_overrides(dict(pv.items()), {fp.name: bound}, p.parameter_set)
            except InputError as e:
                raise InputError(f"--param {fp.name!r} bound: {e}") from None


def _numeric_leaves(pv, name: str) -> list[str]:
    """The numeric parameters (not run conditions) that the expression ``pv[name]`` is made of."""
    from .params_file import RUN_CONDITIONS

    leaves, stack = set(), [name]
    while stack:
        for s in pv[stack.pop()].pre_order():
            if isinstance(s, pybamm.Parameter) and isinstance(pv[s.name], pybamm.Symbol):
                stack.append(s.name)
            elif isinstance(s, pybamm.Parameter):
                leaves.add(s.name)
    return sorted(leaves - set(RUN_CONDITIONS))


def fit(preset: str, points: list[DataPoint], parameters: list[FitParameter], model=None,
        mechanics=True, starts=3, seed=0, series=(), start_after_cycles=0, posterior=None,
        noise_sigma=None, walkers=None) -> FitResult:
    """Fit ``parameters`` of ``preset`` to ``points`` and/or cycler ``series``.

    ``model`` defaults to the cheapest model within 2 % of the DFN for the preset
    (:func:`~ssbsim.simulator.presets.recommended_model`).
    ``series`` is a sequence of (conditions, :class:`~ssbsim.simulator.cycler.TimeSeries`,
    voltage uncertainty [V]); the cell follows the measured current from the pristine
    state, or, with ``start_after_cycles`` N > 0, from the state after N cycles of the
    preset's paper cycle (points are then those of cycle N + 1; :mod:`.cycled_start`).
    A point's own ``cycle`` (the points file's ``cycle`` column) is the cycle its model
    value is read from, the cell run that many cycles at the point's conditions; with
    ``start_after_cycles`` N it must be N + 1 (else InputError naming the row).
    ``posterior`` N (10 or more) then draws an MCMC posterior of N steps per walker around the
    optimum (:func:`~ssbsim.simulator.posterior.sample_posterior`, the optional extra
    ``ssbsim[posterior]``; ``noise_sigma`` in units of the residual, default estimated;
    ``walkers`` default max(8, 4n); ``seed`` also seeds the chain) into ``result.posterior``
    and ``result.posterior_samples``.
    """
    if posterior is not None:
        from .posterior import check_posterior, require_sampler

        check_posterior(posterior, walkers, noise_sigma, len(parameters))
        require_sampler()  # before anything is solved
    elif walkers is not None or noise_sigma is not None:
        raise InputError("walkers and noise_sigma are options of the posterior: give posterior=N too")
    model = model or recommended_model(preset)
    prob = residual_problem(preset, points, parameters, model, mechanics, series, start_after_cycles)
    lo = np.array([p.to_u(p.lower) for p in parameters])
    hi = np.array([p.to_u(p.upper) for p in parameters])
    first = np.array([p.to_u(p.initial) if p.initial is not None else 0.5 * (p.to_u(p.lower) + p.to_u(p.upper))
                      for p in parameters])
    sample = qmc.LatinHypercube(d=len(parameters), seed=seed).random(max(starts - 1, 0))
    best = None
    for u0 in [first, *(lo + sample * (hi - lo))]:
        sol = least_squares(prob.residuals, u0, bounds=(lo, hi), x_scale=hi - lo,
                            diff_step=1e-3, max_nfev=60)
        if best is None or sol.cost < best.cost:
            best = sol
    result = _result(prob, parameters, best)
    result.start_after_cycles = prob.start_after_cycles
    from .calibration_domain import extrapolation_notes  # where the fitted data lie beyond the package's own

    result.warnings += list(dict.fromkeys(n for c in [*prob.conds, *prob.series_conds] for n in extrapolation_notes(c)))
    if posterior is not None:
        from .posterior import sample_posterior

        result.posterior, result.posterior_samples = sample_posterior(
            prob, parameters, result, posterior, walkers=walkers, noise_sigma=noise_sigma, seed=seed)
    return result


def _result(prob, parameters, sol) -> FitResult:
    J = sol.jac
    m, n = J.shape
    dof = max(m - n, 1)
    chi2_red = 2 * sol.cost / dof
    warnings, ci = [], {}
    jtj = J.T @ J
    if np.linalg.cond(jtj) > 1e12:
        warnings.append("J^T J is near-singular: the data do not determine all parameters together")
    cov = np.linalg.pinv(jtj) * max(chi2_red, 1.0)
    values = {}
    for k, p in enumerate(parameters):
        u, half = sol.x[k], 1.96 * math.sqrt(max(cov[k, k], 0.0))
        values[p.name] = float(p.from_u(u))
        # an interval is reported within the parameter's bounds (the fit cannot leave them;
        # a parameter the data barely touch would otherwise overflow 10^u)
        lo, hi = p.to_u(p.lower), p.to_u(p.upper)
        ci[p.name] = [float(p.from_u(max(u - half, lo))), float(p.from_u(min(u + half, hi)))]
        wide = half > 1.0 if p.log else half > abs(values[p.name])
        if wide or cov[k, k] == 0:
            warnings.append(f"{p.name!r} is not identifiable from these data (95 % interval "
                            f"{ci[p.name][0]:.3g} - {ci[p.name][1]:.3g})")
    model = prob.model_values(sol.x)
    series = prob.series_values(sol.x)
    bad = [pt.where for pt, mv in zip(prob.points, model) if not math.isfinite(mv)]
    bad += [ts.source for v, (_, ts, _) in zip(series, prob.series) if not np.any(np.isfinite(v))]
    if bad or not math.isfinite(sol.cost) or not np.all(np.isfinite(sol.x)):
        raise SimulationError(
            "the fit stopped: its objective is not a number at the best parameters found "
            f"({', '.join(f'{p.name}={p.from_u(u):.4g}' for p, u in zip(parameters, sol.x))}); the model "
            f"could not be solved for {', '.join(bad) or 'the data'}: narrow the --param bounds or "
            "try another --model; no parameter file was written")
    residuals = [{"where": pt.where, "conditions": pt.conditions, "quantity": pt.quantity,
                  "measured": pt.value, "model": float(mv), "residual": float(mv - pt.value)}
                 for pt, mv in zip(prob.points, model)]
    for v, (_, ts, _) in zip(series, prob.series):
        rmse = float(np.sqrt(np.nanmean((v - ts.voltage_V) ** 2)))
        residuals.append({"where": ts.source, "conditions": {}, "quantity": "voltage RMSE [V]",
                          "measured": 0.0, "model": rmse, "residual": rmse})
        if not np.all(np.isfinite(v)):  # the RMSE above is over the points the model reached
            warnings.append(f"{ts.source}: the model stopped before {int(np.sum(~np.isfinite(v)))} of {len(v)} "
                            "fitted points (a voltage event); they entered the fit as large residuals and the "
                            "voltage RMSE leaves them out")
    if not all(math.isfinite(x) for lo_hi in ci.values() for x in lo_hi):
        raise SimulationError(f"the fit's 95 % intervals are not numbers ({ci}): the data do not "
                              "constrain these parameters; no parameter file was written")
    curves = [{"source": ts.source, "time_s": ts.time_s, "measured_V": ts.voltage_V, "model_V": np.asarray(v)}
              for v, (_, ts, _) in zip(series, prob.series)]
    return FitResult(values, ci, residuals, float(sol.cost), prob.n_evaluations, warnings, curves=curves)
