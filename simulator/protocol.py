"""The papers' first-cycle protocol as a PyBaMM Experiment."""

import pybamm

#: CV holds end at C/50 (or at half the CC rate if that is lower), after at most 10 h.
CV_CUTOFF_C = 1 / 50
CV_MAX_HOURS = 10


def cycle_steps(working: str, c_rate: float, v_min: float, v_max: float, cv_hold: bool = True) -> tuple:
    """One cycle: CC-CV "charging" of the working electrode, then CC back.

    Cathodes (and full cells): charge to ``v_max``, hold, discharge to ``v_min``.
    Anodes in half cells: lithiate (cell discharge) to ``v_min``, hold, delithiate to
    ``v_max``. ``cv_hold=False``: galvanostatic, no hold.
    """
    rate = f"{c_rate:.6g}C"
    cv = f"for {CV_MAX_HOURS} hours or until {min(CV_CUTOFF_C, c_rate / 2):.6g}C"
    if working == "anode":
        steps = (f"Discharge at {rate} until {v_min} V", f"Hold at {v_min} V {cv}",
                 f"Charge at {rate} until {v_max} V")
    else:
        steps = (f"Charge at {rate} until {v_max} V", f"Hold at {v_max} V {cv}",
                 f"Discharge at {rate} until {v_min} V")
    return steps if cv_hold else (steps[0], steps[2])


def experiment(working: str, c_rate: float, v_min: float, v_max: float, cycles: int = 1,
               cv_hold: bool = True):
    """``cycles`` repetitions of :func:`cycle_steps` as a ``pybamm.Experiment``."""
    return pybamm.Experiment([cycle_steps(working, c_rate, v_min, v_max, cv_hold)] * cycles)
