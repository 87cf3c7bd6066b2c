"""Operando thickness and stack pressure of a composite cell (output variables).

At fixed stack pressure the cell changes thickness by

    Delta L = sum_electrodes [L_e (sum_phases eps_AM0 ((1 + s)^3 - 1) + Delta eps_void)
                              + Delta L_interphase] + Delta L_counter

(a laterally confined composite turns volume change into thickness; an opened gap
compensates the shrinkage of its particle until creep closes it; an anode on which the
SE is reduced grows by its products' excess volume, :func:`interphase_thickness_change`).
A Li or Li-In counter electrode grows by V_m q / F per area as Li+ arrives
(``models.strain``).
Held at fixed displacement instead (a cell in a frame), the same change appears as a
stack-pressure change Delta P = k_stack Delta L, k_stack [Pa/m] the stiffness of the
stack and its frame per area (operando pressiometry): the variable
``"Stack pressure change at fixed displacement [Pa]"`` reports it whatever the model's
fixture. The contact law feels the pressure the fixture option sets
(``models.fixture``: the set pressure, a spring, or a rigid gap).
"""

import pybamm

from .phases import phase_names
from .strain import LI_MOLAR_VOLUME_M3_MOL, F


def composite_thickness_change(variables, options, domain: str):
    """L_e x (the sum of the ``domain`` composite's phases' thickness strain) [m], plus
    the net volume of the SE's reduction products where the SE is reduced on the
    electrode (:func:`interphase_thickness_change`)."""
    Domain = domain.capitalize()
    strain = sum(variables[f"{Domain} electrode {n}thickness strain"] for _, n in phase_names(options, domain))
    return pybamm.Parameter(f"{Domain} electrode thickness [m]") * strain + \
        interphase_thickness_change(variables, options, domain)


def interphase_thickness_change(variables, options, domain: str):
    """Net growth [m] of a composite whose SE is reduced on its particles
    (``models.interphase_inventory``): each formula unit of SE that takes z Li is
    replaced in place by products of molar volume V_prod, so the electrode grows by
    (Q_Li / z) (V_prod - V_SE) / A, with Q_Li [mol] the Li the reduction took,
    V_SE = 1 / c_SE the SE's molar volume and A the electrode area; 0 without the
    reduction. Li6PS5Cl -> 5 Li2S + Li3P + LiCl: 195 against 164 cm3/mol."""
    if getattr(options, domain)["SEI"] == "none":
        return pybamm.Scalar(0)
    P = pybamm.Parameter
    area = P("Electrode height [m]") * P("Electrode width [m]")
    growth = 0
    for pre, infix in phase_names(options, domain):
        formula_units = variables[f"Loss of lithium to {domain} {infix}SEI [mol]"] / \
            P(f"{pre}Ratio of lithium moles to SEI moles")
        molar_volume_change = P(f"{pre}SEI partial molar volume [m3.mol-1]") - \
            1 / P(f"{pre}EC initial concentration in electrolyte [mol.m-3]")
        growth = growth + formula_units * molar_volume_change
    return growth / area


def counter_electrode_charge(variables):
    """Li+ a half cell's counter electrode has received since the start [C.m-2]."""
    area = pybamm.Parameter("Electrode height [m]") * pybamm.Parameter("Electrode width [m]")
    return -variables["Discharge capacity [A.h]"] * 3600 / area


def operando_variables(model, composite_domains, half_cell: bool) -> dict:
    """Thickness and pressure variables for a built model with contact mechanics."""
    v = model.variables
    out, dL = {}, 0
    for domain in composite_domains:
        Domain = domain.capitalize()
        dL_e = composite_thickness_change(v, model.options, domain)
        out[f"{Domain} electrode thickness change [m]"] = dL_e
        out[f"{Domain} electrode porosity increase"] = sum(
            v[f"{Domain} electrode {n}void fraction increase"] for _, n in phase_names(model.options, domain))
        dL = dL + dL_e
    if half_cell:
        dL_ce = LI_MOLAR_VOLUME_M3_MOL * counter_electrode_charge(v) / F
        out["Counter electrode thickness change [m]"] = dL_ce
        dL = dL + dL_ce
    out["Cell thickness change at fixed pressure [m]"] = dL
    out["Stack pressure change at fixed displacement [Pa]"] = pybamm.Parameter("Stack stiffness [Pa.m-1]") * dL
    return out
