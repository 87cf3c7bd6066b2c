"""Contact-mechanics constants and measured binder properties shared by the cell systems.

SE / composite constants (one set for all sulfide composites):

* Creep closure of the soft sulfide, v_cr = v_0 (P / 1 MPa)^n: argyrodites densify by
  plastic flow and creep under tens of MPa at room temperature (Doux et al., J. Mater.
  Chem. A 8 (2020) 5049); n = 2 is assumed, v_0 is calibrated on Kwon 2022's
  pressure dependence (70 vs 2 MPa).
* Elastic closure delta_el = R P / E_f. E_f is the compliance of the rough SE | AM
  contacts under the stack load, far softer than dense Li6PS5Cl (E ~ 20-30 GPa)
  because load passes through asperities (Hertz-Rumpf); calibrated with v_0 on
  Kwon 2022 (E_f = 1 GPa).
* Surface roughness lambda = 40 nm (asperity scale of NCM secondary particles;
  calibrated with E_f on Kwon 2022).
* Percolation threshold phi_c = 0.1: a particle with less than 10 % of its surface in
  contact is cut off; it latches within ~100 s (r_iso = 1e-2 s-1).
* Void nucleation coefficient kappa and the binder energy scale Gamma_chi: calibrated
  on Jo 2024's porosity after 150 cycles (``scripts/porosity_growth.py``).
* Electrode | SE-layer resistance at full contact 2 Ohm cm2 (R_int ~ 1/A_c, Limon,
  Duffee, Ahmad 2025); stack (cell + frame) stiffness 0.2 MPa per um of thickness
  change for operando pressure (a Li-In | NCM cell changes by ~1 MPa over a ~5 um swing
  of its counter electrode; order of Koerver et al., Energy Environ. Sci. 11 (2018) 2142).
* Layer decohesion (``models.layer_decohesion``): the cohesive fracture energy is the
  binder's (cohesion, else toughness x particle diameter, at its content) plus the SE's
  own 2.9 J/m2; its relative scatter 0.05 is assumed.

Binder properties are those of ``shared/data/calibration_points.csv``; binders without
a measurement borrow the nearest measured one, as said at each record.
"""

from __future__ import annotations

from ssbsim.models.binder_mechanics import (
    BinderProperties,
    fracture_energy_N_m,
    holding_traction_Pa,
    retained_traction_fraction,
    void_nucleation_factor,
)
from ssbsim.models.layer_decohesion import SE_FRACTURE_ENERGY_J_M2

#: Fraction of the binder-held electrode's compressive strength that acts as holding
#: traction (calibrated on Kwon 2022, vulcanized vs pristine BR at 2 MPa).
HOLDING_FRACTION_OF_STRENGTH = 0.04
#: Energy scale of void-nucleation resistance [N/m] (calibrated on Jo 2024 porosity).
GAMMA_CHI_N_M = 63.0
#: Process-zone length turning a peel adhesion [N/m] into a traction [Pa].
ADHESION_PROCESS_ZONE_M = 100e-6

SE_CONTACT = {
    "Solid electrolyte creep velocity at 1 MPa [m.s-1]": 1.0e-14,
    "Solid electrolyte creep stress exponent": 2.0,
    "Composite framework modulus [Pa]": 1.0e9,
    "Active material surface roughness [m]": 40e-9,
    "Contact percolation threshold": 0.1,
    "Contact percolation threshold width": 0.05,
    "Contact isolation rate [s-1]": 1e-2,
    "Void nucleation coefficient": 0.055,
    "Electrode|SE interface resistance [Ohm.m2]": 2e-4,
    "Stack stiffness [Pa.m-1]": 2e11,
    "Layer fracture energy scatter": 0.05,
}

#: Measured binder properties (Kwon 2022; Choi 2025). Jo 2024 and Emley 2023 used NBR
#: without mechanical tests: they borrow Choi's NBR-in-toluene (the common solvent).
BINDERS = {
    "BR-pristine": BinderProperties(
        "BR-pristine", 1.5, crosslinked=False, compressive_strength_MPa=10.1, toughness_kJ_m3=19.0),
    "BR-vulcanized-S2": BinderProperties(
        "BR-vulcanized-S2", 1.5, crosslinked=True, compressive_strength_MPa=34.8, toughness_kJ_m3=220.0),
    "NBR-anisole": BinderProperties("NBR-anisole", 4.0, crosslinked=False, cohesion_N_m=187.0, adhesion_N_m=245.0),
    "NBR-toluene": BinderProperties("NBR-toluene", 4.0, crosslinked=False, cohesion_N_m=93.0, adhesion_N_m=214.0),
    "NBR-xylene": BinderProperties("NBR-xylene", 4.0, crosslinked=False, cohesion_N_m=65.0, adhesion_N_m=197.0),
    # PTFE fibrils: semi-crystalline, no rubbery flow; toughness ~10 MJ/m3 (bulk PTFE).
    "PTFE": BinderProperties("PTFE", 0.5, crosslinked=True, toughness_kJ_m3=1.0e4),
}


def contact_parameters(stack_pressure_MPa: float) -> dict:
    """The SE / composite contact constants and the stack pressure."""
    return SE_CONTACT | {"Stack pressure [Pa]": stack_pressure_MPa * 1e6}


def binder_mechanics_parameters(domain: str, binder: BinderProperties | None,
                                content_wt_pct: float, particle_diameter_m: float) -> dict:
    """Binder entries of the ``domain`` electrode (no binder: no traction, chi = 1)."""
    Domain = domain.capitalize()
    if binder is None or content_wt_pct == 0:
        traction, retained, chi, adhesion, gamma = 0.0, 1.0, 1.0, 0.0, 0.0
    else:
        traction = holding_traction_Pa(binder, content_wt_pct, HOLDING_FRACTION_OF_STRENGTH)
        retained = retained_traction_fraction(binder)
        gamma = fracture_energy_N_m(binder, content_wt_pct, particle_diameter_m)
        chi = void_nucleation_factor(gamma, GAMMA_CHI_N_M)
        adhesion = binder.adhesion_N_m / ADHESION_PROCESS_ZONE_M
    return {
        f"{Domain} electrode binder holding traction [Pa]": traction,
        f"{Domain} electrode binder retained traction fraction": retained,
        f"{Domain} electrode binder relaxation time [s]": binder.relaxation_time_s if binder else 3600.0,
        f"{Domain} electrode void nucleation factor": chi,
        f"{Domain} electrode adhesion traction [Pa]": adhesion,
        f"{Domain} electrode cohesive fracture energy [J.m-2]": gamma + SE_FRACTURE_ENERGY_J_M2,
    }
