"""``ssbsim bench``: speed and accuracy of model x solver x mesh x mechanics, and kernels.

For each configuration (model SPM/SPMe/DFN, solver IDAKLU/CasADi, mesh, mechanics on/off)
on the Kwon 2022 half cell at 2 MPa (first cycle, 0.1C: CC charge, CV hold, CC discharge)
it times separately

* build: model construction + parameter processing + discretisation of the protocol;
* first solve: solver set-up and the first integration;
* warm solve: median, min and max of ``repeats`` further solves of the built simulation,
  interleaved across all configurations (:func:`interleaved_solves`);

and reports the error against a fine-mesh DFN reference with the same mechanics setting:
discharge capacity error [%] and voltage RMSE [mV] on a common capacity grid. The kernel
part times the numba contact kernel against its NumPy twin and a pure-Python loop.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from dataclasses import asdict, dataclass

import numpy as np
import pybamm

from ssbsim.models import composite_cell_model
from ssbsim.models.contact_ensemble import advance_ensemble_numpy, running_max_series
from ssbsim.models.contact_law import ContactLawParameters

from ssbsim.simulator.protocol import experiment
from ssbsim.simulator.simulation import parameter_values, resolve_conditions
from ssbsim.simulator.solving import idaklu_solver, solver_tolerances

MESHES = {"coarse": 10, "default": 20, "fine": 40}  # points per x-domain and particle
SOLVERS = {"IDAKLU": idaklu_solver,  # compiled under `ssbsim --compile bench` (SSBSIM_COMPILE=1)
           "CasADi": lambda model: pybamm.CasadiSolver(mode="safe", **solver_tolerances(model))}


@dataclass
class Timing:
    model: str
    solver: str
    mesh: str
    mechanics: bool
    build_s: float
    first_solve_s: float
    warm_median_s: float
    warm_min_s: float
    warm_max_s: float
    discharge_capacity_mAh_g: float
    capacity_error_pct: float = float("nan")
    voltage_rmse_mV: float = float("nan")


def _var_pts(n):
    return {"x_n": n, "x_s": n, "x_p": n, "r_n": n, "r_p": n}


def _discharge_curve(sol, mass_g):
    st = sol.cycles[0].steps[-1]
    q = st["Discharge capacity [A.h]"].entries
    return (q - q[0]) * 1e3 / mass_g, st["Voltage [V]"].entries


class Configuration:
    """One configuration of the matrix: ``first_solve()`` builds it (model construction,
    parameters, discretisation of the protocol: ``build_s``) and solves it once
    (solver set-up + integration: ``first_solve_s``); ``warm_solve()`` solves the built
    simulation again (timed into ``warm_s``). Used through :func:`interleaved_solves`."""

    def __init__(self, model, solver, mesh, mechanics, pressure=2.0):
        self.model, self.solver, self.mesh, self.mechanics = model, solver, mesh, mechanics
        self.pv = parameter_values(resolve_conditions("kwon2022", pressure=pressure, model=model,
                                                      mechanics=mechanics))
        self.sim, self.sol, self.warm_s = None, None, []

    def first_solve(self):
        if self.sim is not None:  # already built and solved (run_bench does it first)
            return
        t0 = time.perf_counter()
        m = composite_cell_model(self.model, "half", mechanics=self.mechanics)
        sim = pybamm.Simulation(m, parameter_values=self.pv, experiment=experiment("cathode", 0.1, 3.0, 4.3),
                                solver=SOLVERS[self.solver](self.model), var_pts=_var_pts(MESHES[self.mesh]))
        sim.build_for_experiment()
        t1 = time.perf_counter()
        self.sol = sim.solve()
        self.build_s, self.first_solve_s = t1 - t0, time.perf_counter() - t1
        self.sim = sim

    def warm_solve(self, timed=True):
        gc.collect()  # a collection of earlier solves' garbage is not this solve's time
        t0 = time.perf_counter()
        self.sol = self.sim.solve()
        if timed:
            self.warm_s.append(time.perf_counter() - t0)

    def curve(self):
        """Discharge capacity [mAh/g] and voltage [V] of the last solve's discharge step."""
        pv = self.pv
        mass_g = pv["Positive electrode active material mass loading [kg.m-2]"] * \
            pv["Electrode height [m]"] * pv["Electrode width [m]"] * 1e3
        return _discharge_curve(self.sol, mass_g)

    def timing(self):
        warm = self.warm_s or [float("nan")]
        return Timing(self.model, self.solver, self.mesh, self.mechanics, self.build_s, self.first_solve_s,
                      statistics.median(warm), min(warm), max(warm), float(self.curve()[0][-1]))


def compare(timing, curve, reference):
    """Fill in the capacity error and voltage RMSE against a reference curve."""
    q, v = curve
    q_ref, v_ref = reference
    timing.capacity_error_pct = 100 * (q[-1] - q_ref[-1]) / q_ref[-1]
    # up to 95 % of the shorter curve: at the end-of-discharge cliff a tiny capacity
    # shift is a large voltage difference and would dominate the RMSE
    grid = np.linspace(0, 0.95 * min(q[-1], q_ref[-1]), 200)
    timing.voltage_rmse_mV = 1e3 * float(np.sqrt(np.mean((np.interp(grid, q, v) - np.interp(grid, q_ref, v_ref)) ** 2)))


def kernel_speedups(n_particles=100_000, steps=50, repeats=3):
    """Warm numba vs NumPy contact-kernel time at ``n_particles`` (and the thread count)."""
    import numba

    from ssbsim.models.contact_kernel import advance_ensemble

    p = _law_parameters()
    rng = np.random.default_rng(0)
    R = 5e-6 * np.exp(0.3 * rng.standard_normal(n_particles))
    s = -0.012 * np.sin(np.linspace(0, np.pi, steps))
    s_max, _ = running_max_series(s, 0.0, 10.0, p)
    drivers = (s, s_max, np.full(steps, 2e6), np.full(steps, 0.8))

    def run(fn):
        states = [np.full(n_particles, 0.0) for _ in range(5)]  # written: no page faults timed
        t = time.perf_counter()
        fn(R, *states, *drivers, 10.0, p)
        return time.perf_counter() - t

    run(advance_ensemble)  # JIT
    t_numba = min(run(advance_ensemble) for _ in range(repeats))
    t_numpy = min(run(advance_ensemble_numpy) for _ in range(repeats))
    return {"numba_s": t_numba, "numpy_s": t_numpy, "numba_speedup_vs_numpy": t_numpy / t_numba,
            "numba_threads": numba.get_num_threads(), "particles": n_particles, "steps": steps}


def kernel_scaling(sizes=(1_000, 10_000, 100_000, 1_000_000), steps=50):
    """numba vs NumPy at several ensemble sizes, and a pure-Python loop at 1e3."""
    out = [kernel_speedups(n, steps) for n in sizes]
    out.append({"particles": 1_000, "python_loop_s": _python_loop_time(1_000, steps)})
    return out


def _law_parameters():
    from ssbsim.parameter_sets.mechanics import SE_CONTACT

    return ContactLawParameters.from_parameters(SE_CONTACT)


def _python_loop_time(n, steps):
    """The law in a pure-Python particle loop (``contact_ensemble.advance_ensemble_python``,
    the same code) over ``steps``, for reference."""
    from ssbsim.models.contact_ensemble import advance_ensemble_python

    p = _law_parameters()
    R = 5e-6 * np.exp(0.3 * np.random.default_rng(0).standard_normal(n))
    s = -0.012 * np.sin(np.linspace(0, np.pi, steps))
    s_max, _ = running_max_series(s, 0.0, 10.0, p)
    states = [np.zeros(n) for _ in range(5)]
    t = time.perf_counter()
    advance_ensemble_python(R, *states, s, s_max, np.full(steps, 2e6), np.full(steps, 0.8), 10.0, p)
    return time.perf_counter() - t


#: The 12-case sweep of the scaling benchmark: 2 binders x 6 pressures (Kwon 2022).
TWELVE_CASES = {"binders": ["pristine", "vulcanized"], "pressures": [70, 20, 7, 5, 3, 2]}


def timed_sweep(args) -> float:
    """Wall time [s] of ``ssbsim sweep ARGS`` as a fresh process (into a temporary file)."""
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        cmd = [sys.executable, "-m", "ssbsim.simulator.cli", "sweep", "--no-progress", "--no-figures",
               "--out", os.path.join(d, "sweep.h5"), *args]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return elapsed


_TIMED_API_SWEEP = """
import json, sys, time
t0 = time.perf_counter()
from ssbsim.simulator.sweep import sweep
t1 = time.perf_counter()
sweep(**json.loads(sys.argv[1]))
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "sweep_s": t2 - t1}))
"""


def timed_api_sweep(**kwargs) -> dict:
    """``ssbsim.sweep(**kwargs)`` in a fresh process: ``process_s`` (start to exit, as
    :func:`timed_sweep`), ``import_s`` (the sweep module, i.e. PyBaMM) and ``sweep_s``
    (the call: grid, store, model builds in each worker, solves, writes)."""
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        kwargs = {"progress": False, "figures": False, "out": os.path.join(d, "sweep.h5"), **kwargs}
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _TIMED_API_SWEEP, json.dumps(kwargs)],
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"ssbsim.sweep(**{kwargs}) failed:\n{proc.stderr[-2000:]}")
    return {"process_s": elapsed, **json.loads(proc.stdout.strip().splitlines()[-1])}


def sweep_scaling(workers=(1, 2), model="SPM", repeats=1):
    """The 12-case sweep (:data:`TWELVE_CASES`) with each worker count, a fresh process per
    run, the worker counts interleaved ``repeats`` times; parallel efficiency
    E_w = w0 T_w0 / (w T_w) from the median times and from the fastest run of each (on a
    shared machine noise only adds time), for two clocks:

    * ``process``: the whole command, start to exit, which includes starting Python and
      importing PyBaMM (~1.2 s, once per command whatever the worker count);
    * ``sweep``: the ``ssbsim.sweep`` call alone (each worker still builds its models).
    """
    import statistics

    runs = {clock: {w: [] for w in workers} for clock in ("process", "sweep")}
    imports = []
    for _ in range(repeats):
        for w in workers:
            t = timed_api_sweep(**TWELVE_CASES, model=model, workers=w)
            imports.append(t["import_s"])
            for clock in runs:
                runs[clock][w].append(t[f"{clock}_s"])
    w0 = min(workers)
    out = {"model": model, "repeats": repeats, "import_s_median": statistics.median(imports)}
    for clock, by_w in runs.items():
        med = {w: statistics.median(t) for w, t in by_w.items()}
        low = {w: min(t) for w, t in by_w.items()}
        out[clock] = {"wall_s": med, "min_wall_s": low, "runs_s": by_w,
                      "efficiency": {w: med[w0] * w0 / (w * t) for w, t in med.items()},
                      "efficiency_of_min": {w: low[w0] * w0 / (w * t) for w, t in low.items()}}
    return out


def interleaved_solves(cases, repeats, warmup=0):
    """Time warm solves fairly: each case's first solve in order, ``warmup`` untimed warm
    solves, then ``repeats`` timed ones interleaved, the order alternating from one repeat
    to the next. A case has ``first_solve()`` and ``warm_solve(timed=True)``."""
    cases = list(cases)
    for case in cases:
        case.first_solve()
    for _ in range(warmup):
        for case in cases:
            case.warm_solve(timed=False)
    for i in range(repeats):
        for case in cases if i % 2 == 0 else cases[::-1]:
            case.warm_solve()


def column_table(rows, columns: dict, width: int) -> str:
    """A text table: a header of the ``columns`` names, then one line per ``(label, f)``
    row with ``f(column)`` right-aligned in ``width`` characters for each column."""
    w0 = max(len(label) for label, _ in rows)
    lines = [f"{'':<{w0}}" + "".join(f"  {name:>{width}}" for name in columns)]
    lines += [f"{label:<{w0}}" + "".join(f"  {f(c):>{width}}" for c in columns.values()) for label, f in rows]
    return "\n".join(lines)


def run_bench(models=("SPM", "SPMe", "DFN"), solvers=("IDAKLU", "CasADi"), meshes=("coarse", "default"),
              mechanics=(False, True), repeats=5, particles=100_000, reference_mesh="fine"):
    """Run the matrix and the kernel benchmark; returns a JSON-ready dict."""
    refs, failures, built = {}, [], []
    for mech in mechanics:
        ref = Configuration("DFN", "IDAKLU", reference_mesh, mech)
        ref.first_solve()
        refs[mech] = ref.curve()
    for mech in mechanics:
        for model in models:
            for solver in solvers:
                for mesh in meshes:
                    c = Configuration(model, solver, mesh, mech)
                    try:
                        c.first_solve()
                    except Exception as e:  # noqa: BLE001 - a failed configuration is a result
                        failures.append({"model": model, "solver": solver, "mesh": mesh,
                                         "mechanics": mech, "error": f"{type(e).__name__}: {e}"[:300]})
                        continue
                    built.append(c)
    # warm solves of all configurations interleaved, so that a slow spell of a shared
    # machine does not land on one side of the with / without mechanics ratios
    interleaved_solves(built, repeats, warmup=1)
    rows = []
    for c in built:
        t = c.timing()
        compare(t, c.curve(), refs[c.mechanics])
        rows.append(t)
    out = {"configurations": [asdict(r) for r in rows], "failures": failures,
           "reference": f"DFN, IDAKLU, {reference_mesh} mesh",
           "pybamm_version": pybamm.__version__}
    pairs = {(r.model, r.solver, r.mesh, r.mechanics): r for r in rows}
    ratios = {"/".join(k[:3]): pairs[(*k[:3], True)].warm_median_s / r.warm_median_s
              for k, r in pairs.items() if not k[3] and (*k[:3], True) in pairs}
    out["mechanics_overhead_ratios"] = ratios
    # headline: the DFN (else the most detailed model run) on the finest mesh run
    order = [(m, s, me) for m in ("DFN", "SPMe", "SPM") for me in reversed(list(MESHES)) for s in solvers]
    key = next(("/".join(k) for k in order if "/".join(k) in ratios), None)
    if key:
        out["mechanics_overhead_ratio"] = ratios[key]
        out["mechanics_overhead_configuration"] = key
    out.update(kernel_speedups(particles))
    return out


def format_table(result) -> str:
    head = f"{'model':5} {'solver':7} {'mesh':8} {'mech':5} {'build s':>8} {'1st s':>7} " \
           f"{'warm s (min-max)':>22} {'cap mAh/g':>10} {'cap err %':>9} {'V RMSE mV':>9}"
    lines = [head, "-" * len(head)]
    for r in result["configurations"]:
        lines.append(
            f"{r['model']:5} {r['solver']:7} {r['mesh']:8} {str(r['mechanics']):5} {r['build_s']:8.2f} "
            f"{r['first_solve_s']:7.2f} {r['warm_median_s']:8.3f} ({r['warm_min_s']:.3f}-{r['warm_max_s']:.3f}) "
            f"{r['discharge_capacity_mAh_g']:10.1f} {r['capacity_error_pct']:9.2f} {r['voltage_rmse_mV']:9.1f}")
    lines += [f"failed: {f['model']}/{f['solver']}/{f['mesh']}/mech={f['mechanics']}: {f['error']}"
              for f in result.get("failures", [])]
    lines.append(f"reference: {result['reference']}")
    if "mechanics_overhead_ratio" in result:
        lines.append(f"mechanics overhead ({result['mechanics_overhead_configuration']}): "
                     f"{result['mechanics_overhead_ratio']:.2f}x (goal <= 1.3)")
    lines.append(f"numba kernel vs NumPy at {result['particles']} particles: "
                 f"{result['numba_speedup_vs_numpy']:.1f}x with {result['numba_threads']} threads (goal >= 20)")
    for k in result.get("kernel_scaling", []):
        if "numba_s" in k:
            lines.append(f"  kernel {k['particles']:>9} particles: numba {k['numba_s']:.4f} s, NumPy "
                         f"{k['numpy_s']:.4f} s ({k['numba_speedup_vs_numpy']:.1f}x)")
        else:
            lines.append(f"  pure-Python loop, {k['particles']} particles: {k['python_loop_s']:.3f} s")
    if "sweep_scaling" in result:
        sc = result["sweep_scaling"]
        for clock in ("process", "sweep"):
            c = sc[clock]
            lines.append(f"12-case sweep ({sc['model']}), {clock} clock: " + ", ".join(
                f"{w} worker(s) {t:.1f} s (efficiency {100 * c['efficiency'][w]:.0f} %)"
                for w, t in c["wall_s"].items()))
    return "\n".join(lines)


def plot_bench(result, path):
    """Warm solve time vs capacity error, one marker per configuration."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    for r in result["configurations"]:
        ax.scatter(r["warm_median_s"], abs(r["capacity_error_pct"]) + 1e-4,
                   marker="o" if r["mechanics"] else "s")
        ax.annotate(f"{r['model']}/{r['solver']}/{r['mesh']}{'/mech' if r['mechanics'] else ''}",
                    (r["warm_median_s"], abs(r["capacity_error_pct"]) + 1e-4), fontsize=6)
    ax.set(xscale="log", yscale="log", xlabel="warm solve [s]",
           ylabel="|capacity error| vs fine DFN [%]")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path
