"""Contact-mechanics constants and measured binder properties shared by the cell systems.

SE / composite constants (one set for all sulfide composites; the law is
``models.contact_law``):

* Creep closure of the soft sulfide, v_cr = v_0 (P / 1 MPa)^n exp(-Q/R (1/T - 1/T_ref)):
  argyrodites densify by plastic flow and creep under tens of MPa at room temperature
  (Doux et al., J. Mater. Chem. A 8 (2020) 5049); n = 2 is assumed, v_0 is calibrated on
  Kwon 2022's pressure dependence; no creep activation energy of an argyrodite was found,
  so Q = 37 kJ/mol is assumed, that of the power-law creep of Li metal (Masias, Felten,
  Sakamoto, J. Mater. Chem. A 7 (2019) 8757), another soft Li conductor.
* Contact from the local pressure phi = delta / (delta + g), delta = R (P_eff / E_f)^(2/3): E_f, the modulus of the
  composite framework under the stack load, far softer than dense Li6PS5Cl (E ~ 20-30 GPa)
  because load passes through particle contacts, is calibrated on Kwon 2022 (the one
  fitted constant of the contact law).
* Contact coordination number Z = 1: a particle is cut off when the force chain that
  loads it lets go (one load-bearing contact per particle); assumed.
* Isolation within ~100 s (r_iso = 1e-2 s-1): fast on a cycle's time scale; assumed.
* Void nucleation coefficient kappa, the binder energy scale Gamma_chi
  (:data:`BINDER_LAWS`) and the force-chain rearrangement coefficient rho: fitted
  jointly on the eight cycle-life rows of Jo 2024 (porosity after 150 cycles at 0.5 /
  1.5 / 2.5 wt% NBR) and Choi 2025 (retention and thickness growth after 100 cycles),
  least squares in the rows' errors over their tolerances over real runs of the papers'
  protocols (``python scripts/calibrate_cycle_life.py``; every row within its tolerance).
* Electrode | SE-layer resistance at full contact 2 Ohm cm2 (R_int ~ 1/A_c, Limon,
  Duffee, Ahmad 2025); stack (cell + frame) stiffness 0.2 MPa per um of thickness
  change for operando pressure (a Li-In | NCM cell changes by ~1 MPa over a ~5 um swing
  of its counter electrode; order of Koerver et al., Energy Environ. Sci. 11 (2018) 2142).
* Layer decohesion (``models.layer_decohesion``): the cohesive fracture energy is the
  binder's (cohesion, else toughness x particle diameter, at its content) plus the SE's
  own 2.9 J/m2; its relative scatter 0.05 is assumed. The layer's modulus, 1 GPa, is a
  composite framework modulus set on Kwon 2022's 2 MPa pristine row with a threshold
  contact law, not with ``models.contact_law`` (source ``layer-modulus`` in
  provenance.toml).
* Binder relaxation (``models.binder_mechanics``): WLF constants C1 = 17.44,
  C2 = 51.6 K (Williams, Landel, Ferry 1955).
* The fixture (``models.fixture``, :data:`FIXTURE`): the SE layer's Young's modulus
  18.5 GPa, measured on cold-pressed 75Li2S-25P2S5 by nanoindentation (McGrogan et al.,
  Adv. Energy Mater. 7 (2017) 1602011, the value behind the SE fracture energy); a
  spring fixture of 2.6e7 N/m, the 0.2 MPa per um of the stack stiffness above on the
  1.3 cm2 of Kwon 2022's cells (assumed: no fixture stiffness is reported); the Li or
  Li-In counter electrode's thickness change is not fed to the fixture (0 m3/mol per Li,
  assumed): the pressiometry cells of Kwon 2022 are NCM | LPSX | LTO, whose breathing is
  the composites' own, and a half cell's trace is taken as its composite's; 1.3e-5 (Li's
  molar volume) adds a Li counter's growth, ~4.9 um per mAh/cm2.

Binder properties are those of ``tests/data/calibration_points.csv``; binders without
a measurement borrow the nearest measured one, as said at each record.
"""

from __future__ import annotations

from ssbsim.models.binder_coverage import LAW_CONSTANTS as COVERAGE_LAWS
from ssbsim.models.binder_mechanics import WLF_C1, WLF_C2_K, BinderProperties
from ssbsim.models.contact_law import ContactLawParameters
from ssbsim.models.layer_decohesion import SE_FRACTURE_ENERGY_J_M2

#: Constants of the binder-mechanics laws (``models.binder_mechanics``), PyBaMM name ->
#: value: the fraction eta of the binder-held electrode's compressive strength that acts
#: as holding traction (fitted on row kwon2022-q1-vulcanized-2MPa by
#: scripts/calibrate_contact.py), the energy scale Gamma_chi of void-nucleation
#: resistance (fitted with kappa and rho on the cycle-life rows,
#: scripts/calibrate_cycle_life.py) and the process-zone length turning a peel adhesion
#: [N/m] into a traction [Pa].
BINDER_LAWS = {
    "Binder holding fraction of strength": 0.409,
    "Binder void nucleation fracture energy scale [J.m-2]": 157.7,
    "Binder adhesion process zone length [m]": 100e-6,
}

SE_CONTACT = ContactLawParameters.numerical_defaults() | {
    "Solid electrolyte creep velocity at 1 MPa [m.s-1]": 1.0e-14,
    "Solid electrolyte creep stress exponent": 2.0,
    "Solid electrolyte creep activation energy [J.mol-1]": 3.7e4,
    "Composite framework modulus [Pa]": 1.05e8,
    "Contact closure pressure exponent": 2.0 / 3.0,
    "Active particle contact coordination number": 1.0,
    "Contact isolation rate [s-1]": 1e-2,
    "Void nucleation coefficient": 0.05821,
    "Force chain rearrangement coefficient": 0.2693,
    "Electrode|SE interface resistance [Ohm.m2]": 2e-4,
    "Electrode|SE interface resistance reference temperature [K]": 303.15,
    "Stack stiffness [Pa.m-1]": 2e11,
    "Layer fracture energy scatter": 0.05,
    "Composite layer modulus [Pa]": 1.0e9,
    "Binder WLF constant C1": WLF_C1,
    "Binder WLF constant C2 [K]": WLF_C2_K,
}

#: Measured binder properties (Kwon 2022; Choi 2025). Jo 2024 and Emley 2023 used NBR
#: without mechanical tests: they borrow Choi's NBR-in-toluene (the common solvent).
#: Glass transitions: cis-1,4-polybutadiene -106 C (167 K); NBR with 25 % acrylonitrile
#: about -38 C (235 K), between -55 C at 18 % and -10 C at 45 % (Brandrup, Immergut,
#: Grulke, Polymer Handbook, 4th ed.). Entanglement (plateau) modulus of 1,4-polybutadiene
#: 1.15 MPa (Fetters et al., Macromolecules 27 (1994) 4639); NBR's taken the same
#: (it only matters for a crosslinked NBR, of which there is none here).
BR_TG_K, NBR_TG_K, PB_PLATEAU_MODULUS_PA = 167.0, 235.0, 1.15e6
#: Crosslink density of Kwon's S2 vulcanizate (2 phr S): not measured; 150 mol/m3 is the
#: middle of the 50-300 mol/m3 of sulfur-cured rubbers (G = nu R T ~ 0.1-0.7 MPa).
VULCANIZED_BR_CROSSLINKS_MOL_M3 = 150.0
_BR = dict(glass_transition_K=BR_TG_K, entanglement_modulus_Pa=PB_PLATEAU_MODULUS_PA)
_NBR = dict(glass_transition_K=NBR_TG_K, entanglement_modulus_Pa=PB_PLATEAU_MODULUS_PA)
BINDERS = {
    "BR-pristine": BinderProperties(
        "BR-pristine", 1.5, compressive_strength_MPa=10.1, toughness_kJ_m3=19.0, **_BR),
    "BR-vulcanized-S2": BinderProperties(
        "BR-vulcanized-S2", 1.5, compressive_strength_MPa=34.8, toughness_kJ_m3=220.0,
        crosslink_density_mol_m3=VULCANIZED_BR_CROSSLINKS_MOL_M3, **_BR),
    "NBR-anisole": BinderProperties("NBR-anisole", 4.0, cohesion_N_m=187.0, adhesion_N_m=245.0,
                                    **_NBR),
    "NBR-toluene": BinderProperties("NBR-toluene", 4.0, cohesion_N_m=93.0, adhesion_N_m=214.0,
                                    **_NBR),
    "NBR-xylene": BinderProperties("NBR-xylene", 4.0, cohesion_N_m=65.0, adhesion_N_m=197.0,
                                   **_NBR),
    # PTFE fibrils: semi-crystalline, no rubbery flow; toughness ~10 MJ/m3 (bulk PTFE);
    # no compressive strength measured, so no holding traction (its relaxation is moot).
    "PTFE": BinderProperties("PTFE", 0.5, toughness_kJ_m3=1.0e4, glass_transition_K=388.0,
                             entanglement_modulus_Pa=0.0),
}


#: What holds the stack (``models.fixture``; sources in the module docstring).
FIXTURE = {
    "Solid electrolyte layer modulus [Pa]": 18.5e9,
    "Fixture stiffness [N.m-1]": 2.6e7,
    "Counter electrode thickness change per Li in fixture [m3.mol-1]": 0.0,
}


#: The atmosphere's pressure [Pa] on a stack sealed in an evacuated pouch (the standard
#: atmosphere, 101.325 kPa), ``models.fixture``; a cell in a die feels none.
EVACUATED_POUCH_AMBIENT_PRESSURE_PA = 101325.0


def contact_parameters(stack_pressure_MPa: float) -> dict:
    """The SE / composite contact constants, the binder laws' constants, the
    fixture's, the stack pressure (at assembly, for a cell in a spring or rigid fixture)
    and the ambient pressure the packaging adds: none, a cell in a die (a pouch's
    parameter set overrides it)."""
    return SE_CONTACT | BINDER_LAWS | COVERAGE_LAWS | FIXTURE | {
        "Solid electrolyte fracture energy [J.m-2]": SE_FRACTURE_ENERGY_J_M2,
        "Stack pressure [Pa]": stack_pressure_MPa * 1e6,
        "Ambient pressure on the stack [Pa]": 0.0}


def binder_mechanics_parameters(domain: str, binder: BinderProperties | None, content_wt_pct: float) -> dict:
    """Measured properties of the binder of the ``domain`` electrode, at the content they
    were measured at (the model scales them to the electrode's, ``models.binder_laws``).
    No binder (or none of it): no strength, cohesion, toughness or adhesion."""
    Domain = domain.capitalize()
    if binder is None or content_wt_pct == 0:
        binder = BinderProperties("none", 1.0, toughness_kJ_m3=0.0)
    cohesion = binder.cohesion_N_m
    return {
        f"{Domain} electrode binder measured content [wt%]": binder.measured_content_wt_pct,
        f"{Domain} electrode binder measured compressive strength [Pa]": binder.compressive_strength_MPa * 1e6,
        f"{Domain} electrode binder measured cohesion [J.m-2]": 0.0 if cohesion is None else cohesion,
        # the toughness counts only where the cohesion was not measured
        f"{Domain} electrode binder measured toughness [J.m-3]":
            binder.toughness_kJ_m3 * 1e3 if cohesion is None else 0.0,
        f"{Domain} electrode binder peel adhesion [N.m-1]": binder.adhesion_N_m,
        f"{Domain} electrode binder relaxation time [s]": binder.relaxation_time_s,
        f"{Domain} electrode binder glass transition temperature [K]": binder.glass_transition_K,
        f"{Domain} electrode binder crosslink density [mol.m-3]": binder.crosslink_density_mol_m3,
        f"{Domain} electrode binder entanglement modulus [Pa]": binder.entanglement_modulus_Pa,
    }
