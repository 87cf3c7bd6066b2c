"""How ssbsim runs PyBaMM's solver: IDAKLU tolerances per model (tighter on a retry),
the solver's own output held back while it solves, and whether a solved cycle ran all
its steps."""

from __future__ import annotations

import contextlib
import logging
import os
import sys

import pybamm

# IDAKLU tolerances per model, chosen so that the first-cycle discharge capacity is
# converged to < 0.05 mAh/g (Kwon 2022, 2-70 MPa; tests/integration/test_simulation.py):
# the DFN is at PyBaMM's defaults; the SPM / SPMe at the defaults scatter by up to
# 0.4 mAh/g where the end of discharge is steep (NCM's diffusivity falls as x -> 1, so
# the surfaces fill while the cores lag), which is larger than the differences between
# binders at high pressure. A failed solve is retried 10x tighter.
SOLVER_TOLERANCES = {"DFN": {"rtol": 1e-4, "atol": 1e-6},
                     "SPMe": {"rtol": 1e-5, "atol": 1e-7},
                     "SPM": {"rtol": 1e-5, "atol": 1e-7}}
RETRY_FACTOR = 0.1


def solver_tolerances(model: str, retry: bool = False) -> dict:
    """IDAKLU ``rtol``/``atol`` ssbsim uses for ``model`` (10x tighter on a retry)."""
    tol = SOLVER_TOLERANCES[model]
    return {k: v * RETRY_FACTOR for k, v in tol.items()} if retry else dict(tol)


#: Environment variable that turns on PyBaMM's ahead-of-time compilation of the solver's
#: CasADi functions (``IDAKLUSolver(options={"compile": True})``): "1" on, "0" or unset
#: off. gcc runs once per built model and experiment step, and again for every parameter
#: value that is a number rather than an input of the model; PyBaMM keeps the libraries
#: on disk (``PYBAMM_CASADI_AOT_CACHE``, default a ``pybamm_casadi_aot`` folder in the
#: temporary directory), so a later build of the same model loads them. Warm solves then
#: take less time (docs: Performance; where it pays: the user guide, Faster solves).
#: Where compiling fails (no gcc), PyBaMM evaluates the functions as without it. Sweeps'
#: local workers inherit it.
COMPILE_ENV = "SSBSIM_COMPILE"


def compiled() -> bool:
    """Whether the solvers ssbsim builds compile their functions (:data:`COMPILE_ENV`)."""
    value = os.environ.get(COMPILE_ENV, "").strip()
    if value not in ("", "0", "1"):
        from .errors import InputError

        raise InputError(f"{COMPILE_ENV}={value!r} is not allowed: 1 (compile the solver's functions) or 0 / unset")
    return value == "1"


def idaklu_solver(model: str, retry: bool = False) -> pybamm.IDAKLUSolver:
    """PyBaMM's IDAKLU at ssbsim's tolerances for ``model`` (:func:`solver_tolerances`,
    10x tighter on a ``retry``), compiling its functions where :func:`compiled`."""
    return pybamm.IDAKLUSolver(**solver_tolerances(model, retry), options={"compile": True} if compiled() else None)


@contextlib.contextmanager
def quiet_solver():
    """Hold back what the solver says while it solves: SUNDIALS writes its step failures
    to the process's stderr and PyBaMM logs them at ERROR level, also when a step is
    retried and the run succeeds. What failed for good reaches the user as the result's
    notes or a :class:`~ssbsim.simulator.errors.SimulationError` naming PyBaMM's
    termination. (The C stderr is redirected for the whole process: run threaded solves
    in separate processes.)"""
    level = pybamm.logger.level
    pybamm.logger.setLevel(logging.CRITICAL)
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        pybamm.logger.setLevel(level)


def cycle_complete(cycle, n_steps: int) -> bool:
    """Whether a cycle ran all its ``n_steps`` steps (none an EmptySolution: a step that
    could not start, e.g. a discharge whose first point is below its cut-off)."""
    return len(cycle.steps) == n_steps and not any(isinstance(st, pybamm.EmptySolution) for st in cycle.steps)
