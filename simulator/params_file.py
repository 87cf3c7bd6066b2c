"""Parameter files: JSON data that sets numeric PyBaMM parameters (never executed).

Format::

    {"format": "ssbsim-parameters", "version": 1,
     "parameters": {"Composite framework modulus [Pa]": 1.1e9, ...},
     "meta": {...free-form: the fit that made it, uncertainties, ...}}

``ssbsim simulate --params FILE`` and ``ssbsim sweep --params FILE`` load it; the
names must exist in the preset's parameter set and the values must be finite numbers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .errors import InputError

FORMAT = "ssbsim-parameters"


def save_parameters(path, parameters: dict, meta: dict | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": FORMAT, "version": 1, "parameters": dict(parameters),
                                "meta": meta or {}}, indent=2, default=float))
    return path


def load_parameters(path) -> dict:
    """The ``parameters`` mapping of a parameter file, validated as data."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"parameter file {path} does not exist") from None
    except json.JSONDecodeError as e:
        raise InputError(f"parameter file {path} is not valid JSON (line {e.lineno}, column {e.colno}): {e.msg}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("parameters"), dict):
        raise InputError(f"parameter file {path} is not an ssbsim parameter file "
                         f"(needs \"format\": \"{FORMAT}\" and a \"parameters\" object)")
    return check_overrides(doc["parameters"], source=str(path))


def check_overrides(parameters: dict, source: str = "parameters") -> dict:
    """Names are strings, values finite numbers; else InputError naming the entry."""
    out = {}
    for name, value in parameters.items():
        if not isinstance(name, str):
            raise InputError(f"{source}: parameter name {name!r} is not a string")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"{source}: parameter {name!r}={value!r} is not a finite number")
        out[name] = float(value)
    return dict(sorted(out.items()))
