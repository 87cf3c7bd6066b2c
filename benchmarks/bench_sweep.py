"""Sweep benchmarks: the seed sweep from a fresh process, and parallel efficiency.

1. ``ssbsim sweep`` with no grid options (the seed study: Kwon 2022, pristine vs
   vulcanized BR at 70 / 7 / 2 MPa, DFN with contact mechanics), timed as a fresh
   process from start to exit, all cores (goal: under 30 s on 2 cores).
2. A 12-case sweep (2 binders x 6 pressures) with 1 and with 2 workers, each from a
   fresh process; parallel efficiency = T1 / (2 T2) (goal: >= 75 %).

Run: ``python benchmarks/bench_sweep.py [--json] [--model DFN]``.
"""

from __future__ import annotations

import argparse
import json
import os

from ssbsim.simulator.bench import TWELVE_CASES, timed_sweep

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--model", default="DFN")
    args = ap.parse_args(argv)
    res = {"cores": os.cpu_count(), "model": args.model}
    res["seed_sweep_s"] = timed_sweep([])
    for workers in (1, 2):
        res[f"twelve_cases_{workers}_workers_s"] = timed_sweep(
            [*TWELVE_CASES, "--model", args.model, "--workers", str(workers)])
    res["parallel_efficiency_2_workers"] = res["twelve_cases_1_workers_s"] / (2 * res["twelve_cases_2_workers_s"])
    res["goals"] = {"seed_sweep_s": "< 30", "parallel_efficiency_2_workers": ">= 0.75"}
    if not args.json:
        print(f"seed sweep (6 cases, DFN, {res['cores']} cores), fresh process: {res['seed_sweep_s']:.1f} s")
        print(f"12 cases, 1 worker: {res['twelve_cases_1_workers_s']:.1f} s; "
              f"2 workers: {res['twelve_cases_2_workers_s']:.1f} s; "
              f"parallel efficiency {100 * res['parallel_efficiency_2_workers']:.0f} %")
    print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
