"""Long protocols in bounded memory.

A DFN cycle of Choi 2025's anode holds ~1,300 time points of ~550 states; 115 cycles
kept whole took more than 12 GB. Protocols longer than :data:`LONG_RUN_CYCLES` keep the
full PyBaMM solution of the first cycle of each protocol entry and of the last cycle
(PyBaMM's ``save_at_cycles``); the other cycles' capacities come from PyBaMM's per-cycle
summary variables (:func:`ssbsim.simulator.results.cycle_metrics`).
"""

from __future__ import annotations

import numpy as np
import pybamm

from .protocol import Protocol

#: Protocols longer than this keep only some cycles' full solutions.
LONG_RUN_CYCLES = 30


def saved_cycles(protocol: Protocol) -> list[int] | None:
    """1-based cycles whose full solution is kept (None: all of them)."""
    if protocol.n_cycles <= LONG_RUN_CYCLES:
        return None
    blocks = protocol.cycle_blocks()
    return sorted({k + 1 for k, b in enumerate(blocks) if k == 0 or blocks[k - 1] != b} | {len(blocks)})


class CompactCycleStates(pybamm.callbacks.Callback):
    """PyBaMM's per-cycle summary keeps the cycle's first and last states, one-point
    solutions whose arrays are views into the cycle's full arrays and whose
    ``sub_solutions`` hold the whole first / last step: every cycle's solution stays
    alive even where ``save_at_cycles`` drops it (~30 MB per DFN cycle of Choi 2025).
    Each state gets copies of its arrays and is its own sub-solution, so the rest can
    be freed."""

    def on_cycle_end(self, logs):
        summary = logs.get("summary variables")
        for state in (getattr(summary, "first_state", None), getattr(summary, "last_state", None)):
            if not isinstance(state, pybamm.Solution):
                continue
            slots = {n for cls in type(state).__mro__ for n in getattr(cls, "__slots__", ())}
            for name in sorted(n for n in slots if not n.startswith("__") and hasattr(state, n)):
                if not isinstance(getattr(type(state), name, None), property):
                    setattr(state, name, _own_arrays(getattr(state, name)))
            state._sub_solutions = []  # `sub_solutions` is then [state]


def _own_arrays(x):
    """``x`` with every numpy array in it (also in lists and dicts) copied."""
    if isinstance(x, np.ndarray):
        return x.copy()
    if isinstance(x, list):
        return [_own_arrays(v) for v in x]
    if isinstance(x, dict):
        return {k: _own_arrays(v) for k, v in x.items()}
    return x
