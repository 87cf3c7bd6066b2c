"""A solved case as a :class:`~ssbsim.simulator.results.SimulationResult`: the working
electrode as built, its cycles' metrics and the mechanics series."""

from __future__ import annotations

import numpy as np
import pybamm

from ssbsim.models import binder_laws

from .calibration_domain import extrapolation_notes
from .conditions import Conditions, parameter_values
from .layer_cracks import layer_crack_note, layer_decohered_fraction
from .results import SimulationResult, cycle_metrics, mechanics_series, mechanics_summary


def working_domain(p) -> str:
    """PyBaMM's domain of the preset's working electrode."""
    return "Positive" if p.working == "cathode" or p.cell == "half" else "Negative"


def electrode_properties(cond: Conditions, pv: pybamm.ParameterValues | None = None) -> dict:
    """The working electrode as built (no solve): active mass [g], binder coverage,
    relative active area, effective ionic conductivity at 30 C and electronic
    conductivity [S/cm]."""
    p = cond.preset_data
    pv = parameter_values(cond) if pv is None else pv
    domain = working_domain(p)
    area_m2 = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    eps = pv[f"{domain} electrode porosity"]
    tau = pv[f"{domain} electrode tortuosity factor (electrolyte)"]
    sigma_se = pv["Electrolyte conductivity [S.m-1]"](1000.0, 303.15).evaluate().item()
    laws = binder_laws.electrode_values(pv, domain.lower())
    theta = laws["binder coverage"]
    return {
        "active_mass_g": pv[f"{domain} electrode active material mass loading [kg.m-2]"] * area_m2 * 1e3,
        "binder_coverage": theta,
        "active_area_fraction": 1.0 - theta,
        "effective_ionic_conductivity_30C_S_cm": sigma_se * eps / (tau / laws["neck blocking factor"]) / 100.0,
        "effective_electronic_conductivity_S_cm": laws["electronic conductivity [S.m-1]"] / 100.0,
    }


def metrics_of_cycles(p, cond, mass_g: float, cycles_done, protocol) -> list:
    """Metrics of the completed cycles ((solution or None, summary) each), capacities per
    ``mass_g`` of working active material."""
    blocks = protocol.cycle_blocks()
    pressures = protocol.pressures(cond.pressure_MPa)
    return [cycle_metrics(c, summary, mass_g, p.working, block=blocks[k], label=protocol.blocks[blocks[k]].label,
                          pressure_MPa=pressures[blocks[k]], domain=working_domain(p),
                          fixture=cond.fixture)
            for k, (c, summary) in enumerate(cycles_done)]


def result_of_case(p, cond, pv, electrode: dict, sol, metrics, notes, decohered_before: float = 0.0
                   ) -> SimulationResult:
    """The result of a solved case: its cycles' ``metrics``, the ``electrode``'s properties
    (:func:`electrode_properties`) and the mechanics series of ``sol``;
    ``decohered_before``: the largest layer-decohered fraction of the cycles solved
    before ``sol`` (the fast path's, whose ``sol`` is its last cycle)."""
    domain = working_domain(p)
    series = mechanics_series(sol, pv, domain) if cond.mechanics else {}
    notes.extend(n for n in extrapolation_notes(cond) if n not in notes)
    cracks = {}
    if series:
        series["layer_decohered_fraction"] = layer_decohered_fraction(sol, pv)
        cracks = {"max_layer_decohered_fraction": max(float(series["layer_decohered_fraction"].max()),
                                                      decohered_before)}
        note = layer_crack_note(cracks["max_layer_decohered_fraction"])
        if note and note not in notes:
            notes.append(note)
    if len(metrics) < cond.cycles:
        notes.append(f"only {len(metrics)} of {cond.cycles} cycles completed ({sol.termination})")
    if not cond.mechanics:
        notes.append("contact mechanics off: perfect contact at any pressure")
    stand_in = p.binders[cond.binder].stands_in_for if cond.binder in p.binders else ""
    if stand_in:
        notes.append(f"binder {cond.binder!r}: its own mechanical properties were not measured; it takes "
                     f"those of {stand_in!r} (where parameters set do not override them)")
    ran = sorted(set(cond.run_protocol.pressures(cond.pressure_MPa)))
    if ran != [cond.pressure_MPa]:
        notes.append(f"the protocol's entries set the stack pressure: {', '.join(f'{x:g}' for x in ran)} MPa "
                     f"(the run's {cond.pressure_MPa:g} MPa only where an entry sets none; each cycle's "
                     "pressure_MPa says which)")
    summary = mechanics_summary(series) if series else {}
    for key, pick in (("min_stack_pressure_MPa", min), ("max_stack_pressure_MPa", max)):
        felt = [getattr(m, key) for m in metrics if np.isfinite(getattr(m, key))]
        if summary and felt:  # over every cycle, not only the series' (the fast path's last)
            summary[key] = pick(summary[key], *felt)
    return SimulationResult(
        conditions=cond,
        cycles=metrics,
        electrode=electrode | summary | cracks,
        time_s=sol["Time [s]"].entries,
        current_A=sol["Current [A]"].entries,
        voltage_V=sol["Voltage [V]"].entries,
        voltage_vs_counter_V=sol["Voltage vs counter electrode [V]"].entries,
        voltage_reference="Li/Li+" if p.cell == "half" else "cell",
        series=series,
        solution=sol,
        notes=notes,
        domain=domain.lower(),
        working=p.working,
    )
