"""``ssbsim.Conditions``: the typed, validated description of one run.

A :class:`Conditions` is made once per case (:meth:`Conditions.resolve` fills what the
user left out with the preset's defaults) and passed as is through simulate, sweep,
store, figures, fit and validate. It is frozen: a changed case is
``dataclasses.replace(conditions, pressure_MPa=7.0)``, which validates again.
:meth:`Conditions.to_dict` is the form the HDF5 store, ``summary.csv`` and the JSON
output hold; :meth:`Conditions.from_dict` reads it back.

Adding a condition: a field with a default, ``metadata={"unit": ..., "doc": ...}``,
``"omit_default": True`` if stored results made without it are to keep their names
(``"omit_preset_default"``: where it is the preset's), and
``"column": False`` if it is not a column of ``summary.csv`` (:data:`SUMMARY_COLUMNS`).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
from dataclasses import dataclass, field
from enum import StrEnum

import pybamm

from ssbsim.models import binder_coverage as bc
from ssbsim.models.options import OPTIONS, check_option

from .errors import InputError, check_bool, check_count, check_range
from .overrides import apply_overrides
from .params_file import check_overrides
from .presets import Preset, get_preset
from .protocol import C_RATE_RANGE, MAX_CYCLES, PRESSURE_RANGE_MPA, Protocol

CYCLES_RANGE = (1, MAX_CYCLES)


class Model(StrEnum):
    """The electrochemical model: Doyle-Fuller-Newman, or the single-particle models."""

    DFN = "DFN"
    SPMe = "SPMe"
    SPM = "SPM"


class Process(StrEnum):
    """How the electrode is made: wet slurry, dry (fibrillated binder), or binder-free."""

    WET = "wet"
    DRY = "dry"
    NONE = "none"


class CellType(StrEnum):
    """A half cell (working electrode against Li or Li-In) or a full cell."""

    HALF = "half"
    FULL = "full"


def _meta(unit: str, doc: str, **extra) -> dict:
    return {"unit": unit, "doc": doc, **extra}


@dataclass(frozen=True)
class Conditions:
    """The conditions of one run (frozen; change one with ``dataclasses.replace``).

    Build one with :meth:`resolve` (the options of :func:`ssbsim.simulate`), or
    directly: ``binder``, ``process``, ``binder_content_wt_pct``, ``pressure_MPa``,
    ``c_rate`` and ``temperature_C`` left None take the preset's values.

    Attributes
    ----------
    preset : str
        Cell preset, one of ``ssbsim.simulator.presets.PRESETS`` (e.g. ``"kwon2022"``).
    parameter_set : str
        The preset's parameter set (derived).
    model : Model
        ``DFN``, ``SPMe`` or ``SPM`` (any case when given as text).
    binder : str
        A binder of the preset.
    process : Process
        ``wet``, ``dry`` or ``none`` (binder-free).
    binder_content_wt_pct : float [wt%]
        Binder content, 0 ... 10 wt% (0 with process ``none``).
    pressure_MPa : float [MPa]
        Stack pressure, 0 ... 500 MPa (0: a pouch cell without external pressure).
    c_rate : float or None [C]
        C-rate of the default protocol's CC steps, 0.001 ... 10 C; None with a
        ``protocol`` of one's own.
    temperature_C : float [degC]
        Cell temperature, within the parameter set's range (-20 ... 80 degC).
    cycles : int [-]
        Cycles run: of the default protocol 1 ... 1000 (default 1), else the protocol's.
    mechanics : bool
        Contact loss, voids, delamination and binder mechanics; False: perfect contact
        (a Python or NumPy bool: text such as ``"False"`` is refused).
    fixture : str
        What holds the stack (``ssbsim.models.fixture``): ``constant pressure``,
        ``spring`` or ``rigid`` (``pressure_MPa`` is then the pressure at assembly);
        default the preset's (:meth:`Preset.resolve_fixture`).
    coverage_entry : str
        What the binder-covered surface blocks besides charge transfer
        (``ssbsim.models.covered_entry``): ``none`` (default) or ``effective diffusivity``
        (Li entry too: the particle diffusivity D (1 - theta)^2).
    protocol : Protocol or None
        A protocol of one's own (:mod:`~ssbsim.simulator.protocol`); None: the preset's
        cycle at ``c_rate``, ``cycles`` times (:attr:`run_protocol` is what runs).
    parameters : tuple of (str, float)
        Numeric PyBaMM parameters set on top of the parameter set's, each in its
        parameter's unit (a dict is accepted), sorted by name. A change of an electrode's
        thickness, active volume fraction, density or area changes its active mass and the
        nominal (1C) capacity with it (:func:`~.overrides.apply_overrides`).
    """

    preset: str = field(metadata=_meta("", "cell preset"))
    parameter_set: str = field(init=False, metadata=_meta("", "the preset's parameter set", column=False))
    model: Model = field(default=Model.DFN, metadata=_meta("", "DFN, SPMe or SPM"))
    binder: str | None = field(default=None, metadata=_meta("", "binder of the preset"))
    process: Process | None = field(default=None, metadata=_meta("", "wet, dry or none"))
    binder_content_wt_pct: float | None = field(default=None, metadata=_meta("wt%", "binder content"))
    pressure_MPa: float | None = field(default=None, metadata=_meta("MPa", "stack pressure"))
    c_rate: float | None = field(default=None, metadata=_meta("C", "C-rate of the default protocol"))
    temperature_C: float | None = field(default=None, metadata=_meta("degC", "temperature"))
    cycles: int | None = field(default=None, metadata=_meta("-", "cycles run"))
    mechanics: bool = field(default=True, metadata=_meta("", "contact mechanics on"))
    fixture: str | None = field(default=None, metadata=_meta("", "what holds the stack",
                                                                 omit_preset_default=True, column=False))
    coverage_entry: str = field(default=OPTIONS["coverage entry"][0], metadata=_meta(
        "", "what the binder coverage blocks besides charge transfer", omit_default=True, column=False))
    protocol: Protocol | None = field(default=None, metadata=_meta("", "a protocol of one's own", column=False))
    parameters: tuple = field(default=(), metadata=_meta("(parameter's)", "PyBaMM parameters set",
                                                         omit_default=True, column=False))

    def __post_init__(self):
        p = get_preset(self.preset)
        put = functools.partial(object.__setattr__, self)
        put("parameter_set", p.parameter_set)
        process = None if self.process is None else check_process(self.process)
        binder = self.binder
        if binder is None and process is not None:
            # the preset's binder made by that process, if it has one (emley2023: dry -> ptfe)
            binder = next((n for n, b in p.binders.items() if b.process == process), None)
        binder, choice = p.binder(binder)
        put("binder", binder)
        put("process", process or Process(choice.process))
        if self.process != Process.NONE:
            check_consistent(p, self.binder, self.process)
        content = self.binder_content_wt_pct
        if content is None:
            content = 0.0 if self.process == Process.NONE else choice.content_wt_pct
        put("binder_content_wt_pct", check_binder_content(content, self.process))
        put("model", check_model(self.model))
        if self.protocol is None:
            put("cycles", check_cycles(1 if self.cycles is None else self.cycles))
            put("c_rate", check_c_rate(p.c_rate if self.c_rate is None else self.c_rate))
        else:
            if self.c_rate is not None:
                raise _together("c_rate", self.c_rate)
            put("protocol", self.protocol if isinstance(self.protocol, Protocol) else
                p.named_protocol(self.protocol) if isinstance(self.protocol, str) else
                Protocol.from_dict(self.protocol))
            if self.cycles not in (None, self.protocol.n_cycles):
                raise _together("cycles", self.cycles)
            put("cycles", self.protocol.n_cycles)
        p.check_protocol(self.run_protocol)
        put("pressure_MPa", check_range("pressure", p.pressure_MPa if self.pressure_MPa is None else
                                        self.pressure_MPa, *PRESSURE_RANGE_MPA, "MPa"))
        put("temperature_C", check_range(
            "temperature", p.temperature_C if self.temperature_C is None else self.temperature_C,
            *p.temperature_range_C, "C", where=f"of parameter set {p.parameter_set}"))
        put("mechanics", check_bool("mechanics", self.mechanics, "contact mechanics on or off"))
        put("fixture", p.resolve_fixture(self.fixture, self.mechanics))
        try:
            check_option("coverage entry", self.coverage_entry)
        except ValueError as e:
            raise InputError(str(e)) from None
        put("parameters", tuple(check_overrides(dict(self.parameters)).items()) if self.parameters else ())
        if self.parameters:
            _parameter_values(self)  # unknown or function-valued names fail here, not mid-sweep

    @classmethod
    def resolve(cls, preset: str, *, binder=None, process=None, binder_content=None, pressure=None,
                c_rate=None, cycles=None, temperature=None, model="DFN", mechanics=True,
                parameters=None, protocol=None, fixture=None, coverage_entry=None) -> "Conditions":
        """The user's options (those of :func:`ssbsim.simulate`), validated; what is not
        given is the preset's default.

        ``protocol`` (a Protocol, its dict form, or the name of one of the preset's paper
        protocols) replaces the preset's default cycle; it cannot be combined with
        ``c_rate`` or ``cycles``. Raises :class:`InputError` naming the option, its
        value and what is allowed.
        """
        p = get_preset(preset)
        process = None if process is None else check_process(process)
        check_consistent(p, binder, process)  # what the user gave, before defaults
        if protocol is not None:
            for option, value in (("c_rate", c_rate), ("cycles", cycles)):
                if value is not None:
                    raise _together(option, value)
        return cls(p.name, model=model, binder=binder, process=process, binder_content_wt_pct=binder_content,
                   pressure_MPa=pressure, c_rate=c_rate, temperature_C=temperature, cycles=cycles,
                   mechanics=mechanics, protocol=protocol, parameters=parameters or (), fixture=fixture,
                   coverage_entry=OPTIONS["coverage entry"][0] if coverage_entry is None else coverage_entry)

    def __getstate__(self):  # pickled (to worker processes) without the parameter values
        return {k: v for k, v in self.__dict__.items() if k != _CACHE}

    @property
    def preset_data(self) -> Preset:
        """The :class:`~ssbsim.simulator.presets.Preset` of the cell."""
        return get_preset(self.preset)

    @property
    def cell(self) -> CellType:
        """Half or full cell (the preset's)."""
        return CellType(self.preset_data.cell)

    @property
    def run_protocol(self) -> Protocol:
        """The protocol that runs: :attr:`protocol`, or the preset's cycle at :attr:`c_rate`."""
        return self.protocol if self.protocol is not None else self.preset_data.protocol(self.c_rate, self.cycles)

    @property
    def key(self) -> str:
        """The stored form as canonical JSON: equal for equal conditions."""
        return json.dumps(self.to_dict(), sort_keys=True)

    def to_dict(self) -> dict:
        """Plain values (the stored form): enums as text, the protocol that runs as its
        dict, ``parameters`` as a dict and only if any are set."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("omit_default") and value == f.default:
                continue
            if f.metadata.get("omit_preset_default") and value == getattr(self.preset_data, f.name):
                continue  # stored results made before the field keep their names
            out[f.name] = value.value if isinstance(value, StrEnum) else value
        out["protocol"] = self.run_protocol.to_dict()
        if "parameters" in out:
            out["parameters"] = dict(self.parameters)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Conditions":
        """Conditions from :meth:`to_dict`'s form (derived entries are recomputed; the
        protocol is read only where it is not the preset's default, i.e. without C-rate)."""
        kwargs = {f.name: d[f.name] for f in dataclasses.fields(cls) if f.init and f.name in d}
        if kwargs.get("c_rate") is not None:
            kwargs.pop("protocol", None)
        else:
            kwargs.pop("cycles", None)
        return cls(**kwargs)


#: The conditions that are columns of a sweep's ``summary.csv``, in order.
SUMMARY_COLUMNS = tuple(f.name for f in dataclasses.fields(Conditions) if f.metadata.get("column", True))


def _together(option, value) -> InputError:
    return InputError(f"{option}={value!r} and protocol given together: the protocol's "
                      f"steps set the rates and its entries the cycles; drop {option}")


def check_process(process) -> Process:
    """``process`` as a :class:`Process` (any case), else InputError with the nearest."""
    return _member("process", process, Process)


def check_model(model) -> Model:
    """``model`` as a :class:`Model` (any case: ``dfn`` -> ``DFN``), else InputError."""
    return _member("model", model, Model)


def _member(name: str, value, enum):
    by_lower = {m.value.lower(): m for m in enum}
    if str(value).lower() in by_lower:
        return by_lower[str(value).lower()]
    hint = difflib.get_close_matches(str(value).lower(), list(by_lower), n=1)
    extra = f" (did you mean {by_lower[hint[0]].value!r}?)" if hint else ""
    raise InputError(f"{name}={value!r} is not one of {', '.join(m.value for m in enum)}{extra}")


def check_binder_content(content, process) -> float:
    content = check_range("binder content", content, *bc.BINDER_CONTENT_RANGE_WT_PCT, "wt%")
    if process == Process.NONE and content != 0:
        raise InputError(f"binder content={content:g} wt% must be 0 with process 'none'")
    return content


def check_cycles(cycles) -> int:
    return check_count("cycles", cycles, *CYCLES_RANGE)


def check_c_rate(c_rate) -> float:
    return check_range("C-rate", c_rate, *C_RATE_RANGE, "C")


def check_consistent(p: Preset, binder, process) -> None:
    """InputError naming both options when the user's binder and process contradict each
    other or the preset: a binder with process 'none' (binder-free), a process none of
    the preset's binders is made by, or a binder with another binder's process.

    The binder content is used by every preset's parameter set (it sets the electrode's
    volume fractions, coverage and conduction laws); it is ignored only without binder,
    where a content other than 0 is refused.
    """
    if process is None:
        return
    made = {}
    for name, b in p.binders.items():
        made.setdefault(b.process, []).append(name)
    if process == "none" and binder is not None:
        raise InputError(f"--process none (binder-free) contradicts --binder {binder}: give one of them")
    if process != "none" and process not in made:
        listed = "; ".join(f"{k} ({', '.join(v)})" for k, v in made.items())
        raise InputError(f"--process {process}: preset {p.name!r} has no binder made by it; its processes: "
                         f"{listed}; none (binder-free)")
    if binder in p.binders and process != "none" and p.binders[binder].process != process:
        raise InputError(f"--binder {binder} is made by the {p.binders[binder].process} process, not "
                         f"--process {process}; the {process} binder of {p.name!r}: {', '.join(made[process])}")


def parameter_values(conditions: Conditions) -> pybamm.ParameterValues:
    """The PyBaMM parameter values of ``conditions``: built once per Conditions object
    (kept on it, not pickled with it), each call returning a copy the caller may change."""
    return _parameter_values(conditions).copy()


def _parameter_values(conditions: Conditions) -> pybamm.ParameterValues:
    if _CACHE not in conditions.__dict__:  # a frozen instance: set around its __setattr__
        object.__setattr__(conditions, _CACHE, _build_parameter_values(conditions))
    return conditions.__dict__[_CACHE]


_CACHE = "_parameter_values"


def _build_parameter_values(conditions: Conditions) -> pybamm.ParameterValues:
    p = conditions.preset_data
    values = p.parameters(conditions.binder, conditions.binder_content_wt_pct, str(conditions.process),
                          conditions.pressure_MPa)
    T = 273.15 + conditions.temperature_C
    values.update({"Ambient temperature [K]": T, "Initial temperature [K]": T})
    # the overrides, with the active masses and nominal capacity they change (overrides)
    return pybamm.ParameterValues(apply_overrides(values, conditions.parameters, p.parameter_set))
