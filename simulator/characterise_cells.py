"""Virtual blocking cells (Emley et al., Mater. Futures 2023) and EIS of a preset cell.

* **Blocking cells.** An ion-blocking cell (composite between electronically
  conducting, ion-blocking electrodes) passes a DC current through the carbon network
  only; an electron-blocking cell (composite between SE layers with Li electrodes)
  through the SE network only. The steady DC resistance of a layer of thickness L and
  area A whose effective conductivity sigma(x) varies through its thickness is

  .. math:: R = \\frac{1}{A} \\int_0^L \\frac{dx}{\\sigma(x)}, \\qquad
            \\sigma_{meas} = \\frac{L}{R A}

  Here sigma(x) is what the composite-cell model itself carries in its pristine,
  rested state at the given temperature and stack pressure: the SE conductivity
  kappa(T) times PyBaMM's ``"Positive electrolyte transport efficiency"`` (ions), and
  the electrode conductivity times ``"Positive electrode transport efficiency"``
  (electrons), so binder blocking, voids and contact states all enter as the model has
  them. The measurement is at 30 C unless stated (Emley's reported values).
* **EIS.** PyBaMM's frequency-domain impedance (``pybamm.EISSimulation``: the model
  linearised about a rested state, ``(i omega M - J) x = b``) of the composite-cell
  model built with ``"surface form": "differential"`` (double-layer capacitance), at a
  given SOC and stack pressure. The interfacial (charge-transfer) arc is read as
  R_int = Re Z(f_low) - Re Z(f_high): the real-axis span between the high-frequency
  intercept (ohmic) and the low-frequency end of the arc, before the diffusion tail.
  The model is the cell ``simulate`` runs (``simulation.cell_model``); a phase with
  measured OCP branches (Si) rests and is linearised on the branch its approach came
  along (``characterise.rested_values``).
"""

from __future__ import annotations

import numpy as np
import pybamm

from .characterise import _conditions, _public, ionic_conductivity_profile, series_resistance
from .errors import SimulationError, check_count
from .presets import get_preset
from .simulation import cell_model, parameter_values
from .solving import idaklu_solver, quiet_solver

#: Temperature of the virtual blocking-cell measurement [C] (Emley 2023 report 30 C values).
BLOCKING_TEMPERATURE_C = 30.0
#: EIS frequencies [Hz] and the band that bounds the interfacial arc.
EIS_FREQUENCIES_HZ = np.logspace(-2, 5, 36)
EIS_ARC_BAND_HZ = (0.1, 1e5)
#: Most paper cycles an EIS may be preceded by (each is a full DFN solve).
EIS_MAX_CYCLES = 50


def blocking(preset, *, temperature=BLOCKING_TEMPERATURE_C, model="DFN", mechanics=True,
             **conditions) -> dict:
    """Effective ionic and electronic conductivity [S/cm] of the working composite
    from virtual electron- and ion-blocking DC measurements (module docstring)."""
    p = get_preset(preset)
    if p.cell != "half":
        raise SimulationError(f"blocking cells are measured on a half-cell preset's composite; {preset!r} "
                              "is a full cell")
    cond = _conditions(preset, model, mechanics, temperature=temperature, **conditions)
    pv = parameter_values(cond)
    m = cell_model(cond, pv)
    sim = pybamm.Simulation(m, parameter_values=pv, experiment=pybamm.Experiment(["Rest for 1 second"]),
                            solver=idaklu_solver(cond.model))
    with quiet_solver():
        sol = sim.solve()
    x, sigma_ion = ionic_conductivity_profile(sol.first_state, cond, pv)  # the pristine rested state
    B_s = sol.first_state["Positive electrode transport efficiency"].entries[:, -1]
    sigma_s = pv.evaluate(pybamm.Parameter("Positive electrode conductivity [S.m-1]"))  # an expression of the binder laws
    L = pv["Positive electrode thickness [m]"]
    area = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    out = {"measurement": "blocking cells", "conditions": _public(cond), "thickness_um": L * 1e6}
    for name, sigma in (("ionic", sigma_ion), ("electronic", sigma_s * B_s)):
        resistance = series_resistance(x, sigma, L) / area
        out[f"{name}_resistance_Ohm"] = float(resistance)
        out[f"{name}_conductivity_S_cm"] = float(L / (resistance * area) / 100.0)
    return out


def eis(preset, *, soc=0.5, cycles=0, frequencies_hz=EIS_FREQUENCIES_HZ, mechanics=True, **conditions) -> dict:
    """Impedance spectrum of ``preset`` (DFN) at ``soc`` and the interfacial arc [Ohm].

    The cell runs ``cycles`` of its paper's cycle (the preset's C-rate and window), is
    brought to ``soc`` (fraction of the 1C capacity, or the end of its window) at 0.1C
    and rested, as in the lab, so that contact and isolation states carry their
    history; the rested state is then linearised.
    (The SPMe with a differential surface form drives the SE "concentration" negative
    on charge in these cells, so EIS uses the DFN.)
    """
    from .characterise import _approach, rested_values
    from .protocol import paper_cycle

    p = get_preset(preset)
    cond = _conditions(preset, "DFN", mechanics, **conditions)
    check_count("EIS cycles", cycles, 0, EIS_MAX_CYCLES)
    # the paper's cycles switch OCP branches with the current; the approach, its rest and
    # the linearisation stay on the branch the approach lithiates along (rested_values:
    # the current sigmoid's slope at rest, ~k/2 (U_delith - U_lith)/2 per A.m-2, is a
    # switch, not an impedance: ~7e4 Ohm on Choi 2025)
    pv, rested_pv = parameter_values(cond), rested_values(cond)
    cycled, m = cell_model(cond, pv, "differential"), cell_model(cond, rested_pv, "differential")
    paper = [paper_cycle(p.working, p.c_rate, *p.window_V, p.cv_cutoff)] * cycles
    steps = (paper if cycled is m else []) + _approach(preset, soc)
    f = np.asarray(frequencies_hz, float)
    with quiet_solver():
        if paper and cycled is not m:
            before = pybamm.Simulation(cycled, parameter_values=pv, experiment=pybamm.Experiment(paper),
                                       solver=idaklu_solver("DFN", retry=True)).solve()
            if len(before.cycles) < cycles:
                raise SimulationError(f"EIS of {preset}: the paper's cycles stopped ({before.termination})")
            m = m.set_initial_conditions_from(before, inplace=False)
        sim = pybamm.Simulation(m, parameter_values=rested_pv, experiment=pybamm.Experiment(steps),
                                solver=idaklu_solver("DFN", retry=True))
        rested = sim.solve()
        if len(rested.cycles) < len(steps) or len(rested.cycles[-1].steps) < len(steps[-1]):
            raise SimulationError(f"EIS of {preset}: the approach to SOC {soc:g} stopped ({rested.termination})")
        z = np.asarray(pybamm.EISSimulation(m.set_initial_conditions_from(rested, inplace=False),
                                            parameter_values=rested_pv).solve(f).impedance)
    lo, hi = EIS_ARC_BAND_HZ
    band = (f >= lo) & (f <= hi)
    r_int = float(z.real[band][np.argmin(f[band])] - z.real[band][np.argmax(f[band])])
    volume = "X-averaged positive electrode active material volume fraction"
    return {"measurement": "EIS", "conditions": _public(cond), "soc": soc, "cycles_before": cycles,
            "voltage_V": float(rested["Voltage [V]"].entries[-1]),
            "active_material_volume_fraction": float(rested[volume].entries[-1]),
            "frequency_Hz": f.tolist(), "Z_real_Ohm": z.real.tolist(), "Z_imag_Ohm": z.imag.tolist(),
            "high_frequency_resistance_Ohm": float(z.real[np.argmax(f)]),
            "interfacial_resistance_Ohm": r_int, "arc_band_Hz": [lo, hi]}


def _has(sol, key) -> bool:
    try:
        sol[key]
        return True
    except (KeyError, TypeError):
        return False
