"""Protocols as data: cycles of PyBaMM experiment steps, repeated, at a stack pressure.

A protocol is what a cycler runs::

    {"cycles": [
        {"steps": ["Discharge at 0.15C until 0.01 V", "Hold at 0.01 V until 0.015C",
                   "Charge at 0.15C until 2 V"],
         "repeat": 3, "pressure_MPa": 16, "label": "formation"},
        ...]}

The steps of one entry (PyBaMM's experiment syntax, in the cell's own charge /
discharge sense: in an anode half cell "Discharge" lithiates the anode) form one cycle,
repeated ``repeat`` times, at ``pressure_MPa`` (default: the run's pressure). Files are
JSON, YAML or TOML and are read as data (never executed). The papers' protocols are
built with the same structure (:func:`paper_cycle`; named sequences in
``parameter_sets/experiments/*.toml``).
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pybamm

from .errors import InputError

#: CC-CV holds of the seed presets end at C/50 (or half the CC rate if lower), after at
#: most 10 h; a protocol may instead end the hold at a fraction of the CC current.
CV_CUTOFF_C = 1 / 50
CV_MAX_HOURS = 10
PRESSURE_RANGE_MPA = (0.0, 500.0)
#: The C-rates a run may drive the cell at: --c-rate, and each step's rate (current and
#: power steps as C-rates of the preset's 1C, ``Preset.c_rate_of``).
C_RATE_RANGE = (1e-3, 10.0)
MAX_CYCLES = 1000
_KEYS = {"steps", "repeat", "pressure_MPa", "label"}
_STEP_FORMS = ("'Charge|Discharge at <x>C (or A, W) until <v> V', "
               "'Hold at <v> V until <x>C (or A)', 'Rest for <t> hours|minutes|seconds', "
               "each with 'for <t> hours' and/or 'until ...'")


@dataclass(frozen=True)
class CycleBlock:
    """One protocol entry: a cycle's steps, how often, and at which stack pressure."""

    steps: tuple[str, ...]
    repeat: int = 1
    pressure_MPa: float | None = None  # None: the run's pressure
    label: str = ""

    def to_dict(self) -> dict:
        d = {"steps": list(self.steps), "repeat": self.repeat}
        if self.pressure_MPa is not None:
            d["pressure_MPa"] = self.pressure_MPa
        if self.label:
            d["label"] = self.label
        return d


@dataclass(frozen=True)
class Protocol:
    """A validated protocol: blocks of repeated cycles (see the module docstring)."""

    blocks: tuple[CycleBlock, ...]
    name: str = field(default="", compare=False)

    @property
    def n_cycles(self) -> int:
        return sum(b.repeat for b in self.blocks)

    def cycle_blocks(self) -> list[int]:
        """The block index of each cycle (1-based cycles -> list index cycle - 1)."""
        return [i for i, b in enumerate(self.blocks) for _ in range(b.repeat)]

    def pressures(self, run_pressure_MPa: float) -> list[float]:
        """The stack pressure of each block [MPa]."""
        return [run_pressure_MPa if b.pressure_MPa is None else b.pressure_MPa for b in self.blocks]

    def segments(self, run_pressure_MPa: float) -> list[tuple[float, list[tuple[str, ...]]]]:
        """Consecutive blocks at one pressure merged: (pressure [MPa], cycles' steps)."""
        out: list[tuple[float, list]] = []
        for p, b in zip(self.pressures(run_pressure_MPa), self.blocks):
            if out and out[-1][0] == p:
                out[-1][1].extend([b.steps] * b.repeat)
            else:
                out.append((p, [b.steps] * b.repeat))
        return out

    def to_dict(self) -> dict:
        return {"cycles": [b.to_dict() for b in self.blocks]}

    def steps(self) -> list[str]:
        """Each distinct step of the protocol, in order of first use."""
        return list(dict.fromkeys(s for b in self.blocks for s in b.steps))

    def voltage_limits(self) -> list[tuple[str, float]]:
        """(step, voltage [V]) for every voltage named in a step (holds and cut-offs), as
        PyBaMM reads it (``9000 mV`` is 9 V)."""
        out = []
        for s in self.steps():
            step = _parsed(s)
            if isinstance(step, pybamm.step.Voltage):
                out.append((s, float(step.value)))
            out += [(s, float(t.value)) for t in step.termination
                    if isinstance(t, pybamm.step.VoltageTermination)]
        return out

    @classmethod
    def from_dict(cls, doc, source: str = "protocol", name: str = "") -> "Protocol":
        """Validate a protocol mapping; :class:`InputError` naming the entry otherwise."""
        if isinstance(doc, Protocol):
            return doc
        if not isinstance(doc, dict) or set(doc) - {"cycles", "description", "name"}:
            extra = sorted(set(doc) - {"cycles", "description", "name"}) if isinstance(doc, dict) else []
            raise InputError(f"{source}: a protocol is an object with a \"cycles\" list"
                             + (f"; unknown key(s) {', '.join(map(repr, extra))}" if extra else ""))
        cycles = doc.get("cycles")
        if not isinstance(cycles, list) or not cycles:
            what = "the protocol is empty" if not cycles else f"\"cycles\"={cycles!r} is not a list"
            raise InputError(f"{source}: {what}; give \"cycles\": a list of "
                             "{\"steps\": [...], \"repeat\": N, \"pressure_MPa\": P}")
        blocks = tuple(_block(entry, f"{source}, cycle entry {k}") for k, entry in enumerate(cycles, 1))
        total = sum(b.repeat for b in blocks)
        if total > MAX_CYCLES:
            raise InputError(f"{source}: {total} cycles in all; allowed: 1 to {MAX_CYCLES}")
        return cls(blocks, name or str(doc.get("name", "")))

    @classmethod
    def from_steps(cls, steps, repeat: int = 1, pressure_MPa=None, source: str = "--step") -> "Protocol":
        """One cycle of ``steps`` repeated ``repeat`` times (the CLI's --step / --repeat)."""
        entry = {"steps": list(steps), "repeat": repeat}
        if pressure_MPa is not None:
            entry["pressure_MPa"] = pressure_MPa
        return cls.from_dict({"cycles": [entry]}, source)


def _block(entry, where: str) -> CycleBlock:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: {entry!r} is not an object with \"steps\"")
    unknown = set(entry) - _KEYS
    if unknown:
        key = sorted(unknown)[0]
        hint = difflib.get_close_matches(key, sorted(_KEYS), n=1)
        raise InputError(f"{where}: unknown key {key!r}; allowed: {', '.join(sorted(_KEYS))}"
                         + (f" (did you mean {hint[0]!r}?)" if hint else ""))
    steps = entry.get("steps")
    if isinstance(steps, str):
        steps = [steps]
    if not isinstance(steps, list) or not steps:
        raise InputError(f"{where}: \"steps\" must be a non-empty list of PyBaMM step strings")
    for k, step in enumerate(steps, 1):
        check_step(step, f"{where}, step {k}")
    repeat = entry.get("repeat", 1)
    if isinstance(repeat, bool) or not isinstance(repeat, int) or not 1 <= repeat <= MAX_CYCLES:
        raise InputError(f"{where}: repeat={repeat!r} must be a whole number from 1 to {MAX_CYCLES}")
    pressure = entry.get("pressure_MPa")
    if pressure is not None:
        lo, hi = PRESSURE_RANGE_MPA
        if isinstance(pressure, bool) or not isinstance(pressure, (int, float)) \
                or not (math.isfinite(pressure) and lo <= pressure <= hi):
            raise InputError(f"{where}: pressure_MPa={pressure!r} is outside the allowed range: "
                             f"{lo:g} to {hi:g} MPa")
        pressure = float(pressure)
    label = entry.get("label", "")
    if not isinstance(label, str):
        raise InputError(f"{where}: label={label!r} must be text")
    return CycleBlock(tuple(steps), repeat, pressure, label)


def check_step(step, where: str = "step") -> str:
    """``step`` if PyBaMM's experiment parser accepts it, its rate, current, power or
    resistance is not 0 and, in a Charge / Discharge step, not below 0; else InputError
    naming it. (PyBaMM takes the direction from the verb: "Charge at -0.1C" would
    discharge; a Hold at a current keeps PyBaMM's sign, discharge positive.) Rates are
    checked against the cell's 1C where the preset is known (``Preset.check_protocol``)."""
    if not isinstance(step, str) or not step.strip():
        raise InputError(f"{where}: {step!r} is not a step; allowed forms: {_STEP_FORMS}")
    try:
        drive = step_drive(step)
    except ZeroDivisionError:  # PyBaMM divides by a C-rate of 0
        drive = ("C", 0.0)
    except (ValueError, TypeError, KeyError, IndexError) as e:
        reason = re.split(r"\.?\s*For example", str(e).splitlines()[0])[0].rstrip(": .")
        raise InputError(f"{where}: {step!r} is not a PyBaMM experiment step ({reason}); "
                         f"allowed forms: {_STEP_FORMS}") from None
    if drive and (drive[1] == 0 or drive[1] < 0 and step.startswith(("Charge", "Discharge"))):
        unit, value = drive
        raise InputError(f"{where}: {step!r}: {_DRIVE_NAMES[unit]} {value:g} {unit} must be above 0 "
                         "(Charge and Discharge set the direction; a pause is 'Rest for <t> minutes')")
    return step


#: What a step holds constant other than a voltage: PyBaMM's step class -> unit.
_DRIVE_UNITS = {"CRate": "C", "Current": "A", "Power": "W", "Resistance": "Ohm"}
_DRIVE_NAMES = {"C": "C-rate", "A": "current", "W": "power", "Ohm": "resistance"}


@functools.lru_cache(maxsize=4096)
def _parsed(step: str):
    """PyBaMM's step object of ``step`` (parsed once; read, never changed)."""
    return pybamm.step.string(step)


def step_drive(step: str) -> tuple[str, float] | None:
    """(unit, value) of what a Charge / Discharge / Hold step holds constant other than a
    voltage: "C" (C-rate), "A", "W" or "Ohm", in those units as PyBaMM reads them (mA,
    mW and mOhm converted, C/n as 1/n), signed as written (in PyBaMM, "Charge at -1 A"
    is a discharge); None for a Rest or a voltage hold."""
    parsed = _parsed(step)
    unit = _DRIVE_UNITS.get(type(parsed).__name__)
    if unit is None:
        return None
    return unit, (-1.0 if step.startswith("Charge") else 1.0) * float(parsed.value)


def load_protocol(path) -> Protocol:
    """A protocol file (``.json``, ``.yaml``/``.yml`` or ``.toml``), read as data."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"protocol file {path} does not exist") from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as e:
        raise InputError(f"protocol file {path} cannot be read as text ({type(e).__name__})") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            doc = json.loads(text)
        elif suffix in (".yaml", ".yml"):
            import yaml

            doc = yaml.safe_load(text)
        elif suffix == ".toml":
            import tomllib

            doc = tomllib.loads(text)
        else:
            raise InputError(f"protocol file {path}: unknown format {suffix!r}; allowed: .json, .yaml, .yml, .toml")
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - any parser's syntax error becomes one line
        raise InputError(f"protocol file {path} is not valid {suffix[1:].upper()}: "
                         f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    return Protocol.from_dict(doc, f"protocol file {path}", name=path.stem)


def cv_cutoff_C(cutoff: str, c_rate: float) -> float:
    """The C-rate at which a CV hold ends: ``"C/50"`` (at most half the CC rate) or a
    fraction of the CC current such as ``"10%"``."""
    if cutoff.endswith("%"):
        return float(cutoff[:-1]) / 100 * c_rate
    if cutoff == "C/50":
        return min(CV_CUTOFF_C, c_rate / 2)
    raise InputError(f"CV cut-off {cutoff!r} is not 'C/50' or a percentage of the CC current such as '10%'")


def paper_cycle(working: str, c_rate: float, v_min: float, v_max: float, cv_cutoff: str | None = "C/50",
                discharge_rate: float | None = None) -> tuple[str, ...]:
    """One cycle: "charging" of the working electrode at ``c_rate`` (CC, then a CV hold
    ending at ``cv_cutoff`` unless None), then CC back at ``discharge_rate`` (default
    the same rate). Cathodes and full cells charge to ``v_max`` and discharge to
    ``v_min``; anode half cells lithiate (cell discharge) to ``v_min`` first and
    delithiate to ``v_max``."""
    first, back = f"{c_rate:.6g}C", f"{(discharge_rate or c_rate):.6g}C"
    if working == "anode":
        steps = [f"Discharge at {first} until {v_min:g} V", f"Charge at {back} until {v_max:g} V"]
        hold_v = v_min
    else:
        steps = [f"Charge at {first} until {v_max:g} V", f"Discharge at {back} until {v_min:g} V"]
        hold_v = v_max
    if cv_cutoff is not None:
        steps.insert(1, f"Hold at {hold_v:g} V for {CV_MAX_HOURS} hours or until "
                        f"{cv_cutoff_C(cv_cutoff, c_rate):.6g}C")
    return tuple(steps)


def experiment_of(cycles) -> pybamm.Experiment:
    """A ``pybamm.Experiment`` of a list of cycles' steps."""
    return pybamm.Experiment([tuple(c) for c in cycles])


def experiment(working: str, c_rate: float, v_min: float, v_max: float, cycles: int = 1,
               cv_cutoff: str | None = "C/50") -> pybamm.Experiment:
    """``cycles`` repetitions of :func:`paper_cycle` as a ``pybamm.Experiment``."""
    return pybamm.Experiment([paper_cycle(working, c_rate, v_min, v_max, cv_cutoff)] * cycles)
