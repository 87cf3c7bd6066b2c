"""Kwon et al., Energy Storage Mater. (2022): vulcanized butadiene-rubber binders.

Cells (from the paper's experimental section; BibTeX key ``Kwon2022`` in
``ssbsim/citations.bib``):

* NCM711 (LiNbO3-coated) : Li6PS5Cl0.5Br0.5 : C65 : BR = 70 : 27.5 : 1 : 1.5, wet
  slurry, ~8 mg NCM711 per cm2 (calibration_points.csv, row kwon2022-mass-loading),
  void fraction 3 % (as measured for pressed composites by Jo 2024); LPSX 5.9 mS/cm at 30 C; ~600 um SE pellet;
  Li-In counter electrode; 1.3 cm2; 3.0-4.3 V vs Li/Li+; 0.1C; 30 C; 70 / 7 / 2 MPa.
* Pouch full cell NCM711 | LPSX | LTO, 40 x 50 mm2, 4.2 mg/cm2 NCM711, 1.43-2.75 V, no
  external pressure; the SE layer is a 100 um LPSX film with 3 wt% NBR (wet-cast), whose
  binder blocks the SE necks as in a composite (``binder_laws.separator_tortuosity``).
  LTO composite not stated in the paper: LTO : LPSX : C65 : BR = 60 : 35 : 3.5 : 1.5
  (assumed), N/P = 1.2 (NCM at 1C capacity, LTO theoretical).

Binders: pristine BR and BR vulcanized in situ with sulfur (S1, S2, S3). Their
coverage is that of a wet-processed rubber; they differ by their mechanical
properties (``BINDERS``, used by the contact-mechanics models).
1C = 200 mAh/g (not stated in the paper; common for NCM711 sulfide half cells).
OCPs, diffusivities, exchange currents: ``materials``.
"""

from ssbsim.citations import LAW_CITATIONS, NCM_CITATIONS

from .components import LI_IN_POTENTIAL_VS_LI, BinderChoice, CompositeRecipe, full_cell, half_cell
from .materials import LPSCLBR, LTO, NCM711
from .mechanics import BINDERS as _MEASURED
from .mechanics import EVACUATED_POUCH_AMBIENT_PRESSURE_PA

TEMPERATURE_C = 30.0
SEPARATOR_THICKNESS_M = 600e-6
AREA_CM2 = 1.3
ONE_C_MAH_G = 200.0

#: Binder name -> measured properties, process, description. Only S2 was tested
#: mechanically: S1 and S3 borrow S2's properties (so they behave as S2 here).
BINDERS = {
    "pristine": BinderChoice(_MEASURED["BR-pristine"], "wet", "butadiene rubber, linear chains"),
    "vulcanized": BinderChoice(_MEASURED["BR-vulcanized-S2"], "wet", "BR vulcanized in situ, S2 (2/2 phr S/MBT)"),
    "vulcanized-s1": BinderChoice(_MEASURED["BR-vulcanized-S2"], "wet", "BR vulcanized, S1 (1/3 phr S/MBT)",
                                  stands_in_for="vulcanized"),
    "vulcanized-s3": BinderChoice(_MEASURED["BR-vulcanized-S2"], "wet", "BR vulcanized, S3 (3/1 phr S/MBT)",
                                  stands_in_for="vulcanized"),
}
STACK_PRESSURE_MPA = 70.0
WINDOW_V = (3.0, 4.3)  # vs Li/Li+
POUCH_STACK_PRESSURE_MPA = 0.0  # no external pressure
POUCH_WINDOW_V = (1.43, 2.75)
#: The pouch cells' SE layer: a 100 um LPSX film cast with 3 wt% NBR (a wet slurry), not a
#: pressed pellet; its NBR blocks the SE necks as a composite's binder does.
POUCH_SE_FILM_THICKNESS_M = 100e-6
POUCH_SE_FILM_BINDER_WT = 3.0
#: The pouch cells' electrodes: 40 x 50 mm2 (the half cells' pellets are 1.3 cm2).
POUCH_AREA_CM2 = 4.0 * 5.0

#: Radius of the LPSX grains in the composites: not in our notes of Kwon 2022; assumed the
#: d50 ~ 1 um of composite-grade argyrodite that Jo 2024 state (R = 0.5 um).
KWON_SE_RADIUS_M = 0.5e-6

CATHODE = CompositeRecipe(
    phases=(NCM711,), phase_mass_fractions=(1.0,),
    am_wt=70.0, se_wt=27.5, carbon_wt=1.0, binder_wt=1.5, binder="BR", process="wet",
    se=LPSCLBR, active_loading_mg_cm2=8.0, void_fraction=0.03, se_particle_radius_m=KWON_SE_RADIUS_M,
)

POUCH_CATHODE = CompositeRecipe(
    phases=(NCM711,), phase_mass_fractions=(1.0,),
    am_wt=70.0, se_wt=27.5, carbon_wt=1.0, binder_wt=1.5, binder="BR", process="wet",
    se=LPSCLBR, active_loading_mg_cm2=4.2, void_fraction=0.03, se_particle_radius_m=KWON_SE_RADIUS_M,
)

_N_P = 1.2
POUCH_ANODE = CompositeRecipe(
    phases=(LTO,), phase_mass_fractions=(1.0,),
    am_wt=60.0, se_wt=35.0, carbon_wt=3.5, binder_wt=1.5, binder="BR", process="wet",
    se=LPSCLBR, void_fraction=0.03, initial_stoichiometry=(0.01,), se_particle_radius_m=KWON_SE_RADIUS_M,
    active_loading_mg_cm2=_N_P * 4.2 * ONE_C_MAH_G / LTO.specific_capacity_mAh_g,
)


def get_parameter_values(binder: str = "pristine", binder_wt: float = CATHODE.binder_wt, process: str = "wet",
                         stack_pressure_MPa: float = STACK_PRESSURE_MPA):
    """NCM711 composite | LPSX | Li-In half cell of Kwon 2022 (the default system)."""
    return half_cell(
        CATHODE.with_binder(binder_wt, process, binder_props=BINDERS[binder].properties), LPSCLBR,
        SEPARATOR_THICKNESS_M, AREA_CM2, ONE_C_MAH_G, *WINDOW_V, TEMPERATURE_C,
        LI_IN_POTENTIAL_VS_LI, stack_pressure_MPa,
    ) | {"citations": ["Kwon2022", "Chen2020", *LAW_CITATIONS, *NCM_CITATIONS]}


def get_pouch_parameter_values(binder: str = "pristine", binder_wt: float = POUCH_CATHODE.binder_wt,
                               process: str = "wet", stack_pressure_MPa: float = POUCH_STACK_PRESSURE_MPA):
    """NCM711 composite | LPSX | LTO composite pouch full cell (1.43-2.75 V), no
    external pressure by default. The stack is sealed in an evacuated pouch (it was
    warm-isostatically pressed at 375 MPa, which acts through the sealed laminate), so
    the atmosphere presses on it besides the fixture
    (``mechanics.EVACUATED_POUCH_AMBIENT_PRESSURE_PA``, ``models.fixture``)."""
    props = BINDERS[binder].properties
    return full_cell(
        POUCH_CATHODE.with_binder(binder_wt, process, binder_props=props),
        POUCH_ANODE.with_binder(binder_wt, process, binder_props=props),
        LPSCLBR, POUCH_SE_FILM_THICKNESS_M, POUCH_AREA_CM2, ONE_C_MAH_G, *POUCH_WINDOW_V, TEMPERATURE_C,
        stack_pressure_MPa,
        separator_binder_wt=POUCH_SE_FILM_BINDER_WT, separator_process="wet",
    ) | {"Ambient pressure on the stack [Pa]": EVACUATED_POUCH_AMBIENT_PRESSURE_PA,
         "citations": ["Kwon2022", "Chen2020", *LAW_CITATIONS, *NCM_CITATIONS]}
