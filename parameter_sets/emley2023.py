"""Emley et al., Mater. Futures (2023): wet (NBR) vs dry (PTFE) processed cathodes.

Cell (from the paper's experimental section; BibTeX key ``Emley2023`` in
``ssbsim/citations.bib``): single-crystal NMC83 :
Li6PS5Cl (d50 5 um) : VGCF = 70 : 27 : 3 plus 0.5 wt% binder (wet NBR or dry PTFE
fibrils); the rate cells hold 14 mg/cm2 NMC83 (Li | LPSCl | cathode, 60 C, 2.5-4.25 V,
C/10 = 0.24 mA/cm2, so 1C = 2.4 mA/cm2 = 171 mAh/g; charge and discharge at the same
current, no CV hold described: ``experiments/emley2023.toml``). 7 MPa. The SE separator
thickness (500 um) is assumed. Measured composite conductivities (ionic 3.3e-6 / 6.9e-5 / 1.7e-4 S/cm wet /
dry / binder-free; electronic 3.0e-3 / 4.6e-2 S/cm) calibrate ``models.binder_coverage``.
"""

from ssbsim.citations import LAW_CITATIONS, NCM_CITATIONS

from .components import BinderChoice, CompositeRecipe, half_cell
from .materials import LPSCL, NMC83
from .mechanics import BINDERS as _MEASURED

TEMPERATURE_C = 60.0
SEPARATOR_THICKNESS_M = 500e-6
AREA_CM2 = 1.0
ACTIVE_LOADING_MG_CM2 = 14.0
C10_CURRENT_MA_CM2 = 0.24
ONE_C_MAH_G = 10 * C10_CURRENT_MA_CM2 / ACTIVE_LOADING_MG_CM2 * 1e3
BINDER_BY_PROCESS = {"wet": "NBR", "dry": "PTFE", "none": "none"}
STACK_PRESSURE_MPA = 7.0
#: NBR not tested mechanically: Choi 2025's NBR in toluene; PTFE: bulk toughness.
BINDERS = {"nbr": BinderChoice(_MEASURED["NBR-toluene"], "wet", "NBR slurry (coats particles)"),
           "ptfe": BinderChoice(_MEASURED["PTFE"], "dry", "PTFE fibrils (dry process)")}
WINDOW_V = (2.5, 4.25)  # vs Li/Li+

CATHODE = CompositeRecipe(
    phases=(NMC83,), phase_mass_fractions=(1.0,),
    am_wt=70.0, se_wt=27.0, carbon_wt=3.0, binder_wt=0.5, binder="NBR", process="wet",
    se=LPSCL, active_loading_mg_cm2=ACTIVE_LOADING_MG_CM2, void_fraction=0.03,
    se_particle_radius_m=2.5e-6,  # Li6PS5Cl d50 5 um (Emley 2023)
    # binder-free VGCF network: 4.6e-2 S/cm (dry) / f_dry(0.5 wt%) = 0.406
    carbon_network_conductivity_S_m=11.3,
)


def get_parameter_values(binder: str = "nbr", binder_wt: float = CATHODE.binder_wt, process: str = "wet",
                         stack_pressure_MPa: float = STACK_PRESSURE_MPA):
    """NMC83 composite | Li6PS5Cl | Li half cell; ``process`` "wet", "dry" or "none"."""
    recipe = CATHODE.with_binder(binder_wt, process, BINDER_BY_PROCESS[process],
                                 binder_props=BINDERS[binder].properties)
    return half_cell(
        recipe, LPSCL, SEPARATOR_THICKNESS_M, AREA_CM2, ONE_C_MAH_G, *WINDOW_V,
        TEMPERATURE_C, 0.0, stack_pressure_MPa,
    ) | {"citations": ["Emley2023", "Chen2020", *LAW_CITATIONS, *NCM_CITATIONS]}
