"""Parameter files: JSON data that sets numeric PyBaMM parameters (never executed).

Format::

    {"format": "ssbsim-parameters", "version": 1,
     "parameters": {"Composite framework modulus [Pa]": 1.1e9, ...},
     "meta": {...free-form: the fit that made it, uncertainties, ...}}

``ssbsim simulate --params FILE`` and ``ssbsim sweep --params FILE`` load it; the
names must exist in the preset's parameter set and the values must be finite numbers
within the physical ranges of :data:`RULES` (a thickness > 0, a conductivity > 0, a
fraction in [0, 1], ...). Run conditions (stack pressure, temperature, current) cannot be
set from a file: they are options of the run (:data:`RUN_CONDITIONS`), so that what a run
reports as its conditions is what it simulated. Nor can the values derived from the
electrodes' geometry (active mass loadings, nominal capacity: :data:`~.overrides.DERIVED`):
they follow from the thicknesses, volume fractions and densities set
(:func:`~.overrides.apply_overrides`). The file is read as UTF-8 text and parsed as JSON
only: never unpickled or evaluated.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from .errors import InputError
from .files import read_text
from .overrides import DERIVED

FORMAT = "ssbsim-parameters"

#: Parameters that are conditions of the run -> the option that sets them.
RUN_CONDITIONS = {
    "Stack pressure [Pa]": "--pressure (MPa) / pressure=",
    "Ambient temperature [K]": "--temperature (C) / temperature=",
    "Initial temperature [K]": "--temperature (C) / temperature=",
    "Current function [A]": "--c-rate / c_rate=",
    "Positive electrode binder content [wt%]": "--binder-content (wt%) / binder_content=",
    "Negative electrode binder content [wt%]": "--binder-content (wt%) / binder_content=",
}

_INF = math.inf
#: (pattern on the name, lower, upper, lower excluded, unit shown); the first match wins.
RULES = (
    (r"content scale \[wt%\]|measured content \[wt%\]", 0.0, 10.0, True, "wt%"),
    (r"Avrami exponent|energy scale \[J\.m-2\]", 0.0, _INF, True, ""),
    (r"thickness \[m\]|radius \[m\]|height \[m\]|width \[m\]|length \[m\]", 0.0, 1.0, True, "m"),
    (r"roughness \[m\]", 0.0, 1e-3, False, "m"),
    (r"modulus \[Pa\]", 0.0, _INF, True, "Pa"),
    (r"stiffness \[Pa\.m-1\]", 0.0, _INF, True, "Pa/m"),
    (r"stiffness \[N\.m-1\]", 0.0, _INF, True, "N/m"),
    (r"\[Pa\]", 0.0, _INF, False, "Pa"),
    (r"conductivity \[S\.m-1\]", 0.0, _INF, True, "S/m"),
    (r"diffusivity \[m2\.s-1\]|creep velocity", 0.0, _INF, True, ""),
    (r"density \[kg\.m-3\]|\[A\.h\]|partial molar volume", 0.0, _INF, True, ""),
    (r"\[m3\.mol-1\]", 0.0, _INF, False, "m3/mol"),
    (r"[Mm]aximum concentration", 0.0, _INF, True, "mol/m3"),
    (r"\[mol\.m-3\]", 0.0, _INF, False, "mol/m3"),
    (r"porosity", 0.0, 1.0, True, ""),
    (r"fraction|coverage|transference number|nucleation factor|holding fraction of strength", 0.0, 1.0, False, ""),
    (r"charge transfer coefficient", 0.0, 1.0, True, ""),
    (r"tortuosity factor|\[K\]|\[s\]$|double-layer capacity", 0.0, _INF, True, ""),
    (r"Bruggeman|log-standard deviation|\[Ohm|\[J\.m-[23]\]|\[N\.m-1\]|\[s-1\]|\[W\.m-2\.K-1\]|scatter|"
     r"coefficient|stress exponent", 0.0, _INF, False, ""),
    (r"^Number of", 1.0, _INF, False, ""),
    (r"Poisson", -1.0, 0.5, True, ""),
)


def save_parameters(path, parameters: dict, meta: dict | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    parameters = check_overrides(parameters, source=f"parameters to write to {path}")
    try:  # allow_nan=False: a NaN or inf anywhere (also in meta) is an error, never bare NaN
        text = json.dumps({"format": FORMAT, "version": 1, "parameters": parameters,
                           "meta": meta or {}}, indent=2, default=float, allow_nan=False)
    except ValueError as e:
        raise InputError(f"{path} not written: {e} (a NaN or infinite value)") from None
    path.write_text(text)
    return path


def load_parameters(path) -> dict:
    """The ``parameters`` mapping of a parameter file, validated as data."""
    path = Path(path)
    text = read_text(path, "parameter file")
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except InputError as e:
        raise InputError(f"parameter file {path}: {e}") from None
    except json.JSONDecodeError as e:
        raise InputError(f"parameter file {path} is not valid JSON (line {e.lineno}, column {e.colno}): {e.msg}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("parameters"), dict):
        raise InputError(f"parameter file {path} is not an ssbsim parameter file "
                         f"(needs \"format\": \"{FORMAT}\" and a \"parameters\" object)")
    return check_overrides(doc["parameters"], source=str(path))


def _no_constant(word):
    raise InputError(f"{word} is not a number a parameter file may hold (JSON has no NaN or Infinity)")


def check_overrides(parameters: dict, source: str = "parameters") -> dict:
    """Names are strings, values finite numbers in their physical range (:func:`check_value`),
    run conditions are refused; else InputError naming the entry."""
    if not isinstance(parameters, dict):
        raise InputError(f"{source}: parameters must be a mapping of names to numbers")
    out = {}
    for name, value in parameters.items():
        if not isinstance(name, str):
            raise InputError(f"{source}: parameter name {name!r} is not a string")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"{source}: parameter {name!r}={value!r} is not a finite number")
        out[name] = check_value(name, float(value), source)
    return dict(sorted(out.items()))


def check_value(name: str, value: float, source: str = "parameters") -> float:
    """``value`` if parameter ``name`` may take it, else InputError naming parameter,
    value and allowed range (or the run option for a run condition, or what sets a value
    derived from the geometry)."""
    if name in RUN_CONDITIONS:
        raise InputError(f"{source}: {name!r} is a condition of the run, not a parameter to set "
                         f"here: use {RUN_CONDITIONS[name]} (so the run reports it)")
    for pattern, how in DERIVED.items():
        if re.search(pattern, name):
            raise InputError(f"{source}: {name!r}={value:g} cannot be set: {how}")
    for pattern, lo, hi, lo_open, unit in RULES:
        if re.search(pattern, name):
            if value < lo or value > hi or (lo_open and value == lo):
                u = f" {unit}" if unit else ""
                allowed = f"{'>' if lo_open else '>='} {lo:g}{u}" if hi == _INF else \
                    f"{lo:g}{' (excluded)' if lo_open else ''} to {hi:g}{u}"
                raise InputError(f"{source}: parameter {name!r}={value:g} is outside the allowed "
                                 f"range: {allowed}")
            break
    return value
