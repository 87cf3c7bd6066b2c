"""1,000 cycles of a pressure study: the fast path against cycle-by-cycle runs.

What is measured
----------------
Kwon 2022's NCM711 | LPSX | Li-In half cell (preset ``kwon2022``), pristine BR, 2 MPa,
the paper's 0.1C cycle (CC charge to 4.3 V, CV to C/50, CC discharge to 3.0 V), default
model (DFN with contact mechanics), all in one process:

* **fast**: ``ssbsim.simulate("kwon2022", pressure=2, cycles=N)`` - above
  ``cycle_life.SKIP_THRESHOLD_CYCLES`` cycles this is cycle skipping
  (``simulator/cycle_life.py``): PyBaMM solves representative cycles and the numba
  ensemble (particles in bands across the layer, ``simulator/thickness_ensemble.py``)
  corrects each of them and carries the contact state across the others. Timed cold
  (first call in the process: builds the cell, compiles the ensemble kernel) and warm
  (the same call again: the built cell is reused).
* **cycle by cycle**: the same call with ``cycle_skipping=False``: PyBaMM solves every
  cycle, one ``Simulation.solve`` per cycle, each cycle's end corrected by the same
  ensemble (the reference the fast path must follow).
* **accuracy**: discharge capacity of the fast path against cycle by cycle at the cycles
  given by ``--check`` (default 100 and N).
* **ensemble share**: seconds the ensemble took within the warm fast run.
* **warm set-up**: a second ``ssbsim.simulate(..., cycles=1)`` of an already built cell:
  its wall time minus PyBaMM's integration time.

Run: ``python benchmarks/bench_cycle_life.py [--cycles 1000] [--json out.json]``. With
1,000 cycles the cycle-by-cycle run takes a few minutes; goals: fast under 20 s on 2
cores, within 1 % of cycle by cycle, at least 8x faster than it, warm set-up under 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import ssbsim

CASE = dict(binder="pristine", pressure=2.0)


def _timed(**kw):
    t0 = time.perf_counter()
    r = ssbsim.simulate("kwon2022", **CASE, **kw)
    return time.perf_counter() - t0, r


def _integration_s(solution) -> float:
    """PyBaMM's integration time of every step [s] (a ``TimerTime`` each)."""
    total = 0.0
    for st in (st for c in solution.cycles for st in c.steps):
        t = getattr(st, "integration_time", 0.0)
        total += float(getattr(t, "value", t))
    return total


def main(cycles=1000, check=None, json_out=None):
    check = sorted({min(c, cycles) for c in (check or [100, cycles])})
    out = {"cycles": cycles, "cpu_count": os.cpu_count()}
    out["fast_cold_s"], _ = _timed(cycles=cycles)
    out["fast_warm_s"], fast = _timed(cycles=cycles)
    out["fast_path"] = fast.cycle_path
    out["representative_cycles"] = len(fast.representative_cycles)
    out["ensemble_s"] = fast.timings["ensemble_s"]
    out["ensemble_share"] = fast.timings["ensemble_s"] / out["fast_warm_s"]
    t1, one = _timed(cycles=1)
    t1, one = _timed(cycles=1)  # warm: the built cell is reused
    out["warm_call_s"] = t1
    out["warm_setup_s"] = t1 - _integration_s(one.solution)
    out["cycle_by_cycle_s"], slow = _timed(cycles=cycles, cycle_skipping=False)
    out["speedup"] = out["cycle_by_cycle_s"] / out["fast_warm_s"]
    qf = np.array([float(c.discharge_capacity_mAh_g) for c in fast.cycles])
    qs = np.array([float(c.discharge_capacity_mAh_g) for c in slow.cycles])
    out["capacity_mAh_g"] = {str(n): {"fast": qf[n - 1], "cycle_by_cycle": qs[n - 1],
                                      "relative_error": abs(qf[n - 1] - qs[n - 1]) / qs[n - 1]} for n in check}
    out["max_relative_error"] = float(np.max(np.abs(qf - qs) / qs))
    print(json.dumps(out, indent=2))
    if json_out:
        with open(json_out, "w") as fh:
            json.dump(out, fh, indent=2)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=1000)
    ap.add_argument("--check", type=int, nargs="*")
    ap.add_argument("--json")
    a = ap.parse_args()
    main(a.cycles, a.check, a.json)
