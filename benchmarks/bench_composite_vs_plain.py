"""Warm-solve cost of ssbsim's composite-cathode DFN half cell vs PyBaMM's plain DFN.

What is measured
----------------
One 0.1C constant-current discharge of the Kwon 2022 NCM711 composite | LPSX | Li-In
half cell (``ssbsim.parameter_sets.kwon2022``), solved with three models:

* composite: ``ssbsim.models.composite_cell_model("DFN", "half")`` -- PyBaMM's DFN with
  ``{"working electrode": "positive", "transport efficiency": "tortuosity factor"}`` and
  the positive interface utilisation replaced by ``BinderCoveredContact``;
* plain: ``pybamm.lithium_ion.DFN({"working electrode": "positive"})`` (Bruggeman
  transport with the parameter set's own exponent b = 4, full utilisation), i.e. what a
  user gets running plain PyBaMM on these parameter values;
* plain_same_transport: the same plain DFN, but with "Positive electrode Bruggeman
  coefficient (electrolyte)" set to b_eq = ln(eps/tau)/ln(eps) (eps = "Positive electrode
  porosity", tau = "Positive electrode tortuosity factor (electrolyte)"; ~9.96 for Kwon),
  so that its effective ionic transport eps^b_eq equals the composite's eps/tau
  (6.8e-4 instead of eps^4 = 5.4e-2). The separator electrolyte and positive solid-phase
  transport efficiencies already agree for Kwon (both 1); after the first solve the
  script checks these three x-averaged transport efficiencies against the composite's
  and stops if they differ. The interface utilisation is left different (composite
  u = (1 - theta) * phi = 0.81 for Kwon, binder coverage theta = 0.19, contact fraction
  phi = 1; plain u = 1).

All three get the same parameter values (initial positive concentration set to 0.3 c_max so
the cell starts part-delithiated and can be discharged; current = 0.1 x nominal
capacity), the same mesh (``VAR_PTS``, PyBaMM's default 20 points per domain), the same
solver (``pybamm.IDAKLUSolver`` with default tolerances, one instance per model), the
same ``t_eval = [0, 36000]`` s and the same ``t_interp``. The 3.0 V cut-off event ends
all runs at ~32 ks.

For each model the script times once "first solve" = model construction + parameter
processing + discretisation + solver set-up + first solve (reported separately), then
does ``--warmup`` untimed warm solves, then ``--repeats`` timed ``sim.solve([0, 36000])``
calls of the already built ``pybamm.Simulation`` (the three models interleaved, the
order alternating, a ``gc.collect()`` before each). It checks that the warm solves do not
rebuild: the built model object is unchanged and the solver's per-solve set-up time
stays far below that of the first solve.

Two ratios of median warm solve times are reported:

* ``ratio_composite_over_plain_same_transport`` = composite / plain_same_transport: both
  models solve the same transport physics (only the utilisation differs), so this is the
  cost of ssbsim's own model machinery (tortuosity-factor option, ``BinderCoveredContact``,
  extra variables).
  **The goal, median ratio <= 1.2, is judged on this ratio** (``goal_met``).
* ``ratio_composite_over_plain`` = composite / plain (b = 4): informative only. It is
  larger because the composite's physics is stiffer -- its effective SE transport
  (eps/tau) is ~78x lower than eps^4, so IDAS needs more steps (~236 vs ~169) -- not
  because of code overhead.

Run from the repository root::

    python benchmarks/bench_composite_vs_plain.py            # table + JSON line
    python benchmarks/bench_composite_vs_plain.py --json     # JSON only
    python benchmarks/bench_composite_vs_plain.py --repeats 31  # default 15
    python benchmarks/bench_composite_vs_plain.py --diagnose    # extra model variants
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time

import numpy as np
import pybamm

from ssbsim.models import BinderCoveredContact, binder_laws, composite_cell_model
from ssbsim.parameter_sets import kwon2022
from ssbsim.benchmarks.harness import column_table, interleaved_solves

#: Mesh used for both models (PyBaMM's defaults, stated explicitly).
VAR_PTS = {"x_n": 20, "x_s": 20, "x_p": 20, "r_n": 20, "r_p": 20}
T_EVAL = [0.0, 36000.0]
T_INTERP = np.linspace(0.0, 36000.0, 361)
C_RATE = 0.1
INITIAL_STOICHIOMETRY = 0.3
GOAL_RATIO = 1.2


def parameter_values() -> pybamm.ParameterValues:
    """Kwon 2022 half cell, set up for a 0.1C discharge from x = 0.3."""
    pv = pybamm.ParameterValues(kwon2022.get_parameter_values())
    c_max = pv["Maximum concentration in positive electrode [mol.m-3]"]
    pv["Initial concentration in positive electrode [mol.m-3]"] = INITIAL_STOICHIOMETRY * c_max
    pv["Current function [A]"] = C_RATE * pv["Nominal cell capacity [A.h]"]
    return pv


def _plain_variant(options: dict, binder_utilisation: bool = False):
    """PyBaMM's DFN half cell with extra options and/or the binder utilisation submodel."""
    model = pybamm.lithium_ion.DFN({"working electrode": "positive"} | options, build=False)
    if binder_utilisation:
        model.submodels["Positive interface utilisation"] = BinderCoveredContact(
            model.param, "positive", model.options
        )
    model.build_model()
    return model


def matched_physics(pv: pybamm.ParameterValues) -> dict:
    """Composite parameters that make its equations those of the plain DFN.

    Tortuosity factors giving the plain model's Bruggeman transport efficiencies
    (eps/tau = eps^b_e, (1 - eps)/tau_s = (1 - eps)^b_s), no neck blocking (f = 1) and no
    binder coverage (u = 1).
    """
    upd = {"Positive electrode binder coverage maximum": 0.0,
           "Positive electrode binder saturated neck conductance fraction": 1.0}
    for dom in ("Positive electrode", "Separator"):
        eps = pv[f"{dom} porosity"]
        b_e = pv[f"{dom} Bruggeman coefficient (electrolyte)"]
        upd[f"{dom} tortuosity factor (electrolyte)"] = eps ** (1.0 - b_e)
    eps = pv["Positive electrode porosity"]
    b_s = pv["Positive electrode Bruggeman coefficient (electrode)"]
    upd["Positive electrode tortuosity factor (electrode)"] = (1.0 - eps) ** (1.0 - b_s)
    return upd


def bruggeman_equivalent(pv: pybamm.ParameterValues) -> float:
    """Bruggeman exponent b_eq with eps^b_eq = eps/tau for the positive electrolyte.

    eps = "Positive electrode porosity", tau = "Positive electrode tortuosity factor
    (electrolyte)", f the binder's neck blocking: b_eq = ln(eps f/tau)/ln(eps), so a Bruggeman DFN with b_eq has the
    composite's effective ionic transport in the positive electrode.
    """
    eps = pv["Positive electrode porosity"]
    tau = pv["Positive electrode tortuosity factor (electrolyte)"]
    f = binder_laws.electrode_values(pv, "positive")["neck blocking factor"]
    return float(np.log(eps / tau * f) / np.log(eps))


def same_transport(pv: pybamm.ParameterValues) -> dict:
    """Plain-DFN parameter update giving the composite's positive electrolyte transport."""
    return {"Positive electrode Bruggeman coefficient (electrolyte)": bruggeman_equivalent(pv)}


def _plain_dfn():
    return pybamm.lithium_ion.DFN({"working electrode": "positive"})


#: name -> (model factory, parameter updates); these three are the benchmark proper.
MODELS = {
    "composite": (lambda: composite_cell_model("DFN", "half"), None),
    "plain": (_plain_dfn, None),
    "plain_same_transport": (_plain_dfn, same_transport),
}

#: X-averaged transport efficiencies compared between composite and plain_same_transport.
TRANSPORT_VARIABLES = (
    "X-averaged positive electrolyte transport efficiency",
    "X-averaged separator electrolyte transport efficiency",
    "X-averaged positive electrode transport efficiency",
)

#: Extra cases of ``--diagnose``: where does a composite/plain ratio above 1 come from?
DIAGNOSE = {
    "plain+tortuosity": (lambda: _plain_variant({"transport efficiency": "tortuosity factor"}), None),
    "plain+binder_util": (lambda: _plain_variant({}, binder_utilisation=True), None),
    "composite_matched": (lambda: composite_cell_model("DFN", "half"), matched_physics),
}


class Case:
    """One model's simulation, its first-solve timing and its warm timings."""

    def __init__(self, name: str, factory, updates=None):
        self.name, self.factory, self.updates = name, factory, updates
        self.warm_s: list[float] = []
        self.warm_setup_s: list[float] = []

    def first_solve(self):
        t0 = time.perf_counter()
        model = self.factory()
        t1 = time.perf_counter()
        pv = parameter_values()
        if self.updates is not None:
            pv.update(self.updates(pv))
        self.sim = pybamm.Simulation(
            model, parameter_values=pv, var_pts=dict(VAR_PTS),
            solver=pybamm.IDAKLUSolver(),
        )
        self.sim.build()  # parameter processing + discretisation
        t2 = time.perf_counter()
        sol = self.sim.solve(T_EVAL, t_interp=T_INTERP)  # solver set-up + first solve
        t3 = time.perf_counter()
        self.model_s, self.build_s, self.solve1_s = t1 - t0, t2 - t1, t3 - t2
        self.first_solve_s = t3 - t0
        self.first_setup_s = float(sol.set_up_time.value)
        self.built_model = self.sim.built_model
        self.n_states = int(self.built_model.concatenated_initial_conditions.shape[0])
        self.transport = {v: float(np.mean(sol[v].entries)) for v in TRANSPORT_VARIABLES}
        self._record(sol)

    def warm_solve(self, timed: bool = True):
        gc.collect()
        t0 = time.perf_counter()
        sol = self.sim.solve(T_EVAL, t_interp=T_INTERP)
        dt = time.perf_counter() - t0
        if self.sim.built_model is not self.built_model:
            raise RuntimeError(f"{self.name}: sim.solve rebuilt the model")
        if timed:
            self.warm_s.append(dt)
            self.warm_setup_s.append(float(sol.set_up_time.value))
        self._record(sol)

    def _record(self, sol):
        self.capacity_mAh = float(sol["Discharge capacity [A.h]"].entries[-1]) * 1e3
        self.t_end_s = float(sol.t[-1])
        self.termination = sol.termination
        st = sol.solver_statistics
        self.steps = int(st.number_of_steps)
        self.newton_iters = int(st.number_of_nonlinear_solver_iterations)
        self.lin_setups = int(st.number_of_linear_solver_setups)

    @property
    def median(self):
        return statistics.median(self.warm_s)


def run(repeats: int, warmup: int, diagnose: bool = False) -> dict:
    # Composite first: any one-off, process-wide first-use cost lands on the composite's
    # first-solve time, i.e. the comparison of first solves is not biased in its favour.
    cases = {name: Case(name, *spec) for name, spec in MODELS.items()}
    if diagnose:
        cases |= {name: Case(name, *spec) for name, spec in DIAGNOSE.items()}
    interleaved_solves(cases.values(), repeats, warmup)

    # No-rebuild check: warm solves must not redo the solver set-up of the first solve.
    for c in cases.values():
        if max(c.warm_setup_s) > 0.5 * c.first_setup_s or c.median > c.first_solve_s:
            raise RuntimeError(f"{c.name}: warm solves look like rebuilds ({c.warm_setup_s})")

    comp, plain, same = cases["composite"], cases["plain"], cases["plain_same_transport"]
    # plain_same_transport must really have the composite's transport efficiencies.
    for var, value in comp.transport.items():
        if not np.isclose(same.transport[var], value, rtol=1e-6, atol=0.0):
            raise RuntimeError(f"plain_same_transport: {var} = {same.transport[var]:.6g}, "
                               f"composite has {value:.6g}")
    ratio_same = comp.median / same.median
    res = {
        "composite_warm_median_s": comp.median,
        "plain_warm_median_s": plain.median,
        "ratio_composite_over_plain": comp.median / plain.median,
        "composite_first_solve_s": comp.first_solve_s,
        "plain_first_solve_s": plain.first_solve_s,
        "n_repeats": repeats,
        "var_pts": VAR_PTS,
        "pybamm_version": pybamm.__version__,
        "composite_capacity_mAh": comp.capacity_mAh,
        "plain_capacity_mAh": plain.capacity_mAh,
        "composite_warm_min_s": min(comp.warm_s),
        "composite_warm_max_s": max(comp.warm_s),
        "plain_warm_min_s": min(plain.warm_s),
        "plain_warm_max_s": max(plain.warm_s),
        "composite_solver_steps": comp.steps,
        "plain_solver_steps": plain.steps,
        "ratio_of_min_times": min(comp.warm_s) / min(plain.warm_s),
        "goal_ratio": GOAL_RATIO,
        "goal_met": ratio_same <= GOAL_RATIO,
        "plain_same_transport_warm_median_s": same.median,
        "ratio_composite_over_plain_same_transport": ratio_same,
        "plain_same_transport_solver_steps": same.steps,
        "plain_same_transport_capacity_mAh": same.capacity_mAh,
        "bruggeman_equivalent": bruggeman_equivalent(parameter_values()),
        "plain_same_transport_first_solve_s": same.first_solve_s,
        "plain_same_transport_warm_min_s": min(same.warm_s),
        "plain_same_transport_warm_max_s": max(same.warm_s),
        "ratio_of_min_times_same_transport": min(comp.warm_s) / min(same.warm_s),
        "positive_electrolyte_transport_efficiency": {
            name: c.transport[TRANSPORT_VARIABLES[0]] for name, c in cases.items()
        },
        "goal_judged_on": "ratio_composite_over_plain_same_transport",
        "_cases": cases,
    }
    if diagnose:
        res["diagnose"] = {
            name: {
                "warm_median_s": c.median,
                "ratio_over_plain": c.median / plain.median,
                "ratio_over_plain_same_transport": c.median / same.median,
                "solver_steps": c.steps,
                "newton_iterations": c.newton_iters,
                "capacity_mAh": c.capacity_mAh,
            }
            for name, c in cases.items()
        }
    return res


def print_table(res: dict) -> None:
    cases = res["_cases"]
    ms = 1e3
    rows = [
        ("states (ODE+DAE)", lambda c: f"{c.n_states}"),
        ("model construction [ms]", lambda c: f"{c.model_s * ms:.1f}"),
        ("param + discretise [ms]", lambda c: f"{c.build_s * ms:.1f}"),
        ("solver set-up + 1st solve [ms]", lambda c: f"{c.solve1_s * ms:.1f}"),
        ("first solve, total [ms]", lambda c: f"{c.first_solve_s * ms:.1f}"),
        ("warm median [ms]", lambda c: f"{c.median * ms:.2f}"),
        ("warm min [ms]", lambda c: f"{min(c.warm_s) * ms:.2f}"),
        ("warm max [ms]", lambda c: f"{max(c.warm_s) * ms:.2f}"),
        ("warm solver set-up, max [ms]", lambda c: f"{max(c.warm_setup_s) * ms:.2f}"),
        ("IDAS steps", lambda c: f"{c.steps}"),
        ("Newton iterations", lambda c: f"{c.newton_iters}"),
        ("Jacobian/linear set-ups", lambda c: f"{c.lin_setups}"),
        ("end time [s]", lambda c: f"{c.t_end_s:.0f}"),
        ("discharged capacity [mAh]", lambda c: f"{c.capacity_mAh:.4f}"),
        ("pos. electrolyte transport eff.",
         lambda c: f"{c.transport[TRANSPORT_VARIABLES[0]]:.4g}"),
        ("warm median / plain", lambda c: f"{c.median / cases['plain'].median:.3f}"),
        ("warm median / plain_same_transport",
         lambda c: f"{c.median / cases['plain_same_transport'].median:.3f}"),
        ("termination", lambda c: c.termination.replace("event: ", "")),
    ]
    w = max(19, *(len(name) for name in cases))
    print(f"0.1C discharge, Kwon 2022 half cell, var_pts={VAR_PTS}, "
          f"PyBaMM {res['pybamm_version']}, {res['n_repeats']} warm repeats")
    print(f"plain = PyBaMM DFN with the parameter set's Bruggeman b = "
          f"{parameter_values()['Positive electrode Bruggeman coefficient (electrolyte)']:g}; "
          f"plain_same_transport = same with b_eq = ln(eps/tau)/ln(eps) = "
          f"{res['bruggeman_equivalent']:.4f} (composite's effective SE transport)")
    print(column_table(rows, cases, w))
    verdict = "met" if res["goal_met"] else "NOT met"
    print(f"ratio composite/plain_same_transport (warm median) = "
          f"{res['ratio_composite_over_plain_same_transport']:.3f}  "
          f"(goal <= {GOAL_RATIO}: {verdict}); ratio of min times = "
          f"{res['ratio_of_min_times_same_transport']:.3f}\n"
          f"  -> ssbsim's model overhead for the same physics; the goal is judged on this.")
    eff = res["positive_electrolyte_transport_efficiency"]
    print(f"ratio composite/plain (warm median) = {res['ratio_composite_over_plain']:.3f}  "
          f"(not the goal); ratio of min times = {res['ratio_of_min_times']:.3f}\n"
          f"  -> includes the stiffer composite physics: its SE transport eps/tau is "
          f"~{eff['plain'] / eff['composite']:.0f}x "
          f"lower than eps^b, so IDAS takes {res['composite_solver_steps']} vs "
          f"{res['plain_solver_steps']} steps.")
    if "diagnose" in res:
        print("diagnose: plain+tortuosity = plain DFN with the composite's tortuosity-factor "
              "transport (same parameters);\n  plain+binder_util = plain DFN with "
              "BinderCoveredContact utilisation;\n  composite_matched = composite model with "
              "tortuosity factors and coverage set so its equations equal the plain DFN's.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed warm solves (default 15)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed warm solves after the first solve (default 1)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--diagnose", action="store_true",
                        help="also time plain+tortuosity, plain+binder_util and the composite "
                             "with plain-equivalent parameters, to locate the extra cost")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.warmup < 0:
        parser.error("--repeats must be >= 1 and --warmup >= 0")

    res = run(args.repeats, args.warmup, args.diagnose)
    if not args.json:
        print_table(res)
    print(json.dumps({k: v for k, v in res.items() if not k.startswith("_")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
