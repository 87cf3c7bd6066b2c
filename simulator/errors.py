"""ssbsim's exception hierarchy and input checks."""

import math


class SsbsimError(Exception):
    """Base class of ssbsim's own errors."""


class InputError(SsbsimError, ValueError):
    """A user input is outside what ssbsim accepts; the message names the parameter,
    its value and what is allowed."""


class SimulationError(SsbsimError, RuntimeError):
    """A solve failed (solver error or infeasible protocol)."""


def check_range(name: str, value, lo: float, hi: float, unit: str = "", where: str = "") -> float:
    """Return ``value`` as float if finite and lo <= value <= hi, else raise InputError.

    ``where`` qualifies the range, e.g. "of parameter set Kwon2022".
    """
    u = f" {unit}" if unit else ""
    allowed = f"the allowed range{' ' + where if where else ''}: {lo:g} to {hi:g}{u}"
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}={value!r} is not a number; {allowed}") from None
    if not (x == x and lo <= x <= hi):  # x == x rejects NaN
        raise InputError(f"{name}={value:g}{u} is outside {allowed}")
    return x


def parse_number(text, where: str, column: str) -> float:
    """A data file's cell as a finite float, else InputError naming place and column."""
    try:
        x = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{where}, column {column!r}: {text!r} is not a number") from None
    if not math.isfinite(x):
        raise InputError(f"{where}, column {column!r}: {text!r} is not finite")
    return x
