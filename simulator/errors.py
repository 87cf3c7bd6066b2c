"""ssbsim's exception hierarchy and input checks."""

import math
import numbers

import numpy as np


class SsbsimError(Exception):
    """Base class of ssbsim's own errors."""


class InputError(SsbsimError, ValueError):
    """A user input is outside what ssbsim accepts; the message names the parameter,
    its value and what is allowed."""


class SimulationError(SsbsimError, RuntimeError):
    """A solve failed (solver error or infeasible protocol)."""


def check_range(name: str, value, lo: float, hi: float, unit: str = "", where: str = "") -> float:
    """Return ``value`` as float if finite and lo <= value <= hi, else raise InputError
    (also for a bool, which Python would read as 0 or 1).

    ``where`` qualifies the range, e.g. "of parameter set Kwon2022".
    """
    u = f" {unit}" if unit else ""
    allowed = f"the allowed range{' ' + where if where else ''}: {lo:g} to {hi:g}{u}"
    if isinstance(value, (bool, np.bool_)):  # float(True) is 1.0: a flag is not a number
        raise InputError(f"{name}={value!r} is not a number; {allowed}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}={value!r} is not a number; {allowed}") from None
    if not (x == x and lo <= x <= hi):  # x == x rejects NaN
        raise InputError(f"{name}={value:g}{u} is outside {allowed}")
    return x


def check_count(name: str, value, lo: int, hi: int, unit: str = "", where: str = "", note: str = "") -> int:
    """Return ``value`` as int if it is a whole number with lo <= value <= hi, else raise
    InputError naming it, its value and the allowed range (``where`` qualifies the range,
    e.g. "for 2 parameter(s)"; ``note`` follows it, e.g. "(MCMC steps per walker)")."""
    u = f" {unit}" if unit else ""
    allowed = f"the allowed range{' ' + where if where else ''}: {lo} to {hi}{u}{' ' + note if note else ''}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name}={value!r} is not a whole number; {allowed}")
    if not lo <= value <= hi:
        raise InputError(f"{name}={value!r}{u} is outside {allowed}")
    return int(value)


def check_bool(name: str, value, what: str = "") -> bool:
    """Return ``value`` as bool if it is a Python or NumPy bool, else raise InputError
    naming it and its value (text such as ``"False"`` or a number is not read as a flag);
    ``what`` says what True and False mean, e.g. "contact mechanics on or off"."""
    if not isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name}={value!r} is not one of True, False{' (' + what + ')' if what else ''}")
    return bool(value)


def parse_number(text, where: str, column: str) -> float:
    """A data file's cell as a finite float, else InputError naming place and column."""
    try:
        x = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{where}, column {column!r}: {text!r} is not a number") from None
    if not math.isfinite(x):
        raise InputError(f"{where}, column {column!r}: {text!r} is not finite")
    return x
