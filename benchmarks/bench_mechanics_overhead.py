"""Overhead of the contact mechanics: full coupled solve vs the composite model without it.

What is measured
----------------
The paper's first cycle of the Kwon 2022 NCM711 | LPSX | Li-In half cell (preset
``kwon2022``, default 2 MPa stack pressure, where contact loss is active) is solved by two
models:

* ``mechanics``: ``ssbsim.models.composite_cell_model(model, "half", mechanics=True)``
  (contact states of ``--size-classes`` lognormal size classes, default 5, each with
  closure / damage / void / isolated fraction, plus the running maximum strain and the
  loss-of-active-material states; contact utilisation; ``ContactTortuosity`` transport);
* ``no_mechanics``: ``composite_cell_model(model, "half", mechanics=False)`` (perfect
  contact).

Both use the same parameter values,
``parameter_values(resolve_conditions("kwon2022", pressure=..., model=...))``. The
no-mechanics model ignores the extra parameters. Both use the same protocol,
``ssbsim.simulator.protocol.experiment("cathode", 0.1, 3.0, 4.3)``: 0.1C CC charge to
4.3 V, a CV hold at 4.3 V until C/50, then 0.1C CC discharge to 3.0 V. Both use the same
solver (``pybamm.IDAKLUSolver`` with ssbsim's tolerances for the model,
``solving.idaklu_solver``; with ``--compile`` its functions are compiled to C, PyBaMM's
``compile`` option, as ``SSBSIM_COMPILE=1`` does for ssbsim's runs) and the same mesh (PyBaMM's
default ``VAR_PTS``, passed explicitly). Each model gets one ``pybamm.Simulation``.

For each model:

* **first solve** is timed once and reported separately. It covers model construction,
  ``Simulation.build_for_experiment()`` (parameter processing and discretisation of one
  model per unique experiment step; PyBaMM's default "legacy" experiment mode) and the
  first ``sim.solve()`` (CasADi conversion, IDAKLU set-up and the integration).
* **warm solve** is the wall-clock time of ``sim.solve()`` on the already built
  ``Simulation``. It is repeated ``--repeats`` times (default 7, at least 5), after
  ``--warmup`` untimed solves. The two models are interleaved, the order alternates from
  one repeat to the next, and ``gc.collect()`` runs before each solve. A warm solve is the
  whole experiment: for each of the three steps it sets the initial state, finds
  consistent initial conditions, integrates, finds the termination event, and then builds
  the cycle solution.

**Does a warm solve rebuild?** No. ``Simulation.build_for_experiment`` returns early once
``steps_to_built_models`` is filled (it re-processes only if the initial state or the
nominal capacity changed). ``BaseSolver.step`` sets up a model only the first time it sees
it (``solver._model_set_up``). On later solves it only resets y0 (``ics_only=True``). The
script checks this after every warm solve:

* the built step models, their solvers and the discretisation are the same objects;
* each solver's set-up dictionary is unchanged;
* the solver set-up time summed over the steps (``sol.set_up_time``) stays below 5 % of the
  first solve's. It is in fact ~1-2 ms, vs ~0.1-3 s for the first solve.

So the wall-clock warm time is a clean measure. The solver's own times are also reported:
``sol.solve_time`` and ``sol.integration_time`` (summed over the steps; the IDAS
integration alone).

**The goal** is ``mechanics_overhead_ratio`` = warm median (mechanics) / warm median (no
mechanics) <= 1.3 (``goal_met``). ``integration_time_ratio`` is the same ratio computed on
the IDAS integration time alone. The two models integrate different physics where contact
is lost (at 2 MPa particles isolate near the top of charge, which the model without
mechanics does not do), so IDAS takes a different number of steps;
``per_step_ratio`` = (warm median / IDAS steps) with mechanics over the same without is
the cost of the mechanics themselves, and ``per_step_goal_met`` judges it on the same 1.3.

Also reported:

* IDAS statistics of a warm solve, summed over the steps: steps, Newton iterations,
  linear-solver set-ups (= Jacobian evaluations), convergence and error-test failures;
* the discharge capacity (CC discharge step) and the charge capacity (CC + CV) in mAh/g of
  positive active material. The mass is "Positive electrode active material mass loading
  [kg.m-2]" x electrode height x width;
* per built model: the number of states (ODE + algebraic). Also the CasADi Jacobian's
  non-zeros, the largest number of non-zeros in one row and in one column, and the number
  of AD sweeps (colours) needed to build it, forward and reverse. CasADi uses the smaller
  of the two. The CasADi instruction counts of the residual and the Jacobian are reported
  too.

``--diagnose`` also times single CasADi evaluations of the residual and the Jacobian of the
CC-discharge model. It estimates how much of the integration time goes to Jacobian
evaluations (``n_jac x t_jac``) and residual evaluations (``n_newton x t_res``).

Run from the repository root::

    python benchmarks/bench_mechanics_overhead.py                 # DFN, 2 MPa: table + JSON (~30 s)
    python benchmarks/bench_mechanics_overhead.py --model SPMe    # or SPM
    python benchmarks/bench_mechanics_overhead.py --json          # JSON line only
    python benchmarks/bench_mechanics_overhead.py --pressure 70 --size-classes 3 --diagnose
    python benchmarks/bench_mechanics_overhead.py --compile       # compiled functions (first run: C compiler)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time

import pybamm

from ssbsim.models import composite_cell_model
from ssbsim.models.contact_mechanics import DEFAULT_SIZE_CLASSES
from ssbsim.benchmarks.casadi_cost import evaluation_cost, jacobian_structure
from ssbsim.benchmarks.harness import column_table, interleaved_solves
from ssbsim.simulator.protocol import experiment
from ssbsim.simulator.simulation import parameter_values, resolve_conditions
from ssbsim.simulator.solving import COMPILE_ENV, compiled, idaklu_solver, solver_tolerances

#: Mesh of both models: PyBaMM's default points per domain, stated explicitly.
VAR_PTS = {"x_n": 20, "x_s": 20, "x_p": 20, "r_n": 20, "r_p": 20}
PRESET = "kwon2022"
PROTOCOL = ("cathode", 0.1, 3.0, 4.3)  # working electrode, C-rate, V_min, V_max
GOAL_RATIO = 1.3
MODELS = ("DFN", "SPMe", "SPM")
#: A warm solve that redoes more than this fraction of the first solve's set-up is a rebuild.
REBUILD_SETUP_FRACTION = 0.05
TIMED = ("wall-clock time of sim.solve() (whole 3-step experiment) on an already built "
         "pybamm.Simulation; step models, solvers and their set-up are reused (checked)")


def _seconds(x) -> float:
    return float(getattr(x, "value", x))


def active_mass_g(pv: pybamm.ParameterValues) -> float:
    """Positive active material mass [g] = loading x electrode area x 1e3."""
    area_m2 = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    return pv["Positive electrode active material mass loading [kg.m-2]"] * area_m2 * 1e3


class Case:
    """One model's Simulation, its first-solve timing and its warm timings."""

    def __init__(self, label: str, model: str, mechanics: bool, size_classes: int, pv, exp):
        self.label, self.model, self.mechanics, self.size_classes = label, model, mechanics, size_classes
        self.pv, self.exp = pv, exp
        self.warm_s: list[float] = []
        self.warm_integration_s: list[float] = []
        self.warm_solve_s: list[float] = []
        self.warm_setup_s: list[float] = []

    # -- first solve -------------------------------------------------------------------
    def first_solve(self) -> None:
        t0 = time.perf_counter()
        model = composite_cell_model(self.model, "half", mechanics=self.mechanics,
                                     size_classes=self.size_classes)
        t1 = time.perf_counter()
        for key, n in VAR_PTS.items():
            if model.default_var_pts[key] != n:
                raise RuntimeError(f"VAR_PTS[{key!r}] = {n} is not PyBaMM's default "
                                   f"{model.default_var_pts[key]}")
        self.sim = pybamm.Simulation(model, parameter_values=self.pv, experiment=self.exp,
                                     var_pts=dict(VAR_PTS),
                                     solver=idaklu_solver(self.model))
        self.sim.build_for_experiment()  # parameters + discretisation of each step model
        t2 = time.perf_counter()
        sol = self.sim.solve()  # CasADi conversion + solver set-up + integration
        t3 = time.perf_counter()
        self.construct_s, self.build_s, self.solve1_s = t1 - t0, t2 - t1, t3 - t2
        self.first_solve_s = t3 - t0
        self.first_setup_s = _seconds(sol.set_up_time)
        self.first_integration_s = _seconds(sol.integration_time)
        # Objects a rebuild would replace.
        self._identity = self._objects()
        self._record(sol)
        self.structure = {key: jacobian_structure(m) for key, m in self.sim.steps_to_built_models.items()}
        self.discharge_key = next(k for k in self.structure if k.startswith("CRate(0.1"))

    def _objects(self) -> dict:
        sim = self.sim
        return {
            "disc": sim._disc,
            "models": dict(sim.steps_to_built_models),
            "solvers": dict(sim.steps_to_built_solvers),
            "setups": {k: id(s._setup) for k, s in sim.steps_to_built_solvers.items()},
        }

    def _check_no_rebuild(self, sol) -> None:
        now, ref = self._objects(), self._identity
        same = (now["disc"] is ref["disc"]
                and now["models"].keys() == ref["models"].keys()
                and all(now["models"][k] is m for k, m in ref["models"].items())
                and all(now["solvers"][k] is s for k, s in ref["solvers"].items())
                and now["setups"] == ref["setups"])
        setup = _seconds(sol.set_up_time)
        if not same or setup > REBUILD_SETUP_FRACTION * self.first_setup_s:
            raise RuntimeError(f"{self.label}: warm sim.solve() rebuilt (same objects: {same}, "
                               f"set-up {setup:.4f} s vs first {self.first_setup_s:.4f} s)")

    # -- warm solves ---------------------------------------------------------------------
    def warm_solve(self, timed: bool = True) -> None:
        gc.collect()
        t0 = time.perf_counter()
        sol = self.sim.solve()
        dt = time.perf_counter() - t0
        self._check_no_rebuild(sol)
        if timed:
            self.warm_s.append(dt)
            self.warm_integration_s.append(_seconds(sol.integration_time))
            self.warm_solve_s.append(_seconds(sol.solve_time))
            self.warm_setup_s.append(_seconds(sol.set_up_time))
        self._record(sol)

    def _record(self, sol) -> None:
        self.solution = sol
        cycle = sol.cycles[0]
        if len(cycle.steps) != len(self.exp.cycles[0]):
            raise RuntimeError(f"{self.label}: incomplete cycle ({sol.termination})")
        mass = active_mass_g(self.pv)

        def q(step):  # capacity passed in one step [A.h]
            d = step["Discharge capacity [A.h]"].entries
            return abs(float(d[-1] - d[0]))

        self.charge_mAh_g = (q(cycle.steps[0]) + q(cycle.steps[1])) * 1e3 / mass
        self.discharge_mAh_g = q(cycle.steps[2]) * 1e3 / mass
        self.termination = sol.termination
        self.t_end_s = float(sol.t[-1])
        st = sol.solver_statistics
        self.stats = {
            "steps": int(st.number_of_steps),
            "newton_iterations": int(st.number_of_nonlinear_solver_iterations),
            "linear_solver_setups": int(st.number_of_linear_solver_setups),
            "newton_convergence_failures": int(st.number_of_nonlinear_solver_fails),
            "error_test_failures": int(st.number_of_error_test_failures),
        }
        self.steps_per_step = [int(s.solver_statistics.number_of_steps) for s in cycle.steps]

    # -- diagnose ------------------------------------------------------------------------
    def diagnose(self) -> dict:
        """Single-call CasADi evaluation times of the CC-discharge model, and an estimate."""
        model = self.sim.steps_to_built_models[self.discharge_key]
        return evaluation_cost(model, self.solution.cycles[0].steps[2],
                               statistics.median(self.warm_integration_s), self.stats)

    @property
    def median(self) -> float:
        return statistics.median(self.warm_s)


def run(model: str, pressure: float, repeats: int, warmup: int, size_classes: int,
        diagnose: bool = False) -> dict:
    pv = parameter_values(resolve_conditions(PRESET, pressure=pressure, model=model))
    exp = experiment(*PROTOCOL)
    # Mechanics first: a process-wide first-use cost lands on its first solve, so the
    # comparison of first solves is not biased in its favour.
    cases = {
        "mechanics": Case("mechanics", model, True, size_classes, pv, exp),
        "no_mechanics": Case("no_mechanics", model, False, size_classes, pv, exp),
    }
    interleaved_solves(cases.values(), repeats, warmup)

    mech, plain = cases["mechanics"], cases["no_mechanics"]
    ratio = mech.median / plain.median
    res = {
        "mechanics_overhead_ratio": ratio,
        "goal_ratio": GOAL_RATIO,
        "goal_met": ratio <= GOAL_RATIO,
        "model": model,
        "pressure_MPa": pressure,
        "size_classes": size_classes,
        "preset": PRESET,
        "protocol": "0.1C CC charge to 4.3 V, CV hold until C/50, 0.1C CC discharge to 3.0 V",
        "timed": TIMED,
        "n_repeats": repeats,
        "n_warmup": warmup,
        "var_pts": VAR_PTS,
        "pybamm_version": pybamm.__version__,
        "evaluation": "compiled" if compiled() else "interpreted",
        "ratio_of_min_times": min(mech.warm_s) / min(plain.warm_s),
        "integration_time_ratio": (statistics.median(mech.warm_integration_s)
                                   / statistics.median(plain.warm_integration_s)),
        "warm_solves_rebuild": False,  # checked after every warm solve (raises otherwise)
    }
    res["step_count_ratio"] = mech.stats["steps"] / plain.stats["steps"]
    res["per_step_ratio"] = ratio / res["step_count_ratio"]
    res["per_step_goal_met"] = res["per_step_ratio"] <= GOAL_RATIO
    for name, c in cases.items():
        s = c.structure[c.discharge_key]
        res |= {
            f"{name}_warm_median_s": c.median,
            f"{name}_warm_min_s": min(c.warm_s),
            f"{name}_warm_max_s": max(c.warm_s),
            f"{name}_warm_integration_median_s": statistics.median(c.warm_integration_s),
            f"{name}_warm_solver_solve_median_s": statistics.median(c.warm_solve_s),
            f"{name}_warm_setup_max_s": max(c.warm_setup_s),
            f"{name}_first_solve_s": c.first_solve_s,
            f"{name}_first_solve_breakdown_s": {
                "model_construction": c.construct_s,
                "build_for_experiment": c.build_s,
                "first_sim_solve": c.solve1_s,
                "of_which_solver_setup": c.first_setup_s,
                "of_which_integration": c.first_integration_s,
            },
            f"{name}_n_states": s["n_states"],
            f"{name}_n_states_by_step": {k: v["n_states"] for k, v in c.structure.items()},
            f"{name}_jacobian": {k: v for k, v in s.items() if k not in ("n_states",)},
            f"{name}_solver_stats": c.stats,
            f"{name}_solver_steps_by_step": c.steps_per_step,
            f"{name}_discharge_capacity_mAh_g": c.discharge_mAh_g,
            f"{name}_charge_capacity_mAh_g": c.charge_mAh_g,
            f"{name}_termination": c.termination,
        }
    if diagnose:
        res["diagnose"] = {name: c.diagnose() for name, c in cases.items()}
    res["_cases"] = cases
    return res


def print_table(res: dict) -> None:
    cases = res["_cases"]
    ms = 1e3

    def js(c, key):
        return c.structure[c.discharge_key][key]

    rows = [
        ("states (ODE + algebraic)",
         lambda c: f"{js(c, 'n_states')} ({js(c, 'n_ode')} + {js(c, 'n_algebraic')})"),
        ("Jacobian non-zeros", lambda c: f"{js(c, 'jacobian_nnz')}"),
        ("max non-zeros per row / col",
         lambda c: f"{js(c, 'jacobian_max_row_nnz')} / {js(c, 'jacobian_max_col_nnz')}"),
        ("AD colours fwd / rev", lambda c: f"{js(c, 'ad_colours_forward')} / {js(c, 'ad_colours_reverse')}"),
        ("CasADi instr. residual / Jacobian",
         lambda c: f"{js(c, 'residual_instructions')} / {js(c, 'jacobian_instructions')}"),
        ("model construction [ms]", lambda c: f"{c.construct_s * ms:.0f}"),
        ("build_for_experiment [ms]", lambda c: f"{c.build_s * ms:.0f}"),
        ("first sim.solve() [ms]", lambda c: f"{c.solve1_s * ms:.0f}"),
        ("  of which solver set-up [ms]", lambda c: f"{c.first_setup_s * ms:.0f}"),
        ("first solve, total [ms]", lambda c: f"{c.first_solve_s * ms:.0f}"),
        ("warm median [ms]", lambda c: f"{c.median * ms:.1f}"),
        ("warm min / max [ms]", lambda c: f"{min(c.warm_s) * ms:.1f} / {max(c.warm_s) * ms:.1f}"),
        ("warm IDAS integration median [ms]",
         lambda c: f"{statistics.median(c.warm_integration_s) * ms:.1f}"),
        ("warm solver set-up, max [ms]", lambda c: f"{max(c.warm_setup_s) * ms:.2f}"),
        ("IDAS steps (charge/CV/discharge)",
         lambda c: f"{c.stats['steps']} ({'/'.join(map(str, c.steps_per_step))})"),
        ("Newton iterations", lambda c: f"{c.stats['newton_iterations']}"),
        ("Jacobian evals (lin. set-ups)", lambda c: f"{c.stats['linear_solver_setups']}"),
        ("conv. / error-test failures",
         lambda c: f"{c.stats['newton_convergence_failures']} / {c.stats['error_test_failures']}"),
        ("charge capacity [mAh/g]", lambda c: f"{c.charge_mAh_g:.2f}"),
        ("discharge capacity [mAh/g]", lambda c: f"{c.discharge_mAh_g:.2f}"),
        ("end time [s]", lambda c: f"{c.t_end_s:.0f}"),
    ]
    if "diagnose" in res:
        d = res["diagnose"]
        rows += [
            ("residual eval, 1 call [us]", lambda c: f"{d[c.label]['residual_eval_us']:.1f}"),
            ("Jacobian eval, 1 call [us]", lambda c: f"{d[c.label]['jacobian_eval_us']:.1f}"),
            ("est. Jacobian evals / integration",
             lambda c: f"{d[c.label]['est_jacobian_fraction_of_integration']:.0%}"),
            ("est. residual evals / integration",
             lambda c: f"{d[c.label]['est_residual_fraction_of_integration']:.0%}"),
        ]
    w = max(18, *(len(f(c)) for _, f in rows for c in cases.values()))
    print(f"{res['model']} ({res['size_classes']} size classes), {res['preset']} half cell at "
          f"{res['pressure_MPa']:g} MPa, first cycle 0.1C CC-CV charge to 4.3 V / CC discharge to 3.0 V")
    print(f"var_pts={VAR_PTS}, IDAKLUSolver {solver_tolerances(res['model'])} ({res['evaluation']} functions), "
          f"PyBaMM {res['pybamm_version']}, "
          f"{res['n_repeats']} warm repeats; timed: {res['timed']}")
    print(column_table(rows, cases, w))
    verdict = "met" if res["goal_met"] else "NOT met"
    print(f"mechanics_overhead_ratio (warm median) = {res['mechanics_overhead_ratio']:.2f} "
          f"(goal <= {GOAL_RATIO}: {verdict}); ratio of min times = {res['ratio_of_min_times']:.2f}; "
          f"IDAS integration-time ratio = {res['integration_time_ratio']:.2f}")
    print(f"IDAS steps with / without mechanics = {res['step_count_ratio']:.2f}; per-step ratio = "
          f"{res['per_step_ratio']:.2f} (goal <= {GOAL_RATIO}: {'met' if res['per_step_goal_met'] else 'NOT met'})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=MODELS, default="DFN", help="default DFN")
    parser.add_argument("--pressure", type=float, default=2.0, help="stack pressure [MPa] (default 2)")
    parser.add_argument("--size-classes", type=int, default=DEFAULT_SIZE_CLASSES,
                        help=f"contact-law size classes (default {DEFAULT_SIZE_CLASSES})")
    parser.add_argument("--repeats", type=int, default=7, help="timed warm solves (default 7, >= 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed warm solves (default 1)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--diagnose", action="store_true",
                        help="also time single residual / Jacobian evaluations")
    parser.add_argument("--compile", action="store_true",
                        help=f"compile the solver's functions to C (sets {COMPILE_ENV}=1)")
    args = parser.parse_args(argv)
    if args.repeats < 5 or args.warmup < 0 or args.size_classes < 1:
        parser.error("--repeats must be >= 5, --warmup >= 0 and --size-classes >= 1")
    if args.compile and args.diagnose:
        parser.error("--diagnose times the interpreted CasADi functions: run it without --compile")
    if args.compile:
        os.environ[COMPILE_ENV] = "1"

    res = run(args.model, args.pressure, args.repeats, args.warmup, args.size_classes, args.diagnose)
    if not args.json:
        print_table(res)
    print(json.dumps({k: v for k, v in res.items() if not k.startswith("_")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
