"""Speed of the numba contact kernel vs its NumPy reference (and a pure-Python loop).

What is measured
----------------
One call that advances an ensemble of N particles over ``--steps`` (default 100)
explicit-Euler steps of the particle contact law with the calibrated SE / composite
constants of the parameter sets (``parameter_sets.mechanics.SE_CONTACT``; dt = 10 s; an
NCM-like shrink to s = -1.7 % and back; P_eff = 2 MPa, chi = 1, so that contact is
partly lost and some particles isolate, as in Kwon 2022 at 2 MPa; lognormal radii,
median 5 um, sigma 0.3). The kernel is branch-free, so its time does not depend on the
contact state (measured: the same at 2 and 70 MPa).

* numpy:  ``ssbsim.models.contact_ensemble.advance_ensemble_numpy`` (vectorised over N,
  ~40 array operations per step);
* numba:  ``ssbsim.models.contact_kernel.advance_ensemble``, warm (JIT-compiled and
  cached before timing), with numba's thread count (``numba.get_num_threads()``; set
  NUMBA_NUM_THREADS to change it) and again with 1 thread, which separates the gain of
  the fused, vectorised kernel from that of threads;
* python: a scalar loop over particles and steps calling ``math`` functions, at
  N = 10^3 only, for reference.

Sizes N = 10^3, 10^4, 10^5 (and 10^6 with ``--large``). Each timing is the median of
``--repeats`` (default 9, at least 5) runs on fresh states, the implementations
interleaved, and the ratio of the fastest runs beside it. Each repeat times NumPy after
an untimed NumPy call, then numba right after NumPy ("cold": the second core sat idle
through the single-threaded NumPy run and starts the parallel call slower than a warm
one, a property of the machine, not of the kernel), then numba again ("warm", as
in a loop of kernel calls), then numba on one thread. The states of each
numba run are checked against NumPy's (max relative difference, absolute below 1 nm / 1
for lengths / fractions). ``numba_speedup_vs_numpy`` is the ratio of the medians at 10^5
particles. There is no goal on it: numba executes ``contact_law``'s own functions (the
law is written once, not hand-optimised for the kernel); it is reported, not judged. What the kernel is
judged by instead: ns per particle-step against the machine's FMA-throughput bound (the
law's floating-point operations per particle-step, counted on its CasADi SX graph, over
cores x clock x 2 FMA pipes x vector lanes: ``fraction_of_fma_bound``), and its share of
a 1,000-cycle run's time (``benchmarks/bench_cycle_life.py``, ``ensemble_share``).

Run from the repository root::

    python benchmarks/bench_contact_kernel.py            # table + JSON line (~15 s)
    python benchmarks/bench_contact_kernel.py --json     # JSON only
    python benchmarks/bench_contact_kernel.py --large    # adds N = 10^6 (~45 s)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numba
import numpy as np

from ssbsim.models import contact_ensemble, contact_kernel, contact_law
from ssbsim.parameter_sets.mechanics import SE_CONTACT

PARAMS = contact_law.ContactLawParameters.from_parameters(SE_CONTACT)
DT = 10.0
PRESSURE_PA = 2e6
GOAL_SIZE = 10**5  # the size the headline ratio is reported at
FLOOR = (1e-9, 1e-9, 1e-9, 1.0, 1.0)  # c, d, v [m]; z, w [-]: relative above, absolute below


def drivers(steps):
    h = steps // 2
    s = np.concatenate([np.linspace(0.0, -0.017, h), np.linspace(-0.017, 0.0, steps - h)])
    s_max, _ = contact_ensemble.running_max_series(s, 0.0, DT, PARAMS)
    return s, s_max, np.full(steps, PRESSURE_PA), np.ones(steps)


def timed(fn, R, drv, params):
    """Seconds for one call on fresh zero states, and the final states. The states are
    written before the clock starts (``np.full``, not ``np.zeros``, whose pages the OS
    maps on first write): they are the caller's arrays, advanced in place, and ~800
    first-touch page faults at 10^5 particles (~5 ms here) are allocation, not the law."""
    states = [np.full(R.shape, 0.0) for _ in range(5)]
    t0 = time.perf_counter()
    fn(R, *states, *drv, DT, params)
    return time.perf_counter() - t0, states


def max_rel_diff(ref, got):
    return max(float(np.max(np.abs(a - b) / np.maximum(np.abs(a), f))) for a, b, f in zip(ref, got, FLOOR))


def with_threads(n, fn, *args):
    saved = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        return fn(*args)
    finally:
        numba.set_num_threads(saved)


def law_operations() -> dict:
    """Floating-point operations of one particle-step (``contact_law.implicit_step`` with
    the step's shared factors given), counted on the law's CasADi SX graph: what the
    kernel must execute per particle and step, whatever the compiler makes of it."""
    import casadi

    from ssbsim.models.contact_law_sx import CASADI

    x = casadi.SX.sym("x", 14)
    f = casadi.Function("step", [x], [casadi.vertcat(*CASADI.implicit_step(PARAMS.constants(), DT,
                                                                          *[x[i] for i in range(13)]))])
    names = {getattr(casadi, n): n[3:].lower() for n in dir(casadi) if n.startswith("OP_")}
    ops: dict = {}
    for k in range(f.n_instructions()):
        op = names.get(f.instruction_id(k), "other")
        if op not in ("input", "output", "const"):
            ops[op] = ops.get(op, 0) + 1
    return ops


def fma_bound_ns(n_ops: int) -> dict:
    """The time per particle-step if every operation took one FMA slot of every core
    (2 FMA pipes per core, 8 doubles per AVX-512 or 4 per AVX2 vector), at the clock
    /proc/cpuinfo reports: a bound no real kernel reaches (divisions and compares cost
    more, and the states must be loaded and stored)."""
    flags, mhz = "", 0.0
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags") and not flags:
                    flags = line
                if line.startswith("cpu MHz") and not mhz:
                    mhz = float(line.split(":")[1])
    except OSError:
        return {}
    lanes = 8 if " avx512f" in flags else 4 if " avx2" in flags else 2
    cores = os.cpu_count() or 1
    per_s = cores * mhz * 1e6 * 2 * lanes
    return {"cores": cores, "clock_MHz": mhz, "vector_lanes": lanes, "ns_per_particle_step": n_ops / per_s * 1e9}


def run(sizes, steps, repeats):
    drv = drivers(steps)
    threads = numba.get_num_threads()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    timed(contact_kernel.advance_ensemble, np.full(8, 5e-6), drv, PARAMS)  # JIT (or cache load)
    res = {"benchmark": "contact_kernel", "steps": steps, "repeats": repeats, "dt_s": DT,
           "pressure_Pa": PRESSURE_PA, "numba_threads": threads, "cpu_count": os.cpu_count(),
           "load_average_1min_at_start": load, "numba_version": numba.__version__,
           "numpy_version": np.__version__, "numba_first_call_s": time.perf_counter() - t0,
           "sizes": {}}
    for n in sizes:
        R = 5e-6 * np.exp(0.3 * rng.standard_normal(n))
        t_np, t_cold, t_nb, t_nb1, diff = [], [], [], [], 0.0
        for _ in range(repeats):
            timed(contact_ensemble.advance_ensemble_numpy, R, drv, PARAMS)  # warm-up, as numba gets
            t, ref = timed(contact_ensemble.advance_ensemble_numpy, R, drv, PARAMS)
            t_np.append(t)
            t, got = timed(contact_kernel.advance_ensemble, R, drv, PARAMS)
            t_cold.append(t)
            diff = max(diff, max_rel_diff(ref, got))
            t, got = timed(contact_kernel.advance_ensemble, R, drv, PARAMS)
            t_nb.append(t)
            t, got = with_threads(1, timed, contact_kernel.advance_ensemble, R, drv, PARAMS)
            t_nb1.append(t)
            diff = max(diff, max_rel_diff(ref, got))
        row = {"numpy_median_s": statistics.median(t_np), "numba_median_s": statistics.median(t_nb),
               "numba_1thread_median_s": statistics.median(t_nb1), "max_rel_diff_vs_numpy": diff}
        row["speedup_vs_numpy"] = row["numpy_median_s"] / row["numba_median_s"]
        row["speedup_vs_numpy_fastest_runs"] = min(t_np) / min(t_nb)
        row["numba_cold_median_s"] = statistics.median(t_cold)
        row["speedup_vs_numpy_cold"] = row["numpy_median_s"] / row["numba_cold_median_s"]
        row["speedup_vs_numpy_1thread"] = row["numpy_median_s"] / row["numba_1thread_median_s"]
        row["numpy_ns_per_particle_step"] = row["numpy_median_s"] / (n * steps) * 1e9
        row["numba_ns_per_particle_step"] = row["numba_median_s"] / (n * steps) * 1e9
        res["sizes"][str(n)] = row
        if n == 1000:
            t_py = []
            for _ in range(repeats):
                t, got = timed(contact_ensemble.advance_ensemble_python, R, drv, PARAMS)
                t_py.append(t)
            res["python_loop_n"] = n
            res["python_loop_median_s"] = statistics.median(t_py)
            res["python_loop_max_rel_diff_vs_numpy"] = max_rel_diff(ref, got)
            res["numba_speedup_vs_python"] = res["python_loop_median_s"] / row["numba_median_s"]
            res["numpy_speedup_vs_python"] = res["python_loop_median_s"] / row["numpy_median_s"]
    goal = res["sizes"].get(str(GOAL_SIZE))
    res["numba_speedup_vs_numpy"] = goal["speedup_vs_numpy"] if goal else None
    res["numba_speedup_vs_numpy_1thread"] = goal["speedup_vs_numpy_1thread"] if goal else None
    res["numba_speedup_vs_numpy_fastest_runs"] = goal["speedup_vs_numpy_fastest_runs"] if goal else None
    res["numba_speedup_vs_numpy_cold"] = goal["speedup_vs_numpy_cold"] if goal else None
    res["reported_at_particles"] = GOAL_SIZE
    ops = law_operations()
    res["law_operations_per_particle_step"] = ops
    res["fma_bound"] = fma_bound_ns(sum(ops.values()))
    if goal and res["fma_bound"]:
        res["fraction_of_fma_bound"] = res["fma_bound"]["ns_per_particle_step"] / goal["numba_ns_per_particle_step"]
    return res


def print_table(res):
    print(f"Contact kernel: {res['steps']} steps, median of {res['repeats']} runs, numba "
          f"{res['numba_threads']} thread(s) (cpu_count {res['cpu_count']}, "
          f"1-min load at start {res['load_average_1min_at_start']})")
    print(f"{'N':>9} {'numpy [s]':>11} {'numba [s]':>11} {'numba 1T [s]':>13} {'speedup':>8} "
          f"{'1T speedup':>10} {'ns/part-step np | nb':>21} {'max rel diff':>13}")
    for n, r in res["sizes"].items():
        print(f"{int(n):>9} {r['numpy_median_s']:>11.5f} {r['numba_median_s']:>11.5f} "
              f"{r['numba_1thread_median_s']:>13.5f} {r['speedup_vs_numpy']:>7.1f}x "
              f"{r['speedup_vs_numpy_1thread']:>9.1f}x {r['numpy_ns_per_particle_step']:>10.2f} | "
              f"{r['numba_ns_per_particle_step']:<8.2f} {r['max_rel_diff_vs_numpy']:>13.1e}")
    if "python_loop_median_s" in res:
        print(f"pure-Python loop, N = {res['python_loop_n']}: {res['python_loop_median_s']:.3f} s "
              f"(numba {res['numba_speedup_vs_python']:.0f}x faster, NumPy "
              f"{res['numpy_speedup_vs_python']:.0f}x faster)")
    if "fraction_of_fma_bound" in res:
        b = res["fma_bound"]
        print(f"law: {sum(res['law_operations_per_particle_step'].values())} operations per particle-step; FMA bound "
              f"{b['ns_per_particle_step']:.2f} ns ({b['cores']} cores x {b['clock_MHz']:.0f} MHz x 2 pipes x "
              f"{b['vector_lanes']} lanes): numba at {100 * res['fraction_of_fma_bound']:.1f} % of it at {GOAL_SIZE}")
    sp, fast, cold = (res[f"numba_speedup_vs_numpy{k}"] for k in ("", "_fastest_runs", "_cold"))
    if sp is not None:
        print(f"numba vs NumPy at {GOAL_SIZE} particles: {sp:.1f}x from the medians, {fast:.1f}x from the "
              f"fastest runs, {cold:.1f}x for numba called right after NumPy (reported, no goal)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--large", action="store_true", help="also N = 10^6")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args(argv)
    if args.repeats < 5 or args.steps < 2:
        parser.error("--repeats must be >= 5 and --steps >= 2")
    sizes = [10**3, 10**4, 10**5] + ([10**6] if args.large else [])
    res = run(sizes, args.steps, args.repeats)
    if not args.json:
        print_table(res)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
