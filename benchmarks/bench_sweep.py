"""Sweep benchmarks: the seed sweep from a fresh process, and parallel efficiency.

1. ``ssbsim sweep`` with no grid options (the seed study: Kwon 2022, pristine vs
   vulcanized BR at 70 / 7 / 2 MPa, DFN with contact mechanics), timed as a fresh
   process from start to exit, all cores (goal: under 30 s on 2 cores).
2. A 12-case sweep (2 binders x 6 pressures) with 1 and with 2 workers, each from a
   fresh process, ``--repeats`` times interleaved (default 3); parallel efficiency =
   T1 / (2 T2) from the median times and from the fastest run of each (goal: >= 75 %),
   timed two ways: the whole process (which includes starting Python and importing
   PyBaMM, ~1.2 s once per command) and the ``ssbsim.sweep()`` call alone (in which
   every worker still builds and sets up its models). On a shared 2-core machine
   single runs of T2 scatter by ~20 %.

Run: ``python benchmarks/bench_sweep.py [--json] [--model DFN] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import json
import os

from ssbsim.benchmarks.harness import sweep_scaling, timed_sweep


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--model", default="DFN")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    res = {"cores": os.cpu_count(), "model": args.model, "load_average_1min": os.getloadavg()[0]}
    res["seed_sweep_s"] = timed_sweep([])
    sc = sweep_scaling((1, 2), args.model, args.repeats)
    res["twelve_cases"] = sc
    for clock in ("process", "sweep"):
        res[f"parallel_efficiency_2_workers_{clock}"] = sc[clock]["efficiency"][2]
        res[f"parallel_efficiency_2_workers_{clock}_of_min"] = sc[clock]["efficiency_of_min"][2]
    res["goals"] = {"seed_sweep_s": "< 30", "parallel_efficiency_2_workers": ">= 0.75"}
    if not args.json:
        print(f"seed sweep (6 cases, DFN, {res['cores']} cores), fresh process: {res['seed_sweep_s']:.1f} s")
        print(f"12 cases, {args.repeats} runs each; importing PyBaMM: {sc['import_s_median']:.2f} s (median)")
        for clock, what in (("process", "whole process"), ("sweep", "sweep() call")):
            c = sc[clock]
            runs = "; ".join(f"{w} worker(s) " + ", ".join(f"{t:.1f}" for t in ts) + " s"
                             for w, ts in c["runs_s"].items())
            print(f"  {what}: {runs}; efficiency with 2 workers {100 * c['efficiency'][2]:.0f} % "
                  f"(medians), {100 * c['efficiency_of_min'][2]:.0f} % (fastest runs)")
    print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
