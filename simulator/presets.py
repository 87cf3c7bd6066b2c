"""Presets: the cells of the four papers, with their binders, protocols and windows."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from typing import Callable

from ssbsim.models.options import check_option
from ssbsim.parameter_sets import choi2025, emley2023, experiments, jo2024, kwon2022

from .errors import InputError
from .protocol import C_RATE_RANGE, Protocol, paper_cycle, step_drive


@dataclass(frozen=True)
class Binder:
    """A binder choice of a preset: its process and default content [wt%]."""

    process: str
    content_wt_pct: float
    description: str = ""
    stands_in_for: str = ""  # the preset's binder whose measured properties it takes (its own: not measured)


@dataclass(frozen=True)
class Preset:
    """A cell of one of the papers, ready to simulate.

    ``working`` is ``"cathode"`` or ``"anode"``: the electrode whose active-material mass
    normalises capacities and whose "charging" half-cycle (delithiation of a cathode,
    lithiation of an anode) comes first, as CC-CV (its hold ending at ``cv_cutoff``:
    ``"C/50"`` or a fraction of the CC current such as ``"10%"``) or CC (``None``).
    The paper's named protocol sequences (formation, rate blocks, long cycling) are
    data in ``parameter_sets/experiments/<paper>.toml`` (:attr:`protocols`). The
    temperature, stack pressure, window and binders are the parameter set's
    (``TEMPERATURE_C``, ``STACK_PRESSURE_MPA``, ``WINDOW_V``, ``BINDERS`` of its module).
    ``fixture`` is what holds the stack in the paper's cells (``ssbsim.models.fixture``).
    """

    name: str
    parameter_set: str
    parameters: Callable[..., dict]  # (binder_wt, process) -> PyBaMM parameter dict
    cell: str
    working: str
    binders: dict[str, Binder]
    default_binder: str
    c_rate: float
    temperature_C: float
    pressure_MPa: float
    window_V: tuple[float, float]  # cycling window (vs Li/Li+ in half cells)
    positive_phases: int = 1
    negative_phases: int = 1
    temperature_range_C: tuple[float, float] = (-20.0, 80.0)
    description: str = ""
    counter_electrode: str = "Li-In"
    processes: tuple[str, ...] = field(default=("wet", "dry", "none"))
    binder_aliases: dict = field(default_factory=dict)  # data-file binder names -> ours
    # end of the CV hold after the "charging" CC step; None: CC only. C/50 is assumed for
    # Kwon 2022 and Jo 2024's 0.05C preconditioning (their charge mode there is not in our
    # notes; Jo says the CV was added to the 0.5C cycling "because it improved capacity at
    # high current", which hints that the preconditioning had none). CC only gives Kwon's
    # cathode 12.5 (70 MPa) to 14.4 (2 MPa, vulcanized) mAh/g less, Jo's cathode 5.7 less
    # (175.2) and Jo's Si-C anode 146 less (956); the constants fitted on Kwon's and Jo's
    # rows were fitted with the hold
    cv_cutoff: str | None = "C/50"
    paper: str = ""  # the experiments file of the paper (parameter_sets/experiments/<paper>.toml)
    fixture: str = "constant pressure"  # what holds the stack (models.fixture)

    def protocol(self, c_rate: float | None = None, cycles: int = 1) -> Protocol:
        """The default protocol: the paper's cycle at ``c_rate``, ``cycles`` times."""
        steps = paper_cycle(self.working, self.c_rate if c_rate is None else c_rate, *self.window_V,
                            self.cv_cutoff)
        return Protocol.from_steps(steps, cycles, source=f"preset {self.name}")

    @property
    def interphase_domains(self) -> tuple[str, ...]:
        """Composite electrodes on which the SE is reduced (``parameter_sets.interphase``):
        graphite and Si anodes, the materials its film constant was fitted on, as a half
        cell's working electrode or a full cell's negative. Not LTO: at 1.55 V the film
        law's rate is e^-54 of its rate at 0 V, and LTO | argyrodite cells are run as
        stable."""
        if self.cell == "half":
            return ("positive",) if self.working == "anode" else ()
        return ("negative",) if self.counter_electrode == "Si-graphite" else ()

    @property
    def protocols(self) -> dict[str, Protocol]:
        """The paper's named protocols for this preset."""
        return experiments.protocols(self.paper, self.name) if self.paper else {}

    def resolve_fixture(self, fixture: str | None, mechanics: bool) -> str:
        """The fixture option (``ssbsim.models.fixture``): ``fixture``, else the preset's.
        Without mechanics nothing reads the pressure: the preset's becomes "constant
        pressure", and a spring or rigid fixture asked for is an InputError."""
        if fixture is None:
            return self.fixture if mechanics else "constant pressure"
        try:
            fixture = check_option("fixture", fixture)
        except ValueError as e:
            raise InputError(str(e)) from None
        if fixture != "constant pressure" and not mechanics:
            raise InputError(f"fixture={fixture!r} needs mechanics: without contact mechanics the electrodes "
                             "do not breathe; drop --no-mechanics or use fixture 'constant pressure'")
        return fixture

    def named_protocol(self, name: str) -> Protocol:
        if name not in self.protocols:
            raise InputError(f"protocol={name!r} is not a protocol of preset {self.name!r}; allowed: "
                             f"{', '.join(self.protocols) or 'none'} (or a protocol file / steps)"
                             f"{_did_you_mean(name, self.protocols)}")
        return self.protocols[name]

    @functools.cached_property
    def one_c_A(self) -> float:
        """The 1C current [A]: the nominal capacity of the paper's 1C definition
        (``Nominal cell capacity [A.h]``, the same for every binder and content) over 1 h,
        of the cell as built (a geometry override rescales a run's own, ``overrides``)."""
        b = self.binders[self.default_binder]
        return float(self.parameters(self.default_binder, b.content_wt_pct, b.process,
                                     self.pressure_MPa)["Nominal cell capacity [A.h]"])

    @property
    def mid_voltage_V(self) -> float:
        """The middle of the voltage window [V]: the voltage at which a power or resistance
        step's current is taken to judge its C-rate (:meth:`c_rate_of`)."""
        return sum(self.window_V) / 2

    def c_rate_of(self, unit: str, value: float) -> float:
        """The C-rate of a step driven at ``value`` in ``unit`` (``protocol.step_drive``): a
        C-rate's magnitude; a current over the 1C current (:attr:`one_c_A`); a power P or
        resistance R through the current P / V or V / R at V = :attr:`mid_voltage_V` (the
        current of such a step varies with the voltage about this value)."""
        if unit == "C":
            return abs(value)
        v = self.mid_voltage_V
        current_A = {"A": value, "W": value / v, "Ohm": v / value if value else float("inf")}[unit]
        return abs(current_A) / self.one_c_A

    def step_c_rates(self, protocol: Protocol) -> list[tuple[str, float]]:
        """(step, C-rate) of each step of ``protocol`` driven at a rate, current, power or
        resistance (:meth:`c_rate_of`); rests and voltage holds have none."""
        return [(s, self.c_rate_of(*d)) for s in protocol.steps() if (d := step_drive(s))]

    def check_protocol(self, protocol: Protocol):
        """InputError if a step names a voltage outside the cell's window or drives the cell
        at a C-rate outside ``C_RATE_RANGE`` (the range of ``--c-rate``; current, power and
        resistance steps converted with :meth:`c_rate_of`)."""
        lo, hi = self.window_V
        ref = "vs Li/Li+" if self.cell == "half" else "cell voltage"
        for step, v in protocol.voltage_limits():
            if not lo - 1e-9 <= v <= hi + 1e-9:
                raise InputError(f"protocol step {step!r}: {v:g} V is outside the voltage window of preset "
                                 f"{self.name!r}: {lo:g} to {hi:g} V ({ref})")
        c_lo, c_hi = C_RATE_RANGE
        for step, c in self.step_c_rates(protocol):
            if not c_lo - 1e-12 <= c <= c_hi + 1e-12:
                raise InputError(f"protocol step {step!r}: {self._rate_text(step, c)} is outside the allowed "
                                 f"range: {c_lo:g} to {c_hi:g} C")

    def _rate_text(self, step: str, c: float) -> str:
        """``C-rate=100 C``, or a current, power or resistance with its C-rate and the 1C it
        was taken with, for an error message."""
        unit, value = step_drive(step)
        if unit == "C":
            return f"C-rate={value:g} C"
        one_c = f"1C = {self.one_c_A * 1e3:.3g} mA for preset {self.name!r}"
        if unit != "A":
            lo, hi = self.window_V
            one_c += f", at {self.mid_voltage_V:g} V, the middle of its {lo:g}-{hi:g} V window"
        return f"{value:g} {unit} = {c:.4g} C ({one_c})"

    def binder(self, name: str | None) -> tuple[str, Binder]:
        name = self.default_binder if name is None else name
        if name not in self.binders:
            raise InputError(
                f"binder={name!r} is not a binder of preset {self.name!r}; allowed: "
                f"{', '.join(self.binders)}{_did_you_mean(name, self.binders)}"
            )
        return name, self.binders[name]


def _did_you_mean(value, allowed) -> str:
    hint = difflib.get_close_matches(str(value), list(allowed), n=1)
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def _binders(module, recipe) -> dict[str, Binder]:
    """The parameter set's binders (``module.BINDERS``), each at the content of ``recipe``."""
    return {n: Binder(c.process, recipe.binder_wt, c.description, c.stands_in_for) for n, c in module.BINDERS.items()}


def _cell(module, window_V=None, pressure_MPa=None) -> dict:
    """What a preset takes from its parameter set: temperature, stack pressure, cycling
    window (default: the module's ``STACK_PRESSURE_MPA`` and ``WINDOW_V``)."""
    return {"temperature_C": module.TEMPERATURE_C,
            "pressure_MPa": module.STACK_PRESSURE_MPA if pressure_MPa is None else pressure_MPa,
            "window_V": module.WINDOW_V if window_V is None else window_V}


def _window_text(module, window_V=None) -> str:
    lo, hi = module.WINDOW_V if window_V is None else window_V
    return f"{lo}-{hi} V"


#: Kwon et al., Energy Storage Mater. (2022) cycled the pouch cells "under no external
#: pressure", in a fixture that holds the stack at a fixed gap (experimental section).
KWON_POUCH_FIXTURE = "rigid"


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset("kwon2022", "Kwon2022", kwon2022.get_parameter_values, "half", "cathode",
               _binders(kwon2022, kwon2022.CATHODE), "pristine", 0.1, **_cell(kwon2022),
               description=f"NCM711 | LPSX | Li-In half cell, {_window_text(kwon2022)} vs Li/Li+, CC-CV charge "
                           "(CV to C/50, assumed)",
               binder_aliases={"BR (pristine)": "pristine", "BR vulcanized S2": "vulcanized"},
               paper="kwon2022"),
        Preset("kwon2022-pouch", "Kwon2022", kwon2022.get_pouch_parameter_values, "full", "cathode",
               _binders(kwon2022, kwon2022.POUCH_CATHODE), "pristine", 0.1,
               **_cell(kwon2022, kwon2022.POUCH_WINDOW_V, kwon2022.POUCH_STACK_PRESSURE_MPA),
               counter_electrode="LTO",
               description=f"NCM711 | LPSX | LTO pouch full cell, {_window_text(kwon2022, kwon2022.POUCH_WINDOW_V)}, "
                           "in a fixed-gap fixture", fixture=KWON_POUCH_FIXTURE),
        Preset("jo2024-cathode", "Jo2024", jo2024.get_parameter_values, "half", "cathode",
               _binders(jo2024, jo2024.CATHODE), "nbr", 0.05, **_cell(jo2024, jo2024.CATHODE_WINDOW_V),
               description=f"NCM811 | Li6PS5Cl | Li-In half cell, {_window_text(jo2024, jo2024.CATHODE_WINDOW_V)} "
                           "vs Li/Li+", paper="jo2024"),
        Preset("jo2024-anode", "Jo2024", jo2024.get_anode_half_cell_parameter_values, "half", "anode",
               _binders(jo2024, jo2024.ANODE), "nbr", 0.05, **_cell(jo2024, jo2024.ANODE_WINDOW_V),
               positive_phases=2, paper="jo2024",
               description=f"Si-graphite | Li6PS5Cl | Li-In half cell, {_window_text(jo2024, jo2024.ANODE_WINDOW_V)} "
                           "vs Li/Li+"),
        Preset("jo2024-full", "Jo2024", jo2024.get_full_cell_parameter_values, "full", "cathode",
               _binders(jo2024, jo2024.CATHODE), "nbr", 0.05, **_cell(jo2024, jo2024.FULL_WINDOW_V),
               negative_phases=2, counter_electrode="Si-graphite", paper="jo2024",
               description=f"NCM811 | Li6PS5Cl | Si-graphite full cell, {_window_text(jo2024, jo2024.FULL_WINDOW_V)}"),
        Preset("emley2023", "Emley2023", emley2023.get_parameter_values, "half", "cathode",
               _binders(emley2023, emley2023.CATHODE), "nbr", 0.1, **_cell(emley2023),
               counter_electrode="Li", cv_cutoff=None, paper="emley2023",
               description=f"NMC83 | Li6PS5Cl | Li half cell, {_window_text(emley2023)} vs Li/Li+, galvanostatic"),
        Preset("choi2025", "Choi2025", choi2025.get_parameter_values, "half", "anode",
               _binders(choi2025, choi2025.ANODE), "nbr-anisole", 0.15, **_cell(choi2025),
               positive_phases=2, counter_electrode="Li",
               binder_aliases={"NBR in anisole": "nbr-anisole", "NBR in toluene": "nbr-toluene",
                               "NBR in p-xylene": "nbr-xylene"},
               description=f"NG-Si | Li6PS5Cl | Li half cell, {_window_text(choi2025)} vs Li/Li+, CC-CV lithiation "
                           "(CV to 10 %)", cv_cutoff="10%", paper="choi2025"),
    ]
}


#: Relative deviation of the SPMe's and SPM's first-cycle working capacity (discharge;
#: delithiation for anode half cells) from the DFN's at each preset's defaults; None:
#: the first cycle does not complete. Measured with ``scripts/reduced_model_deviation.py``
#: (re-run it when a cell or protocol changes; ``tests/integration/test_simulation.py`` checks
#: the emley2023 entry).
REDUCED_MODEL_DEVIATION = {
    "kwon2022": {"SPMe": 0.0, "SPM": 0.005},
    "kwon2022-pouch": {"SPMe": 0.001, "SPM": 0.006},  # in its rigid fixture
    "jo2024-cathode": {"SPMe": 0.0, "SPM": 0.008},
    "jo2024-anode": {"SPMe": 0.0, "SPM": 0.001},
    "jo2024-full": {"SPMe": 0.0, "SPM": 0.008},
    "emley2023": {"SPMe": 0.002, "SPM": 0.073},
    "choi2025": {"SPMe": 0.0, "SPM": 0.0},
}
#: A reduced model is trusted for a preset where it deviates less than this.
REDUCED_MODEL_TOLERANCE = 0.02


def reduced_model_warning(preset: str, model: str) -> str | None:
    """Why ``model`` is not to be trusted for ``preset`` (None if it is, or is the DFN)."""
    dev = REDUCED_MODEL_DEVIATION.get(preset, {}).get(model, 0.0) if model != "DFN" else 0.0
    if dev is None:
        return f"the {model} cannot complete the first cycle of {preset} at its defaults: use model='DFN'"
    if abs(dev) >= REDUCED_MODEL_TOLERANCE:
        return (f"the {model} deviates from the DFN by {100 * dev:+.1f} % in the first-cycle capacity of "
                f"{preset} at its defaults: use model='DFN'")
    return None


def recommended_model(preset: str) -> str:
    """The cheapest model within :data:`REDUCED_MODEL_TOLERANCE` of the DFN for ``preset``."""
    return next((m for m in ("SPM", "SPMe") if reduced_model_warning(preset, m) is None), "DFN")


def get_preset(name: str) -> Preset:
    """The preset called ``name``; InputError listing the presets otherwise."""
    if name not in PRESETS:
        raise InputError(
            f"preset={name!r} is not a known preset; allowed: {', '.join(PRESETS)}"
            f"{_did_you_mean(name, PRESETS)}"
        )
    return PRESETS[name]
