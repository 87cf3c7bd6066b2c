"""What a built model's CasADi functions cost: the Jacobian's size and structure, and
single-call evaluation times of the residual and the Jacobian set against the solver's
counts of them (used by ``bench_mechanics_overhead.py``)."""

from __future__ import annotations

import time

import casadi
import numpy as np


def jacobian_structure(model) -> dict:
    """Size and AD cost of the CasADi Jacobian of a built (solver-set-up) model."""
    jac, res = model.jac_rhs_algebraic_eval, model.rhs_algebraic_eval
    sp = jac.sparsity_out(0)
    return {
        "n_states": int(model.len_rhs_and_alg),
        "n_ode": int(model.len_rhs),
        "n_algebraic": int(model.len_alg),
        "jacobian_nnz": int(sp.nnz()),
        "jacobian_max_row_nnz": int(np.diff(np.array(sp.T.colind())).max()),
        "jacobian_max_col_nnz": int(np.diff(np.array(sp.colind())).max()),
        "ad_colours_forward": int(sp.uni_coloring().size2()),
        "ad_colours_reverse": int(sp.T.uni_coloring().size2()),
        "residual_instructions": int(res.n_instructions()),
        "jacobian_instructions": int(jac.n_instructions()),
    }


def _eval_time(fn, t, y, p, n=30, reps=5) -> float:
    """Best-of-``reps`` mean time [s] of one call fn(t, y, p) from Python."""
    best = np.inf
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(n):
            fn(t, y, p)
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def evaluation_cost(model, step, integration_s: float, stats: dict) -> dict:
    """Single-call CasADi evaluation times of ``model``'s residual and Jacobian at a point
    of its solved ``step``, and the share of ``integration_s`` (the IDAS integration time)
    they explain: Jacobian evaluations ~ ``stats["linear_solver_setups"]`` x one call,
    residual evaluations ~ ``stats["newton_iterations"]`` x one call."""
    i = min(5, step.all_ys[0].shape[1] - 1)
    y = casadi.DM(step.all_ys[0][:, i])
    t = casadi.DM(float(step.t[i]))
    p = casadi.vertcat(*[casadi.DM(np.atleast_1d(v)) for v in step.all_inputs[0].values()])
    trivial = casadi.Function("trivial", [casadi.MX.sym("t"), casadi.MX.sym("y", y.shape[0]),
                                          casadi.MX.sym("p", p.shape[0])], [casadi.MX(1)])
    t_call = _eval_time(trivial, t, y, p)
    t_res = max(_eval_time(model.rhs_algebraic_eval, t, y, p) - t_call, 0.0)
    t_jac = max(_eval_time(model.jac_rhs_algebraic_eval, t, y, p, n=10) - t_call, 0.0)
    est_jac = stats["linear_solver_setups"] * t_jac
    est_res = stats["newton_iterations"] * t_res
    return {
        "residual_eval_us": t_res * 1e6,
        "jacobian_eval_us": t_jac * 1e6,
        "est_jacobian_s": est_jac,
        "est_residual_s": est_res,
        "est_jacobian_fraction_of_integration": est_jac / integration_s,
        "est_residual_fraction_of_integration": est_res / integration_s,
    }
