"""Virtual characterisation of a preset cell: GITT and DC-IR as the lab runs them, on
the composite-cell model, analysed from the simulated current and voltage only.

* **GITT** (Weppner & Huggins, J. Electrochem. Soc. 124 (1977) 1569): current pulses of
  duration tau, each followed by a long rest. For spherical particles of radius R
  (volume / surface = R/3) the apparent chemical diffusivity of pulse k is

  .. math:: D_{app} = \\frac{4}{\\pi \\tau} \\left(\\frac{R}{3}\\right)^2
            \\left(\\frac{\\Delta E_s}{\\Delta E_t}\\right)^2

  with Delta E_s the change of the rested voltage over the pulse and Delta E_t the
  transient change during the pulse, taken as the slope of V against sqrt(t) times
  sqrt(tau) (so the instantaneous IR jump is excluded). A GITT that assumes the
  geometric area S_0 while only u S_0 carries the flux returns D_app = u^2 D; Jo et al.
  (J. Electrochem. Soc. 2024) thus read a relative active area
  A_rel = sqrt(D_app(w) / D_app(w_ref)) off GITT at binder contents w vs 0.5 wt%.
  Jo's pulse and rest settings are not stated in the paper: the defaults here (0.05C for
  10 min, 1 h rest) are the common choice and options. The analysis assumes that the
  pulse polarises the electrode uniformly; a composite whose SE network conducts
  sigma_ion relaxes through its thickness L in tau_ion = L^2 C_v / sigma_ion (a
  transmission line; C_v = sum_k eps_k c_max,k F / |dU_k/dx| the electrode's
  differential capacity per volume at the pulses' SOC). Where tau_ion exceeds the pulse, the
  transient is the SE network's and D_app is not the particles' (said in ``notes``;
  Jo's NCM811 cathode: 5-10 h at 0.5-2.5 wt%).
* **DC-IR** (Jo 2024): 10 s pulses at 0.025 ... 1C from a rested state at a given SOC,
  each followed by a rest and an equal pulse of opposite sign that restores the SOC;
  the resistance is the slope of the 10 s voltage change against the current,
  R = d(Delta V)/dI [Ohm] (least squares through all pulses).

SOC here is the charge passed over the nominal (1C) capacity from the pristine cell.
"""

from __future__ import annotations

import numpy as np
import pybamm

from ssbsim.models.composite_cell import on_ocp_branch
from ssbsim.models.phases import phase_names

from .conditions import Conditions
from .errors import InputError, SimulationError, check_count, check_range
from .presets import get_preset
from .results import FARADAY
from .simulation import cell_model, parameter_values, resolve_conditions
from .solving import idaklu_solver, quiet_solver

#: GITT defaults (assumed, see module docstring): pulse C-rate, pulse and rest [min].
GITT_DEFAULTS = {"c_rate": 0.05, "pulse_min": 10.0, "rest_min": 60.0, "pulses": 3, "soc": 0.5}
#: A rest counts as relaxed if its voltage moves by less than this fraction of Delta E_s
#: over its last tenth.
RELAXED_DRIFT_FRACTION = 0.05
#: DC-IR pulse C-rates and duration of Jo 2024; rest between pulses [min] (assumed).
DCIR_C_RATES = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
DCIR_PULSE_S = 10.0
DCIR_REST_MIN = 10.0
#: C-rate that brings the pristine cell to the SOC of a measurement, and the rest after [h].
APPROACH_C_RATE = 0.1
APPROACH_REST_H = 2.0
#: DC-IR pulses may pass the cycling window (a cycler's safety limits are wider): the
#: cut-offs are widened by this much during a DC-IR [V].
DCIR_CUTOFF_MARGIN_V = 1.5


def _conditions(preset, model, mechanics, **conditions) -> Conditions:
    cond = resolve_conditions(preset, model=model, mechanics=mechanics,
                              **{k: v for k, v in conditions.items() if v is not None})
    return cond


def _verbs(preset) -> tuple[str, str]:
    """(the working electrode's "charging" verb, the opposite) in PyBaMM's cell terms."""
    return ("Discharge", "Charge") if get_preset(preset).working == "anode" else ("Charge", "Discharge")


def rested_values(cond: Conditions):
    """``cond``'s parameter values with each hysteretic phase on the OCP branch the
    approach to a measurement's SOC (:func:`_approach`) leaves it on: a discharge
    lithiates the positive electrode, a charge the negative
    (``composite_cell.on_ocp_branch``: a rest does not send it back to the branches'
    mean, as PyBaMM's current sigmoid would, making each pulse of a GITT or DC-IR switch
    branches); cells without measured branches are unchanged."""
    lithiated = ("positive",) if _verbs(cond.preset)[0] == "Discharge" else ("negative",)
    return on_ocp_branch(parameter_values(cond), lithiated)


def _approach(preset, soc) -> list[tuple[str, ...]]:
    """Steps from the pristine cell to ``soc`` (fraction of the 1C capacity) or to the
    end of the cell's window if that comes first, then a rest."""
    soc = check_range("SOC", soc, 0.02, 0.98)
    p = get_preset(preset)
    limit = p.window_V[0] if p.working == "anode" and p.cell == "half" else p.window_V[1]
    return [(f"{_verbs(preset)[0]} at {APPROACH_C_RATE:g}C for {soc / APPROACH_C_RATE:.6g} hours "
             f"or until {limit:g} V", f"Rest for {APPROACH_REST_H:g} hours")]


def _solve(cond, cycles, cutoff_margin_V=0.0) -> tuple[pybamm.Solution, pybamm.ParameterValues]:
    """The measurement's steps ``cycles`` solved on ``cond``'s cell at rest on its branch,
    with the cut-offs widened by ``cutoff_margin_V``; and the parameter values it ran on."""
    pv = rested_values(cond)
    model = cell_model(cond, pv)  # the cell simulate() runs (SE reduction, fixture), on its rested branch
    pv.update({"Lower voltage cut-off [V]": pv["Lower voltage cut-off [V]"] - cutoff_margin_V,
               "Upper voltage cut-off [V]": pv["Upper voltage cut-off [V]"] + cutoff_margin_V})
    sim = pybamm.Simulation(model, parameter_values=pv, experiment=pybamm.Experiment(cycles),
                            solver=idaklu_solver(cond.model, retry=True))
    with quiet_solver():
        sol = sim.solve()
    if len(sol.cycles) < len(cycles) or any(len(c.steps) < len(s) for c, s in zip(sol.cycles, cycles)):
        raise SimulationError(f"virtual measurement on {cond.preset} stopped early "
                              f"({sol.termination}): the cell reached a voltage cut-off; lower the SOC or rate")
    return sol, pv


def series_resistance(x_centres, sigma, L) -> float:
    """int_0^L dx / sigma(x) [Ohm.m2] of a finite-volume profile (cell-centred values)."""
    edges = np.r_[0.0, 0.5 * (x_centres[1:] + x_centres[:-1]), L]
    return float(np.sum(np.diff(edges) / np.asarray(sigma)))


def ionic_conductivity_profile(state, cond: Conditions, pv, domain: str = "positive"):
    """(x [m], sigma(x) [S/m]): a composite's effective ionic conductivity through its
    thickness, kappa_SE(T) x PyBaMM's electrolyte transport efficiency, at the last time
    of ``state`` (a solution, step or state)."""
    x = state[f"x_{domain[0]} [m]"].entries[:, -1]
    efficiency = state[f"{domain.capitalize()} electrolyte transport efficiency"].entries[:, -1]
    T = pybamm.Scalar(273.15 + cond.temperature_C)
    kappa = float(np.squeeze(pv.evaluate(pv["Electrolyte conductivity [S.m-1]"](pybamm.Scalar(1000.0), T))))
    return x, kappa * efficiency


def ionic_conductivity_S_m(state, cond: Conditions, pv, domain: str = "positive") -> float:
    """Effective ionic conductivity [S/m] of a composite through its thickness, L / int
    dx / sigma(x) (:func:`ionic_conductivity_profile`)."""
    L = pv[f"{domain.capitalize()} electrode thickness [m]"]
    return float(L / series_resistance(*ionic_conductivity_profile(state, cond, pv, domain), L))


def differential_capacity_F_m3(state, pv, options, domain: str = "positive") -> float:
    """C_v = sum_k eps_k c_max,k F / |dU_k/dx| [F/m3]: the composite's charge per volume
    and volt at the phases' mean stoichiometries at the last time of ``state``, for the
    phases of the model ``options`` (``pv`` with one OCP per phase: :func:`rested_values`)."""
    total, D = 0.0, domain.capitalize()
    for pre, phase in phase_names(options, domain):
        x = float(state[f"Average {domain} {phase}particle stoichiometry"].entries[-1])
        U = pv[f"{pre}{D} electrode OCP [V]"]
        slope = float(np.squeeze(pv.evaluate(U(pybamm.Scalar(x + 1e-3)) - U(pybamm.Scalar(x - 1e-3))))) / 2e-3
        total += (pv[f"{pre}{D} electrode active material volume fraction"]
                  * pv[f"{pre}Maximum concentration in {domain} electrode [mol.m-3]"] * FARADAY / abs(slope))
    return total


def _step_tv(step):
    return step["Time [s]"].entries, step["Voltage [V]"].entries


def weppner_huggins(t_s, v_V, e_before_V, e_after_V, volume_to_surface_m) -> dict:
    """Weppner-Huggins analysis of one GITT pulse (module docstring).

    ``t_s``, ``v_V``: the pulse's time from its start [s] and voltage [V] (the first
    record after the start is the first one used); ``e_before_V``, ``e_after_V``: the
    rested voltages before and after; ``volume_to_surface_m``: V/S of the particles
    (R/3 for spheres) [m]. Delta E_t is the slope of V against sqrt(t) times sqrt(tau),
    so the IR jump is excluded and returned as ``ir_drop_V``.
    """
    t, v = np.asarray(t_s, float), np.asarray(v_V, float)
    tau, root = t[-1], np.sqrt(t[1:])
    slope, v0 = np.polyfit(root, v[1:], 1)  # dE/dsqrt(t) and V extrapolated to t = 0+
    d_es, d_et = e_after_V - e_before_V, slope * np.sqrt(tau)
    return {"delta_Es_V": float(d_es), "delta_Et_V": float(d_et), "ir_drop_V": float(v0 - e_before_V),
            "D_app_m2_s": float(4 / (np.pi * tau) * volume_to_surface_m ** 2 * (d_es / d_et) ** 2)}


def gitt(preset, *, c_rate=None, pulse_min=None, rest_min=None, pulses=None, soc=None,
         model="DFN", mechanics=True, **conditions) -> dict:
    """Virtual GITT of ``preset`` under ``conditions`` (binder, process, binder_content,
    pressure, temperature), Weppner-Huggins analysis per pulse.

    Returns a dict: the settings, per-pulse ``D_app_m2_s``, ``delta_Es_V``,
    ``delta_Et_V``, ``ir_drop_V`` and their median ``D_app_m2_s``; ``pulses`` start at
    ``soc`` and charge the working electrode.
    """
    s = {k: v for k, v in GITT_DEFAULTS.items()}
    s.update({k: v for k, v in dict(c_rate=c_rate, pulse_min=pulse_min, rest_min=rest_min,
                                     pulses=pulses, soc=soc).items() if v is not None})
    check_range("GITT C-rate", s["c_rate"], 1e-3, 2.0, "C")
    check_range("GITT pulse", s["pulse_min"], 0.1, 120.0, "min")
    check_range("GITT rest", s["rest_min"], 1.0, 1440.0, "min")
    check_count("GITT pulses", s["pulses"], 1, 50)
    cond = _conditions(preset, model, mechanics, **conditions)
    verb = _verbs(preset)[0]
    pulse = (f"{verb} at {s['c_rate']:g}C for {s['pulse_min']:g} minutes (1 second period)",
             f"Rest for {s['rest_min']:g} minutes (30 second period)")
    sol, pv = _solve(cond, _approach(preset, s["soc"]) + [pulse] * s["pulses"])
    domain = "Negative" if get_preset(preset).working == "anode" and get_preset(preset).cell == "full" \
        else "Positive"
    radius = pv[f"{domain} particle radius [m]"] if f"{domain} particle radius [m]" in pv else \
        pv[f"Primary: {domain} particle radius [m]"]
    rested = sol.cycles[0].steps[-1]  # the approach's rest, before the first pulse
    e_before = rested["Voltage [V]"].entries[-1]
    rows = []
    for cyc in sol.cycles[1:]:
        (tp, vp), (tr, vr) = _step_tv(cyc.steps[0]), _step_tv(cyc.steps[1])
        row = weppner_huggins(tp - tp[0], vp, e_before, vr[-1], radius / 3)
        # still relaxing? the voltage change over the rest's last tenth, relative to Delta E_s
        late = tr >= tr[-1] - 0.1 * (tr[-1] - tr[0])
        row["rest_drift_fraction"] = float(abs(vr[-1] - vr[late][0]) / max(abs(row["delta_Es_V"]), 1e-12))
        rows.append(row)
        e_before = vr[-1]
    notes = [f"the rests are not relaxed (voltage still moving by {100 * max(r['rest_drift_fraction'] for r in rows):.0f} "
             f"% of Delta E_s over their last tenth): D_app is not a solid-state diffusivity; lengthen --rest-min"
             ] if max(r["rest_drift_fraction"] for r in rows) > RELAXED_DRIFT_FRACTION else []
    # the composite's transmission-line time L^2 C_v / sigma_ion (module docstring)
    L = pv[f"{domain} electrode thickness [m]"]
    sigma = ionic_conductivity_S_m(rested, cond, pv, domain.lower())
    c_v = differential_capacity_F_m3(rested, pv, sol.all_models[0].options, domain.lower())
    tau_ion = L ** 2 * c_v / sigma
    if cond.model == "DFN" and tau_ion > 60 * s["pulse_min"]:
        notes.append(f"the composite's ionic relaxation time L^2 C_v / sigma_ion = {tau_ion / 3600:.3g} h exceeds the "
                     f"pulse ({s['pulse_min']:g} min): the pulse does not polarise the electrode uniformly, and D_app "
                     "reads the SE network, not the particles")
    return {"measurement": "GITT", "conditions": _public(cond), "settings": s, "notes": notes,
            "particle_radius_m": float(radius), "pulses": rows, "ionic_conductivity_S_m": sigma,
            "ionic_relaxation_time_s": float(tau_ion), "D_app_m2_s": float(np.median([r["D_app_m2_s"] for r in rows]))}


def gitt_active_area(preset, binder_contents, reference_wt_pct=0.5, **kwargs) -> dict:
    """Relative active area A_rel = sqrt(D_app(w) / D_app(w_ref)) from virtual GITTs at
    each binder content (Jo 2024's reading of GITT), beside the coverage law's area
    (:func:`ssbsim.models.binder_coverage.relative_active_area`)."""
    from ssbsim.models import binder_coverage as bc

    ref = gitt(preset, binder_content=reference_wt_pct, **kwargs)
    rows = []
    for w in binder_contents:
        r = ref if w == reference_wt_pct else gitt(preset, binder_content=w, **kwargs)
        process = r["conditions"]["process"]
        rows.append({"binder_content_wt_pct": w, "D_app_m2_s": r["D_app_m2_s"],
                     "relative_active_area_gitt": float(np.sqrt(r["D_app_m2_s"] / ref["D_app_m2_s"])),
                     "relative_active_area_law": bc.relative_active_area(w, process, reference_wt_pct),
                     "ir_drop_V": float(np.median([p["ir_drop_V"] for p in r["pulses"]])),
                     "ionic_relaxation_time_s": r["ionic_relaxation_time_s"], "notes": r["notes"]})
    return {"measurement": "GITT active area", "reference_wt_pct": reference_wt_pct,
            "settings": ref["settings"], "conditions": ref["conditions"], "rows": rows}


def dcir(preset, *, soc=0.5, c_rates=DCIR_C_RATES, pulse_s=DCIR_PULSE_S, model="DFN", mechanics=True,
         **conditions) -> dict:
    """Virtual DC-IR: ``pulse_s`` discharge-direction pulses at ``c_rates`` from a rested
    state at ``soc``; R [Ohm] = slope of the pulse's voltage drop against its current."""
    cond = _conditions(preset, model, mechanics, **conditions)
    check_range("DC-IR pulse", pulse_s, 0.1, 600.0, "s")
    rates = [check_range("DC-IR C-rate", c, 1e-3, 5.0, "C") for c in c_rates]
    if len(rates) < 2:
        raise InputError(f"DC-IR C-rates={list(c_rates)!r}: at least two are needed for a slope")
    charge, discharge = _verbs(preset)
    cycles = _approach(preset, soc)
    for c in rates:  # a pulse against the working electrode's charging, then one restoring the SOC
        cycles.append((f"{discharge} at {c:g}C for {pulse_s:g} seconds ({pulse_s / 50:g} second period)",
                       f"Rest for {DCIR_REST_MIN:g} minutes",
                       f"{charge} at {c:g}C for {pulse_s:g} seconds",
                       f"Rest for {DCIR_REST_MIN:g} minutes"))
    sol, pv = _solve(cond, cycles, DCIR_CUTOFF_MARGIN_V)
    one_c = pv["Nominal cell capacity [A.h]"]
    rows, e_before = [], sol.cycles[0].steps[-1]["Voltage [V]"].entries[-1]
    for c, cyc in zip(rates, sol.cycles[1:]):
        _, v = _step_tv(cyc.steps[0])
        rows.append({"c_rate": c, "current_A": c * one_c, "delta_V": float(abs(e_before - v[-1]))})
        e_before = cyc.steps[-1]["Voltage [V]"].entries[-1]
    i = np.array([r["current_A"] for r in rows])
    dv = np.array([r["delta_V"] for r in rows])
    slope, intercept = np.polyfit(i, dv, 1)
    area_cm2 = pv["Electrode height [m]"] * pv["Electrode width [m]"] * 1e4
    return {"measurement": "DC-IR", "conditions": _public(cond), "soc": soc, "pulse_s": pulse_s,
            "pulses": rows, "resistance_Ohm": float(slope), "area_specific_resistance_Ohm_cm2":
            float(slope * area_cm2), "intercept_V": float(intercept)}


def _public(cond: Conditions) -> dict:
    return {k: v for k, v in cond.to_dict().items() if k not in ("protocol", "c_rate", "cycles")}
