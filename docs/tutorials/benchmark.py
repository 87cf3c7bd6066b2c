"""Benchmark: what the contact mechanics cost, timed with the public API.

`ssbsim bench --quick` runs the full matrix (models x solvers x meshes, with errors
against a fine DFN); this measures one ratio in a few seconds. Times depend on the
machine: compare configurations within one run.
"""
import time

import ssbsim


def best_time(repeats=3, **conditions):
    """Fastest of `repeats` whole simulate() calls [s] (the first also builds the model)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ssbsim.simulate("kwon2022", pressure=2, model="SPM", **conditions)
        times.append(time.perf_counter() - t0)
    return min(times)


with_mechanics = best_time(mechanics=True)
without = best_time(mechanics=False)
print(f"SPM first cycle: {with_mechanics:.2f} s with mechanics, {without:.2f} s without "
      f"({with_mechanics / without:.2f}x)")
assert with_mechanics > 0 and without > 0
