"""Operando thickness and stack pressure of a composite cell (output variables).

At fixed stack pressure the cell changes thickness by

    Delta L = sum_electrodes L_e (sum_phases eps_AM0 ((1 + s)^3 - 1) + Delta eps_void)
              + Delta L_counter

(a laterally confined composite turns volume change into thickness; an opened gap
compensates the shrinkage of its particle until creep closes it). A Li or Li-In
counter electrode grows by V_m q / F per area as Li+ arrives (``models.strain``).
Held at fixed displacement instead (a cell in a frame), the same change appears as a
stack-pressure change Delta P = k_stack Delta L, k_stack [Pa/m] the stiffness of the
stack and its frame per area (operando pressiometry). The pressure
change is reported, not fed back into the contact law (which sees the set pressure).
"""

import pybamm

from .phases import phase_names
from .strain import LI_MOLAR_VOLUME_M3_MOL, F


def operando_variables(model, composite_domains, half_cell: bool) -> dict:
    """Thickness and pressure variables for a built model with contact mechanics."""
    v = model.variables
    P = pybamm.Parameter
    out, dL = {}, 0
    for domain in composite_domains:
        Domain = domain.capitalize()
        names = [n for _, n in phase_names(model.options, domain)]
        strain = sum(v[f"{Domain} electrode {n}thickness strain"] for n in names)
        L = P(f"{Domain} electrode thickness [m]")
        out[f"{Domain} electrode thickness change [m]"] = L * strain
        out[f"{Domain} electrode porosity increase"] = sum(
            v[f"{Domain} electrode {n}void fraction increase"] for n in names)
        dL = dL + L * strain
    if half_cell:
        area = P("Electrode height [m]") * P("Electrode width [m]")
        q = -v["Discharge capacity [A.h]"] * 3600 / area  # Li+ received by the counter [C.m-2]
        dL_ce = LI_MOLAR_VOLUME_M3_MOL * q / F
        out["Counter electrode thickness change [m]"] = dL_ce
        dL = dL + dL_ce
    out["Cell thickness change at fixed pressure [m]"] = dL
    out["Stack pressure change at fixed displacement [Pa]"] = P("Stack stiffness [Pa.m-1]") * dL
    return out
