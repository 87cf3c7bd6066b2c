"""Where a case stands against the data its fitted constants saw: notes on extrapolation.

Each fitted constant names the catalogue rows it was fitted on
(``parameter_sets/provenance.toml``); those rows' cells ran at their own stack
pressures, temperatures, C-rates, cycle counts and binder contents. The span of each
condition over the fitted rows of one working electrode (cathode or anode) is its
calibration domain (:func:`calibration_domain`); a full cell is judged on its
graphite or Si-graphite negative as well (:func:`electrodes`). A case outside it is an
extrapolation of the fits: :func:`extrapolation_notes` says which condition and by how much, and
``simulate`` and ``sweep`` put the notes in the result. They do not refuse the case:
predicting where no row was fitted is the model's purpose, but the user must know where
that is.

* pressure, temperature, C-rate and cycles come from the rows that solve a cell (a
  capacity, CE, retention, porosity ...); the pressures of a protocol are those of its
  entries, its C-rates those of its steps driven at a rate, current or power (currents
  and powers as C-rates of the preset's 1C);
* the binder content comes from every fitted row of a wet-processed electrode, the
  as-built ones too (GITT active areas, blocking-cell conductivities): the coverage law
  was fitted on 0.5-2.5 wt% NBR.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

#: Derive kinds whose rows describe the electrode as built (no solve, no cycling).
AS_BUILT_KINDS = ("electrode", "characterise")
#: (condition, unit, what it is called in a note)
CONDITIONS = (("pressure_MPa", "MPa", "stack pressure"), ("temperature_C", "C", "temperature"),
              ("c_rate", "C", "C-rate"), ("cycles", "", "cycles"),
              ("wet_binder_content_wt_pct", "wt%", "wet-processed binder content"))


@dataclass(frozen=True)
class Span:
    """The smallest and largest value of a condition over the fitted rows that ran it."""

    lo: float
    hi: float
    rows: tuple[str, ...]

    def outside(self, x: float) -> bool:
        return not self.lo - 1e-9 <= x <= self.hi + 1e-9


def case_values(cond) -> dict[str, list[float]]:
    """The values of each of :data:`CONDITIONS` that a case (resolved ``Conditions``) runs
    at: the stack pressure of every protocol entry (the run's where an entry names none),
    and the C-rate of every step driven at a rate, current, power or resistance (as
    ``Preset.step_c_rates`` converts them with the preset's 1C)."""
    from ssbsim.simulator.conditions import Process

    protocol = cond.run_protocol
    out = {"pressure_MPa": protocol.pressures(cond.pressure_MPa), "temperature_C": [cond.temperature_C],
           "c_rate": [c for _, c in cond.preset_data.step_c_rates(protocol)], "cycles": [float(cond.cycles)]}
    out["wet_binder_content_wt_pct"] = [cond.binder_content_wt_pct] if cond.process == Process.WET else []
    return out


@functools.lru_cache(maxsize=1)
def calibration_domain() -> dict[str, dict[str, Span]]:
    """{working electrode ("cathode" / "anode"): {condition: :class:`Span`}} over the
    catalogue rows that some fitted constant was fitted on."""
    from ssbsim.parameter_sets.provenance import fitted_rows

    from .catalogue import load_catalogue
    from .simulation import resolve_conditions

    fitted = fitted_rows()
    seen: dict[str, dict[str, list[tuple[float, str]]]] = {}
    for e in load_catalogue():
        if e.id not in fitted or e.unsupported:
            continue
        opts = dict(e.conditions) | ({"protocol": e.protocol} if e.protocol else {})
        cond = resolve_conditions(e.preset, **opts)
        values = case_values(cond)
        if e.derive["kind"] in AS_BUILT_KINDS:
            values = {"wet_binder_content_wt_pct": values["wet_binder_content_wt_pct"]}
        per = seen.setdefault(cond.preset_data.working, {})
        for key, xs in values.items():
            per.setdefault(key, []).extend((x, e.id) for x in xs)
    return {working: {key: Span(min(x for x, _ in v), max(x for x, _ in v), tuple(sorted({i for _, i in v})))
                      for key, v in per.items() if v}
            for working, per in seen.items()}


def electrodes(cond) -> tuple[str, ...]:
    """The electrodes of the case's cell whose fitted constants it uses: its working one,
    and a full cell's graphite or Si-graphite negative (the anodes' SE-network exponent and
    SE reduction, fitted on anode rows; ``Preset.interphase_domains``). A full cell's
    binder content is its cathode's, so the negative is judged on the other conditions."""
    p = cond.preset_data
    return (p.working, "anode") if p.cell == "full" and p.interphase_domains == ("negative",) else (p.working,)


def outside(cond, electrode: str | None = None) -> list[tuple[str, str, list[float], Span]]:
    """(label, unit, values, span) of each condition of the case outside the calibration
    domain of ``electrode`` (default: its working one; none for an electrode no constant
    was fitted on)."""
    electrode = electrode or cond.preset_data.working
    domain = calibration_domain().get(electrode, {})
    values = case_values(cond)
    if electrode != cond.preset_data.working:
        values["wet_binder_content_wt_pct"] = []
    out = []
    for key, unit, label in CONDITIONS:
        span = domain.get(key)
        xs = sorted({x for x in values[key] if span is not None and span.outside(x)})
        if xs:
            out.append((label, unit, xs, span))
    return out


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""


def _range(span: Span, unit: str) -> str:
    u = _unit(unit)
    return f"{span.lo:g}{u}" if span.lo == span.hi else f"{span.lo:g}-{span.hi:g}{u}"


def _values(xs, unit: str) -> str:
    return ", ".join(f"{x:g}" for x in xs) + _unit(unit)


def extrapolation_notes(cond) -> list[str]:
    """One note per condition of the case outside the calibration domain (:func:`outside`)."""
    notes = []
    for electrode in electrodes(cond):
        for label, unit, xs, span in outside(cond, electrode):
            where = f"is not {_range(span, unit)}, the only value" if span.lo == span.hi else \
                f"is outside {_range(span, unit)}, the span"
            notes.append(f"extrapolation: {label} {_values(xs, unit)} {where} of the {electrode} rows the "
                         f"fitted constants were fitted on" + ("" if electrode == cond.preset_data.working else
                                                               " (the full cell's negative electrode)"))
    return notes


def outside_text(cond) -> str:
    """A short form for tables: ``"outside the fitted rows: stack pressure 75 MPa (48 MPa)"``,
    or ``""`` inside."""
    parts = [f"{'' if e == cond.preset_data.working else e + ' '}{label} {_values(xs, unit)} ({_range(span, unit)})"
             for e in electrodes(cond) for label, unit, xs, span in outside(cond, e)]
    return "outside the fitted rows: " + "; ".join(parts) if parts else ""
